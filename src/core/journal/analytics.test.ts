import { describe, expect, it } from 'vitest';
import { computeAnalytics, downsampleCurve, dteBucket, filterTrades } from './analytics';
import { syntheticTrades } from '../../../tests/support/journal-synthetic';
import { type SpreadFillRow, type SpreadRow, type TradeRecord, buildTrade, comboCash } from './trades';

const M = 1_000_000;
const spread: SpreadRow = {
  id: 1,
  underlying: 'SPY',
  kind: 'bull-call',
  right: 'C',
  expiry: '20250321',
  longStrikeU: 500 * M,
  shortStrikeU: 505 * M,
  multiplier: 100,
  createdAt: Date.UTC(2025, 2, 3, 14, 59),
  openTicket: { id: 'sd-1', action: 'BUY', quantity: 2, midU: 1.45 * M, popAtEntry: 0.42, maxLossU: 150 * M, priceSteps: 2 },
  note: '',
  tags: [],
};
const fill = (role: 'open' | 'close', leg: SpreadFillRow['leg'], side: 'BOT' | 'SLD', price: number, at: number): SpreadFillRow => ({
  spreadId: 1, execId: `${role}${leg}`, role, leg, side, sharesU: 2 * M, priceU: Math.round(price * M), multiplier: 100, at, commissionU: leg === 'bag' ? 0 : 1.3 * M,
});
const opened = Date.UTC(2025, 2, 3, 15); // Monday 10:00 New York
const closed = opened + 3 * 86_400_000;

describe('trade records', () => {
  it('folds a closed vertical into exact P&L, risk, slippage and holding time', () => {
    const t = buildTrade(spread, [
      fill('open', 'long', 'BOT', 3.2, opened),
      fill('open', 'short', 'SLD', 1.7, opened),
      fill('open', 'bag', 'BOT', 1.5, opened),
      fill('close', 'long', 'SLD', 4.0, closed),
      fill('close', 'short', 'BOT', 2.0, closed),
    ]);
    expect(t.status).toBe('closed');
    expect(t.quantity).toBe(2);
    expect(t.entryCashU).toBe(-300 * M); // a 1.50 debit × 100 × 2
    expect(t.exitCashU).toBe(400 * M);
    expect(t.grossPnlU).toBe(100 * M);
    expect(t.commissionsU).toBe(5.2 * M);
    expect(t.netPnlU).toBe(94.8 * M);
    expect(t.maxRiskU).toBe(300 * M);
    expect(t.returnOnRisk).toBeCloseTo(0.316, 6);
    expect(t.slippageU).toBe(10 * M); // paid 1.50 against a 1.45 mid
    expect(t.holdingMs).toBe(3 * 86_400_000);
    expect(t.priceSteps).toBe(2);
    expect(t.dteAtEntry).toBe(18);
    expect(t.weekday).toBe(1);
  });

  it('marks open, pending and legged spreads', () => {
    expect(buildTrade(spread, []).status).toBe('pending');
    const open = buildTrade(spread, [fill('open', 'long', 'BOT', 3.2, opened), fill('open', 'short', 'SLD', 1.7, opened)]);
    expect(open.status).toBe('open');
    expect(open.netPnlU).toBe(-2.6 * M); // nothing realised yet but the commissions
    const half = buildTrade(spread, [
      fill('open', 'long', 'BOT', 3.2, opened),
      fill('open', 'short', 'SLD', 1.7, opened),
      { ...fill('close', 'long', 'SLD', 4.0, closed), sharesU: M },
      { ...fill('close', 'short', 'BOT', 2.0, closed), sharesU: M },
    ]);
    expect(half).toMatchObject({ status: 'open', openQuantity: 1, grossPnlU: 50 * M }); // one of two closed: 200 − 150
    expect(buildTrade(spread, [fill('open', 'long', 'BOT', 3.2, opened)]).status).toBe('broken');
  });

  it('derives the risk of a credit spread from width and credit when the ticket has none', () => {
    const credit: SpreadRow = { ...spread, kind: 'bull-put', right: 'P', openTicket: null };
    const t = buildTrade(credit, [fill('open', 'long', 'BOT', 1.0, opened), fill('open', 'short', 'SLD', 2.2, opened)]);
    expect(t.entryCashU).toBe(240 * M);
    expect(t.maxRiskU).toBe(5 * 100 * 2 * M - 240 * M);
  });

  it('converts the IBKR combo sign once', () => {
    expect(comboCash('BUY', 1.5 * M)).toBe(-1.5 * M);
    expect(comboCash('BUY', -0.8 * M)).toBe(0.8 * M); // buying a credit spread pays us
    expect(comboCash('SELL', 0.8 * M)).toBe(0.8 * M);
  });
});

