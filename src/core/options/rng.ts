// Seeded pseudo-random numbers: xoshiro128** (uniforms) and Marsaglia's polar method (standard normals).

/** A seeded source of randomness; the same seed always yields the same sequence. */
export interface Rng {
  /** Uniform 32-bit unsigned integer. */
  nextU32(): number;
  /** Uniform double in [0, 1) with 53 random bits. */
  nextFloat(): number;
  /** Standard normal variate N(0, 1). */
  nextNormal(): number;
}

/**
 * xoshiro128** 1.1 (D. Blackman and S. Vigna, "Scrambled linear pseudorandom number generators", ACM TOMS 2021),
 * seeded through splitmix32 so any 32-bit seed gives a well-mixed, non-zero state. Period 2^128 − 1.
 */
export class Xoshiro128 implements Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  private spare = 0;
  private hasSpare = false;

  constructor(seed: number) {
    let x = seed >>> 0;
    const next = (): number => {
      // splitmix32
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  nextU32(): number {
    const s1 = this.s1;
    const t = s1 << 9;
    const m = Math.imul(s1, 5);
    const result = Math.imul((m << 7) | (m >>> 25), 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
    return result;
  }

  nextFloat(): number {
    // 21 high bits + 32 bits = 53 bits of mantissa.
    const hi = this.nextU32() >>> 11;
    const lo = this.nextU32();
    return (hi * 4294967296 + lo) / 9007199254740992;
  }

  nextNormal(): number {
    if (this.hasSpare) {
      this.hasSpare = false;
      return this.spare;
    }
    // Marsaglia polar method: two normals per accepted pair, no trigonometry.
    let u: number, v: number, s: number;
    do {
      u = 2 * this.nextU32() * 2.3283064365386963e-10 - 1;
      v = 2 * this.nextU32() * 2.3283064365386963e-10 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spare = v * f;
    this.hasSpare = true;
    return u * f;
  }
}

/** A new seeded generator (xoshiro128**). */
export function createRng(seed: number): Rng {
  return new Xoshiro128(seed);
}

/** A seeded uniform source in [0, 1) as a plain function (over `createRng`), for generators that only need uniforms. */
export function seededRandom(seed: number): () => number {
  const rng = createRng(seed);
  return () => rng.nextFloat();
}
