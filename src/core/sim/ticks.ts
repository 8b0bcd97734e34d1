// Option price increments (local minimal rules; src/core/spreads will own the app-wide version).

/** penny-all: $0.01 at every price (SPY, QQQ, IWM); penny: $0.01 below $3, $0.05 above; nickel-dime: $0.05 / $0.10. */
export type TickRule = 'penny-all' | 'penny' | 'nickel-dime' | 'stock';

/** Price increment that applies at a price (the price itself decides the band). */
export function tickAt(rule: TickRule, price: number): number {
  switch (rule) {
    case 'penny-all':
    case 'stock':
      return 0.01;
    case 'penny':
      return price < 3 - 1e-9 ? 0.01 : 0.05;
    case 'nickel-dime':
      return price < 3 - 1e-9 ? 0.05 : 0.1;
  }
}

/** Rounds to cents exactly (kills binary noise like 0.30000000000000004). */
export function cents(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Largest valid price ≤ x (never below 0). */
export function floorTick(rule: TickRule, x: number): number {
  if (x <= 0) return 0;
  const lowTick = tickAt(rule, 0);
  const highTick = tickAt(rule, 3);
  if (x >= 3 - 1e-9 && highTick !== lowTick) return cents(Math.max(3, Math.floor(x / highTick + 1e-9) * highTick));
  return cents(Math.floor(x / lowTick + 1e-9) * lowTick);
}

/** Smallest valid price ≥ x. */
export function ceilTick(rule: TickRule, x: number): number {
  if (x <= 0) return 0;
  const lowTick = tickAt(rule, 0);
  const highTick = tickAt(rule, 3);
  if (x > 3 + 1e-9 && highTick !== lowTick) return cents(Math.ceil(x / highTick - 1e-9) * highTick);
  const c = cents(Math.ceil(x / lowTick - 1e-9) * lowTick);
  return c;
}

/** Whether a price lies on the grid of its band. */
export function isValidTick(rule: TickRule, price: number): boolean {
  if (!Number.isFinite(price) || price < 0) return false;
  const t = tickAt(rule, price);
  const n = price / t;
  return Math.abs(n - Math.round(n)) < 1e-6;
}

/** The next valid price above p. */
export function nextTickUp(rule: TickRule, p: number): number {
  return ceilTick(rule, p + 1e-6);
}
