// Calendar dates without a time zone: ISO 'YYYY-MM-DD' values and day-number arithmetic (proleptic Gregorian).

/** A calendar date 'YYYY-MM-DD' (no time, no zone). Make one with {@link isoDate} or {@link parseIsoDate}. */
export type IsoDate = string & { readonly __brand: 'IsoDate' };

/** Days since 1970-01-01 (can be negative); the integer form used for date arithmetic. */
export type EpochDay = number;

/** Day of week, 0 = Sunday … 6 = Saturday. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

/** Milliseconds in one day. */
export const MS_PER_DAY = 86_400_000;

// Days from civil date (H. Hinnant, "chrono-Compatible Low-Level Date Algorithms").
/** Day number of year y, month m (1–12), day d (1–31). */
export function epochDayOf(y: number, m: number, d: number): EpochDay {
  const yy = m <= 2 ? y - 1 : y;
  const era = Math.floor(yy / 400);
  const yoe = yy - era * 400;
  const doy = Math.floor((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5) + d - 1;
  const doe = yoe * 365 + Math.floor(yoe / 4) - Math.floor(yoe / 100) + doy;
  return era * 146097 + doe - 719468;
}

/** Civil date [y, m, d] of a day number. */
export function civilOf(day: EpochDay): [number, number, number] {
  const z = day + 719468;
  const era = Math.floor(z / 146097);
  const doe = z - era * 146097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36524) - Math.floor(doe / 146096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const d = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const m = mp < 10 ? mp + 3 : mp - 9;
  return [yoe + era * 400 + (m <= 2 ? 1 : 0), m, d];
}

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

/** Builds an IsoDate from numbers; throws RangeError on an impossible date (a programming error). */
export function isoDate(y: number, m: number, d: number): IsoDate {
  const day = epochDayOf(y, m, d);
  const [yy, mm, dd] = civilOf(day);
  if (yy !== y || mm !== m || dd !== d || !Number.isInteger(y) || y < 1 || y > 9999) {
    throw new RangeError(`Not a calendar date: ${y}-${m}-${d}`);
  }
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}` as IsoDate;
}

/** Parses 'YYYY-MM-DD' or IBKR's 'YYYYMMDD'; null when it is not a real calendar date. */
export function parseIsoDate(text: string): IsoDate | null {
  const m = /^(\d{4})-?(\d{2})-?(\d{2})$/.exec(text.trim());
  if (!m) return null;
  const y = Number(m[1]), mo = Number(m[2]), d = Number(m[3]);
  if (mo < 1 || mo > 12 || d < 1 || d > 31) return null;
  const [yy, mm, dd] = civilOf(epochDayOf(y, mo, d));
  return yy === y && mm === mo && dd === d ? (`${m[1]}-${m[2]}-${m[3]}` as IsoDate) : null;
}

/** IBKR's lastTradeDateOrContractMonth form 'YYYYMMDD'. */
export function toIbDate(date: IsoDate): string {
  return date.replaceAll('-', '');
}

/** Day number of an IsoDate. */
export function toEpochDay(date: IsoDate): EpochDay {
  return epochDayOf(Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10)));
}

/** IsoDate of a day number. */
export function fromEpochDay(day: EpochDay): IsoDate {
  const [y, m, d] = civilOf(day);
  return `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}` as IsoDate;
}

/** The date n days later (n may be negative). */
export function addDays(date: IsoDate, n: number): IsoDate {
  return fromEpochDay(toEpochDay(date) + n);
}

/** Whole days from a to b (b − a). */
export function daysBetween(a: IsoDate, b: IsoDate): number {
  return toEpochDay(b) - toEpochDay(a);
}

/** Day of week of a day number (1970-01-01 was a Thursday). */
export function weekdayOfEpochDay(day: EpochDay): Weekday {
  return (((day + 4) % 7) + 7) % 7 as Weekday;
}

/** Day of week of a date, 0 = Sunday … 6 = Saturday. */
export function weekday(date: IsoDate): Weekday {
  return weekdayOfEpochDay(toEpochDay(date));
}

/** Day number of the n-th (1-based) given weekday of a month, e.g. the 3rd Monday of January. */
export function nthWeekdayOfMonth(y: number, m: number, wd: Weekday, n: number): EpochDay {
  const first = epochDayOf(y, m, 1);
  const offset = (wd - weekdayOfEpochDay(first) + 7) % 7;
  return first + offset + (n - 1) * 7;
}

/** Day number of the last given weekday of a month, e.g. the last Monday of May. */
export function lastWeekdayOfMonth(y: number, m: number, wd: Weekday): EpochDay {
  const last = epochDayOf(m === 12 ? y + 1 : y, m === 12 ? 1 : m + 1, 1) - 1;
  return last - ((weekdayOfEpochDay(last) - wd + 7) % 7);
}

/** Day number of Western (Gregorian) Easter Sunday — the anonymous Gregorian computus (Meeus/Jones/Butcher). */
export function easterSunday(y: number): EpochDay {
  const a = y % 19;
  const b = Math.floor(y / 100);
  const c = y % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const mm = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * mm + 114) / 31);
  const day = ((h + l - 7 * mm + 114) % 31) + 1;
  return epochDayOf(y, month, day);
}
