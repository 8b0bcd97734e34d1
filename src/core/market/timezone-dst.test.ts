import { describe, expect, it } from 'vitest';
import { isoDate, type IsoDate } from './dates';
import { daysToExpiry } from './expiry';
import { fromNewYork, nyDate, nyOffsetMinutes, nyParts, parseTwsTime, toNewYork } from './timezone';

const HOUR = 3_600_000;
const offsetMs = (t: number): number => nyOffsetMinutes(t) * 60_000;

describe('New York time', () => {
  it('switches to daylight time at 02:00 on the second Sunday of March and back on the first Sunday of November', () => {
    expect(offsetMs(Date.UTC(2025, 2, 9, 6, 59))).toBe(-5 * HOUR);
    expect(offsetMs(Date.UTC(2025, 2, 9, 7, 0))).toBe(-4 * HOUR);
    expect(offsetMs(Date.UTC(2025, 10, 2, 5, 59))).toBe(-4 * HOUR);
    expect(offsetMs(Date.UTC(2025, 10, 2, 6, 0))).toBe(-5 * HOUR);
  });

  it('agrees with Intl for every hour of two years', () => {
    const fmt = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', hourCycle: 'h23', weekday: 'short' });
    for (let t = Date.UTC(2024, 0, 1); t < Date.UTC(2026, 0, 1); t += 7 * HOUR) {
      const parts = Object.fromEntries(fmt.formatToParts(t).map((p) => [p.type, p.value]));
      const p = nyParts(t);
      expect([p.year, p.month, p.day, p.hour]).toEqual([Number(parts.year), Number(parts.month), Number(parts.day), Number(parts.hour)]);
      expect(['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][p.weekday]).toBe(parts.weekday);
    }
  });

  it('names the trade day and days to expiry in New York', () => {
    // 2025-03-21 02:00 UTC is still the 20th in New York.
    expect(nyDate(Date.UTC(2025, 2, 21, 2))).toBe('2025-03-20');
    expect(daysToExpiry(Date.UTC(2025, 2, 21, 2), '2025-03-21' as IsoDate)).toBe(1);
    expect(daysToExpiry(Date.UTC(2025, 2, 21, 15), '2025-03-21' as IsoDate)).toBe(0);
  });

  it('parses the time strings TWS puts on executions', () => {
    expect(parseTwsTime('20250303-15:00:00')).toBe(Date.UTC(2025, 2, 3, 15));
    expect(parseTwsTime('20250303 10:00:00 US/Eastern')).toBe(Date.UTC(2025, 2, 3, 15));
    expect(parseTwsTime('20250703  10:00:00')).toBe(Date.UTC(2025, 6, 3, 14));
    expect(parseTwsTime('20250703 10:00:00 Mars/Olympus')).toBeNull();
    expect(parseTwsTime('yesterday')).toBeNull();
    expect(fromNewYork(isoDate(2025, 11, 2), 12 * 60)).toBe(Date.UTC(2025, 10, 2, 17));
  });

  it('reads the repeated November hour the same way everywhere (the earlier, daylight instant)', () => {
    // 01:30 on 2025-11-02 happens at 05:30 UTC (EDT) and again at 06:30 UTC (EST).
    const first = Date.UTC(2025, 10, 2, 5, 30);
    expect(fromNewYork(isoDate(2025, 11, 2), 90)).toBe(first);
    expect(parseTwsTime('20251102 01:30:00 US/Eastern')).toBe(first);
    expect(parseTwsTime('20251102  01:30:00')).toBe(first);
    expect(parseTwsTime('20251102 01:30:00 Eastern Daylight Time')).toBe(first);
    // Both instants show 01:30 on the New York clock, on the same trade day.
    for (const t of [first, first + HOUR]) {
      expect(toNewYork(t)).toMatchObject({ date: '2025-11-02', hour: 1, minute: 30 });
      expect(nyParts(t)).toMatchObject({ year: 2025, month: 11, day: 2, hour: 1, minute: 30 });
      expect(nyDate(t)).toBe('2025-11-02');
    }
    expect(toNewYork(first).dst).toBe(true);
    expect(toNewYork(first + HOUR).dst).toBe(false);
  });

  it('skips the missing March hour the same way everywhere (read as standard time)', () => {
    expect(parseTwsTime('20250309 02:30:00 US/Eastern')).toBe(fromNewYork(isoDate(2025, 3, 9), 150));
    expect(parseTwsTime('20250309 02:30:00 US/Eastern')).toBe(Date.UTC(2025, 2, 9, 7, 30));
  });

  it('reads TWS connection times with long zone names and rejects other zones', () => {
    expect(parseTwsTime('20261123 10:00:00 US/Eastern')).toBe(Date.UTC(2026, 10, 23, 15, 0, 0));
    expect(parseTwsTime('20260701 09:30:05 US/Eastern')).toBe(Date.UTC(2026, 6, 1, 13, 30, 5));
    expect(parseTwsTime('20261123 10:00:00 Eastern Standard Time')).toBe(Date.UTC(2026, 10, 23, 15, 0, 0));
    expect(parseTwsTime('20180817 13:29:20 Eastern European Time')).toBeNull();
    expect(parseTwsTime('20250303 15:00:00 UTC')).toBe(Date.UTC(2025, 2, 3, 15));
  });
});

describe('execution times in the other zones TWS runs in', () => {
  it('reads US, fixed-offset and European zones by their own rules', () => {
    // 09:00 Chicago = 10:00 New York, summer and winter.
    expect(parseTwsTime('20250703 09:00:00 US/Central')).toBe(Date.UTC(2025, 6, 3, 14));
    expect(parseTwsTime('20250103 09:00:00 America/Chicago')).toBe(Date.UTC(2025, 0, 3, 15));
    expect(parseTwsTime('20250703 07:00:00 US/Pacific')).toBe(Date.UTC(2025, 6, 3, 14));
    expect(parseTwsTime('20250703 16:00:00 Europe/Berlin')).toBe(Date.UTC(2025, 6, 3, 14)); // CEST
    expect(parseTwsTime('20250103 15:00:00 Europe/London')).toBe(Date.UTC(2025, 0, 3, 15)); // GMT
    expect(parseTwsTime('20250703 22:00:00 Asia/Hong_Kong')).toBe(Date.UTC(2025, 6, 3, 14));
  });
});
