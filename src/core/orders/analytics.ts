// A ticket's odds and greeks: POP, P(max profit), EV, net greeks and the exit plan's odds from the legs' IVs and spot.
//
// Pure glue over core/spreads (spreadOutcome, spreadGreeks, exitPlanOdds): lognormal at the legs' IVs interpolated
// at the breakeven, risk-neutral drift r − q, European marks (within cents of American for the short-dated
// verticals traded here, and instant). Time is an argument; null when an input (spot, an IV, time left) is missing.
import type { SpreadKind } from '../contract/scanner';
import { expiryInstantFor, parseIsoDate, yearsToExpiry } from '../market';
import { buildVertical, exitPlanOdds, spreadGreeks, spreadOutcome, toMicros, type NetPrice } from '../spreads';

/** Risk-free rate when none is given (TWS sends none; ±1 % barely moves a vertical). */
export const ANALYTICS_RATE = 0.04;

export interface TicketAnalyticsInput {
  kind: SpreadKind;
  symbol: string;
  /** YYYYMMDD. */
  expiry: string;
  longStrike: number;
  shortStrike: number;
  quantity: number;
  /** The opening price per share, labelled. */
  entry: NetPrice;
  spot: number | null;
  ivLong: number | null;
  ivShort: number | null;
  nowMs: number;
  rate?: number;
  /** Exit plan as fractions: target of max profit, stop of max loss. */
  exits?: { profitTarget?: number; stopLoss?: number } | null;
}

export interface TicketAnalytics {
  pop: number;
  pMaxProfit: number;
  /** Expected P&L at expiry for the position, $. */
  ev: number;
  /** Per position: delta in share-equivalents, gamma per $1, theta $ per day, vega $ per vol point. */
  greeks: { delta: number; gamma: number; thetaPerDay: number; vega: number };
  exitOdds: { pTarget: number; pStop: number; pNeither: number } | null;
  /** The volatility the probabilities used (annual). */
  sigma: number;
}

const positive = (x: number | null): x is number => x !== null && Number.isFinite(x) && x > 0;

export function ticketAnalytics(i: TicketAnalyticsInput): TicketAnalytics | null {
  const expiry = parseIsoDate(i.expiry);
  if (!positive(i.spot) || !positive(i.ivLong) || !positive(i.ivShort) || expiry === null) return null;
  const T = yearsToExpiry(i.nowMs, expiryInstantFor(i.symbol, expiry));
  if (!(T > 0)) return null;
  const built = buildVertical({ kind: i.kind, underlying: i.symbol, expiry, lowStrike: toMicros(Math.min(i.longStrike, i.shortStrike)), highStrike: toMicros(Math.max(i.longStrike, i.shortStrike)), quantity: i.quantity });
  if (!built.ok) return null;
  const s = built.value;
  const market = { S: i.spot, T, r: i.rate ?? ANALYTICS_RATE, q: 0, ivLong: i.ivLong, ivShort: i.ivShort, style: 'european' as const };
  const o = spreadOutcome(s, i.entry, market);
  const g = spreadGreeks(s, market).perPosition;
  const plan = i.exits && (i.exits.profitTarget !== undefined || i.exits.stopLoss !== undefined) ? i.exits : null;
  const odds = plan ? exitPlanOdds(s, i.entry, market, plan) : null;
  return {
    pop: o.pop, pMaxProfit: o.pMaxProfit, ev: o.evTotal, sigma: o.sigma,
    greeks: { delta: g.delta, gamma: g.gamma, thetaPerDay: g.theta, vega: g.vega },
    exitOdds: odds ? { pTarget: odds.pTarget, pStop: odds.pStop, pNeither: odds.pNeither } : null,
  };
}
