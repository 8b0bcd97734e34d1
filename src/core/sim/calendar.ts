// The simulator's view of the NYSE calendar and Eastern time, on day numbers; the rules live in src/core/market.
import {
  civilOf,
  epochDayOf,
  fromEpochDay,
  fromNewYork,
  isEarlyClose as mktIsEarlyClose,
  isTradingDay as mktIsTradingDay,
  nthWeekdayOfMonth,
  nyOffsetMinutes,
  parseIsoDate,
  holidayName,
  toEpochDay,
  weekdayOfEpochDay,
  type Weekday,
} from '../market';

/** A calendar date as whole days since 1970-01-01 (the same numbering as core/market's EpochDay). */
export type DayNum = number;

export const DAY_MS = 86_400_000;
export const MINUTE_MS = 60_000;

export function dayFromYmd(y: number, m: number, d: number): DayNum {
  return epochDayOf(y, m, d);
}

export function ymdParts(day: DayNum): { y: number; m: number; d: number } {
  const [y, m, d] = civilOf(day);
  return { y, m, d };
}

/** 'YYYYMMDD' for a day. */
export function dayToYmd(day: DayNum): string {
  const { y, m, d } = ymdParts(day);
  return `${y}${m < 10 ? '0' : ''}${m}${d < 10 ? '0' : ''}${d}`;
}

/** Parses 'YYYYMMDD' (also 'YYYY-MM-DD'); null when malformed. */
export function parseYmd(s: string): DayNum | null {
  const iso = parseIsoDate(s.trim());
  return iso === null ? null : toEpochDay(iso);
}

/** 0 = Sunday … 6 = Saturday (core/market's weekdayOfEpochDay). */
export function weekday(day: DayNum): number {
  return weekdayOfEpochDay(day);
}

const tradingCache = new Map<DayNum, boolean>();

export function isHoliday(day: DayNum): boolean {
  return holidayName(fromEpochDay(day)) !== null;
}

export function isEarlyClose(day: DayNum): boolean {
  return mktIsEarlyClose(fromEpochDay(day));
}

export function isTradingDay(day: DayNum): boolean {
  let v = tradingCache.get(day);
  if (v === undefined) {
    v = mktIsTradingDay(fromEpochDay(day));
    if (tradingCache.size > 20_000) tradingCache.clear();
    tradingCache.set(day, v);
  }
  return v;
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
  const f = nthWeekdayOfMonth(y, m, 5 as Weekday, 3);
  return isTradingDay(f) ? f : prevTradingDay(f);
}

/** UTC instant of an Eastern wall time on a day (minutes after midnight). */
export function etToUtc(day: DayNum, minutes: number): number {
  return fromNewYork(fromEpochDay(day), minutes);
}

/** Eastern wall-clock parts of a UTC instant. */
export function utcToEt(utcMs: number): { day: DayNum; msOfDay: number } {
  const local = utcMs + nyOffsetMinutes(utcMs) * MINUTE_MS;
  const day = Math.floor(local / DAY_MS);
  return { day, msOfDay: local - day * DAY_MS };
}

export const OPEN_MIN = 9 * 60 + 30;
export const CLOSE_MIN = 16 * 60;
export const EARLY_CLOSE_MIN = 13 * 60;

const sessionCache = new Map<DayNum, { open: number; close: number } | null>();

/** Regular session of a trading day as UTC instants; null on a non-trading day. */
export function sessionOf(day: DayNum): { open: number; close: number } | null {
  const hit = sessionCache.get(day);
  if (hit !== undefined) return hit;
  const s = isTradingDay(day) ? { open: etToUtc(day, OPEN_MIN), close: etToUtc(day, isEarlyClose(day) ? EARLY_CLOSE_MIN : CLOSE_MIN) } : null;
  if (sessionCache.size > 20_000) sessionCache.clear();
  sessionCache.set(day, s);
  return s;
}

/** 'YYYYMMDD HH:MM:SS US/Eastern' as TWS prints times. */
export function formatEt(utcMs: number, withZone = true): string {
  const { day, msOfDay } = utcToEt(utcMs);
  const s = Math.floor(msOfDay / 1000);
  const two = (n: number): string => (n < 10 ? `0${n}` : `${n}`);
  return `${dayToYmd(day)} ${two(Math.floor(s / 3600))}:${two(Math.floor((s % 3600) / 60))}:${two(s % 60)}${withZone ? ' US/Eastern' : ''}`;
}
