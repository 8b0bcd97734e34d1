// Field formatting as TWS writes it: Java-style doubles, 0/1 booleans, the unset sentinels.

export const UNSET_DOUBLE = '1.7976931348623157E308';
export const UNSET_INT = '2147483647';

/** A double the way Java prints it for the values we send: integers keep ".0", no exponent for normal magnitudes. */
export function dbl(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x) || x >= Number.MAX_VALUE) return UNSET_DOUBLE;
  if (Object.is(x, -0)) return '0.0';
  if (Number.isInteger(x)) return `${x}.0`;
  return String(x);
}

/** A price rounded to 8 significant decimals (kills binary noise) and printed as a double. */
export function px(x: number): string {
  return dbl(Math.round(x * 1e8) / 1e8);
}

/** A double with at most `digits` significant digits (greeks and vols: fewer bytes, same meaning). */
export function sig(x: number, digits = 6): string {
  if (!Number.isFinite(x)) return UNSET_DOUBLE;
  if (x === 0) return '0.0';
  return dbl(Number(x.toPrecision(digits)));
}

export function int(n: number | null | undefined): string {
  if (n === null || n === undefined || !Number.isFinite(n)) return UNSET_INT;
  return String(Math.trunc(n));
}

export function bool(b: boolean | undefined): string {
  return b ? '1' : '0';
}

/** A Decimal field (sizes, quantities): plain numeric text. */
export function dec(x: number): string {
  return String(x);
}

/** Unicode-escapes non-ASCII characters as TWS does at server version ≥ 153. */
export function ascii7(s: string): string {
  // eslint-disable-next-line no-control-regex
  return s.replace(/[^\x00-\x7f]/g, (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Values TWS clients send to mean "unset"; all must be accepted. */
const UNSET_TEXTS = new Set(['', '2147483647', '9223372036854775807', '1.7976931348623157E308', '1.7976931348623157e+308', 'Infinity', 'inf', '-Infinity']);

export function isUnsetText(s: string): boolean {
  return UNSET_TEXTS.has(s) || s === String(Number.MAX_VALUE);
}
