// The odds that an attached exit plan's profit target is reached before its stop, from a two-sided barrier.
//
// Assumptions (named here and in the Ticket's tooltip): the underlying follows GBM at one volatility (the leg IVs
// interpolated at the spot) and drift r − q, monitored continuously; the spread is marked today (T+0) with each
// leg at its own IV, held constant (sticky strike); and the target and stop are translated once into underlying
// prices at today's mark. Time decay moves those prices as expiry nears (toward the spot for a credit spread's
// target), so for credit spreads the figure is conservative; what is left at expiry is P(neither).
import { firstExitProbabilities } from '../options';
import { type NetPrice, cashOf } from './bag';
import { interpolatedVol } from './analytics';
import { type SpreadMarket } from './greeks';
import { toDollars } from './money';
import { payoffBeforeExpiry } from './payoff';
import type { VerticalSpread } from './vertical';

/** The exit plan: target as a fraction of max profit (0.5 = half), stop as a fraction of max loss. */
export interface ExitTargets {
  readonly profitTarget?: number;
  readonly stopLoss?: number;
}

/** Probabilities (sum 1) and the underlying prices the target and stop were translated to (null = none). */
export interface ExitOdds {
  readonly pTarget: number;
  readonly pStop: number;
  readonly pNeither: number;
  readonly targetUnderlying: number | null;
  readonly stopUnderlying: number | null;
  /** Volatility (annual) of the price path used. */
  readonly sigma: number;
}

/** P&L per share today (T+0) at underlying price s. */
function pnlToday(spread: VerticalSpread, entry: NetPrice, market: SpreadMarket, s: number): number {
  return (payoffBeforeExpiry(spread, entry, [s], { ...market })[0] as number) / (spread.multiplier * spread.quantity);
}

/**
 * The underlying price where today's P&L reaches `level`, searching from the spot toward `above` (up) or down;
 * the spot itself when it is already reached (a gain at or above a target, a loss at or below a stop), null when no price within ×50 / ÷50 of the spot reaches it.
 */
function levelPrice(spread: VerticalSpread, entry: NetPrice, market: SpreadMarket, level: number, above: boolean, gain: boolean): number | null {
  const h = (s: number) => pnlToday(spread, entry, market, s) - level;
  const h0 = h(market.S);
  if (gain ? h0 >= 0 : h0 <= 0) return market.S;
  let near = market.S;
  let far = above ? market.S * 50 : market.S / 50;
  // Today's P&L of a vertical is monotone in the price, so one sign change at most lies between spot and far.
  if (Math.sign(h(far)) === Math.sign(h0)) return null;
  for (let i = 0; i < 60; i++) {
    const mid = 0.5 * (near + far);
    if (Math.sign(h(mid)) === Math.sign(h0)) near = mid;
    else far = mid;
  }
  return 0.5 * (near + far);
}

/** P(profit target before stop) for a vertical opened at `entry` under the assumptions of the module header. */
export function exitPlanOdds(spread: VerticalSpread, entry: NetPrice, market: SpreadMarket, plan: ExitTargets, drift?: number): ExitOdds {
  const width = toDollars(spread.width);
  const cash = toDollars(cashOf(entry));
  const c0 = spread.isCredit ? cash - width : cash;
  const maxProfit = c0 + width;
  const maxLoss = -c0;
  const sigma = interpolatedVol(spread, market, market.S);
  const mu = drift ?? market.r - market.q;
  // Bull spreads gain as the price rises: target above, stop below; bear spreads the reverse.
  const targetUnderlying = plan.profitTarget === undefined || !(maxProfit > 0) ? null : levelPrice(spread, entry, market, plan.profitTarget * maxProfit, spread.bullish, true);
  const stopUnderlying = plan.stopLoss === undefined || !(maxLoss > 0) ? null : levelPrice(spread, entry, market, -plan.stopLoss * maxLoss, !spread.bullish, false);
  const upper = spread.bullish ? targetUnderlying : stopUnderlying;
  const lower = spread.bullish ? stopUnderlying : targetUnderlying;
  const r = firstExitProbabilities(market.S, lower ?? 0, upper ?? Infinity, market.T, sigma, mu);
  const pTarget = spread.bullish ? r.pUp : r.pDown;
  const pStop = spread.bullish ? r.pDown : r.pUp;
  return {
    pTarget: targetUnderlying === null ? 0 : pTarget,
    pStop: stopUnderlying === null ? 0 : pStop,
    pNeither: 1 - (targetUnderlying === null ? 0 : pTarget) - (stopUnderlying === null ? 0 : pStop),
    targetUnderlying,
    stopUnderlying,
    sigma,
  };
}
