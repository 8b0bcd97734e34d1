// The NYSE trading calendar by rule: full holidays, early closes, and the pre/regular/post session of any instant.
//
// Full-day holidays (NYSE Rule 7.2 and the exchange's published calendars):
//   New Year's Day (Jan 1; Sunday → Monday Jan 2; Saturday → NOT observed: the Friday before ends the
//   year/accounting period), Martin Luther King Jr. Day (3rd Monday of January, since 1998), Washington's
//   Birthday (3rd Monday of February), Good Friday (Friday before Western Easter), Memorial Day (last Monday of
//   May), Juneteenth National Independence Day (June 19, since 2022), Independence Day (July 4), Labor Day
//   (1st Monday of September), Thanksgiving (4th Thursday of November), Christmas (December 25).
//   Saturday holidays are observed on the Friday before and Sunday holidays on the Monday after (except New
//   Year's Day on a Saturday, above).
// Unscheduled closures are listed in SPECIAL_CLOSURES (e.g. 2025-01-09, national day of mourning for President
//   Carter); future ones cannot be known and must be added when announced.
// Early closes at 13:00 ET: the day before Independence Day when July 3 is Monday–Thursday (when July 3 is a
//   Friday it is the observed holiday itself), the day after Thanksgiving, and Christmas Eve when December 24 is
//   Monday–Thursday (a Friday December 24 is the observed Christmas holiday).
// Sessions (ET): pre-market 04:00–09:30, regular 09:30–16:00 (13:00 on early-close days), post-market until
//   20:00 (17:00 on early-close days); closed otherwise, all day on weekends and holidays.
import {
  type EpochDay, type IsoDate, easterSunday, epochDayOf, fromEpochDay, lastWeekdayOfMonth, nthWeekdayOfMonth,
  toEpochDay, weekdayOfEpochDay,
} from './dates';
import { type EpochMs, fromNewYork, toNewYork } from './timezone';

/** The trading session an instant falls in. */
export type SessionState = 'pre' | 'regular' | 'post' | 'closed';

/** Names of NYSE full-day closures. */
export type HolidayName =
  | "New Year's Day" | 'Martin Luther King Jr. Day' | "Washington's Birthday" | 'Good Friday' | 'Memorial Day'
  | 'Juneteenth' | 'Independence Day' | 'Labor Day' | 'Thanksgiving Day' | 'Christmas Day' | 'Special closure';

/** Minutes after midnight ET of the session boundaries. */
export const PRE_OPEN_MINUTE = 4 * 60;
export const OPEN_MINUTE = 9 * 60 + 30;
export const CLOSE_MINUTE = 16 * 60;
export const EARLY_CLOSE_MINUTE = 13 * 60;
export const POST_CLOSE_MINUTE = 20 * 60;
export const EARLY_POST_CLOSE_MINUTE = 17 * 60;

// Unscheduled full-day NYSE closures since 2000 (exchange notices).
const SPECIAL_CLOSURES: ReadonlyMap<string, string> = new Map([
  ['2001-09-11', 'September 11 attacks'], ['2001-09-12', 'September 11 attacks'], ['2001-09-13', 'September 11 attacks'],
  ['2001-09-14', 'September 11 attacks'], ['2004-06-11', 'Day of mourning, President Reagan'],
  ['2007-01-02', 'Day of mourning, President Ford'], ['2012-10-29', 'Hurricane Sandy'], ['2012-10-30', 'Hurricane Sandy'],
  ['2018-12-05', 'Day of mourning, President G. H. W. Bush'], ['2025-01-09', 'Day of mourning, President Carter'],
]);

// Saturday → Friday before, Sunday → Monday after.
function observed(day: EpochDay): EpochDay {
  const wd = weekdayOfEpochDay(day);
  return wd === 6 ? day - 1 : wd === 0 ? day + 1 : day;
}

const holidayCache = new Map<number, ReadonlyMap<EpochDay, HolidayName>>();

/** Full-day holidays of a year as day number → name (special closures included). */
export function holidaysOfYear(year: number): ReadonlyMap<EpochDay, HolidayName> {
  const cached = holidayCache.get(year);
  if (cached) return cached;
  const m = new Map<EpochDay, HolidayName>();
  const newYear = epochDayOf(year, 1, 1);
  if (weekdayOfEpochDay(newYear) !== 6) m.set(observed(newYear), "New Year's Day");
  if (year >= 1998) m.set(nthWeekdayOfMonth(year, 1, 1, 3), 'Martin Luther King Jr. Day');
  m.set(nthWeekdayOfMonth(year, 2, 1, 3), "Washington's Birthday");
  m.set(easterSunday(year) - 2, 'Good Friday');
  m.set(lastWeekdayOfMonth(year, 5, 1), 'Memorial Day');
  if (year >= 2022) m.set(observed(epochDayOf(year, 6, 19)), 'Juneteenth');
  m.set(observed(epochDayOf(year, 7, 4)), 'Independence Day');
  m.set(nthWeekdayOfMonth(year, 9, 1, 1), 'Labor Day');
  m.set(nthWeekdayOfMonth(year, 11, 4, 4), 'Thanksgiving Day');
  m.set(observed(epochDayOf(year, 12, 25)), 'Christmas Day');
  for (const date of SPECIAL_CLOSURES.keys()) {
    if (Number(date.slice(0, 4)) === year) m.set(toEpochDay(date as IsoDate), 'Special closure');
  }
  holidayCache.set(year, m);
  return m;
}

