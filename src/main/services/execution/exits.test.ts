// The profit target's closing price: on a combo tick, never worse than the target asked.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isOnTick, TICKS_COMBO, toDollars } from '../../../core/spreads';
import { targetClosePrice } from './exits';

describe('targetClosePrice', () => {
  it('credit 1.20, 50 %: buy back for at most 0.60 debit; debit 2.00 on a 5 wide, 50 %: sell for at least 3.50 credit', () => {
    expect(targetClosePrice(1.2, 5, 0.5)).toEqual({ amount: 600_000, kind: 'debit' });
    expect(targetClosePrice(-2, 5, 0.5)).toEqual({ amount: 3_500_000, kind: 'credit' });
  });

  it('property: on a tick, and the P&L it books is at least the target', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 499 }), fc.boolean(), fc.double({ min: 0.01, max: 1, noNaN: true }), (cents, isCredit, p) => {
        const width = 5;
        const entryCash = isCredit ? cents / 100 : -cents / 100;
        const close = targetClosePrice(entryCash, width, p);
        expect(isOnTick(close.amount, TICKS_COMBO)).toBe(true);
        const closeCash = close.kind === 'credit' ? toDollars(close.amount) : -toDollars(close.amount);
        const maxProfit = isCredit ? entryCash : width + entryCash;
        expect(entryCash + closeCash).toBeGreaterThanOrEqual(p * maxProfit - 1e-9);
      }),
    );
  });
});
