import { describe, expect, it } from 'vitest';
import { marketSession } from './market-session';

// Instants in UTC; New York is UTC−5 in winter, UTC−4 in summer.
describe('marketSession', () => {
  it('names the regular session and the NY clock', () => {
    expect(marketSession(Date.UTC(2026, 11, 4, 15, 30, 5))).toEqual({ kind: 'regular', label: 'Market open', detail: null, clock: '10:30:05' });
  });
  it('pre-market and after hours', () => {
    expect(marketSession(Date.UTC(2026, 11, 4, 12, 0)).kind).toBe('pre');
    expect(marketSession(Date.UTC(2026, 11, 4, 22, 0)).kind).toBe('after');
    expect(marketSession(Date.UTC(2026, 11, 4, 22, 0)).label).toBe('After hours');
  });
  it('closed on a holiday, with its name', () => {
    // Thanksgiving 2026 is Thursday 26 November.
    expect(marketSession(Date.UTC(2026, 10, 26, 16, 0))).toMatchObject({ kind: 'closed', detail: 'Thanksgiving Day' });
  });
  it('the early close the day after Thanksgiving', () => {
    const at = (h: number) => marketSession(Date.UTC(2026, 10, 27, h, 0));
    expect(at(17)).toMatchObject({ kind: 'regular', detail: 'early close 13:00 ET' }); // 12:00 ET
    expect(at(19)).toMatchObject({ kind: 'after', detail: 'early close 13:00 ET' }); // 14:00 ET
  });
  it('closed at the weekend', () => {
    expect(marketSession(Date.UTC(2026, 11, 5, 16, 0))).toMatchObject({ kind: 'closed', detail: 'weekend' });
  });
  it('summer time: 09:30 ET is 13:30 UTC', () => {
    expect(marketSession(Date.UTC(2026, 6, 15, 13, 29)).kind).toBe('pre');
    expect(marketSession(Date.UTC(2026, 6, 15, 13, 30)).kind).toBe('regular');
  });
});
