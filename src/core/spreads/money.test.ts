import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  type Micros, addMicros, cents, formatDollars, midMicros, mulMicros, parseDollars, sumMicros, toDollars, toMicros,
} from './money';
import {
  TICKS_COMBO, TICKS_NICKEL_DIME, TICKS_PENNY, TICKS_PENNY_ALL, type TickTable, isOnTick, nextTick, optionTickTable,
  roundLimitPrice, roundToTick, stepTicks, tickSizeAt, tickTableFromIncrements,
} from './ticks';

const m = (n: number): Micros => n as Micros;

describe('Micros', () => {
  it('converts broker floats exactly to the nearest micro', () => {
    expect(toMicros(1.23)).toBe(1_230_000);
    expect(toMicros(0.1 + 0.2)).toBe(300_000);
    expect(toMicros(-0.8)).toBe(-800_000);
    expect(toDollars(m(592_500_000))).toBe(592.5);
    expect(cents(125)).toBe(1_250_000);
  });

  it('never drifts when summed (unlike floats)', () => {
    let float = 0;
    for (let i = 0; i < 10; i++) float += 0.1;
    expect(float).not.toBe(1);
    expect(sumMicros(Array.from({ length: 10 }, () => toMicros(0.1)))).toBe(1_000_000);
    fc.assert(fc.property(fc.array(fc.integer({ min: -1_000_000, max: 1_000_000 }), { maxLength: 200 }), (xs) => {
      const total = sumMicros(xs.map((c) => cents(c)));
      expect(total).toBe(xs.reduce((a, b) => a + b, 0) * 10_000);
      expect(Number.isSafeInteger(total)).toBe(true);
    }));
  });

  it('parses and formats decimal text without floats', () => {
    expect(parseDollars('1.25')).toBe(1_250_000);
    expect(parseDollars('-0.8')).toBe(-800_000);
    expect(parseDollars('$1,234.50')).toBe(1_234_500_000);
    expect(parseDollars('.05')).toBe(50_000);
    expect(parseDollars('1.2345678')).toBe(null);
    expect(parseDollars('abc')).toBe(null);
    expect(formatDollars(m(1_235_000))).toBe('1.24');
    expect(formatDollars(m(-800_000))).toBe('-0.80');
    expect(formatDollars(m(-4_000))).toBe('0.00');
    expect(formatDollars(m(650_000), 4)).toBe('0.6500');
    fc.assert(fc.property(fc.integer({ min: -1e11, max: 1e11 }), (c) => {
      expect(parseDollars(formatDollars(cents(c)))).toBe(c * 10_000);
    }));
  });

  it('multiplies by whole numbers only and keeps mids exact', () => {
    expect(mulMicros(toMicros(1.25), 100)).toBe(125_000_000);
    expect(() => mulMicros(toMicros(1.25), 1.5)).toThrow(RangeError);
    expect(midMicros(toMicros(1.23), toMicros(1.24))).toBe(1_235_000);
    expect(midMicros(m(-3), m(0))).toBe(-2);
    expect(addMicros(m(1), m(2))).toBe(3);
    expect(() => addMicros(m(Number.MAX_SAFE_INTEGER), m(1))).toThrow(RangeError);
  });
});

