import { describe, expect, it } from 'vitest';
import { ContractFailure, defaultSettings } from '../../core/contract';
import type { HandlerMap } from '../../core/contract';
import { createDispatcher } from './dispatch';

const settings = defaultSettings();
/** Only the methods these tests call; the rest are absent on purpose (see the UNAVAILABLE test). */
function handlers(overrides: Partial<HandlerMap> = {}): HandlerMap {
  const map: Partial<HandlerMap> = {
    'app.info': () => ({ name: 'SpreadDesk', version: '0.0.0', mode: 'headless', dataDir: '/tmp', platform: 'linux', startedAt: 0 }),
    'settings.get': () => settings,
    'settings.update': () => settings,
    'connection.get': () => ({ state: 'disconnected', profile: 'local-paper', serverVersion: null, accounts: [], isPaper: true, isSimulated: true, lastError: null, lastMessageAt: null, since: 0 }),
    ...overrides,
  };
  return map as HandlerMap;
}
const ctx = { transport: 'direct' } as const;

describe('dispatcher', () => {
  it('returns the handler value as ok', async () => {
    const d = createDispatcher(handlers(), { validateResults: true });
    expect(await d.dispatch('app.info', {}, ctx)).toMatchObject({ ok: true, value: { name: 'SpreadDesk' } });
  });

  it('rejects unknown methods, including prototype keys', async () => {
    const d = createDispatcher(handlers());
    for (const m of ['nope', '__proto__', 'constructor', 'toString', 42, null]) {
      expect(await d.dispatch(m, {}, ctx)).toMatchObject({ ok: false, error: { code: 'UNKNOWN_METHOD' } });
    }
  });

  it('validates args before the handler runs', async () => {
    let called = false;
    const d = createDispatcher(handlers({ 'settings.update': () => ((called = true), settings) }));
    const res = await d.dispatch('settings.update', { patch: { profiles: [{ id: 'tws-paper', port: 70000 }] } }, ctx);
    expect(res).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
    expect(res.ok === false && res.error.message).toContain('Port must be between 1 and 65535');
    expect(called).toBe(false);
  });

  it('turns ContractFailure into a typed error value and unexpected throws into INTERNAL', async () => {
    const logged: string[] = [];
    const d = createDispatcher(
      handlers({
        'settings.get': () => {
          throw new ContractFailure('UNAVAILABLE', 'not now', { retryInMs: 5 });
        },
        'connection.get': () => {
          throw new Error('secret internals');
        },
      }),
      { onInternalError: (m) => logged.push(m) },
    );
    expect(await d.dispatch('settings.get', {}, ctx)).toEqual({ ok: false, error: { code: 'UNAVAILABLE', message: 'not now', details: { retryInMs: 5 } } });
    const internal = await d.dispatch('connection.get', {}, ctx);
    expect(internal).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(internal)).not.toContain('secret internals');
    expect(logged).toEqual(['connection.get']);
  });

  it('answers UNAVAILABLE for a declared method with no handler', async () => {
    const d = createDispatcher({} as HandlerMap);
    expect(await d.dispatch('app.info', {}, ctx)).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
  });
});
