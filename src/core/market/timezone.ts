// America/New_York wall-clock time by rule (US DST law), with no dependence on the host's time-zone database.
// The app's one New York clock: the journal, the scanner, the broker and the simulator all read time here.
//
// Rules: EST = UTC−5, EDT = UTC−4. Since 2007 (Energy Policy Act of 2005) DST runs from the second Sunday of
// March at 02:00 local standard time (07:00 UTC) to the first Sunday of November at 02:00 local daylight
// time (06:00 UTC). 1987–2006: first Sunday of April to the last Sunday of October, same clock times.
// Earlier years are not supported (they are treated with the 1987 rule).
import {
  type EpochDay, type IsoDate, MS_PER_DAY, civilOf, epochDayOf, fromEpochDay, lastWeekdayOfMonth, nthWeekdayOfMonth, parseIsoDate,
  toEpochDay, weekdayOfEpochDay,
} from './dates';

/** Milliseconds since 1970-01-01T00:00:00Z (a UTC instant). */
export type EpochMs = number;

const MS_PER_HOUR = 3_600_000;
const MS_PER_MINUTE = 60_000;

/** [start, end) of daylight time in UTC milliseconds for a calendar year. */
export function dstIntervalUtc(year: number): [EpochMs, EpochMs] {
  let startDay: EpochDay, endDay: EpochDay;
  if (year >= 2007) {
    startDay = nthWeekdayOfMonth(year, 3, 0, 2);
    endDay = nthWeekdayOfMonth(year, 11, 0, 1);
  } else {
    startDay = nthWeekdayOfMonth(year, 4, 0, 1);
    endDay = lastWeekdayOfMonth(year, 10, 0);
  }
  // 02:00 EST = 07:00 UTC; 02:00 EDT = 06:00 UTC.
  return [startDay * MS_PER_DAY + 7 * MS_PER_HOUR, endDay * MS_PER_DAY + 6 * MS_PER_HOUR];
}

// UTC calendar year of an instant, without Date.
function utcYear(ms: EpochMs): number {
  return civilOf(Math.floor(ms / MS_PER_DAY))[0];
}

/** UTC offset of New York at an instant, in minutes: −240 (EDT) or −300 (EST). */
export function nyOffsetMinutes(ms: EpochMs): number {
  const [start, end] = dstIntervalUtc(utcYear(ms));
  return ms >= start && ms < end ? -240 : -300;
}

/** New York wall-clock fields of an instant. */
export interface NyTime {
  readonly date: IsoDate;
  /** Minutes since local midnight, 0–1439. */
  readonly minuteOfDay: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  readonly millisecond: number;
  /** UTC offset in minutes (−240 or −300). */
  readonly offsetMinutes: number;
  /** True while daylight time is in effect. */
  readonly dst: boolean;
}

/** Converts a UTC instant to New York wall-clock time. */
export function toNewYork(ms: EpochMs): NyTime {
  const offsetMinutes = nyOffsetMinutes(ms);
  const local = ms + offsetMinutes * MS_PER_MINUTE;
  const day = Math.floor(local / MS_PER_DAY);
  const msOfDay = local - day * MS_PER_DAY;
  const minuteOfDay = Math.floor(msOfDay / MS_PER_MINUTE);
  return {
    date: fromEpochDay(day),
    minuteOfDay,
    hour: Math.floor(minuteOfDay / 60),
    minute: minuteOfDay % 60,
    second: Math.floor((msOfDay % MS_PER_MINUTE) / 1000),
    millisecond: msOfDay % 1000,
    offsetMinutes,
    dst: offsetMinutes === -240,
  };
}

/** New York calendar date of an instant. */
export function nyDate(ms: EpochMs): IsoDate {
  return fromEpochDay(Math.floor((ms + nyOffsetMinutes(ms) * MS_PER_MINUTE) / MS_PER_DAY));
}

/**
 * The UTC instant of a New York wall-clock time on a date (minutes after local midnight, may include a
 * fraction). Wall times that do not exist (the spring-forward hour 02:00–02:59) are read as standard time,
 * i.e. moved one hour later; ambiguous times (the fall-back hour 01:00–01:59) resolve to the earlier, daylight
 * instant. Market hours never fall in either hour.
 */
export function fromNewYork(date: IsoDate, minuteOfDay: number): EpochMs {
  const localMs = toEpochDay(date) * MS_PER_DAY + minuteOfDay * MS_PER_MINUTE;
  // Try daylight time first (earlier instant for ambiguous times), then standard time.
  const asDst = localMs + 240 * MS_PER_MINUTE;
  if (nyOffsetMinutes(asDst) === -240) return asDst;
  return localMs + 300 * MS_PER_MINUTE;
}

/** The UTC instant of hh:mm New York time on a date. */
export function nyInstant(date: IsoDate, hour: number, minute = 0): EpochMs {
  return fromNewYork(date, hour * 60 + minute);
}

/** UTC instant of 00:00 UTC on a calendar date (for tests and date-only arithmetic). */
export function utcMidnight(y: number, m: number, d: number): EpochMs {
  return epochDayOf(y, m, d) * MS_PER_DAY;
}