function closedTrade(id: number, pnl: number, closedAt: number, extra: Partial<TradeRecord> = {}): TradeRecord {
  return {
    id, underlying: 'SPY', kind: 'bull-call', expiry: '20250321', multiplier: 100, status: 'closed', openedAt: closedAt - 1000, closedAt, quantity: 1, openQuantity: 0, closedQuantity: 1,
    entryCashU: 0, exitCashU: 0, grossPnlU: pnl, commissionsU: 0, netPnlU: pnl, maxRiskU: 100 * M, returnOnRisk: pnl / (100 * M), holdingMs: 1000,
    slippageU: 0, priceSteps: 0, popAtEntry: 0.55, dteAtEntry: 10, weekday: 2, note: '', tags: [], ...extra,
  };
}

describe('analytics', () => {
  it('computes win rate, expectancy, profit factor and drawdown', () => {
    const trades = [closedTrade(1, 100 * M, 1), closedTrade(2, -50 * M, 2), closedTrade(3, 30 * M, 3, { underlying: 'QQQ' }), closedTrade(4, -80 * M, 4)];
    const a = computeAnalytics([...trades].reverse());
    expect(a.overall).toMatchObject({ trades: 4, wins: 2, losses: 2, winRate: 0.5, netPnlU: 0, avgWinU: 65 * M, avgLossU: -65 * M, expectancyU: 0, profitFactor: 1, maxDrawdownU: 100 * M });
    expect(a.equityCurve.map((p) => p.equityU / M)).toEqual([100, 50, 80, 0]);
    expect(a.byUnderlying.QQQ!.trades).toBe(1);
    expect(a.byUnderlying.SPY!.maxDrawdownU).toBe(130 * M);
    expect(a.byWeekday.Tue!.trades).toBe(4);
    expect(a.byDteBucket['8-21']!.trades).toBe(4);
    expect(a.calibration[5]).toMatchObject({ trades: 4, meanPop: 0.55, realisedWinRate: 0.5 });
  });

  it('ignores open trades and has no profit factor without losses', () => {
    const a = computeAnalytics([closedTrade(1, 10, 1), { ...closedTrade(2, -5, 2), status: 'open', closedAt: null }]);
    expect(a.overall.trades).toBe(1);
    expect(a.overall.profitFactor).toBeNull();
  });

  it('buckets DTE and filters trades', () => {
    expect([0, 7, 8, 45, 46, 200, null].map(dteBucket)).toEqual(['0-7', '0-7', '8-21', '22-45', '46-90', '91+', 'unknown']);
    const trades = syntheticTrades(500, 1);
    expect(filterTrades(trades, { underlying: 'spy' }).every((t) => t.underlying === 'SPY')).toBe(true);
    expect(filterTrades(trades, { status: 'open' }).length).toBe(10);
    expect(filterTrades(trades, { tag: 'earnings' }).every((t) => t.tags.includes('earnings'))).toBe(true);
  });

  it('thins a long equity curve but keeps its extremes and its end', () => {
    const a = computeAnalytics(syntheticTrades(10_000, 3));
    const thin = downsampleCurve(a.equityCurve, 500);
    expect(thin.length).toBeLessThanOrEqual(501);
    const min = Math.min(...a.equityCurve.map((p) => p.equityU));
    expect(Math.min(...thin.map((p) => p.equityU))).toBe(min);
    expect(thin[thin.length - 1]).toEqual(a.equityCurve[a.equityCurve.length - 1]);
  });

  // Speed is measured by `npm run bench -- journal`; a busy machine must not fail a test.
  it('runs over 100,000 trades and counts every closed one', () => {
    const trades = syntheticTrades(100_000, 7);
    expect(computeAnalytics(trades).overall.trades).toBe(98_000);
  });
});
