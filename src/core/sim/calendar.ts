// A minimal NYSE calendar for the simulator: trading days, holidays, early closes and US/Eastern time.
// Kept local so src/core/sim stands alone; it can be replaced by src/core/market once that exists.

/** A calendar date as whole days since 1970-01-01. */
export type DayNum = number;

export const DAY_MS = 86_400_000;
export const MINUTE_MS = 60_000;

export function dayFromYmd(y: number, m: number, d: number): DayNum {
  return Math.floor(Date.UTC(y, m - 1, d) / DAY_MS);
}

export function ymdParts(day: DayNum): { y: number; m: number; d: number } {
  const dt = new Date(day * DAY_MS);
  return { y: dt.getUTCFullYear(), m: dt.getUTCMonth() + 1, d: dt.getUTCDate() };
}

/** 'YYYYMMDD' for a day. */
export function dayToYmd(day: DayNum): string {
  const { y, m, d } = ymdParts(day);
  return `${y}${m < 10 ? '0' : ''}${m}${d < 10 ? '0' : ''}${d}`;
}

/** Parses 'YYYYMMDD' (also 'YYYY-MM-DD'); null when malformed. */
export function parseYmd(s: string): DayNum | null {
  const t = s.replace(/-/g, '');
  if (!/^\d{8}$/.test(t)) return null;
  const y = Number(t.slice(0, 4));
  const m = Number(t.slice(4, 6));
  const d = Number(t.slice(6, 8));
  if (m < 1 || m > 12 || d < 1 || d > 31) return null;
  const day = dayFromYmd(y, m, d);
  const back = ymdParts(day);
  return back.m === m && back.d === d ? day : null;
}

/** 0 = Sunday … 6 = Saturday. */
export function weekday(day: DayNum): number {
  return (((day + 4) % 7) + 7) % 7;
}

function nthWeekday(y: number, m: number, wd: number, n: number): DayNum {
  const first = dayFromYmd(y, m, 1);
  const offset = (wd - weekday(first) + 7) % 7;
  return first + offset + (n - 1) * 7;
}

function lastWeekday(y: number, m: number, wd: number): DayNum {
  const last = dayFromYmd(y, m + 1, 1) - 1;
  return last - ((weekday(last) - wd + 7) % 7);
}

/** Gregorian Easter Sunday (anonymous algorithm). */
function easter(y: number): DayNum {
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
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return dayFromYmd(y, month, day);
}

/** Saturday holidays move to Friday, Sunday holidays to Monday. */
function observed(day: DayNum): DayNum {
  const wd = weekday(day);
  return wd === 6 ? day - 1 : wd === 0 ? day + 1 : day;
}

const holidayCache = new Map<number, { holidays: Set<DayNum>; early: Set<DayNum> }>();

function yearTables(y: number): { holidays: Set<DayNum>; early: Set<DayNum> } {
  const cached = holidayCache.get(y);
  if (cached) return cached;
  const holidays = new Set<DayNum>();
  // New Year's Day: a Saturday New Year is not observed on the prior Friday (NYSE rule).
  const ny = dayFromYmd(y, 1, 1);
  if (weekday(ny) !== 6) holidays.add(observed(ny));
  holidays.add(nthWeekday(y, 1, 1, 3)); // Martin Luther King Jr. Day
  holidays.add(nthWeekday(y, 2, 1, 3)); // Washington's Birthday
  holidays.add(easter(y) - 2); // Good Friday
  holidays.add(lastWeekday(y, 5, 1)); // Memorial Day
  if (y >= 2022) holidays.add(observed(dayFromYmd(y, 6, 19))); // Juneteenth
  holidays.add(observed(dayFromYmd(y, 7, 4))); // Independence Day
  holidays.add(nthWeekday(y, 9, 1, 1)); // Labor Day
  const thanksgiving = nthWeekday(y, 11, 4, 4);
  holidays.add(thanksgiving);
  holidays.add(observed(dayFromYmd(y, 12, 25))); // Christmas
  const early = new Set<DayNum>();
  const jul3 = dayFromYmd(y, 7, 3);
  if (weekday(jul3) >= 1 && weekday(jul3) <= 4 && !holidays.has(jul3)) early.add(jul3);
  early.add(thanksgiving + 1);
  const dec24 = dayFromYmd(y, 12, 24);
  if (weekday(dec24) >= 1 && weekday(dec24) <= 4 && !holidays.has(dec24)) early.add(dec24);
  const tables = { holidays, early };
  holidayCache.set(y, tables);
  return tables;
}

