// Integration: the sim.* practice controls through the app's dispatcher against the embedded paper exchange.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimStatus } from '../../src/core/contract';
import { createServices, type Services } from '../../src/main/services/app';
import { silentLogger } from '../../src/main/services/logging';

const ctx = { transport: 'direct' } as const;
const HOUR = 3_600_000;

describe('simulation controls (Local paper profile)', () => {
  let services: Services;
  const call = async (method: 'sim.status' | 'sim.pause' | 'sim.resume', args = {}) => {
    const res = await services.dispatcher.dispatch(method, args, ctx);
    if (!res.ok) throw new Error(res.error.message);
    return res.value as SimStatus;
  };

  beforeAll(async () => {
    services = await createServices({ mode: 'headless', dataDir: mkdtempSync(join(tmpdir(), 'sd-sim-')), version: '0.0.0-test', logger: silentLogger(), strictContract: true });
  });
  afterAll(async () => {
    await services?.close();
  });

  it('is inactive before the embedded exchange runs, and a control says what to do', async () => {
    const st = await call('sim.status');
    expect(st).toMatchObject({ active: false, now: null, simulatedTime: false });
    const res = await services.dispatcher.dispatch('sim.setSpeed', { speed: 60 }, ctx);
    expect(res).toMatchObject({ ok: false, error: { code: 'UNAVAILABLE' } });
    expect(!res.ok && res.error.message).toMatch(/Local paper profile/);
  });

  it('after connecting: simulated time, pause freezes it, speed and jumps move it forward only', async () => {
    expect((await services.dispatcher.dispatch('connection.connect', {}, ctx)).ok).toBe(true);
    const st = await call('sim.status');
    expect(st).toMatchObject({ active: true, mode: 'open', simulatedTime: true, paused: false, seed: 42 });
    const paused = await call('sim.pause');
    expect(paused.paused).toBe(true);
    await new Promise((r) => setTimeout(r, 50));
    expect((await call('sim.status')).now).toBe(paused.now);

    const sped = await services.dispatcher.dispatch('sim.setSpeed', { speed: 60 }, ctx);
    expect(sped).toMatchObject({ ok: true, value: { speed: 60, paused: true } });

    const target = (paused.now ?? 0) + 2 * HOUR;
    const jumped = await services.dispatcher.dispatch('sim.jump', { to: target }, ctx);
    expect(jumped.ok).toBe(true);
    expect((jumped as { value: SimStatus }).value.now).toBeGreaterThanOrEqual(target);

    const back = await services.dispatcher.dispatch('sim.jump', { to: paused.now ?? 0 }, ctx);
    expect(back).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: 'Simulated time only runs forward.' } });
    const neither = await services.dispatcher.dispatch('sim.jump', {}, ctx);
    expect(neither).toMatchObject({ ok: false, error: { code: 'VALIDATION' } });
  });

  it('concurrent jumps are applied one at a time, in the order they were called', async () => {
    const results = await Promise.all(Array.from({ length: 5 }, () => services.dispatcher.dispatch('sim.jump', { by: HOUR / 2 }, ctx)));
    const nows = results.map((r) => (r.ok ? (r.value as SimStatus).now ?? 0 : Number.NaN));
    for (let i = 1; i < nows.length; i++) expect(nows[i]).toBeGreaterThan(nows[i - 1] ?? 0);
  });

  it('scenarios show in the status; an unknown symbol is refused with a sentence; reset clears them', async () => {
    const shocked = await services.dispatcher.dispatch('sim.scenario', { scenario: { kind: 'volShock', points: 5 } }, ctx);
    expect(shocked).toMatchObject({ ok: true, value: { scenario: { volShift: 0.05 } } });
    await services.dispatcher.dispatch('sim.scenario', { scenario: { kind: 'halt', symbol: 'spy', halted: true } }, ctx);
    await services.dispatcher.dispatch('sim.scenario', { scenario: { kind: 'gap', symbol: 'QQQ', pct: -3 } }, ctx);
    const st = await call('sim.status');
    expect(st.scenario?.halted).toEqual(['SPY']);
    expect(st.scenario?.gaps).toEqual([expect.objectContaining({ symbol: 'QQQ', pct: -3 })]);
    const bad = await services.dispatcher.dispatch('sim.scenario', { scenario: { kind: 'gap', symbol: 'NOPE', pct: 1 } }, ctx);
    expect(bad).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: 'NOPE is not an underlying of the simulated market.' } });
    const reset = await services.dispatcher.dispatch('sim.scenario', { scenario: { kind: 'reset' } }, ctx);
    expect(reset).toMatchObject({ ok: true, value: { scenario: { volShift: 0, widen: 1, halted: [] } } });
    expect((await call('sim.resume')).paused).toBe(false);
  });
});
