// Exact money and quantity units for the journal: decimals from the broker become integer micro-units.
//
// The broker hands us IEEE doubles (prices, sizes, commissions). Summing those drifts, so every
// decimal the journal stores or adds up is an integer count of millionths ("micro-units", `_u`).
// 1.25 → 1_250_000. Six places cover option prices (0.01/0.05 ticks), fractional shares (4
// places) and IBKR commissions (up to 4–6 places). Integers stay exact up to 2^53, i.e. about
// nine billion dollars, far beyond any single account figure the journal sums.

export const MICRO = 1_000_000;

/** IBKR's "unset" double (Double.MAX_VALUE) and friends: anything this large is no value at all. */
export const UNSET_THRESHOLD = 1e300;

/** A broker double as integer micro-units; rounds to the nearest millionth (1.15 → 1_150_000). */
export function toMicros(value: number): number {
  if (!Number.isFinite(value)) throw new RangeError(`Not a finite amount: ${value}`);
  const micros = Math.round(value * MICRO);
  if (!Number.isSafeInteger(micros)) throw new RangeError(`Amount out of exact range: ${value}`);
  // Math.round(-0.5) is -0; keep zero plain so equality and JSON stay boring.
  return micros === 0 ? 0 : micros;
}

/** Like toMicros, but the broker's "unset" sentinels and null/undefined become null. */
export function toMicrosOrNull(value: number | null | undefined): number | null {
  if (value === null || value === undefined || !Number.isFinite(value) || Math.abs(value) >= UNSET_THRESHOLD) return null;
  return toMicros(value);
}

/** Micro-units back to a display number (never summed again). */
export function fromMicros(micros: number): number {
  return micros / MICRO;
}

/** Exact cash of a fill: price × quantity × multiplier, all in micro-units of money. */
export function fillCashMicros(priceU: number, sharesU: number, multiplier: number): number {
  // Whole contracts (the normal case) multiply exactly in doubles; fractional shares go through
  // BigInt so the product never loses a digit before the single final rounding.
  if (sharesU % MICRO === 0) {
    const cash = priceU * (sharesU / MICRO) * multiplier;
    if (Number.isSafeInteger(cash)) return cash;
  }
  const exact = (BigInt(priceU) * BigInt(sharesU) * BigInt(multiplier)) / BigInt(MICRO);
  return Number(exact);
}

/** Formats micro-units as a plain decimal string with up to six places ("-12.5", "0.000001"). */
export function microsToDecimalString(micros: number): string {
  const negative = micros < 0;
  const abs = Math.abs(micros);
  const whole = Math.floor(abs / MICRO);
  const frac = abs % MICRO;
  const fracText = frac === 0 ? '' : '.' + String(frac).padStart(6, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fracText}`;
}
