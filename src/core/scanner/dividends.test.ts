// q's source order (request, settings, IBKR, none) and IBKR's yield from the dividend amounts.
import { describe, expect, it } from 'vitest';
import { chooseDivYield, ibkrDivYield } from './dividends';

describe('dividend yield', () => {
  it('IBKR: next 12 months ÷ spot, past 12 months when there is no forecast', () => {
    expect(ibkrDivYield({ past12: 6.5, next12: 7.2 }, 600)).toBeCloseTo(0.012, 12);
    expect(ibkrDivYield({ past12: 6, next12: null }, 600)).toBeCloseTo(0.01, 12);
    expect(ibkrDivYield({ past12: 0, next12: 0 }, 600)).toBe(0);
    expect(ibkrDivYield({ past12: null, next12: null }, 600)).toBeNull();
    expect(ibkrDivYield(null, 600)).toBeNull();
    expect(ibkrDivYield({ past12: 1, next12: 1 }, 0)).toBeNull();
    expect(ibkrDivYield({ past12: 1, next12: 1 }, NaN)).toBeNull();
  });

  it('the request, then the settings, then IBKR, then 0 — each named', () => {
    const ibkr = { past12: 6, next12: 7.2 };
    expect(chooseDivYield({ request: 0.02, settings: 0.015, ibkr, spot: 600 })).toEqual({ divYield: 0.02, divSource: 'request' });
    expect(chooseDivYield({ request: 0, settings: 0.015, ibkr, spot: 600 })).toEqual({ divYield: 0, divSource: 'request' });
    expect(chooseDivYield({ settings: 0.015, ibkr, spot: 600 })).toEqual({ divYield: 0.015, divSource: 'settings' });
    expect(chooseDivYield({ ibkr, spot: 600 })).toEqual({ divYield: 0.012, divSource: 'ibkr' });
    expect(chooseDivYield({ ibkr: null, spot: 600 })).toEqual({ divYield: 0, divSource: 'none' });
  });
});
