// Option price increments for the simulator, over src/core/spreads' tick tables (exact micros inside).
import { isOnTick, roundToTick, type TickTable, tickSizeAt, TICKS_NICKEL_DIME, TICKS_PENNY, TICKS_PENNY_ALL, toDollars, toMicros } from '../spreads';

/** penny-all: $0.01 at every price (SPY, QQQ, IWM); penny: $0.01 below $3, $0.05 above; nickel-dime: $0.05 / $0.10. */
export type TickRule = 'penny-all' | 'penny' | 'nickel-dime' | 'stock';

function table(rule: TickRule): TickTable {
  return rule === 'penny' ? TICKS_PENNY : rule === 'nickel-dime' ? TICKS_NICKEL_DIME : TICKS_PENNY_ALL;
}

/** Price increment that applies at a price (the price itself decides the band). */
export function tickAt(rule: TickRule, price: number): number {
  return toDollars(tickSizeAt(toMicros(Math.max(0, price)), table(rule)));
}

/** Rounds to cents exactly (kills binary noise like 0.30000000000000004). */
export function cents(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Largest valid price ≤ x (never below 0). */
export function floorTick(rule: TickRule, x: number): number {
  if (!(x > 0)) return 0;
  return toDollars(roundToTick(toMicros(x), table(rule), 'down'));
}

/** Smallest valid price ≥ x. */
export function ceilTick(rule: TickRule, x: number): number {
  if (!(x > 0)) return 0;
  return toDollars(roundToTick(toMicros(x), table(rule), 'up'));
}

/** Whether a price lies on the grid of its band. */
export function isValidTick(rule: TickRule, price: number): boolean {
  if (!Number.isFinite(price) || price < 0) return false;
  const m = toMicros(price);
  return Math.abs(m - price * 1_000_000) < 0.5 && isOnTick(m, table(rule));
}

/** The next valid price above p. */
export function nextTickUp(rule: TickRule, p: number): number {
  return toDollars(roundToTick(toMicros(p + 0.000001), table(rule), 'up'));
}
