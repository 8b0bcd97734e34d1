import { describe, expect, it } from 'vitest';
import {
  holidayName, isEarlyClose, isTradingDay, listEarlyCloses, listHolidays, nextTradingDay, previousTradingDay,
  sessionState, specialClosureReason, tradingDaysBetween, tradingSession,
} from './calendar';
import { type IsoDate, isoDate } from './dates';
import { nyInstant } from './timezone';

const d = (s: string): IsoDate => s as IsoDate;
const utc = (s: string): number => Date.parse(s);

// NYSE holidays and early closes 2024–2030. 2024–2027 as published by NYSE (holidays & trading hours page);
// 2028–2030 derived from the same rules and checked against the weekday of every date.
const HOLIDAYS: Record<number, string[]> = {
  2024: ['01-01', '01-15', '02-19', '03-29', '05-27', '06-19', '07-04', '09-02', '11-28', '12-25'],
  2025: ['01-01', '01-09', '01-20', '02-17', '04-18', '05-26', '06-19', '07-04', '09-01', '11-27', '12-25'],
  2026: ['01-01', '01-19', '02-16', '04-03', '05-25', '06-19', '07-03', '09-07', '11-26', '12-25'],
  2027: ['01-01', '01-18', '02-15', '03-26', '05-31', '06-18', '07-05', '09-06', '11-25', '12-24'],
  2028: ['01-17', '02-21', '04-14', '05-29', '06-19', '07-04', '09-04', '11-23', '12-25'],
  2029: ['01-01', '01-15', '02-19', '03-30', '05-28', '06-19', '07-04', '09-03', '11-22', '12-25'],
  2030: ['01-01', '01-21', '02-18', '04-19', '05-27', '06-19', '07-04', '09-02', '11-28', '12-25'],
};
const EARLY_CLOSES: Record<number, string[]> = {
  2024: ['07-03', '11-29', '12-24'],
  2025: ['07-03', '11-28', '12-24'],
  2026: ['11-27', '12-24'],
  2027: ['11-26'],
  2028: ['07-03', '11-24'],
  2029: ['07-03', '11-23', '12-24'],
  2030: ['07-03', '11-29', '12-24'],
};

describe('NYSE holidays 2024–2030', () => {
  it.each(Object.entries(HOLIDAYS))('%s full-day closures', (year, days) => {
    expect(listHolidays(Number(year)).map((h) => h.date)).toEqual(days.map((md) => `${year}-${md}`));
  });

  it.each(Object.entries(EARLY_CLOSES))('%s early closes (13:00 ET)', (year, days) => {
    expect(listEarlyCloses(Number(year))).toEqual(days.map((md) => `${year}-${md}`));
  });

  it('has no other closed weekdays and no other early closes in 2024–2030', () => {
    for (let y = 2024; y <= 2030; y++) {
      const holidays = new Set((HOLIDAYS[y] ?? []).map((md) => `${y}-${md}`));
      const early = new Set((EARLY_CLOSES[y] ?? []).map((md) => `${y}-${md}`));
      for (let m = 1; m <= 12; m++) {
        for (let day = 1; day <= 31; day++) {
          let date: IsoDate;
          try {
            date = isoDate(y, m, day);
          } catch {
            continue;
          }
          const wd = new Date(`${date}T12:00:00Z`).getUTCDay();
          const weekend = wd === 0 || wd === 6;
          expect(isTradingDay(date)).toBe(!weekend && !holidays.has(date));
          expect(isEarlyClose(date)).toBe(early.has(date));
        }
      }
    }
  });
});

