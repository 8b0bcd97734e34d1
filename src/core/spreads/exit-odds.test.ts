import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createRng } from '../options';
import { simulateSpreadExitPlan } from './analytics';
import { credit, debit } from './bag';
import { exitPlanOdds } from './exit-odds';
import { toMicros } from './money';
import { payoffBeforeExpiry } from './payoff';
import type { SpreadKind } from '../contract/scanner';
import { buildVertical, type VerticalSpread } from './vertical';
import type { IsoDate } from '../market';

function spread(kind: SpreadKind, low: number, high: number): VerticalSpread {
  const r = buildVertical({ kind, underlying: 'SPY', expiry: '2026-12-18' as IsoDate, lowStrike: toMicros(low), highStrike: toMicros(high) });
  if (!r.ok) throw new Error(r.error[0]?.message);
  return r.value;
}

const market = { S: 500, T: 30 / 365, r: 0.04, q: 0.01, ivLong: 0.2, ivShort: 0.2 };

describe('exitPlanOdds (profit target before stop)', () => {
  it('translates the target and stop into prices on the right sides of the spot, where today’s P&L equals them', () => {
    const bullPut = spread('bull-put', 480, 490);
    const entry = credit(toMicros(2));
    const odds = exitPlanOdds(bullPut, entry, market, { profitTarget: 0.5, stopLoss: 0.5 });
    expect(odds.targetUnderlying).toBeGreaterThan(market.S);
    expect(odds.stopUnderlying).toBeLessThan(market.S);
    const pnl = (s: number) => (payoffBeforeExpiry(bullPut, entry, [s], market)[0] as number) / 100;
    expect(pnl(odds.targetUnderlying as number)).toBeCloseTo(0.5 * 2, 6);
    expect(pnl(odds.stopUnderlying as number)).toBeCloseTo(-0.5 * 8, 6);
    expect(odds.pTarget + odds.pStop + odds.pNeither).toBeCloseTo(1, 12);
    // A bear call mirrors it: target below, stop above.
    const bearCall = exitPlanOdds(spread('bear-call', 510, 520), credit(toMicros(2)), market, { profitTarget: 0.5, stopLoss: 0.5 });
    expect(bearCall.targetUnderlying).toBeLessThan(market.S);
    expect(bearCall.stopUnderlying).toBeGreaterThan(market.S);
  });

  it('a nearer target or a farther stop never lowers P(target first); the parts stay a probability split', () => {
    const kinds: Array<[SpreadKind, number, number, 'credit' | 'debit']> = [
      ['bull-put', 480, 490, 'credit'], ['bear-call', 510, 520, 'credit'], ['bull-call', 495, 505, 'debit'], ['bear-put', 495, 505, 'debit'],
    ];
    fc.assert(fc.property(fc.constantFrom(...kinds), fc.double({ min: 0.2, max: 0.8, noNaN: true }), fc.double({ min: 0.2, max: 0.8, noNaN: true }), ([kind, lo, hi, side], pt, sl) => {
      const s = spread(kind, lo, hi);
      const entry = side === 'credit' ? credit(toMicros(2)) : debit(toMicros(5));
      const base = exitPlanOdds(s, entry, market, { profitTarget: pt, stopLoss: sl });
      const nearer = exitPlanOdds(s, entry, market, { profitTarget: pt * 0.8, stopLoss: sl });
      const wider = exitPlanOdds(s, entry, market, { profitTarget: pt, stopLoss: Math.min(0.95, sl * 1.2) });
      expect(nearer.pTarget).toBeGreaterThanOrEqual(base.pTarget - 1e-9);
      expect(wider.pTarget).toBeGreaterThanOrEqual(base.pTarget - 1e-9);
      for (const p of [base.pTarget, base.pStop, base.pNeither]) {
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
      }
    }));
  });

  it('without a stop nothing is stopped; without either, nothing is hit', () => {
    const s = spread('bull-call', 495, 505);
    const noStop = exitPlanOdds(s, debit(toMicros(5)), market, { profitTarget: 0.5 });
    expect(noStop.pStop).toBe(0);
    expect(noStop.stopUnderlying).toBeNull();
    const none = exitPlanOdds(s, debit(toMicros(5)), market, {});
    expect(none).toMatchObject({ pTarget: 0, pStop: 0, pNeither: 1 });
  });

  it('is close to the seeded daily-monitored Monte-Carlo of the same plan (which also lets time decay work)', () => {
    // The MC re-marks with the time left each day, so the credit spread's target comes nearer as theta accrues:
    // the barrier figure is the conservative one, within a few points.
    const s = spread('bull-put', 480, 490);
    const entry = credit(toMicros(2));
    const odds = exitPlanOdds(s, entry, market, { profitTarget: 0.5, stopLoss: 0.5 });
    const mc = simulateSpreadExitPlan(s, entry, market, { profitTarget: 0.5, stopLoss: 0.5, paths: 20_000, stepsPerYear: 252 * 8 }, createRng(11));
    expect(odds.pTarget).toBeLessThanOrEqual(mc.pTarget + 0.02);
    expect(Math.abs(odds.pTarget - mc.pTarget)).toBeLessThan(0.2);
    expect(Math.abs(odds.pStop - mc.pStop)).toBeLessThan(0.1);
  });
});
