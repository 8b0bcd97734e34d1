// New York wall-clock arithmetic for the journal: trade days, weekdays, DTE and TWS time strings.
//
// Pure arithmetic on US daylight-saving rules (core/market's nyOffsetMinutes) instead of Intl, because
// analytics calls it for every one of 100k trades and Intl formatting is far too slow for that.
import { lastWeekdayOfMonth, MS_PER_DAY } from '../market/dates';
import { nyOffsetMinutes } from '../market/timezone';

const HOUR = 3_600_000;
const MINUTE = 60_000;
const DAY = 86_400_000;

/** Offset of New York local time from UTC at instant t, in ms (−4 h or −5 h); the DST rule is core/market's. */
export function nyOffsetMs(t: number): number {
  return nyOffsetMinutes(t) * MINUTE;
}

export interface NyParts {
  year: number;
  month: number; // 1–12
  day: number;
  /** 0 = Sunday … 6 = Saturday */
  weekday: number;
  hour: number;
  minute: number;
  second: number;
}

export function nyParts(t: number): NyParts {
  const local = new Date(t + nyOffsetMs(t));
  return {
    year: local.getUTCFullYear(),
    month: local.getUTCMonth() + 1,
    day: local.getUTCDate(),
    weekday: local.getUTCDay(),
    hour: local.getUTCHours(),
    minute: local.getUTCMinutes(),
    second: local.getUTCSeconds(),
  };
}

const pad2 = (n: number): string => String(n).padStart(2, '0');

/** The New York calendar day of instant t as YYYY-MM-DD (the day daily P&L belongs to). */
export function nyTradeDay(t: number): string {
  const p = nyParts(t);
  return `${p.year}-${pad2(p.month)}-${pad2(p.day)}`;
}

/** Epoch ms of a New York wall-clock time. */
export function nyLocalToEpoch(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const asUtc = Date.UTC(year, month - 1, day, hour, minute, second);
  // Try standard time first; if that instant is in daylight time, the local clock was 1 h ahead.
  const standard = asUtc + 5 * HOUR;
  return nyOffsetMs(standard) === -5 * HOUR ? standard : asUtc + 4 * HOUR;
}

/** Calendar days from the New York date of t to an option expiry given as YYYYMMDD (0 on expiry day). */
export function daysToExpiry(expiry: string, t: number): number {
  const y = Number(expiry.slice(0, 4));
  const m = Number(expiry.slice(4, 6));
  const d = Number(expiry.slice(6, 8));
  const p = nyParts(t);
  return Math.round((Date.UTC(y, m - 1, d) - Date.UTC(p.year, p.month - 1, p.day)) / DAY);
}

const NEW_YORK_ZONES = new Set(['US/Eastern', 'America/New_York', 'EST', 'EDT', 'EST5EDT', 'ET']);
/** Other US zones follow New York's DST rule: their wall clock is New York's minus these hours. */
const US_ZONES_BEHIND_NY: Record<string, number> = {
  'US/Central': 1, 'America/Chicago': 1, CST: 1, CDT: 1, CST6CDT: 1, CT: 1,
  'US/Mountain': 2, 'America/Denver': 2, MST7MDT: 2,
  'US/Pacific': 3, 'America/Los_Angeles': 3, PST: 3, PDT: 3, PST8PDT: 3,
};
/** Zones without daylight saving: their UTC offset in minutes. */
const FIXED_ZONES: Record<string, number> = {
  UTC: 0, GMT: 0, 'Etc/UTC': 0, 'Etc/GMT': 0, 'America/Phoenix': -420, 'US/Arizona': -420, 'Pacific/Honolulu': -600, 'US/Hawaii': -600,
  'Asia/Hong_Kong': 480, Hongkong: 480, 'Asia/Shanghai': 480, PRC: 480, 'Asia/Singapore': 480, Singapore: 480,
  'Asia/Tokyo': 540, Japan: 540, 'Asia/Kolkata': 330, 'Asia/Calcutta': 330, 'Australia/Brisbane': 600,
};
/** European zones: standard offset in minutes; daylight time adds 60 from the last Sunday of March to the last of October, 01:00 UTC. */
const EU_ZONES: Record<string, number> = {
  'Europe/London': 0, GB: 0, 'Europe/Dublin': 0, 'Europe/Lisbon': 0, WET: 0,
  'Europe/Berlin': 60, 'Europe/Paris': 60, 'Europe/Zurich': 60, 'Europe/Amsterdam': 60, 'Europe/Brussels': 60, 'Europe/Madrid': 60,
  'Europe/Rome': 60, 'Europe/Vienna': 60, 'Europe/Stockholm': 60, MET: 60, CET: 60, 'Europe/Helsinki': 120, 'Europe/Athens': 120, EET: 120,
};

function euLocalToEpoch(standardMinutes: number, y: number, mo: number, d: number, h: number, mi: number, s: number): number {
  const asUtc = Date.UTC(y, mo - 1, d, h, mi, s);
  const start = lastWeekdayOfMonth(y, 3, 0) * MS_PER_DAY + HOUR;
  const end = lastWeekdayOfMonth(y, 10, 0) * MS_PER_DAY + HOUR;
  const standard = asUtc - standardMinutes * MINUTE;
  const daylight = standard - HOUR;
  return daylight >= start && daylight < end ? daylight : standard;
}

/**
 * Parses the execution time TWS reports. Forms seen: `20250102-14:30:00` (UTC),
 * `20250102 09:30:00 US/Eastern` (or US/Central, Europe/London, Asia/Hong_Kong … — the zone TWS runs in), and `20250102  09:30:00` (TWS local time, no zone; read as
 * New York, the zone US option traders run TWS in). Unknown zones return null so the caller
 * can fall back to the time the event was received.
 */
export function parseTwsTime(text: string): number | null {
  const utc = /^(\d{4})(\d{2})(\d{2})-(\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (utc) {
    const [, y, mo, d, h, mi, s] = utc.map(Number) as [number, number, number, number, number, number, number];
    return Date.UTC(y, mo - 1, d, h, mi, s);
  }
  const local = /^(\d{4})(\d{2})(\d{2})\s+(\d{2}):(\d{2}):(\d{2})(?:\s+(\S+))?$/.exec(text.trim());
  if (!local) return null;
  const zone = local[7];
  const [y, mo, d, h, mi, s] = [1, 2, 3, 4, 5, 6].map((i) => Number(local[i])) as [number, number, number, number, number, number];
  if (zone === undefined || NEW_YORK_ZONES.has(zone)) return nyLocalToEpoch(y, mo, d, h, mi, s);
  const behind = US_ZONES_BEHIND_NY[zone];
  if (behind !== undefined) return nyLocalToEpoch(y, mo, d, h + behind, mi, s);
  const fixed = FIXED_ZONES[zone];
  if (fixed !== undefined) return Date.UTC(y, mo - 1, d, h, mi, s) - fixed * MINUTE;
  const eu = EU_ZONES[zone];
  if (eu !== undefined) return euLocalToEpoch(eu, y, mo, d, h, mi, s);
  return null;
}
