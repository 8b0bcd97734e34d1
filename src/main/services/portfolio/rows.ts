// Position rows for the contract: one held spread with its legs, broker check, mark, P&L and exit, from exact micros to display dollars.
import type { AccountFigures, ExitRulesParsed, ExitView, OrphanLeg, PositionSpread } from '../../../core/contract';
import type { AccountValueEvent, PositionEvent } from '../../../core/broker/events';
import type { TradeRecord } from '../../../core/journal';
import { nyParts } from '../../../core/market/timezone';
import type { ExitPosition, ExitQuote, ExitState } from '../../../core/portfolio/exits';
import { closeValue, markSpread, type LegMark, type SpreadMark } from '../../../core/portfolio/marks';
import type { BrokerLeg, OpenSpreadLegs, SpreadHolding } from '../../../core/portfolio/positions';
import type { Quote } from '../broker/types';
import type { OpenSpreadTerms } from '../journal/portfolio-reads';

export interface BrokerPosition extends BrokerLeg {
  event: PositionEvent;
}

export interface BuiltRow {
  row: PositionSpread;
  mark: SpreadMark;
  long: LegMark | null;
  short: LegMark | null;
}

const D = (u: number) => u / 1e6;
/** Cash per share (credit +, debit −) as a labelled price. */
const net = (cashU: number) => ({ amount: Math.abs(D(cashU)), kind: cashU >= 0 ? ('credit' as const) : ('debit' as const) });

function legMark(q: Quote | null): LegMark | null {
  if (!q) return null;
  return { bid: q.bid, ask: q.ask, at: q.updatedAt, underlying: q.model?.undPrice ?? q.bidGreeks?.undPrice ?? null };
}

export interface RowInput {
  terms: OpenSpreadTerms;
  legs: OpenSpreadLegs;
  trade: TradeRecord;
  holding: SpreadHolding | null;
  brokerKnown: boolean;
  long: Quote | null;
  short: Quote | null;
  now: number;
  staleMs: number;
  exit: { rules: ExitRulesParsed; state: ExitState; firedAt: number | null; message: string | null; blocked: string | null; orderId: number | null } | null;
}

export function buildRow(x: RowInput): BuiltRow {
  const { terms: t, trade } = x;
  const long = legMark(x.long);
  const short = legMark(x.short);
  const mark = markSpread(
    { kind: t.kind, expiry: t.expiry, longStrikeU: t.longStrikeU, shortStrikeU: t.shortStrikeU, multiplier: t.multiplier, entryCashU: trade.entryCashU, quantity: trade.quantity, openQuantity: trade.openQuantity, netPnlU: trade.netPnlU, openedAt: trade.openedAt },
    long,
    short,
    x.now,
  );
  const stale = mark.closeMidU === null || [long?.at, short?.at].some((a) => a === null || a === undefined || x.now - a > x.staleMs);
  const exit: ExitView | null = x.exit
    ? {
        rules: x.exit.rules,
        state: x.exit.state.fired ? 'fired' : x.exit.blocked ? 'blocked' : 'holding',
        message: x.exit.state.fired ? x.exit.message : x.exit.blocked,
        firedAt: x.exit.firedAt,
        orderId: x.exit.orderId,
      }
    : null;
  const h = x.holding;
  const row: PositionSpread = {
    spreadId: t.spreadId,
    account: t.account,
    symbol: t.underlying,
    kind: t.kind,
    expiry: t.expiry,
    right: t.right,
    longStrike: D(t.longStrikeU),
    shortStrike: D(t.shortStrikeU),
    multiplier: t.multiplier,
    quantity: trade.openQuantity,
    openedQuantity: trade.quantity,
    status: t.status,
    broker: !x.brokerKnown ? 'unknown' : h?.matched ? 'matched' : 'mismatch',
    legs: [
      { role: 'long', conId: t.longConId, strike: D(t.longStrikeU), right: t.right, journalQty: D(x.legs.longOpenU), brokerQty: x.brokerKnown && h ? D(h.long.brokerU) : null, bid: long?.bid ?? null, ask: long?.ask ?? null },
      { role: 'short', conId: t.shortConId, strike: D(t.shortStrikeU), right: t.right, journalQty: -D(x.legs.shortOpenU), brokerQty: x.brokerKnown && h ? D(h.short.brokerU) : null, bid: short?.bid ?? null, ask: short?.ask ?? null },
    ],
    entry: net(mark.entryPerShareU),
    closeMid: mark.closeMidU === null ? null : net(mark.closeMidU),
    closeNatural: mark.closeNaturalU === null ? null : net(mark.closeNaturalU),
    unrealised: mark.unrealisedU === null ? null : D(mark.unrealisedU),
    pctOfMaxProfit: mark.pctOfMaxProfit,
    realised: D(mark.realisedU),
    total: mark.unrealisedU === null ? null : D(mark.unrealisedU + mark.realisedU),
    maxProfit: D(mark.maxProfitU),
    maxLoss: D(mark.maxLossU),
    breakeven: mark.breakeven,
    dte: mark.dte,
    daysHeld: mark.daysHeld,
    underlying: mark.underlying,
    shortStrikeDistance: mark.shortStrikeDistance,
    breakevenDistance: mark.breakevenDistance,
    quoteAt: mark.quoteAt,
    stale,
    exit,
  };
  return { row, mark, long, short };
}

