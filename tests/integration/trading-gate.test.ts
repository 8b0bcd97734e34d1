// Integration: trading stays HALTED until the journal has been reconciled with the broker after connecting.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TradingStatus } from '../../src/core/contract';
import { createServices, type Services } from '../../src/main/services/app';
import { silentLogger } from '../../src/main/services/logging';

const ctx = { transport: 'direct' } as const;

describe('trading gate (Local paper)', () => {
  let services: Services;
  const seen: TradingStatus[] = [];

  beforeAll(async () => {
    services = await createServices({ mode: 'headless', dataDir: mkdtempSync(join(tmpdir(), 'sd-gate-')), version: '0.0.0-test', logger: silentLogger(), strictContract: true });
    services.bus.subscribe((name, payload) => {
      if (name === 'trading.status') seen.push(payload as TradingStatus);
    });
  });
  afterAll(async () => {
    await services?.close();
  });

  it('is HALTED while disconnected, with the reason', async () => {
    const res = await services.dispatcher.dispatch('trading.get', {}, ctx);
    expect(res).toMatchObject({ ok: true, value: { state: 'HALTED', code: 'NOT_CONNECTED' } });
  });

  it('passes through RECONCILING to ACTIVE after a clean reconciliation, and a journal session is recorded', async () => {
    const res = await services.dispatcher.dispatch('connection.connect', {}, ctx);
    expect(res.ok).toBe(true);
    await services.trading.settled();
    await expect.poll(() => services.trading.status().state).toBe('ACTIVE');
    expect(seen.map((s) => s.code)).toEqual(expect.arrayContaining(['RECONCILING', 'OK']));
    expect(seen.findIndex((s) => s.code === 'RECONCILING')).toBeLessThan(seen.findIndex((s) => s.code === 'OK'));
    const journal = await services.dispatcher.dispatch('journal.status', {}, ctx);
    expect(journal).toMatchObject({ ok: true, value: { available: true, lastReconciliation: { clean: true } } });
  });

  it('goes back to HALTED on disconnect', async () => {
    await services.dispatcher.dispatch('connection.disconnect', {}, ctx);
    await expect.poll(() => services.trading.status()).toMatchObject({ state: 'HALTED', code: 'NOT_CONNECTED' });
  });
});
