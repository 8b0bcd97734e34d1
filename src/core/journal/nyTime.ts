// New York wall-clock arithmetic for the journal: trade days, weekdays, DTE and TWS time strings.
//
// Pure arithmetic on US daylight-saving rules (core/market's nyOffsetMinutes) instead of Intl, because
// analytics calls it for every one of 100k trades and Intl formatting is far too slow for that.
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

/**
 * Parses the execution time TWS reports. Forms seen: `20250102-14:30:00` (UTC),
 * `20250102 09:30:00 US/Eastern`, and `20250102  09:30:00` (TWS local time, no zone; read as
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
  if (zone !== undefined && !NEW_YORK_ZONES.has(zone)) {
    if (zone === 'UTC' || zone === 'GMT') {
      return Date.UTC(Number(local[1]), Number(local[2]) - 1, Number(local[3]), Number(local[4]), Number(local[5]), Number(local[6]));
    }
    return null;
  }
  return nyLocalToEpoch(Number(local[1]), Number(local[2]), Number(local[3]), Number(local[4]), Number(local[5]), Number(local[6]));
}
