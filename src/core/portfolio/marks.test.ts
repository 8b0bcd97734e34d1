import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SpreadKind } from '../contract/scanner';
import { breakevenOf, closeValue, markSpread, totalPnl, type HeldSpread, type LegMark } from './marks';

const M = 1_000_000;
const NOW = Date.UTC(2026, 11, 7, 15, 0); // Mon 7 Dec 2026, 10:00 New York
const leg = (bid: number, ask: number, underlying: number | null = 500): LegMark => ({ bid, ask, at: NOW - 1000, underlying });
const held = (kind: SpreadKind, longStrike: number, shortStrike: number, entryPerShare: number, qty = 1, open = qty, netPnl = 0): HeldSpread => ({
  kind, expiry: '20261218', longStrikeU: longStrike * M, shortStrikeU: shortStrike * M, multiplier: 100,
  entryCashU: Math.round(entryPerShare * M) * 100 * qty, quantity: qty, openQuantity: open, netPnlU: netPnl * M, openedAt: NOW - 3 * 86_400_000,
});

describe('marks of a held spread', () => {
  it('a bull put credit: close value at mid, unrealised, risk left, breakeven and distances', () => {
    // Sold the 500/495 put spread for 1.20 credit; now long 495P 0.90/1.00, short 500P 1.70/1.80.
    const m = markSpread(held('bull-put', 495, 500, 1.2), leg(0.9, 1.0, 505), leg(1.7, 1.8, 505), NOW);
    expect(m.closeMidU).toBe(Math.round(-0.8 * M)); // 0.95 − 1.75: closing costs a 0.80 debit
    expect(m.closeNaturalU).toBe(Math.round(-0.9 * M)); // 0.90 − 1.80
    expect(m.unrealisedU).toBe(40 * M); // (1.20 − 0.80) × 100
    expect(m.maxProfitU).toBe(120 * M);
    expect(m.maxLossU).toBe(380 * M);
    expect(m.pctOfMaxProfit).toBeCloseTo(1 / 3, 12);
    expect(m.breakeven).toBe(498.8);
    expect(m.dte).toBe(11);
    expect(m.daysHeld).toBe(3);
    expect(m.shortStrikeDistance).toBeCloseTo(5 / 505, 12);
    expect(m.breakevenDistance).toBeCloseTo(6.2 / 505, 12);
  });

  it('a bull call debit held 3 lots, one closed: only the open units are marked; realised comes from the journal', () => {
    const m = markSpread(held('bull-call', 500, 505, -2.0, 3, 2, 55.5), leg(4.0, 4.2), leg(1.5, 1.6), NOW);
    expect(m.entryPerShareU).toBe(-2 * M);
    expect(m.closeMidU).toBe(Math.round(2.55 * M)); // 4.10 − 1.55
    expect(m.unrealisedU).toBe(Math.round(2 * 100 * 0.55 * M));
    expect(m.realisedU).toBe(55.5 * M);
    expect(m.maxProfitU).toBe(2 * 100 * 3 * M);
    expect(m.maxLossU).toBe(2 * 100 * 2 * M);
    expect(m.breakeven).toBe(502);
  });

  it('no two-sided quote: no mark, no unrealised, and the total says how many are unmarked', () => {
    const m = markSpread(held('bear-call', 510, 505, 1.0), { bid: null, ask: 0.5, at: null, underlying: null }, leg(1, 1.1), NOW);
    expect(m.closeMidU).toBeNull();
    expect(m.unrealisedU).toBeNull();
    expect(m.pctOfMaxProfit).toBeNull();
    expect(m.shortStrikeDistance).not.toBeNull();
    expect(totalPnl([m, { unrealisedU: 5 * M, realisedU: -M }])).toEqual({ unrealisedU: 5 * M, realisedU: -M, unmarked: 1 });
  });

  const kinds: SpreadKind[] = ['bull-call', 'bear-put', 'bull-put', 'bear-call'];
  const strikesOf = (kind: SpreadKind, lo: number, w: number) => (kind === 'bull-call' || kind === 'bull-put' ? { long: lo, short: lo + w } : { long: lo + w, short: lo });
  /** Intrinsic value per share of the spread as held at expiry, micros. */
  const intrinsicU = (kind: SpreadKind, longK: number, shortK: number, s: number) => {
    const call = kind === 'bull-call' || kind === 'bear-call';
    const v = (k: number) => Math.max(0, call ? s - k : k - s);
    return Math.round((v(longK) - v(shortK)) * M);
  };

  it('property: at expiry the P&L of the open units lies in [−max loss, max profit] and is 0 at the breakeven', () => {
    fc.assert(
      fc.property(fc.constantFrom(...kinds), fc.integer({ min: 50, max: 600 }), fc.integer({ min: 1, max: 10 }), fc.integer({ min: 1, max: 99 }), fc.integer({ min: 1, max: 5 }), fc.double({ min: 0, max: 1000, noNaN: true }), (kind, lo, w, entryPct, qty, s) => {
        const { long, short } = strikesOf(kind, lo, w);
        const credit = kind === 'bull-put' || kind === 'bear-call';
        const entry = ((credit ? 1 : -1) * Math.round(w * entryPct)) / 100; // cents, strictly inside the width
        const h = held(kind, long, short, entry, qty);
        const v = intrinsicU(kind, long, short, s) / M;
        const at = (x: number) => ({ bid: Math.max(0, x), ask: Math.max(0, x), at: NOW, underlying: s });
        // A zero-width quote at the intrinsic value: the long leg carries the value, the short leg zero (or the reverse).
        const m = markSpread(h, v >= 0 ? at(v) : at(0), v >= 0 ? at(0) : at(-v), NOW);
        expect(m.unrealisedU).not.toBeNull();
        expect(m.unrealisedU!).toBeLessThanOrEqual(m.maxProfitU);
        expect(m.unrealisedU!).toBeGreaterThanOrEqual(-m.maxLossU);
        expect(m.maxProfitU + m.maxLossU).toBe(w * M * 100 * qty);
        expect(intrinsicU(kind, long, short, m.breakeven) + m.entryPerShareU).toBe(0);
      }),
    );
  });

  it('property: unrealised at mid + the close at mid = entry + exit cash (what closing there would realise, before fees)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...kinds), fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 0, max: 50 }), fc.integer({ min: 1, max: 9 }), (kind, lb, sb, lw, sw, qty) => {
        const h = held(kind, 100, 105, kind === 'bull-put' || kind === 'bear-call' ? 1.1 : -2.3, qty);
        const L = leg(lb / 100, (lb + lw) / 100), S = leg(sb / 100, (sb + sw) / 100);
        const m = markSpread(h, L, S, NOW);
        const c = closeValue(L, S)!;
        expect(m.unrealisedU).toBe(h.entryCashU + c.midU * 100 * qty);
        expect(c.naturalU).toBeLessThanOrEqual(c.midU);
        expect(c.midU).toBeLessThanOrEqual(c.farU);
      }),
    );
  });

  it('breakevens per kind', () => {
    expect(breakevenOf('bull-call', 100 * M, 105 * M, -2 * M)).toBe(102);
    expect(breakevenOf('bear-put', 105 * M, 100 * M, -2 * M)).toBe(103);
    expect(breakevenOf('bull-put', 100 * M, 105 * M, 1.5 * M)).toBe(103.5);
    expect(breakevenOf('bear-call', 105 * M, 100 * M, 1.5 * M)).toBe(101.5);
  });
});