export function isHoliday(day: DayNum): boolean {
  return yearTables(ymdParts(day).y).holidays.has(day);
}

export function isEarlyClose(day: DayNum): boolean {
  return yearTables(ymdParts(day).y).early.has(day);
}

export function isTradingDay(day: DayNum): boolean {
  const wd = weekday(day);
  return wd !== 0 && wd !== 6 && !isHoliday(day);
}

export function nextTradingDay(day: DayNum): DayNum {
  let d = day + 1;
  while (!isTradingDay(d)) d++;
  return d;
}

export function prevTradingDay(day: DayNum): DayNum {
  let d = day - 1;
  while (!isTradingDay(d)) d--;
  return d;
}

/** The trading day on or after `day`. */
export function tradingDayOnOrAfter(day: DayNum): DayNum {
  return isTradingDay(day) ? day : nextTradingDay(day);
}

/** Third Friday of a month; the Thursday before when that Friday is a holiday. */
export function monthlyExpiry(y: number, m: number): DayNum {
  const f = nthWeekday(y, m, 5, 3);
  return isTradingDay(f) ? f : prevTradingDay(f);
}

/** Whether US daylight saving time is in effect at a UTC instant (2nd Sunday of March to 1st Sunday of November). */
export function isUsDst(utcMs: number): boolean {
  const y = new Date(utcMs).getUTCFullYear();
  const start = nthWeekday(y, 3, 0, 2) * DAY_MS + 7 * 3_600_000;
  const end = nthWeekday(y, 11, 0, 1) * DAY_MS + 6 * 3_600_000;
  return utcMs >= start && utcMs < end;
}

/** UTC instant of an Eastern wall time on a day (minutes after midnight). */
export function etToUtc(day: DayNum, minutes: number): number {
  const local = day * DAY_MS + minutes * MINUTE_MS;
  const est = local + 5 * 3_600_000;
  return isUsDst(est - 3_600_000) ? est - 3_600_000 : est;
}

/** Eastern wall-clock parts of a UTC instant. */
export function utcToEt(utcMs: number): { day: DayNum; msOfDay: number } {
  const local = utcMs - (isUsDst(utcMs) ? 4 : 5) * 3_600_000;
  const day = Math.floor(local / DAY_MS);
  return { day, msOfDay: local - day * DAY_MS };
}

export const OPEN_MIN = 9 * 60 + 30;
export const CLOSE_MIN = 16 * 60;
export const EARLY_CLOSE_MIN = 13 * 60;

/** Regular session of a trading day as UTC instants; null on a non-trading day. */
export function sessionOf(day: DayNum): { open: number; close: number } | null {
  if (!isTradingDay(day)) return null;
  return { open: etToUtc(day, OPEN_MIN), close: etToUtc(day, isEarlyClose(day) ? EARLY_CLOSE_MIN : CLOSE_MIN) };
}

/** 'YYYYMMDD HH:MM:SS US/Eastern' as TWS prints times. */
export function formatEt(utcMs: number, withZone = true): string {
  const { day, msOfDay } = utcToEt(utcMs);
  const s = Math.floor(msOfDay / 1000);
  const hh = Math.floor(s / 3600);
  const mm = Math.floor((s % 3600) / 60);
  const ss = s % 60;
  const two = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
  return `${dayToYmd(day)} ${two(hh)}:${two(mm)}:${two(ss)}${withZone ? ' US/Eastern' : ''}`;
}
