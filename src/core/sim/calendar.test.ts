// NYSE calendar and Eastern time: holidays, early closes, DST, expiry dates.
import { describe, expect, it } from 'vitest';
import { dayFromYmd, dayToYmd, etToUtc, formatEt, isEarlyClose, isTradingDay, monthlyExpiry, nextTradingDay, parseYmd, sessionOf, utcToEt } from './calendar';

const d = (s: string): number => parseYmd(s) ?? NaN;

describe('NYSE calendar', () => {
  it('knows the 2025 and 2026 holidays', () => {
    for (const h of ['20250101', '20250120', '20250217', '20250418', '20250526', '20250619', '20250704', '20250901', '20251127', '20251225']) expect(isTradingDay(d(h)), h).toBe(false);
    for (const h of ['20260101', '20260119', '20260216', '20260403', '20260525', '20260619', '20260703', '20260907', '20261126', '20261225']) expect(isTradingDay(d(h)), h).toBe(false);
    expect(isTradingDay(d('20250102'))).toBe(true);
    expect(isTradingDay(d('20250109'))).toBe(false); // special closure (day of mourning)
    expect(isTradingDay(d('20250104'))).toBe(false); // Saturday
  });

  it('knows early closes', () => {
    expect(isEarlyClose(d('20250703'))).toBe(true);
    expect(isEarlyClose(d('20251128'))).toBe(true);
    expect(isEarlyClose(d('20251224'))).toBe(true);
    const s = sessionOf(d('20251128'));
    expect(s && (s.close - s.open) / 60_000).toBe(210);
  });

  it('converts Eastern time across DST', () => {
    expect(new Date(etToUtc(dayFromYmd(2025, 3, 7), 570)).toISOString()).toBe('2025-03-07T14:30:00.000Z');
    expect(new Date(etToUtc(dayFromYmd(2025, 3, 10), 570)).toISOString()).toBe('2025-03-10T13:30:00.000Z');
    expect(new Date(etToUtc(dayFromYmd(2025, 11, 3), 960)).toISOString()).toBe('2025-11-03T21:00:00.000Z');
    expect(formatEt(Date.parse('2025-01-02T14:30:00Z'))).toBe('20250102 09:30:00 US/Eastern');
    expect(utcToEt(Date.parse('2025-07-01T03:00:00Z')).day).toBe(dayFromYmd(2025, 6, 30));
  });

  it('puts monthly expiries on third Fridays, or the Thursday before a holiday', () => {
    expect(dayToYmd(monthlyExpiry(2025, 1))).toBe('20250117');
    expect(dayToYmd(monthlyExpiry(2025, 4))).toBe('20250417');
    expect(dayToYmd(monthlyExpiry(2026, 6))).toBe('20260618');
    expect(dayToYmd(nextTradingDay(d('20250703')))).toBe('20250707');
  });

  it('parses dates strictly', () => {
    expect(parseYmd('20250230')).toBeNull();
    expect(parseYmd('2025-01-17')).toBe(d('20250117'));
    expect(parseYmd('abc')).toBeNull();
  });
});
