// Frozen TWS: the exchange stops answering but keeps the socket open (no error, no close — only silence). The liveness
// probe must find it, trading must be HALTED the moment it does, and the app must come back once TWS thaws. The probe's
// interval and timeout are connection-profile settings; how long detection took is printed (a figure, not an assertion).
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConnectionStatus, Settings, TradingStatus } from '../../src/core/contract';
import { DEFAULT_PROBE } from '../../src/core/contract';
import type { PaperExchangeHandle } from '../../src/main/paper';
import { createServices, type Services } from '../../src/main/services/app';
import { silentLogger } from '../../src/main/services/logging';
import { dispatchOrThrow, waitFor } from '../support/broker';

const ctx = { transport: 'direct' } as const;

describe('frozen TWS (half-open socket) against the paper exchange', () => {
  let services: Services;
  let paper: PaperExchangeHandle;
  const seen: { name: string; state: string; linkLost?: boolean; at: number; haltedThen: boolean }[] = [];

  const call = <T,>(method: string, args: unknown): Promise<T> => dispatchOrThrow<T>(services, method, args);

  beforeAll(async () => {
    services = await createServices({ mode: 'headless', dataDir: mkdtempSync(join(tmpdir(), 'sd-frozen-')), version: '0.0.0-test', logger: silentLogger(), strictContract: true, paperInProcess: true });
    services.bus.subscribe((name, payload) => {
      if (name === 'connection.status') seen.push({ name, state: (payload as ConnectionStatus).state, linkLost: (payload as ConnectionStatus).linkLost, at: Date.now(), haltedThen: services.trading.status().state === 'HALTED' });
      if (name === 'trading.status') seen.push({ name, state: (payload as TradingStatus).state, at: Date.now(), haltedThen: (payload as TradingStatus).state === 'HALTED' });
    });
    await call('connection.connect', {});
    await services.trading.settled();
    await waitFor(() => services.trading.status().state === 'ACTIVE', 60_000, 'trading to open');
    paper = services.broker.paper() as unknown as PaperExchangeHandle;
  }, 120_000);
  afterAll(async () => {
    await services?.close();
  });

  const freezeAndWatch = async (freezeMs: number) => {
    seen.length = 0;
    const frozenAt = Date.now();
    expect(paper.exchange.freeze(freezeMs)).toBe(1);
    await waitFor(() => services.broker.status().state !== 'connected', freezeMs, 'the probe to find the frozen exchange');
    const noticed = seen.find((e) => e.name === 'connection.status' && e.state !== 'connected');
    // HALTED by the time anyone hears of the loss: the gate acts inside the same dispatch.
    expect(noticed?.haltedThen).toBe(true);
    expect(services.trading.status()).toMatchObject({ state: 'HALTED', code: 'NOT_CONNECTED' });
    const reason = services.broker.broker.diagnostics().lastDisconnectReason ?? '';
    // Back after the thaw: reconnected (a 326 while TWS still holds the old session is retried), reconciled, ACTIVE.
    await waitFor(() => services.trading.status().state === 'ACTIVE', freezeMs + 60_000, 'trading to reopen after the thaw');
    return { detectedAfterMs: (noticed?.at ?? Date.now()) - frozenAt, reason };
  };

  it(`default probe (${DEFAULT_PROBE.intervalSec} s + ${DEFAULT_PROBE.timeoutSec} s): the freeze is found, trading HALTED, the app comes back after the thaw`, async () => {
    const profile = (await call<Settings>('settings.get', {})).profiles.find((p) => p.id === 'local-paper');
    expect(profile?.probeIntervalSec).toBeUndefined(); // the defaults apply
    const { detectedAfterMs, reason } = await freezeAndWatch(40_000);
    expect(reason).toBe(`TWS did not answer the liveness probe within ${DEFAULT_PROBE.timeoutSec} s; it may be frozen.`);
    console.log(`[frozen TWS] default probe: detected ${detectedAfterMs} ms after the freeze (bound: interval + timeout + ½ s = ${(DEFAULT_PROBE.intervalSec + DEFAULT_PROBE.timeoutSec) * 1000 + 500} ms)`);
  }, 180_000);

  it('the profile’s probe settings apply on the next connection: 1 s + 2 s', async () => {
    await call('settings.update', { patch: { profiles: [{ id: 'local-paper', probeIntervalSec: 1, probeTimeoutSec: 2 }] } });
    // Settings take effect on the next connection: reconnect.
    await call('connection.disconnect', {});
    await call('connection.connect', {});
    await waitFor(() => services.trading.status().state === 'ACTIVE', 60_000, 'trading to open');
    const { detectedAfterMs, reason } = await freezeAndWatch(20_000);
    expect(reason).toBe('TWS did not answer the liveness probe within 2 s; it may be frozen.');
    console.log(`[frozen TWS] 1 s + 2 s probe: detected ${detectedAfterMs} ms after the freeze`);
  }, 180_000);

  it('a probe timeout under 2 s is refused with a sentence', async () => {
    const r = await services.dispatcher.dispatch('settings.update' as never, { patch: { profiles: [{ id: 'local-paper', probeTimeoutSec: 1 }] } } as never, ctx);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.error.message).toMatch(/mistakes a busy TWS for a frozen one/);
  });
});
