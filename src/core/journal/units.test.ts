import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fillCashMicros, microsToDecimalString, toMicros, toMicrosOrNull } from './units';

describe('micro-units', () => {
  it('turns broker doubles into exact integers', () => {
    expect(toMicros(1.15)).toBe(1_150_000);
    expect(toMicros(0.1 + 0.2)).toBe(300_000);
    expect(toMicros(-2.05)).toBe(-2_050_000);
    expect(toMicros(-0.0000001)).toBe(0);
    expect(Object.is(toMicros(-0.0000001), 0)).toBe(true);
  });

  it('reads the broker unset sentinel as no value', () => {
    expect(toMicrosOrNull(1.7976931348623157e308)).toBeNull();
    expect(toMicrosOrNull(undefined)).toBeNull();
    expect(toMicrosOrNull(0.65)).toBe(650_000);
  });

  it('sums without drift where doubles drift', () => {
    const prices = Array.from({ length: 1000 }, () => 0.1);
    expect(prices.reduce((a, b) => a + b, 0)).not.toBe(100);
    expect(prices.map(toMicros).reduce((a, b) => a + b, 0)).toBe(100_000_000);
  });

  it('multiplies price × quantity × multiplier exactly, fractional shares included', () => {
    expect(fillCashMicros(1_250_000, 3_000_000, 100)).toBe(375_000_000);
    expect(fillCashMicros(123_456_789, 500_000, 1)).toBe(61_728_394);
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 5_000_000_000 }), fc.integer({ min: 1, max: 10_000 }), (priceU, qty) => {
        expect(fillCashMicros(priceU, qty * 1_000_000, 100)).toBe(Number(BigInt(priceU) * BigInt(qty) * 100n));
      }),
    );
  });

  it('prints micro-units as plain decimals', () => {
    expect(microsToDecimalString(-12_500_000)).toBe('-12.5');
    expect(microsToDecimalString(1)).toBe('0.000001');
    expect(microsToDecimalString(0)).toBe('0');
    fc.assert(
      fc.property(fc.integer({ min: -2_000_000_000, max: 2_000_000_000 }), fc.integer({ min: 0, max: 999 }), (a, b) => {
        const u = a * 1000 + b;
        expect(toMicros(Number(microsToDecimalString(u)))).toBe(u);
      }),
    );
  });
});
