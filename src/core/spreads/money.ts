// Exact money: amounts and prices as integer millionths of a dollar ("micros"), so sums never drift.
//
// Why micros: option prices are quoted in cents and nickels, mids fall on half-cents, IBKR commissions are
// $0.65, and strikes can be 592.5 — all are exact integers in micros. A JS number holds integers exactly up
// to 2^53, i.e. ±$9.007 billion in micros, far beyond any account this app handles; every operation below
// checks that it stays a safe integer. Floats appear only at the edges (quotes in, charts out).

/** An exact amount of US dollars in millionths (1 $ = 1 000 000 micros). Signed. */
export type Micros = number & { readonly __brand: 'Micros' };

/** Micros per dollar. */
export const MICROS_PER_DOLLAR = 1_000_000;

/** Zero dollars. */
export const ZERO = 0 as Micros;

function checked(n: number): Micros {
  if (!Number.isSafeInteger(n)) throw new RangeError(`Money out of exact range: ${n}`);
  return n as Micros;
}

/** Exact micros from a float dollar amount (e.g. a broker quote 1.23 → 1 230 000), rounded to the nearest micro. */
export function toMicros(dollars: number): Micros {
  return checked(Math.round(dollars * MICROS_PER_DOLLAR) + 0);
}

/** Micros from an integer count of micros (validates it is a safe integer). */
export function micros(n: number): Micros {
  return checked(n);
}

/** Micros from an integer count of cents. */
export function cents(n: number): Micros {
  if (!Number.isInteger(n)) throw new RangeError(`Not a whole number of cents: ${n}`);
  return checked(n * 10_000);
}

/** Float dollars for display or for model inputs (never sum these). */
export function toDollars(m: Micros): number {
  return m / MICROS_PER_DOLLAR;
}

/**
 * Exact micros from decimal text like "1.25", "-0.8", "$1,234.50" (no float parsing involved); null when the
 * text is not a decimal with at most 6 fractional digits.
 */
export function parseDollars(text: string): Micros | null {
  const m = /^\s*([+-])?\$?\s*(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d{0,6}))?\s*$/.exec(text);
  if (!m || (m[2] === undefined && !m[3])) return null;
  const whole = Number((m[2] ?? '0').replaceAll(',', ''));
  const frac = Number((m[3] ?? '').padEnd(6, '0') || '0');
  const value = whole * MICROS_PER_DOLLAR + frac;
  if (!Number.isSafeInteger(value)) return null;
  return (m[1] === '-' ? -value + 0 : value) as Micros;
}

/** a + b. */
export function addMicros(a: Micros, b: Micros): Micros {
  return checked(a + b);
}

/** a − b. */
export function subMicros(a: Micros, b: Micros): Micros {
  return checked(a - b);
}

/** −a. */
export function negMicros(a: Micros): Micros {
  return (0 - a) as Micros;
}

/** |a|. */
export function absMicros(a: Micros): Micros {
  return (a < 0 ? -a : a) as Micros;
}

/** a × n for an integer n (quantities, multipliers). */
export function mulMicros(a: Micros, n: number): Micros {
  if (!Number.isInteger(n)) throw new RangeError(`Money can only be multiplied by whole numbers: ${n}`);
  return checked(a * n + 0);
}

/** Exact sum of many amounts. */
export function sumMicros(values: Iterable<Micros>): Micros {
  let s = 0;
  for (const v of values) s += v;
  return checked(s);
}

/** The larger of two amounts. */
export function maxMicros(a: Micros, b: Micros): Micros {
  return a > b ? a : b;
}

/** The smaller of two amounts. */
export function minMicros(a: Micros, b: Micros): Micros {
  return a < b ? a : b;
}

/** Half of a + b, rounded half away from zero to a whole micro (mid prices: half-micros never occur for tick quotes). */
export function midMicros(a: Micros, b: Micros): Micros {
  const s = a + b;
  const half = s / 2;
  return checked(Number.isInteger(half) ? half : s > 0 ? Math.ceil(half) : Math.floor(half));
}

/** a / b as a float ratio (for return on risk, credit ÷ width); NaN when b is 0. */
export function ratioMicros(a: Micros, b: Micros): number {
  return b === 0 ? NaN : a / b;
}

/**
 * Exact decimal text rounded half away from zero to `decimals` places (0–6), computed on integers:
 * formatDollars(1_235_000) = "1.24", formatDollars(-800_000) = "-0.80".
 */
export function formatDollars(m: Micros, decimals = 2): string {
  const d = Math.max(0, Math.min(6, Math.trunc(decimals)));
  const unit = 10 ** (6 - d);
  const a = Math.abs(m);
  const rounded = Math.floor((a + unit / 2) / unit); // half away from zero on the magnitude
  const whole = Math.floor(rounded / 10 ** d);
  const frac = rounded - whole * 10 ** d;
  const body = d === 0 ? String(whole) : `${whole}.${String(frac).padStart(d, '0')}`;
  return m < 0 && rounded !== 0 ? `-${body}` : body;
}