/** Why the NYSE is closed on a weekday, or null when it is not a holiday. */
export function holidayName(date: IsoDate): HolidayName | null {
  const day = toEpochDay(date);
  return holidaysOfYear(Number(date.slice(0, 4))).get(day) ?? null;
}

/** Description of an unscheduled closure on a date, if any. */
export function specialClosureReason(date: IsoDate): string | null {
  return SPECIAL_CLOSURES.get(date) ?? null;
}

/** True on a weekday that is not an NYSE holiday. */
export function isTradingDay(date: IsoDate): boolean {
  const wd = weekdayOfEpochDay(toEpochDay(date));
  return wd !== 0 && wd !== 6 && holidayName(date) === null;
}

/** True when the NYSE closes at 13:00 ET on this (trading) day. */
export function isEarlyClose(date: IsoDate): boolean {
  if (!isTradingDay(date)) return false;
  const y = Number(date.slice(0, 4));
  const m = Number(date.slice(5, 7));
  const d = Number(date.slice(8, 10));
  const wd = weekdayOfEpochDay(toEpochDay(date));
  if (m === 7 && d === 3) return wd >= 1 && wd <= 4;
  if (m === 12 && d === 24) return wd >= 1 && wd <= 4;
  if (m === 11) return toEpochDay(date) === nthWeekdayOfMonth(y, 11, 4, 4) + 1;
  return false;
}

/** The trading hours of a day as UTC instants, or null when the market is closed all day. */
export interface TradingSession {
  readonly date: IsoDate;
  readonly preOpen: EpochMs;
  readonly open: EpochMs;
  readonly close: EpochMs;
  readonly postClose: EpochMs;
  readonly earlyClose: boolean;
}

/** Session times of a date (ET rules converted to UTC across DST), or null on weekends and holidays. */
export function tradingSession(date: IsoDate): TradingSession | null {
  if (!isTradingDay(date)) return null;
  const early = isEarlyClose(date);
  return {
    date,
    preOpen: fromNewYork(date, PRE_OPEN_MINUTE),
    open: fromNewYork(date, OPEN_MINUTE),
    close: fromNewYork(date, early ? EARLY_CLOSE_MINUTE : CLOSE_MINUTE),
    postClose: fromNewYork(date, early ? EARLY_POST_CLOSE_MINUTE : POST_CLOSE_MINUTE),
    earlyClose: early,
  };
}

/** Which session an instant falls in: pre (04:00–09:30 ET), regular, post (until 20:00/17:00 ET) or closed. */
export function sessionState(ms: EpochMs): SessionState {
  const ny = toNewYork(ms);
  if (!isTradingDay(ny.date)) return 'closed';
  const early = isEarlyClose(ny.date);
  const minute = ny.minuteOfDay;
  if (minute < PRE_OPEN_MINUTE) return 'closed';
  if (minute < OPEN_MINUTE) return 'pre';
  if (minute < (early ? EARLY_CLOSE_MINUTE : CLOSE_MINUTE)) return 'regular';
  if (minute < (early ? EARLY_POST_CLOSE_MINUTE : POST_CLOSE_MINUTE)) return 'post';
  return 'closed';
}

/** The first trading day strictly after a date. */
export function nextTradingDay(date: IsoDate): IsoDate {
  let day = toEpochDay(date) + 1;
  while (!isTradingDay(fromEpochDay(day))) day++;
  return fromEpochDay(day);
}

/** The last trading day strictly before a date. */
export function previousTradingDay(date: IsoDate): IsoDate {
  let day = toEpochDay(date) - 1;
  while (!isTradingDay(fromEpochDay(day))) day--;
  return fromEpochDay(day);
}

/** Number of trading days d with from < d ≤ to (0 when to ≤ from). */
export function tradingDaysBetween(from: IsoDate, to: IsoDate): number {
  let n = 0;
  for (let day = toEpochDay(from) + 1, end = toEpochDay(to); day <= end; day++) {
    if (isTradingDay(fromEpochDay(day))) n++;
  }
  return n;
}

/** All full-day closures (weekdays) of a year, sorted, with names. */
export function listHolidays(year: number): { date: IsoDate; name: HolidayName }[] {
  return [...holidaysOfYear(year).entries()]
    .filter(([day]) => {
      const wd = weekdayOfEpochDay(day);
      return wd !== 0 && wd !== 6 && Number(fromEpochDay(day).slice(0, 4)) === year;
    })
    .sort((a, b) => a[0] - b[0])
    .map(([day, name]) => ({ date: fromEpochDay(day), name }));
}

/** All early-close days of a year, sorted. */
export function listEarlyCloses(year: number): IsoDate[] {
  const out: IsoDate[] = [];
  for (const [m, d] of [[7, 3], [12, 24]] as const) {
    const date = fromEpochDay(epochDayOf(year, m, d));
    if (isEarlyClose(date)) out.push(date);
  }
  const dayAfter = fromEpochDay(nthWeekdayOfMonth(year, 11, 4, 4) + 1);
  if (isEarlyClose(dayAfter)) out.push(dayAfter);
  return out.sort();
}
