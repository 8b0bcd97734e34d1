import { describe, expect, it } from 'vitest';
import type { PositionsSnapshot, PositionSpread } from '../../../core/contract';
import { exitLabel, legLabel, netLabel } from './format';
import { addPoint, gridRows } from './positions-store';

const spread = (spreadId: number): PositionSpread => ({
  spreadId, account: 'DU1', symbol: 'SPY', kind: 'bull-put', expiry: '20261218', right: 'P', longStrike: 495, shortStrike: 500, multiplier: 100, quantity: 1, openedQuantity: 1,
  status: 'open', broker: 'matched',
  legs: [
    { role: 'long', conId: 1, strike: 495, right: 'P', journalQty: 1, brokerQty: 1, bid: 0.9, ask: 1 },
    { role: 'short', conId: 2, strike: 500, right: 'P', journalQty: -1, brokerQty: -1, bid: 1.7, ask: 1.8 },
  ],
  entry: { amount: 1.2, kind: 'credit' }, closeMid: { amount: 0.8, kind: 'debit' }, closeNatural: { amount: 0.9, kind: 'debit' }, unrealised: 40, pctOfMaxProfit: 1 / 3, realised: -1.3, total: 38.7,
  maxProfit: 120, maxLoss: 380, breakeven: 498.8, dte: 11, daysHeld: 3, underlying: 505, shortStrikeDistance: 0.0099, breakevenDistance: 0.012, quoteAt: 1, stale: false, exit: null,
});
const snap: PositionsSnapshot = { at: 1, brokerAt: 1, spreads: [spread(1), spread(2)], orphans: [{ account: 'DU1', conId: 9, symbol: 'SPY', secType: 'OPT', expiry: '20261218', strike: 510, right: 'C', quantity: -2, avgCost: 150 }] };

describe('positions grid rows and labels', () => {
  it('spreads first, legs under an expanded spread, orphan legs last', () => {
    expect(gridRows(snap, new Set()).map((r) => r.id)).toEqual(['s1', 's2', 'oDU1-9']);
    expect(gridRows(snap, new Set([2])).map((r) => r.id)).toEqual(['s1', 's2', 's2-long', 's2-short', 'oDU1-9']);
    expect(gridRows(null, new Set())).toEqual([]);
  });

  it('labels legs, orphans, prices and exits for the trader', () => {
    const rows = gridRows(snap, new Set([1]));
    expect(rows.map(legLabel)).toEqual(['', '+1 495 P', '\u22121 500 P', '', '\u22122 510 C']);
    expect(netLabel({ amount: 1.2, kind: 'credit' })).toBe('1.20 cr');
    expect(netLabel(null)).toBe('—');
    expect(exitLabel(null)).toBe('—');
    expect(exitLabel({ rules: { profitTargetPct: 50, stopCreditMultiple: 2, dteDays: 21, auto: true }, state: 'holding', message: null, firedAt: null, orderId: null })).toBe('tgt 50% · stop 2×cr · 21 DTE (auto)');
    expect(exitLabel({ rules: { dteDays: 21, auto: true }, state: 'fired', message: 'x', firedAt: 1, orderId: 12 })).toBe('FIRED 21 DTE (auto) → #12');
    expect(exitLabel({ rules: { profitTargetPct: 50, auto: false }, state: 'blocked', message: 'The quote is 20 s old.', firedAt: null, orderId: null })).toBe('tgt 50% — paused: The quote is 20 s old.');
  });

  it('the intraday line keeps one point per second, the newest', () => {
    let pts = addPoint([], { t: 1000, total: 1 });
    pts = addPoint(pts, { t: 1500, total: 2 });
    pts = addPoint(pts, { t: 2100, total: 3 });
    expect(pts).toEqual([{ t: 1500, total: 2 }, { t: 2100, total: 3 }]);
  });
});
