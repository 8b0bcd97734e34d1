// The WebSocket transport against the real built headless process: token required, bad input answered, never fatal.
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { METHOD_NAMES } from '../../src/core/contract';
import { startHeadless, type HeadlessApp } from '../support/headless';

interface ResultFrame {
  type: 'result';
  id: number | null;
  result: { ok: boolean; error?: { code: string; message: string }; value?: unknown };
}

function connect(app: HeadlessApp, token: string | null): Promise<WebSocket> {
  const q = token === null ? '' : `?token=${encodeURIComponent(token)}`;
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${app.port}/ws${q}`);
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

/** A small RPC helper: sends frames and resolves results by id. */
function rpc(ws: WebSocket) {
  let id = 1;
  const waiting = new Map<number | null, Array<(f: ResultFrame) => void>>();
  ws.on('message', (data) => {
    const f = JSON.parse(String(data)) as ResultFrame | { type: 'event' };
    if (f.type !== 'result') return;
    const q = waiting.get(f.id);
    q?.shift()?.(f);
  });
  const wait = (key: number | null) => new Promise<ResultFrame>((r) => waiting.set(key, [...(waiting.get(key) ?? []), r]));
  return {
    call(method: unknown, args: unknown) {
      const n = id++;
      const p = wait(n);
      ws.send(JSON.stringify({ type: 'call', id: n, method, args }));
      return p;
    },
    raw(text: string) {
      const p = wait(null);
      ws.send(text);
      return p;
    },
  };
}

describe('WebSocket transport (headless process)', () => {
  let app: HeadlessApp;
  beforeAll(async () => {
    app = await startHeadless({ extraArgs: ['--no-connect'] });
  });
  afterAll(async () => {
    await app?.stop();
  });

  it('refuses a connection without the token, or with a wrong one', async () => {
    await expect(connect(app, null)).rejects.toThrow(/401/);
    await expect(connect(app, 'wrong-token')).rejects.toThrow(/401/);
    await expect(connect(app, `${app.token}x`)).rejects.toThrow(/401/);
  });

  it('refuses a page request without the token and serves it with the token', async () => {
    expect((await fetch(`${app.origin}/`)).status).toBe(401);
    const ok = await fetch(app.url);
    expect(ok.status).toBe(200);
    expect(ok.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(await ok.text()).toContain('<div id="root">');
  });

  it('answers valid calls with the contract result', async () => {
    const ws = await connect(app, app.token);
    const c = rpc(ws);
    const info = await c.call('app.info', {});
    expect(info.result.ok).toBe(true);
    expect(info.result.value).toMatchObject({ name: 'SpreadDesk', mode: 'headless', dataDir: app.dataDir });
    ws.close();
  });

  it('gives a typed validation error for generated bad payloads to every method and keeps serving', async () => {
    const ws = await connect(app, app.token);
    const c = rpc(ws);
    const badArgs = fc.oneof(
      fc.constant(null).map(() => 'not an object' as unknown),
      fc.integer(),
      fc.array(fc.anything(), { maxLength: 3 }),
      fc.record({ patch: fc.anything() }),
      fc.record({ unexpected: fc.string() }),
      fc.record({ patch: fc.record({ profiles: fc.array(fc.record({ id: fc.string(), port: fc.oneof(fc.integer({ min: -10, max: -1 }), fc.integer({ min: 65536 }), fc.double(), fc.string()) }), { minLength: 1, maxLength: 2 }) }) }),
      fc.record({ patch: fc.record({ activeProfile: fc.string() }) }),
    );
    let validationErrors = 0;
    for (const method of METHOD_NAMES) {
      const samples = fc.sample(badArgs, 25);
      for (const args of samples) {
        const res = await c.call(method, args);
        // A generated payload can by chance be valid (e.g. settings.update with an empty patch); those are counted out below.
        if (res.result.ok) continue;
        expect(res.result.error?.code).toBe('VALIDATION');
        // A sentence, never a schema path like `patch.profiles.0.port`.
        expect(res.result.error?.message).toMatch(/[.)]$/);
        expect(res.result.error?.message).not.toMatch(/\b[a-z]\w*\.[a-z]\w*\.\d/i);
        validationErrors++;
      }
    }
    expect(validationErrors).toBeGreaterThan(METHOD_NAMES.length * 20);

    const unknown = await c.call('orders.explode', {});
    expect(unknown.result.error?.code).toBe('UNKNOWN_METHOD');
    const malformed = await c.raw('{this is not json');
    expect(malformed.result.error?.code).toBe('VALIDATION');
    const wrongShape = await c.raw(JSON.stringify({ type: 'call', id: { nested: true }, method: 7 }));
    expect(wrongShape.result.error?.code).toBe('VALIDATION');

    // Still serving, and settings were not changed by any of it.
    const settings = await c.call('settings.get', {});
    expect(settings.result.ok).toBe(true);
    expect((settings.result.value as { profiles: Array<{ id: string; port: number }> }).profiles.find((p) => p.id === 'tws-paper')?.port).toBe(7497);
    expect(app.child.exitCode).toBeNull();
    ws.close();
  });

  it('pushes events to every subscriber', async () => {
    const a = await connect(app, app.token);
    const b = await connect(app, app.token);
    const seen = (ws: WebSocket) =>
      new Promise<unknown>((resolve) =>
        ws.on('message', (d) => {
          const f = JSON.parse(String(d)) as { type: string; name?: string; payload?: { activeProfile?: string } };
          if (f.type === 'event' && f.name === 'settings.changed' && f.payload?.activeProfile === 'tws-paper') resolve(f.payload);
        }),
      );
    const pa = seen(a);
    const pb = seen(b);
    const res = await rpc(a).call('settings.update', { patch: { activeProfile: 'tws-paper' } });
    expect(res.result.ok).toBe(true);
    await expect(pa).resolves.toMatchObject({ activeProfile: 'tws-paper' });
    await expect(pb).resolves.toMatchObject({ activeProfile: 'tws-paper' });
    await rpc(a).call('settings.update', { patch: { activeProfile: 'local-paper' } });
    a.close();
    b.close();
  });
});