/** The spread per contract unit for the exit rules (dollars, × multiplier): entry cash and its max profit/loss. */
export function exitPosition(r: BuiltRow, now: number): ExitPosition {
  const per = r.row.quantity > 0 ? r.row.quantity : 1;
  const p = nyParts(now);
  return {
    entry: (r.mark.entryPerShareU * r.row.multiplier) / 1e6,
    maxProfit: r.mark.maxProfitU / 1e6 / per,
    maxLoss: r.mark.maxLossU / 1e6 / per,
    dte: r.mark.dte ?? Number.POSITIVE_INFINITY,
    nyMinute: p.hour * 60 + p.minute,
  };
}

/** What closing one spread would bring now, per contract unit: bid = the natural price, ask = the far side. */
export function exitQuote(r: BuiltRow): ExitQuote | null {
  const c = closeValue(r.long, r.short);
  if (!c || r.mark.quoteAt === null) return null;
  // The older leg's tick dates the pair: a fresh long and a stale short is a stale spread.
  const at = Math.min(r.long?.at ?? 0, r.short?.at ?? 0);
  return { bid: (c.naturalU * r.row.multiplier) / 1e6, ask: (c.farU * r.row.multiplier) / 1e6, at };
}

export function orphanOf(o: BrokerLeg, src: BrokerPosition | undefined): OrphanLeg {
  const c = src?.event.contract;
  const right = c?.right === 'C' || c?.right === 'CALL' ? 'C' : c?.right === 'P' || c?.right === 'PUT' ? 'P' : null;
  return {
    account: o.account,
    conId: o.conId,
    symbol: o.symbol,
    secType: c?.secType ?? 'OPT',
    expiry: c?.lastTradeDateOrContractMonth || null,
    strike: c?.strike ?? null,
    right,
    quantity: D(o.qtyU),
    avgCost: src?.event.avgCost ?? null,
  };
}

const TAGS: Record<string, keyof Omit<AccountFigures, 'account' | 'at'>> = {
  NetLiquidation: 'netLiquidation',
  BuyingPower: 'buyingPower',
  ExcessLiquidity: 'excessLiquidity',
  AvailableFunds: 'availableFunds',
};

/** The account's figures from its summary values (the first account, or the one named). */
export function accountFigures(values: readonly AccountValueEvent[], accountId: string | null, at: number): AccountFigures | null {
  const id = accountId ?? values.find((v) => v.account !== 'All')?.account ?? null;
  if (!id) return null;
  const out: AccountFigures = { account: id, netLiquidation: null, buyingPower: null, excessLiquidity: null, availableFunds: null, at };
  for (const v of values) {
    const field = TAGS[v.key];
    const n = Number(v.value);
    if (v.account === id && field && v.value.trim() !== '' && Number.isFinite(n)) out[field] = n;
  }
  return out;
}