describe('holiday rules', () => {
  it('New Year on Sunday moves to Monday; on Saturday it is not observed (Dec 31 stays open)', () => {
    expect(holidayName(d('2023-01-02'))).toBe("New Year's Day");
    expect(holidayName(d('2022-01-01'))).toBe(null);
    expect(isTradingDay(d('2021-12-31'))).toBe(true);
    expect(isTradingDay(d('2027-12-31'))).toBe(true);
  });

  it('Juneteenth from 2022, observed Friday/Monday', () => {
    expect(isTradingDay(d('2021-06-18'))).toBe(true);
    expect(holidayName(d('2022-06-20'))).toBe('Juneteenth'); // Sunday 19th → Monday
    expect(holidayName(d('2027-06-18'))).toBe('Juneteenth'); // Saturday 19th → Friday
    expect(holidayName(d('2025-06-19'))).toBe('Juneteenth');
  });

  it('Independence Day and Christmas observed on Friday/Monday', () => {
    expect(holidayName(d('2026-07-03'))).toBe('Independence Day'); // Sat July 4
    expect(holidayName(d('2027-07-05'))).toBe('Independence Day'); // Sun July 4
    expect(holidayName(d('2027-12-24'))).toBe('Christmas Day'); // Sat Dec 25
    expect(holidayName(d('2022-12-26'))).toBe('Christmas Day'); // Sun Dec 25
  });

  it('Good Friday follows Western Easter; Monday holidays; Thanksgiving', () => {
    expect(holidayName(d('2025-04-18'))).toBe('Good Friday');
    expect(holidayName(d('2027-03-26'))).toBe('Good Friday');
    expect(holidayName(d('2025-01-20'))).toBe('Martin Luther King Jr. Day');
    expect(holidayName(d('2025-02-17'))).toBe("Washington's Birthday");
    expect(holidayName(d('2025-05-26'))).toBe('Memorial Day');
    expect(holidayName(d('2025-09-01'))).toBe('Labor Day');
    expect(holidayName(d('2025-11-27'))).toBe('Thanksgiving Day');
  });

  it('knows the unscheduled closure of 2025-01-09 (national day of mourning)', () => {
    expect(holidayName(d('2025-01-09'))).toBe('Special closure');
    expect(specialClosureReason(d('2025-01-09'))).toContain('Carter');
    expect(isTradingDay(d('2018-12-05'))).toBe(false);
  });

  it('early closes: July 3 only Mon–Thu, day after Thanksgiving, Christmas Eve only Mon–Thu', () => {
    expect(isEarlyClose(d('2026-07-02'))).toBe(false); // July 3, 2026 is the observed holiday
    expect(isEarlyClose(d('2027-07-02'))).toBe(false); // July 3, 2027 is a Saturday
    expect(isEarlyClose(d('2023-07-03'))).toBe(true); // Monday
    expect(isEarlyClose(d('2025-11-28'))).toBe(true);
    expect(isEarlyClose(d('2027-12-23'))).toBe(false);
    expect(isEarlyClose(d('2018-12-24'))).toBe(true); // Monday
  });

  it('steps over weekends and holidays', () => {
    expect(nextTradingDay(d('2025-04-17'))).toBe('2025-04-21'); // over Good Friday and the weekend
    expect(previousTradingDay(d('2025-01-10'))).toBe('2025-01-08'); // over the 2025-01-09 closure
    expect(tradingDaysBetween(d('2025-12-22'), d('2026-01-02'))).toBe(7);
  });
});

describe('sessions', () => {
  it('pre, regular, post and closed boundaries on a normal day (EDT)', () => {
    // 2025-07-01 is a Tuesday in daylight time: 09:30 ET = 13:30Z.
    expect(sessionState(utc('2025-07-01T07:59:59Z'))).toBe('closed');
    expect(sessionState(utc('2025-07-01T08:00:00Z'))).toBe('pre');
    expect(sessionState(utc('2025-07-01T13:29:59Z'))).toBe('pre');
    expect(sessionState(utc('2025-07-01T13:30:00Z'))).toBe('regular');
    expect(sessionState(utc('2025-07-01T19:59:59Z'))).toBe('regular');
    expect(sessionState(utc('2025-07-01T20:00:00Z'))).toBe('post');
    expect(sessionState(utc('2025-07-02T00:00:00Z'))).toBe('closed');
  });

  it('the same wall-clock boundaries in standard time (EST)', () => {
    expect(sessionState(utc('2025-12-01T14:29:59Z'))).toBe('pre');
    expect(sessionState(utc('2025-12-01T14:30:00Z'))).toBe('regular');
    expect(sessionState(utc('2025-12-01T21:00:00Z'))).toBe('post');
  });

  it('early-close days end regular at 13:00 and post at 17:00 ET', () => {
    expect(sessionState(utc('2025-11-28T17:59:59Z'))).toBe('regular'); // 12:59:59 EST
    expect(sessionState(utc('2025-11-28T18:00:00Z'))).toBe('post');
    expect(sessionState(utc('2025-11-28T21:59:59Z'))).toBe('post');
    expect(sessionState(utc('2025-11-28T22:00:00Z'))).toBe('closed');
    const s = tradingSession(d('2025-12-24'));
    expect(s?.earlyClose).toBe(true);
    expect(s?.close).toBe(utc('2025-12-24T18:00:00Z'));
  });

  it('is closed on weekends and holidays, all day', () => {
    expect(sessionState(utc('2025-07-04T15:00:00Z'))).toBe('closed');
    expect(sessionState(utc('2025-07-05T15:00:00Z'))).toBe('closed');
    expect(tradingSession(d('2025-07-04'))).toBe(null);
  });

  it('opens at 09:30 ET on the DST change weeks (UTC moves, wall clock does not)', () => {
    expect(tradingSession(d('2025-03-07'))?.open).toBe(utc('2025-03-07T14:30:00Z')); // Friday before, EST
    expect(tradingSession(d('2025-03-10'))?.open).toBe(utc('2025-03-10T13:30:00Z')); // Monday after, EDT
    expect(tradingSession(d('2025-10-31'))?.open).toBe(utc('2025-10-31T13:30:00Z'));
    expect(tradingSession(d('2025-11-03'))?.open).toBe(utc('2025-11-03T14:30:00Z'));
    expect(nyInstant(d('2025-11-03'), 16)).toBe(utc('2025-11-03T21:00:00Z'));
  });
});