/** New York wall-clock fields as numbers (the journal groups 100k trades by these; pure arithmetic, no Intl). */
export interface NyParts {
  readonly year: number;
  /** 1–12 */
  readonly month: number;
  readonly day: number;
  /** 0 = Sunday … 6 = Saturday */
  readonly weekday: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

/** New York calendar and clock fields of an instant. */
export function nyParts(ms: EpochMs): NyParts {
  const local = ms + nyOffsetMinutes(ms) * MS_PER_MINUTE;
  const day = Math.floor(local / MS_PER_DAY);
  const [year, month, dayOfMonth] = civilOf(day);
  const secondOfDay = Math.floor((local - day * MS_PER_DAY) / 1000);
  return {
    year, month, day: dayOfMonth, weekday: weekdayOfEpochDay(day),
    hour: Math.floor(secondOfDay / 3600), minute: Math.floor((secondOfDay % 3600) / 60), second: secondOfDay % 60,
  };
}

// Zone names TWS prints for New York (case-insensitive), long forms included.
const NEW_YORK_ZONES = new Set(['us/eastern', 'america/new_york', 'est', 'edt', 'est5edt', 'et', 'eastern standard time', 'eastern daylight time']);
/** Other US zones follow New York's DST rule: their wall clock is New York's minus these hours. */
const US_ZONES_BEHIND_NY: Readonly<Record<string, number>> = {
  'us/central': 1, 'america/chicago': 1, cst: 1, cdt: 1, cst6cdt: 1, ct: 1,
  'us/mountain': 2, 'america/denver': 2, mst7mdt: 2,
  'us/pacific': 3, 'america/los_angeles': 3, pst: 3, pdt: 3, pst8pdt: 3,
};
/** Zones without daylight saving: their UTC offset in minutes. */
const FIXED_ZONES: Readonly<Record<string, number>> = {
  utc: 0, gmt: 0, 'etc/utc': 0, 'etc/gmt': 0, 'america/phoenix': -420, 'us/arizona': -420, 'pacific/honolulu': -600, 'us/hawaii': -600,
  'asia/hong_kong': 480, hongkong: 480, 'asia/shanghai': 480, prc: 480, 'asia/singapore': 480, singapore: 480,
  'asia/tokyo': 540, japan: 540, 'asia/kolkata': 330, 'asia/calcutta': 330, 'australia/brisbane': 600,
};
/** European zones: standard offset in minutes; summer time adds 60 from the last Sunday of March to the last of October, 01:00 UTC. */
const EU_ZONES: Readonly<Record<string, number>> = {
  'europe/london': 0, gb: 0, 'europe/dublin': 0, 'europe/lisbon': 0, wet: 0,
  'europe/berlin': 60, 'europe/paris': 60, 'europe/zurich': 60, 'europe/amsterdam': 60, 'europe/brussels': 60, 'europe/madrid': 60,
  'europe/rome': 60, 'europe/vienna': 60, 'europe/stockholm': 60, met: 60, cet: 60, 'europe/helsinki': 120, 'europe/athens': 120, eet: 120,
};

/** A European wall-clock time (local ms since the epoch, read as UTC) as a UTC instant. */
function fromEurope(standardMinutes: number, localMs: number): EpochMs {
  const year = utcYear(localMs);
  const start = lastWeekdayOfMonth(year, 3, 0) * MS_PER_DAY + MS_PER_HOUR;
  const end = lastWeekdayOfMonth(year, 10, 0) * MS_PER_DAY + MS_PER_HOUR;
  const standard = localMs - standardMinutes * MS_PER_MINUTE;
  const summer = standard - MS_PER_HOUR;
  return summer >= start && summer < end ? summer : standard;
}

/**
 * The time strings TWS sends (execution times, the connection time) as a UTC instant. Forms seen:
 * `20250102-14:30:00` (UTC), `20250102 09:30:00 US/Eastern` (or another New York zone name), `20250102 09:30:00 UTC`,
 * and `20250102  09:30:00` (TWS local time, no zone; read as New York, the zone US option traders run TWS in).
 * The other zones TWS runs in (US/Central, Europe/London, Asia/Hong_Kong …) are read by their rules.
 * Unknown zones return null so the caller falls back to its own clock. New York wall times resolve like fromNewYork
 * (the repeated November hour is the earlier, daylight instant), so every part of the app agrees on them.
 */
export function parseTwsTime(text: string): EpochMs | null {
  const utc = /^(\d{4})(\d{2})(\d{2})-(\d{2}):(\d{2}):(\d{2})$/.exec(text.trim());
  if (utc) {
    const date = parseIsoDate(`${utc[1]}-${utc[2]}-${utc[3]}`);
    return date === null ? null : toEpochDay(date) * MS_PER_DAY + ((Number(utc[4]) * 60 + Number(utc[5])) * 60 + Number(utc[6])) * 1000;
  }
  const local = /^(\d{4})(\d{2})(\d{2})\s+(\d{2}):(\d{2}):(\d{2})\s*(.*)$/.exec(text.trim());
  if (!local) return null;
  const date = parseIsoDate(`${local[1]}-${local[2]}-${local[3]}`);
  if (date === null) return null;
  const minuteOfDay = Number(local[4]) * 60 + Number(local[5]);
  const seconds = Number(local[6]) * 1000;
  const zone = (local[7] ?? '').trim().toLowerCase();
  if (zone === '' || NEW_YORK_ZONES.has(zone)) return fromNewYork(date, minuteOfDay) + seconds;
  const behind = US_ZONES_BEHIND_NY[zone];
  if (behind !== undefined) return fromNewYork(date, minuteOfDay + behind * 60) + seconds;
  const localMs = toEpochDay(date) * MS_PER_DAY + minuteOfDay * MS_PER_MINUTE + seconds;
  const fixed = FIXED_ZONES[zone];
  if (fixed !== undefined) return localMs - fixed * MS_PER_MINUTE;
  const eu = EU_ZONES[zone];
  if (eu !== undefined) return fromEurope(eu, localMs);
  return null;
}
