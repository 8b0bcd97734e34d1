import { describe, expect, it } from 'vitest';
import { Xoshiro128, createRng } from './rng';
import { brentRoot } from './solve';

describe('seeded RNG', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = createRng(123), b = createRng(123), c = createRng(124);
    const xs = Array.from({ length: 8 }, () => a.nextU32());
    expect(Array.from({ length: 8 }, () => b.nextU32())).toEqual(xs);
    expect(Array.from({ length: 8 }, () => c.nextU32())).not.toEqual(xs);
    for (const x of xs) expect(Number.isInteger(x) && x >= 0 && x < 2 ** 32).toBe(true);
  });

  it('gives uniforms in [0, 1) and standard normals with the right moments', () => {
    const rng = new Xoshiro128(2024);
    const n = 200_000;
    let su = 0, sn = 0, sn2 = 0, sn4 = 0;
    for (let i = 0; i < n; i++) {
      const u = rng.nextFloat();
      expect(u >= 0 && u < 1).toBe(true);
      su += u;
      const z = rng.nextNormal();
      sn += z; sn2 += z * z; sn4 += z ** 4;
    }
    expect(su / n).toBeCloseTo(0.5, 2);
    expect(sn / n).toBeCloseTo(0, 2);
    expect(sn2 / n).toBeCloseTo(1, 1);
    expect(sn4 / n).toBeCloseTo(3, 1);
  });
});

describe('brentRoot', () => {
  it('finds roots on a bracket and refuses a bad one', () => {
    expect(brentRoot((x) => x * x - 2, 0, 2, 1e-14)).toBeCloseTo(Math.SQRT2, 13);
    expect(brentRoot((x) => Math.cos(x) - x, 0, 1, 1e-14)).toBeCloseTo(0.7390851332151607, 13);
    expect(Number.isNaN(brentRoot((x) => x * x + 1, -1, 1, 1e-12))).toBe(true);
  });
});
