// Seeded randomness for the simulated market: counter-based hashes, so the same (seed, keys) give the same draw in any order.

/** Final avalanche of murmur3: spreads every input bit over the output. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Folds integer keys into a 32-bit hash; keys are truncated to 32 bits. */
export function hash32(seed: number, a = 0, b = 0, c = 0, d = 0): number {
  let h = mix32((seed ^ 0x9e3779b9) >>> 0);
  h = mix32((h ^ (a >>> 0)) + 0x9e3779b9 + (h << 6) + (h >>> 2));
  h = mix32((h ^ (b >>> 0)) + 0x7f4a7c15 + (h << 6) + (h >>> 2));
  h = mix32((h ^ (c >>> 0)) + 0x85ebca6b + (h << 6) + (h >>> 2));
  h = mix32((h ^ (d >>> 0)) + 0xc2b2ae35 + (h << 6) + (h >>> 2));
  return h;
}

const TWO32 = 4294967296;

/** Uniform draw in the open interval (0, 1). */
export function uniform(seed: number, a = 0, b = 0, c = 0, d = 0): number {
  return (hash32(seed, a, b, c, d) + 0.5) / TWO32;
}

/** Standard normal draw (Box–Muller over two independent hashes). */
export function normal(seed: number, a = 0, b = 0, c = 0): number {
  const u1 = uniform(seed, a, b, c, 0x51ed);
  const u2 = uniform(seed, a, b, c, 0x2bad);
  return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
}

/** FNV-1a of a string: turns symbols and class names into stable integer keys. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}
