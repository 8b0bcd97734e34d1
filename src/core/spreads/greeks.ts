// Net greeks of a vertical: per spread (per share, as quoted) and per position (× multiplier × quantity).
//
// Units per spread: delta per $1 of underlying, gamma per $1, theta $/calendar day, vega $/vol point, rho $/1%,
// all per share. Per position the same quantities are multiplied by multiplier × quantity, so delta becomes
// share-equivalents and theta/vega/rho are dollars for the whole position.
import { type ExerciseStyle, exerciseStyle } from '../market';
import { type Greeks, optionGreeks } from '../options';
import { toDollars } from './money';
import type { VerticalSpread } from './vertical';

/** Greeks without the price. */
export interface NetGreeks {
  readonly delta: number;
  readonly gamma: number;
  readonly theta: number;
  readonly vega: number;
  readonly rho: number;
}

/** Market inputs to value a spread's legs: S $, T years, r/q annual decimals, per-leg implied vols (annual). */
export interface SpreadMarket {
  readonly S: number;
  readonly T: number;
  readonly r: number;
  readonly q: number;
  readonly ivLong: number;
  readonly ivShort: number;
  /** Exercise style; default from the option class (European for cash-settled index classes). */
  readonly style?: ExerciseStyle;
}

/** The exercise style used to value a spread's legs. */
export function styleOf(spread: VerticalSpread, market: SpreadMarket): ExerciseStyle {
  return market.style ?? exerciseStyle(spread.tradingClass ?? spread.underlying);
}

/** Long minus short, per share. */
export function netOfLegs(longLeg: Greeks, shortLeg: Greeks): NetGreeks {
  return {
    delta: longLeg.delta - shortLeg.delta,
    gamma: longLeg.gamma - shortLeg.gamma,
    theta: longLeg.theta - shortLeg.theta,
    vega: longLeg.vega - shortLeg.vega,
    rho: longLeg.rho - shortLeg.rho,
  };
}

/** Scales per-share greeks by a factor (multiplier × quantity for a position). */
export function scaleGreeks(g: NetGreeks, factor: number): NetGreeks {
  return { delta: g.delta * factor, gamma: g.gamma * factor, theta: g.theta * factor, vega: g.vega * factor, rho: g.rho * factor };
}

/** Sum of greeks (e.g. several spreads on one underlying). */
export function sumGreeks(list: Iterable<NetGreeks>): NetGreeks {
  let delta = 0, gamma = 0, theta = 0, vega = 0, rho = 0;
  for (const g of list) {
    delta += g.delta; gamma += g.gamma; theta += g.theta; vega += g.vega; rho += g.rho;
  }
  return { delta, gamma, theta, vega, rho };
}

/** Net greeks and model value of a vertical from market inputs. */
export interface SpreadGreeks {
  /** Model value of the held spread per share (long − short, $; negative for credit spreads). */
  readonly value: number;
  readonly perSpread: NetGreeks;
  readonly perPosition: NetGreeks;
}

/** Computes leg greeks (BSM or American by style) and nets them, per spread and per position. */
export function spreadGreeks(spread: VerticalSpread, market: SpreadMarket): SpreadGreeks {
  const style = styleOf(spread, market);
  const { S, T, r, q } = market;
  const long = optionGreeks(style, spread.right, S, toDollars(spread.longLeg.strike), T, r, q, market.ivLong);
  const short = optionGreeks(style, spread.right, S, toDollars(spread.shortLeg.strike), T, r, q, market.ivShort);
  const perSpread = netOfLegs(long, short);
  return { value: long.price - short.price, perSpread, perPosition: scaleGreeks(perSpread, spread.multiplier * spread.quantity) };
}
