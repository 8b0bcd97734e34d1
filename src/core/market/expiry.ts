// Option expiry: the exact instant each option's value is fixed, days to expiry, time in years, 0DTE.
//
// Expiry instant (the moment the settlement value is determined, used for time to expiry):
//   • PM-settled (equity/ETF options, SPXW, XSP, NDXP, RUTW …): the close of the regular NYSE session on the
//     expiry date, 16:00 ET — 13:00 ET on early-close days (the underlying's closing print is then at 13:00).
//   • AM-settled (SPX, NDX, RUT, VIX monthlies): the open, 09:30 ET, of the expiry date — the special opening
//     quotation is computed from opening prices that day; the options stop trading the day before.
// Time to expiry is calendar time on an ACT/365 basis (years = milliseconds / (365 × 86 400 000)), matching
// theta per calendar day in options/bsm.ts. DTE counts New York calendar days from today to the expiry date.
import type { SettlementStyle } from './contracts';
import { settlementStyle } from './contracts';
import { CLOSE_MINUTE, EARLY_CLOSE_MINUTE, OPEN_MINUTE, isEarlyClose } from './calendar';
import { type IsoDate, daysBetween } from './dates';
import { type EpochMs, fromNewYork, nyDate } from './timezone';

/** Milliseconds in an ACT/365 year. */
export const MS_PER_YEAR = 365 * 86_400_000;

/** UTC instant at which an option expiring on `expiry` settles (see module header). */
export function expiryInstant(expiry: IsoDate, settlement: SettlementStyle): EpochMs {
  if (settlement === 'AM') return fromNewYork(expiry, OPEN_MINUTE);
  return fromNewYork(expiry, isEarlyClose(expiry) ? EARLY_CLOSE_MINUTE : CLOSE_MINUTE);
}

/** Expiry instant of an option class (trading class such as 'SPX', 'SPXW', 'SPY') on a date. */
export function expiryInstantFor(tradingClass: string, expiry: IsoDate): EpochMs {
  return expiryInstant(expiry, settlementStyle(tradingClass));
}

/** Calendar days from today's New York date to the expiry date (0 on expiry day, negative after). */
export function daysToExpiry(nowMs: EpochMs, expiry: IsoDate): number {
  return daysBetween(nyDate(nowMs), expiry);
}

/** Time to expiry in years (ACT/365 calendar time), floored at 0. */
export function yearsToExpiry(nowMs: EpochMs, expiryMs: EpochMs): number {
  const dt = expiryMs - nowMs;
  return dt > 0 ? dt / MS_PER_YEAR : 0;
}

/** True on the expiry date itself while the option has not yet settled (zero days to expiry). */
export function isZeroDte(nowMs: EpochMs, expiry: IsoDate, settlement: SettlementStyle): boolean {
  return daysToExpiry(nowMs, expiry) === 0 && nowMs < expiryInstant(expiry, settlement);
}

/** True once the settlement instant has passed. */
export function isExpired(nowMs: EpochMs, expiry: IsoDate, settlement: SettlementStyle): boolean {
  return nowMs >= expiryInstant(expiry, settlement);
}
