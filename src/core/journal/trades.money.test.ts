// Money defects in trade building: over-close, partial close, the BAG line's commission.
import { describe, expect, it } from 'vitest';
import { type SpreadFillRow, type SpreadRow, buildTrade } from './trades';

const M = 1_000_000;
const spread: SpreadRow = {
  id: 1, underlying: 'SPY', kind: 'bull-call', right: 'C', expiry: '20250321', longStrikeU: 500 * M, shortStrikeU: 505 * M, multiplier: 100,
  createdAt: Date.UTC(2025, 2, 3, 14, 59), openTicket: null, note: '', tags: [],
};
const at = Date.UTC(2025, 2, 3, 15);
const fill = (role: 'open' | 'close', leg: SpreadFillRow['leg'], side: 'BOT' | 'SLD', price: number, units: number, commission = 0): SpreadFillRow => ({
  spreadId: 1, execId: `${role}${leg}${price}`, role, leg, side, sharesU: units * M, priceU: Math.round(price * M), multiplier: 100, at, commissionU: Math.round(commission * M),
});

describe('trade money', () => {
  it('books only the closed units of an over-close: closing 3 of 1 opened realises the one unit', () => {
    // Open 1 at 1.50 debit; the close sells 3 at 2.50 credit (2 more than were open).
    const t = buildTrade(spread, [
      fill('open', 'long', 'BOT', 3.2, 1), fill('open', 'short', 'SLD', 1.7, 1),
      fill('close', 'long', 'SLD', 4.0, 3), fill('close', 'short', 'BOT', 1.5, 3),
    ]);
    expect(t.status).toBe('closed');
    expect(t.exitCashU).toBe(250 * M);
    expect(t.grossPnlU).toBe(100 * M); // −150 + 250, not −150 + 750 − …
    expect(t.openQuantity).toBe(0);
  });

  it('counts closed units for a partial close (exit price per closed unit)', () => {
    const t = buildTrade(spread, [
      fill('open', 'long', 'BOT', 3.2, 2), fill('open', 'short', 'SLD', 1.7, 2),
      fill('close', 'long', 'SLD', 4.0, 1), fill('close', 'short', 'BOT', 2.0, 1),
    ]);
    expect(t).toMatchObject({ status: 'open', quantity: 2, openQuantity: 1, closedQuantity: 1 });
    expect(t.exitCashU / t.closedQuantity / t.multiplier / M).toBe(2); // 2.00 credit, not 1.00
  });

  it('does not add the BAG line commission to the legs of its order that already carry it', () => {
    const t = buildTrade(spread, [
      fill('open', 'long', 'BOT', 3.2, 1, 0.65), fill('open', 'short', 'SLD', 1.7, 1, 0.65), fill('open', 'bag', 'BOT', 1.5, 1, 1.3),
    ]);
    expect(t.commissionsU).toBe(1.3 * M);
    // When only the BAG line has a commission, it is the fee.
    const bagOnly = buildTrade(spread, [fill('open', 'long', 'BOT', 3.2, 1), fill('open', 'short', 'SLD', 1.7, 1), fill('open', 'bag', 'BOT', 1.5, 1, 1.3)]);
    expect(bagOnly.commissionsU).toBe(1.3 * M);
  });

  it('keeps a leg closed alone as broken, not closed', () => {
    const t = buildTrade(spread, [fill('open', 'long', 'BOT', 3.2, 1), fill('open', 'short', 'SLD', 1.7, 1), fill('close', 'long', 'SLD', 4.0, 1)]);
    expect(t.status).toBe('broken');
  });
});
