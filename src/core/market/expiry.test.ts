import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { exerciseStyle, optionKey, parseOptionKey, settlementStyle, strikeFromString, strikeToString } from './contracts';
import { type IsoDate, addDays, isoDate } from './dates';
import { MS_PER_YEAR, daysToExpiry, expiryInstant, expiryInstantFor, isExpired, isZeroDte, yearsToExpiry } from './expiry';
import { formatOcc, parseOcc } from './occ';

const utc = (s: string): number => Date.parse(s);
const d = (s: string): IsoDate => s as IsoDate;

describe('expiry instants', () => {
  it('PM-settled options expire at the 16:00 ET close (EST and EDT)', () => {
    expect(expiryInstant(d('2025-01-17'), 'PM')).toBe(utc('2025-01-17T21:00:00Z'));
    expect(expiryInstant(d('2025-06-20'), 'PM')).toBe(utc('2025-06-20T20:00:00Z'));
    expect(expiryInstantFor('SPY', d('2025-06-20'))).toBe(utc('2025-06-20T20:00:00Z'));
    expect(expiryInstantFor('SPXW', d('2025-06-20'))).toBe(utc('2025-06-20T20:00:00Z'));
  });

  it('on an early-close day the PM expiry is the 13:00 ET close', () => {
    expect(expiryInstant(d('2025-11-28'), 'PM')).toBe(utc('2025-11-28T18:00:00Z'));
    expect(expiryInstant(d('2025-12-24'), 'PM')).toBe(utc('2025-12-24T18:00:00Z'));
  });

  it('AM-settled SPX monthlies settle at the 09:30 ET open of the expiry date', () => {
    expect(settlementStyle('SPX')).toBe('AM');
    expect(settlementStyle('SPXW')).toBe('PM');
    expect(expiryInstantFor('SPX', d('2025-03-21'))).toBe(utc('2025-03-21T13:30:00Z'));
    expect(expiryInstantFor('SPX', d('2025-01-17'))).toBe(utc('2025-01-17T14:30:00Z'));
  });

  it('DTE counts New York calendar days; 0DTE holds until the settlement instant', () => {
    const expiry = d('2025-06-20');
    expect(daysToExpiry(utc('2025-06-13T15:00:00Z'), expiry)).toBe(7);
    expect(daysToExpiry(utc('2025-06-20T03:00:00Z'), expiry)).toBe(1); // still the 19th in New York
    expect(daysToExpiry(utc('2025-06-20T15:00:00Z'), expiry)).toBe(0);
    expect(isZeroDte(utc('2025-06-20T19:59:59Z'), expiry, 'PM')).toBe(true);
    expect(isZeroDte(utc('2025-06-20T20:00:00Z'), expiry, 'PM')).toBe(false);
    expect(isExpired(utc('2025-06-20T20:00:00Z'), expiry, 'PM')).toBe(true);
    expect(isZeroDte(utc('2025-06-20T13:00:00Z'), expiry, 'AM')).toBe(true);
    expect(isZeroDte(utc('2025-06-20T13:30:00Z'), expiry, 'AM')).toBe(false);
  });

  it('time to expiry is ACT/365 calendar time and never negative', () => {
    const exp = expiryInstant(d('2025-06-20'), 'PM');
    expect(yearsToExpiry(exp - MS_PER_YEAR / 365, exp)).toBeCloseTo(1 / 365, 15);
    expect(yearsToExpiry(exp + 1, exp)).toBe(0);
    fc.assert(fc.property(fc.integer({ min: 0, max: 3 * 365 * 86_400_000 }), (dt) => {
      expect(yearsToExpiry(exp - dt, exp)).toBeCloseTo(dt / (365 * 86_400_000), 15);
    }));
  });
});

describe('OCC symbols', () => {
  it('parses and formats the padded form', () => {
    const res = parseOcc('SPY   250117C00590000');
    expect(res).toEqual({ ok: true, value: { root: 'SPY', expiry: '2025-01-17', right: 'C', strikeMicros: 590_000_000 } });
    expect(formatOcc({ root: 'SPXW', expiry: d('2025-03-21'), right: 'P', strikeMicros: 5_902_500_000 })).toEqual({ ok: true, value: 'SPXW  250321P05902500' });
    expect(parseOcc('SPY250117C00590000')).toMatchObject({ ok: true, value: { root: 'SPY' } });
  });

  it('round-trips any representable contract', () => {
    fc.assert(fc.property(
      fc.stringMatching(/^[A-Z][A-Z0-9]{0,5}$/), fc.integer({ min: 0, max: 36_500 }), fc.constantFrom('C' as const, 'P' as const),
      fc.integer({ min: 1, max: 99_999_999 }),
      (root, dayOffset, right, thousandths) => {
        const date = addDays(isoDate(2000, 1, 1), dayOffset);
        fc.pre(Number(date.slice(0, 4)) <= 2099);
        const o = { root, expiry: date, right, strikeMicros: thousandths * 1000 };
        const text = formatOcc(o);
        expect(text.ok).toBe(true);
        if (text.ok) {
          expect(text.value).toHaveLength(21);
          expect(parseOcc(text.value)).toEqual({ ok: true, value: o });
        }
      },
    ));
  });

  it('rejects malformed symbols with a reason', () => {
    expect(parseOcc('SPY 250117X00590000')).toMatchObject({ ok: false, error: { code: 'FORMAT' } });
    expect(parseOcc('SPY   250231C00590000')).toMatchObject({ ok: false, error: { code: 'DATE' } });
    expect(formatOcc({ root: 'TOOLONGX', expiry: d('2025-01-17'), right: 'C', strikeMicros: 1_000_000 })).toMatchObject({ ok: false, error: { code: 'ROOT' } });
    expect(formatOcc({ root: 'SPY', expiry: d('2025-01-17'), right: 'C', strikeMicros: 1 })).toMatchObject({ ok: false, error: { code: 'STRIKE' } });
  });
});

describe('contract keys and styles', () => {
  it('builds stable keys and parses them back', () => {
    const c = { underlying: 'spx', tradingClass: 'SPXW', expiry: d('2025-01-17'), right: 'P' as const, strikeMicros: 5_902_500_000 };
    expect(optionKey(c)).toBe('OPT:SPX/SPXW:2025-01-17:P:5902.5');
    expect(parseOptionKey('OPT:SPX/SPXW:2025-01-17:P:5902.5')).toEqual({ ...c, underlying: 'SPX' });
    expect(optionKey({ underlying: 'SPY', expiry: d('2025-01-17'), right: 'C', strikeMicros: 590_000_000 })).toBe('OPT:SPY:2025-01-17:C:590');
    expect(parseOptionKey('OPT:SPY:2025-02-30:C:590')).toBe(null);
  });

  it('writes strikes exactly', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10_000_000_000 }), (m) => {
      expect(strikeFromString(strikeToString(m))).toBe(m);
    }));
    expect(strikeToString(592_500_000)).toBe('592.5');
    expect(strikeToString(1_000)).toBe('0.001');
  });

  it('knows exercise styles: index options European, equity/ETF American', () => {
    expect(exerciseStyle('SPX')).toBe('european');
    expect(exerciseStyle('SPXW')).toBe('european');
    expect(exerciseStyle('SPY')).toBe('american');
    expect(exerciseStyle('AAPL')).toBe('american');
  });
});