describe('tick tables', () => {
  it('documented increments', () => {
    expect(tickSizeAt(toMicros(2.99), TICKS_PENNY)).toBe(10_000);
    expect(tickSizeAt(toMicros(3.0), TICKS_PENNY)).toBe(50_000);
    expect(tickSizeAt(toMicros(2.99), TICKS_NICKEL_DIME)).toBe(50_000);
    expect(tickSizeAt(toMicros(3.0), TICKS_NICKEL_DIME)).toBe(100_000);
    expect(tickSizeAt(toMicros(25), TICKS_PENNY_ALL)).toBe(10_000);
    expect(optionTickTable('SPY')).toBe(TICKS_PENNY_ALL);
    expect(optionTickTable('SPXW')).toBe(TICKS_NICKEL_DIME);
    expect(optionTickTable('SPX')).toBe(TICKS_NICKEL_DIME);
    expect(optionTickTable('AAPL')).toBe(TICKS_PENNY);
    expect(optionTickTable('ZZZZ')).toBe(TICKS_NICKEL_DIME); // unknown → the coarse grid, valid everywhere
  });

  it('rounds in the stated direction', () => {
    expect(roundToTick(toMicros(1.237), TICKS_PENNY, 'down')).toBe(1_230_000);
    expect(roundToTick(toMicros(1.237), TICKS_PENNY, 'up')).toBe(1_240_000);
    expect(roundToTick(toMicros(3.02), TICKS_PENNY, 'down')).toBe(3_000_000);
    expect(roundToTick(toMicros(3.02), TICKS_PENNY, 'up')).toBe(3_050_000);
    expect(roundToTick(toMicros(2.996), TICKS_PENNY, 'up')).toBe(3_000_000);
    expect(roundToTick(toMicros(3.12), TICKS_NICKEL_DIME, 'down')).toBe(3_100_000);
    expect(roundToTick(toMicros(-1.253), TICKS_COMBO, 'down')).toBe(-1_260_000);
    expect(roundToTick(toMicros(-1.253), TICKS_COMBO, 'up')).toBe(-1_250_000);
    expect(roundLimitPrice(toMicros(0.804), 'BUY', TICKS_COMBO)).toBe(800_000);
    expect(roundLimitPrice(toMicros(0.804), 'SELL', TICKS_COMBO)).toBe(810_000);
  });

  const tables: TickTable[] = [TICKS_PENNY_ALL, TICKS_PENNY, TICKS_NICKEL_DIME, TICKS_COMBO];
  const priceArb = fc.integer({ min: -50_000_000, max: 50_000_000 }).map(m);

  it('rounding never crosses the limit in the wrong direction and lands on the nearest valid tick', () => {
    fc.assert(fc.property(priceArb, fc.constantFrom(...tables), (p, table) => {
      const down = roundToTick(p, table, 'down');
      const up = roundToTick(p, table, 'up');
      expect(down).toBeLessThanOrEqual(p);
      expect(up).toBeGreaterThanOrEqual(p);
      expect(isOnTick(down, table) && isOnTick(up, table)).toBe(true);
      // Nothing valid strictly between the rounded value and the price.
      if (down < p) expect(nextTick(down, table, 'up')).toBeGreaterThanOrEqual(p);
      if (up > p) expect(nextTick(up, table, 'down')).toBeLessThanOrEqual(p);
      // A BUY limit never goes up, a SELL limit never goes down.
      expect(roundLimitPrice(p, 'BUY', table)).toBeLessThanOrEqual(p);
      expect(roundLimitPrice(p, 'SELL', table)).toBeGreaterThanOrEqual(p);
      // Idempotent on the grid.
      expect(roundToTick(down, table, 'up')).toBe(down);
    }));
  });

  it('steps whole ticks and the coarse grid is valid on the finer ones', () => {
    expect(stepTicks(toMicros(2.98), 3, TICKS_PENNY)).toBe(3_050_000); // 2.99, 3.00, 3.05
    expect(stepTicks(toMicros(3.05), -2, TICKS_PENNY)).toBe(2_990_000);
    expect(stepTicks(toMicros(1.234), 1, TICKS_PENNY)).toBe(1_240_000);
    expect(stepTicks(toMicros(1.234), 0, TICKS_PENNY)).toBe(1_234_000);
    fc.assert(fc.property(priceArb, (p) => {
      const coarse = roundToTick(p, TICKS_NICKEL_DIME, 'down');
      expect(isOnTick(coarse, TICKS_PENNY) && isOnTick(coarse, TICKS_PENNY_ALL)).toBe(true);
      const n = nextTick(p, TICKS_PENNY, 'up');
      expect(n).toBeGreaterThan(p);
    }));
  });

  it('builds tables from IBKR market-rule increments and rejects unusable ones', () => {
    expect(tickTableFromIncrements([{ lowEdge: 0, increment: 0.01 }, { lowEdge: 3, increment: 0.05 }])).toEqual(TICKS_PENNY);
    expect(tickTableFromIncrements([{ lowEdge: 0.5, increment: 0.01 }])).toBe(null);
    expect(tickTableFromIncrements([{ lowEdge: 0, increment: 0.05 }, { lowEdge: 3.01, increment: 0.1 }])).toBe(null);
  });
});
