// Integration: a LIVE profile (pointed at a paper exchange) connects read-only — its orders are denied until armed by
// typing the account id; a disconnect disarms it.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RiskOrder } from '../../src/core/risk';
import { startPaperExchange, type PaperExchangeHandle } from '../../src/main/paper';
import { createServices, type Services } from '../../src/main/services/app';
import { silentLogger } from '../../src/main/services/logging';

const ctx = { transport: 'direct' } as const;

describe('live-account arming', () => {
  let ex: PaperExchangeHandle;
  let services: Services;
  const order: RiskOrder = {
    ticketId: 'T-live', symbol: 'SPY', kind: 'bull-call', expiry: '20991218', longStrike: 500, shortStrike: 505, intent: 'open', quantity: 1,
    limit: { amount: 1, kind: 'debit' }, mid: null, natural: null, multiplier: 100, maxLoss: 100, maxProfit: 400, margin: 100, commission: 1.3,
    legs: [], quoteAgeMs: 0, pop: null, at: Date.now(),
  };

  beforeAll(async () => {
    ex = await startPaperExchange({ port: 0, seed: 7 });
    services = await createServices({ mode: 'headless', dataDir: mkdtempSync(join(tmpdir(), 'sd-arm-')), version: '0.0.0-test', logger: silentLogger(), strictContract: true });
    const saved = await services.dispatcher.dispatch('settings.update', { patch: { activeProfile: 'tws-live', profiles: [{ id: 'tws-live', host: '127.0.0.1', port: ex.port, clientId: 31 }] } }, ctx);
    expect(saved.ok).toBe(true);
  }, 60_000);
  afterAll(async () => {
    await services?.close();
    await ex?.close();
  });

  it('is read-only until armed with the typed account id, and disarmed by a disconnect', async () => {
    const conn = await services.dispatcher.dispatch('connection.connect', {}, ctx);
    expect(conn.ok).toBe(true);
    await services.trading.settled();
    expect(services.risk.status()).toMatchObject({ armRequired: true, armed: false, account: ex.accountId });
    expect(services.trading.status()).toMatchObject({ armRequired: true, armed: false });

    const denied = await services.risk.check(order);
    expect(denied.allowed).toBe(false);
    expect(denied.verdicts.find((v) => v.code === 'NOT_ARMED')?.message).toContain('LIVE account');

    const wrong = await services.dispatcher.dispatch('trading.arm', { confirm: 'DU0000000' }, ctx);
    expect(wrong).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: `Type the account id ${ex.accountId} exactly to arm it.` } });
    const armed = await services.dispatcher.dispatch('trading.arm', { confirm: ex.accountId }, ctx);
    expect(armed).toMatchObject({ ok: true, value: { armRequired: true, armed: true } });
    expect(services.trading.status().armed).toBe(true);
    expect((await services.risk.check(order)).verdicts.find((v) => v.code === 'NOT_ARMED')).toBeUndefined();

    await services.dispatcher.dispatch('connection.disconnect', {}, ctx);
    await services.dispatcher.dispatch('connection.connect', {}, ctx);
    await services.trading.settled();
    expect(services.risk.status()).toMatchObject({ armRequired: true, armed: false });
    expect((await services.risk.check(order)).verdicts.find((v) => v.code === 'NOT_ARMED')?.level).toBe('block');
  }, 60_000);
});
