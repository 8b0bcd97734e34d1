// OCC option symbols (OSI, 21 characters): root padded to 6, expiry YYMMDD, C/P, strike × 1000 in 8 digits.
// Example: `SPY   250117C00590000` = SPY, 2025-01-17, call, strike 590.000. Years are read as 20YY.
import { type Failure, type Result, failure } from '../result';
import type { OptionRight } from './contracts';
import { type IsoDate, parseIsoDate } from './dates';

/** The fields of an OCC symbol. strikeMicros is the strike in millionths of a dollar (exact). */
export interface OccSymbol {
  /** OCC root (trading class), e.g. SPY, SPXW, or an adjusted root such as SPY1. */
  readonly root: string;
  readonly expiry: IsoDate;
  readonly right: OptionRight;
  readonly strikeMicros: number;
}

/** Why an OCC symbol could not be parsed or formatted. */
export type OccErrorCode = 'FORMAT' | 'DATE' | 'ROOT' | 'STRIKE';

/** Parses a padded (`SPY   250117C00590000`) or compact (`SPY250117C00590000`) OCC symbol. */
export function parseOcc(symbol: string): Result<OccSymbol, Failure<OccErrorCode>> {
  const m = /^([A-Z0-9.]{1,6}) *(\d{2})(\d{2})(\d{2})([CP])(\d{8})$/.exec(symbol.trim().toUpperCase());
  if (!m) return failure('FORMAT', `Not an OCC option symbol: "${symbol}".`);
  const expiry = parseIsoDate(`20${m[2]}-${m[3]}-${m[4]}`);
  if (!expiry) return failure('DATE', `OCC symbol "${symbol}" has an impossible expiry date.`);
  return {
    ok: true,
    value: { root: m[1] as string, expiry, right: m[5] as OptionRight, strikeMicros: Number(m[6]) * 1000 },
  };
}

/** Formats the padded 21-character OCC symbol; fails if the root or strike cannot be represented. */
export function formatOcc(o: OccSymbol): Result<string, Failure<OccErrorCode>> {
  const root = o.root.trim().toUpperCase();
  if (!/^[A-Z0-9.]{1,6}$/.test(root)) return failure('ROOT', `OCC roots are 1–6 letters or digits; got "${o.root}".`);
  const y = Number(o.expiry.slice(0, 4));
  if (y < 2000 || y > 2099) return failure('DATE', `OCC symbols encode years 2000–2099; got ${o.expiry}.`);
  const thousandths = o.strikeMicros / 1000;
  if (!Number.isInteger(thousandths) || thousandths <= 0 || thousandths > 99_999_999) {
    return failure('STRIKE', 'OCC strikes are positive multiples of 0.001 below 100000.');
  }
  const yymmdd = o.expiry.slice(2, 4) + o.expiry.slice(5, 7) + o.expiry.slice(8, 10);
  return { ok: true, value: `${root.padEnd(6, ' ')}${yymmdd}${o.right}${String(thousandths).padStart(8, '0')}` };
}
