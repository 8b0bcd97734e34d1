import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addDays, daysBetween, easterSunday, fromEpochDay, isoDate, parseIsoDate, toEpochDay, toIbDate, weekday,
} from './dates';
import { dstIntervalUtc, fromNewYork, nyDate, nyOffsetMinutes, toNewYork } from './timezone';

const utc = (s: string): number => Date.parse(s);

describe('dates', () => {
  it('round-trips day numbers and matches the JS calendar', () => {
    fc.assert(fc.property(fc.integer({ min: -200_000, max: 200_000 }), (day) => {
      const date = fromEpochDay(day);
      expect(toEpochDay(date)).toBe(day);
      expect(new Date(day * 86_400_000).toISOString().slice(0, 10)).toBe(date);
      expect(weekday(date)).toBe(new Date(day * 86_400_000).getUTCDay());
    }));
  });

  it('parses ISO and IBKR forms and rejects impossible dates', () => {
    expect(parseIsoDate('20250117')).toBe('2025-01-17');
    expect(parseIsoDate('2024-02-29')).toBe('2024-02-29');
    expect(parseIsoDate('2025-02-29')).toBe(null);
    expect(parseIsoDate('2025-13-01')).toBe(null);
    expect(toIbDate(isoDate(2025, 1, 17))).toBe('20250117');
    expect(() => isoDate(2025, 2, 30)).toThrow(RangeError);
    expect(addDays(isoDate(2024, 12, 31), 1)).toBe('2025-01-01');
    expect(daysBetween(isoDate(2025, 1, 1), isoDate(2026, 1, 1))).toBe(365);
  });

  it('computes Western Easter (published dates)', () => {
    const easter: [number, string][] = [
      [2019, '2019-04-21'], [2024, '2024-03-31'], [2025, '2025-04-20'], [2026, '2026-04-05'], [2027, '2027-03-28'],
      [2028, '2028-04-16'], [2029, '2029-04-01'], [2030, '2030-04-21'], [2038, '2038-04-25'],
    ];
    for (const [y, date] of easter) expect(fromEpochDay(easterSunday(y))).toBe(date);
  });
});

describe('America/New_York by rule', () => {
  // DST transitions 2024–2030 (US Energy Policy Act of 2005; checked against the IANA tz database).
  const transitions: [number, string, string][] = [
    [2024, '2024-03-10T07:00:00Z', '2024-11-03T06:00:00Z'], [2025, '2025-03-09T07:00:00Z', '2025-11-02T06:00:00Z'],
    [2026, '2026-03-08T07:00:00Z', '2026-11-01T06:00:00Z'], [2027, '2027-03-14T07:00:00Z', '2027-11-07T06:00:00Z'],
    [2028, '2028-03-12T07:00:00Z', '2028-11-05T06:00:00Z'], [2029, '2029-03-11T07:00:00Z', '2029-11-04T06:00:00Z'],
    [2030, '2030-03-10T07:00:00Z', '2030-11-03T06:00:00Z'],
  ];
  it.each(transitions)('%d: EDT from %s until %s', (year, start, end) => {
    expect(dstIntervalUtc(year)).toEqual([utc(start), utc(end)]);
    expect(nyOffsetMinutes(utc(start) - 1)).toBe(-300);
    expect(nyOffsetMinutes(utc(start))).toBe(-240);
    expect(nyOffsetMinutes(utc(end) - 1)).toBe(-240);
    expect(nyOffsetMinutes(utc(end))).toBe(-300);
  });

  it('uses the 1987–2006 rule before 2007', () => {
    expect(dstIntervalUtc(2006)).toEqual([utc('2006-04-02T07:00:00Z'), utc('2006-10-29T06:00:00Z')]);
  });

  it('agrees with the IANA database (via Intl, test-only) at random instants 2000–2037', () => {
    const fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: 'America/New_York', hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit',
    });
    fc.assert(fc.property(fc.integer({ min: utc('2000-01-01T00:00:00Z'), max: utc('2037-12-31T00:00:00Z') }), (ms) => {
      const parts = Object.fromEntries(fmt.formatToParts(new Date(ms)).map((p) => [p.type, p.value]));
      const ny = toNewYork(ms);
      expect(ny.date).toBe(`${parts.year}-${parts.month}-${parts.day}`);
      expect(ny.hour).toBe(Number(parts.hour));
      expect(ny.minute).toBe(Number(parts.minute));
    }), { numRuns: 2000 });
  });

  it('converts wall-clock times back across DST, including the gap and the repeated hour', () => {
    expect(fromNewYork(isoDate(2025, 7, 1), 9 * 60 + 30)).toBe(utc('2025-07-01T13:30:00Z'));
    expect(fromNewYork(isoDate(2025, 1, 2), 9 * 60 + 30)).toBe(utc('2025-01-02T14:30:00Z'));
    // 02:30 on 2025-03-09 does not exist: read as standard time, i.e. 03:30 EDT.
    expect(fromNewYork(isoDate(2025, 3, 9), 2 * 60 + 30)).toBe(utc('2025-03-09T07:30:00Z'));
    // 01:30 on 2025-11-02 happens twice: the earlier (EDT) instant is chosen.
    expect(fromNewYork(isoDate(2025, 11, 2), 60 + 30)).toBe(utc('2025-11-02T05:30:00Z'));
    expect(fromNewYork(isoDate(2025, 11, 2), 3 * 60)).toBe(utc('2025-11-02T08:00:00Z'));
  });

  it('round-trips every instant that is not in the repeated hour', () => {
    fc.assert(fc.property(fc.integer({ min: utc('2020-01-01T00:00:00Z'), max: utc('2031-01-01T00:00:00Z') }), (ms) => {
      const ny = toNewYork(ms);
      const back = fromNewYork(ny.date, ny.minuteOfDay + (ny.second * 1000 + ny.millisecond) / 60_000);
      const repeated = !ny.dst && ny.hour === 1 && nyOffsetMinutes(ms - 3_600_000) === -240;
      if (!repeated) expect(back).toBe(ms);
    }));
  });

  it('nyDate changes at New York midnight, not UTC midnight', () => {
    expect(nyDate(utc('2025-07-02T03:59:59Z'))).toBe('2025-07-01');
    expect(nyDate(utc('2025-07-02T04:00:00Z'))).toBe('2025-07-02');
    expect(nyDate(utc('2025-12-02T04:59:59Z'))).toBe('2025-12-01');
  });
});
