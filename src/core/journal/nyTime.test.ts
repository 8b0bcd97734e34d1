import { describe, expect, it } from 'vitest';
import { daysToExpiry, nyLocalToEpoch, nyOffsetMs, nyParts, nyTradeDay, parseTwsTime } from './nyTime';

const HOUR = 3_600_000;

describe('New York time', () => {
  it('switches to daylight time at 02:00 on the second Sunday of March and back on the first Sunday of November', () => {
    expect(nyOffsetMs(Date.UTC(2025, 2, 9, 6, 59))).toBe(-5 * HOUR);
    expect(nyOffsetMs(Date.UTC(2025, 2, 9, 7, 0))).toBe(-4 * HOUR);
    expect(nyOffsetMs(Date.UTC(2025, 10, 2, 5, 59))).toBe(-4 * HOUR);
    expect(nyOffsetMs(Date.UTC(2025, 10, 2, 6, 0))).toBe(-5 * HOUR);
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
    expect(nyTradeDay(Date.UTC(2025, 2, 21, 2))).toBe('2025-03-20');
    expect(daysToExpiry('20250321', Date.UTC(2025, 2, 21, 2))).toBe(1);
    expect(daysToExpiry('20250321', Date.UTC(2025, 2, 21, 15))).toBe(0);
  });

  it('parses the time strings TWS puts on executions', () => {
    expect(parseTwsTime('20250303-15:00:00')).toBe(Date.UTC(2025, 2, 3, 15));
    expect(parseTwsTime('20250303 10:00:00 US/Eastern')).toBe(Date.UTC(2025, 2, 3, 15));
    expect(parseTwsTime('20250703  10:00:00')).toBe(Date.UTC(2025, 6, 3, 14));
    expect(parseTwsTime('20250703 10:00:00 Mars/Olympus')).toBeNull();
    expect(parseTwsTime('yesterday')).toBeNull();
    expect(nyLocalToEpoch(2025, 11, 2, 12)).toBe(Date.UTC(2025, 10, 2, 17));
  });

  it('reads execution times in the other zones TWS runs in', () => {
    // 09:00 Chicago = 10:00 New York, summer and winter.
    expect(parseTwsTime('20250703 09:00:00 US/Central')).toBe(Date.UTC(2025, 6, 3, 14));
    expect(parseTwsTime('20250103 09:00:00 America/Chicago')).toBe(Date.UTC(2025, 0, 3, 15));
    expect(parseTwsTime('20250703 07:00:00 US/Pacific')).toBe(Date.UTC(2025, 6, 3, 14));
    expect(parseTwsTime('20250703 16:00:00 Europe/Berlin')).toBe(Date.UTC(2025, 6, 3, 14)); // CEST
    expect(parseTwsTime('20250103 15:00:00 Europe/London')).toBe(Date.UTC(2025, 0, 3, 15)); // GMT
    expect(parseTwsTime('20250703 22:00:00 Asia/Hong_Kong')).toBe(Date.UTC(2025, 6, 3, 14));
  });
});
