// Early exercise: only in the money, only American, only without time value; BS2002 puts deep in the money qualify.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { optionValue } from './pricer';
import { EARLY_EXERCISE_TIME_VALUE, exercisesEarly } from './settlement';

describe('early exercise rule', () => {
  it('never for an option out of the money or at the money, nor for a European one, nor with time value left', () => {
    fc.assert(
      fc.property(fc.constantFrom<'C' | 'P'>('C', 'P'), fc.double({ min: 10, max: 1000, noNaN: true }), fc.double({ min: 10, max: 1000, noNaN: true }), fc.double({ min: 0, max: 50, noNaN: true }), (right, strike, spot, tv) => {
        const intrinsic = Math.max(0, right === 'C' ? spot - strike : strike - spot);
        const value = intrinsic + tv;
        const yes = exercisesEarly({ right, strike, spot, value, american: true });
        if (intrinsic < 0.01 || tv >= EARLY_EXERCISE_TIME_VALUE) expect(yes).toBe(false);
        else expect(yes).toBe(true);
        expect(exercisesEarly({ right, strike, spot, value, american: false })).toBe(false);
      }),
    );
  });

  it('a deep in-the-money American put (BS2002) is exercised, a near-the-money one is not', () => {
    const deep = optionValue(true, false, 400, 600, 30 / 365, 0.045, 0.013, 0.2).price;
    expect(exercisesEarly({ right: 'P', strike: 600, spot: 400, value: deep, american: true })).toBe(true);
    const near = optionValue(true, false, 580, 600, 30 / 365, 0.045, 0.013, 0.2).price;
    expect(exercisesEarly({ right: 'P', strike: 600, spot: 580, value: near, american: true })).toBe(false);
  });
});
