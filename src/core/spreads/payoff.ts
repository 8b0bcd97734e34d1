// Payoff curves of a vertical: exact P&L at expiry, and the model P&L curve at any date before expiry.
//
// P&L is per POSITION (× multiplier × quantity) from the entry price. At expiry it is exact (micros); the
// curves for charts are floats in $. Before expiry each leg is valued at its own implied volatility (per-leg IV,
// held constant: sticky strike) with the pricer of its exercise style.
import { optionPrice } from '../options';
import { type NetPrice, cashOf } from './bag';
import { type SpreadMarket, styleOf } from './greeks';
import { type Micros, mulMicros, toDollars } from './money';
import type { VerticalSpread } from './vertical';

/** Value of the held spread per share at expiry for an underlying price (exact): long intrinsic − short intrinsic. */
export function valueAtExpiry(spread: VerticalSpread, underlying: Micros): Micros {
  const intrinsic = (strike: Micros): number => {
    const v = spread.right === 'C' ? underlying - strike : strike - underlying;
    return v > 0 ? v : 0;
  };
  return (intrinsic(spread.longLeg.strike) - intrinsic(spread.shortLeg.strike) + 0) as Micros;
}

/** Exact P&L of the position at expiry for an underlying price ($ in micros, per position). */
export function pnlAtExpiry(spread: VerticalSpread, entry: NetPrice, underlying: Micros): Micros {
  return mulMicros((valueAtExpiry(spread, underlying) + cashOf(entry)) as Micros, spread.multiplier * spread.quantity);
}

/** P&L curve at expiry ($ per position, float) over underlying prices ($); writes into `out` when given. */
export function payoffAtExpiry(spread: VerticalSpread, entry: NetPrice, prices: ArrayLike<number>, out?: Float64Array): Float64Array {
  const res = out ?? new Float64Array(prices.length);
  const units = spread.multiplier * spread.quantity;
  const kl = toDollars(spread.longLeg.strike);
  const ks = toDollars(spread.shortLeg.strike);
  const cash = toDollars(cashOf(entry));
  const call = spread.right === 'C';
  for (let i = 0; i < prices.length; i++) {
    const s = prices[i] as number;
    const vl = call ? s - kl : kl - s;
    const vs = call ? s - ks : ks - s;
    res[i] = ((vl > 0 ? vl : 0) - (vs > 0 ? vs : 0) + cash) * units;
  }
  return res;
}

/**
 * Model P&L curve before expiry ($ per position): the spread's value with T = years from the evaluation date
 * to expiry (market.T), at each underlying price, minus what was paid (plus what was received).
 */
export function payoffBeforeExpiry(
  spread: VerticalSpread, entry: NetPrice, prices: ArrayLike<number>, market: SpreadMarket, out?: Float64Array,
): Float64Array {
  if (!(market.T > 0)) return payoffAtExpiry(spread, entry, prices, out);
  const res = out ?? new Float64Array(prices.length);
  const style = styleOf(spread, market);
  const units = spread.multiplier * spread.quantity;
  const kl = toDollars(spread.longLeg.strike);
  const ks = toDollars(spread.shortLeg.strike);
  const cash = toDollars(cashOf(entry));
  const { T, r, q, ivLong, ivShort } = market;
  for (let i = 0; i < prices.length; i++) {
    const s = prices[i] as number;
    const v = optionPrice(style, spread.right, s, kl, T, r, q, ivLong) - optionPrice(style, spread.right, s, ks, T, r, q, ivShort);
    res[i] = (v + cash) * units;
  }
  return res;
}

/**
 * Underlying prices for a payoff chart: `points` evenly spaced over [low, high] (float $), merged with the two
 * strikes and the breakeven so the kinks are drawn exactly; sorted, duplicates removed.
 */
export function payoffGrid(spread: VerticalSpread, low: number, high: number, points: number, breakeven?: Micros): Float64Array {
  const n = Math.max(2, Math.trunc(points));
  const xs: number[] = [];
  for (let i = 0; i < n; i++) xs.push(low + ((high - low) * i) / (n - 1));
  for (const k of [spread.lowStrike, spread.highStrike, ...(breakeven === undefined ? [] : [breakeven])]) {
    const x = toDollars(k);
    if (x >= low && x <= high) xs.push(x);
  }
  xs.sort((a, b) => a - b);
  return Float64Array.from(xs.filter((x, i) => i === 0 || x !== xs[i - 1]));
}
