// Exact money and quantity units for the journal: decimals from the broker become integer micro-units.
//
// The broker hands us IEEE doubles (prices, sizes, commissions). Summing those drifts, so every
// decimal the journal stores or adds up is an integer count of millionths ("micro-units", `_u`).
// 1.25 → 1_250_000. Six places cover option prices (0.01/0.05 ticks), fractional shares (4
// places) and IBKR commissions (up to 4–6 places). Integers stay exact up to 2^53, i.e. about
// nine billion dollars, far beyond any single account figure the journal sums.

// The money unit itself (Micros, toMicros) is core/spreads/money.ts's; this module adds what the journal needs
// on top of it: the broker's unset sentinels, exact fill cash and decimal text.
import { MICROS_PER_DOLLAR, type Micros, toDollars, toMicros } from '../spreads/money';

export { MICROS_PER_DOLLAR, type Micros, toMicros };

/** IBKR's "unset" double (Double.MAX_VALUE) and friends: anything this large is no value at all. */
export const UNSET_THRESHOLD = 1e300;

/** Like toMicros, but the broker's "unset" sentinels and null/undefined become null. */
export function toMicrosOrNull(value: number | null | undefined): Micros | null {
  if (value === null || value === undefined || !Number.isFinite(value) || Math.abs(value) >= UNSET_THRESHOLD) return null;
  return toMicros(value);
}

/** Stored micro-units (plain integers read back from SQLite) as a display number (never summed again). */
export function fromMicros(micros: number): number {
  return toDollars(micros as Micros);
}

/** Exact cash of a fill: price × quantity × multiplier, all in micro-units of money. */
export function fillCashMicros(priceU: number, sharesU: number, multiplier: number): number {
  // Whole contracts (the normal case) multiply exactly in doubles; fractional shares go through
  // BigInt so the product never loses a digit before the single final rounding.
  if (sharesU % MICROS_PER_DOLLAR === 0) {
    const cash = priceU * (sharesU / MICROS_PER_DOLLAR) * multiplier;
    if (Number.isSafeInteger(cash)) return cash;
  }
  const exact = (BigInt(priceU) * BigInt(sharesU) * BigInt(multiplier)) / BigInt(MICROS_PER_DOLLAR);
  return Number(exact);
}

/** Formats micro-units as a plain decimal string with up to six places ("-12.5", "0.000001"). */
export function microsToDecimalString(micros: number): string {
  const negative = micros < 0;
  const abs = Math.abs(micros);
  const whole = Math.floor(abs / MICROS_PER_DOLLAR);
  const frac = abs % MICROS_PER_DOLLAR;
  const fracText = frac === 0 ? '' : '.' + String(frac).padStart(6, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fracText}`;
}
