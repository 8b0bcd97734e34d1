// Ticket analytics: probabilities in [0, 1] and consistent, greeks signed by the spread's direction, null on missing inputs.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { credit, debit, toMicros } from '../spreads';
import { ticketAnalytics, type TicketAnalyticsInput } from './analytics';

const NOW = Date.UTC(2026, 11, 1, 15, 0);
const base: TicketAnalyticsInput = {
  kind: 'bull-put', symbol: 'SPY', expiry: '20261218', longStrike: 490, shortStrike: 495, quantity: 1, entry: credit(toMicros(1.2)),
  spot: 500, ivLong: 0.2, ivShort: 0.19, nowMs: NOW,
};

describe('ticketAnalytics', () => {
  it('a bull put below the spot: POP above one half, P(max) ≤ POP, positive delta, positive theta', () => {
    const a = ticketAnalytics(base)!;
    expect(a.pop).toBeGreaterThan(0.5);
    expect(a.pMaxProfit).toBeLessThanOrEqual(a.pop);
    expect(a.greeks.delta).toBeGreaterThan(0);
    expect(a.greeks.thetaPerDay).toBeGreaterThan(0);
    expect(a.exitOdds).toBeNull();
  });

  it('a bear put (debit) has negative delta; the exit plan odds sum to 1', () => {
    const a = ticketAnalytics({ ...base, kind: 'bear-put', longStrike: 500, shortStrike: 495, entry: debit(toMicros(2.1)), exits: { profitTarget: 0.5, stopLoss: 0.5 } })!;
    expect(a.greeks.delta).toBeLessThan(0);
    expect(a.exitOdds!.pTarget + a.exitOdds!.pStop + a.exitOdds!.pNeither).toBeCloseTo(1, 9);
  });

  it('null without a spot, an IV or time left', () => {
    expect(ticketAnalytics({ ...base, spot: null })).toBeNull();
    expect(ticketAnalytics({ ...base, ivShort: null })).toBeNull();
    expect(ticketAnalytics({ ...base, nowMs: Date.UTC(2027, 0, 1) })).toBeNull();
  });

  it('property: probabilities stay in [0, 1], P(max) ≤ POP, EV is finite, for every kind and market', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('bull-call', 'bear-put', 'bull-put', 'bear-call' as const),
        fc.double({ min: 300, max: 700, noNaN: true }),
        fc.double({ min: 0.05, max: 1.5, noNaN: true }),
        fc.integer({ min: 1, max: 499 }),
        (kind, spot, iv, cents) => {
          const bull = kind === 'bull-call' || kind === 'bull-put';
          const legs = bull ? { longStrike: 495, shortStrike: 500 } : { longStrike: 500, shortStrike: 495 };
          const isCredit = kind === 'bull-put' || kind === 'bear-call';
          const entry = isCredit ? credit(toMicros(cents / 100)) : debit(toMicros(cents / 100));
          const a = ticketAnalytics({ ...base, kind, ...legs, entry, spot, ivLong: iv, ivShort: iv });
          expect(a).not.toBeNull();
          expect(a!.pop).toBeGreaterThanOrEqual(0);
          expect(a!.pop).toBeLessThanOrEqual(1);
          expect(a!.pMaxProfit).toBeLessThanOrEqual(a!.pop + 1e-12);
          expect(Number.isFinite(a!.ev)).toBe(true);
        },
      ),
    );
  });
});
