// The bounded heap and the tie key against plain sorting.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compareIdentity, decodeTieKey, fingerprint, tieKey } from './fingerprint';
import { TopKHeap } from './heap';
import { SPREAD_KINDS } from '../contract/scanner';

describe('TopKHeap', () => {
  it('keeps exactly the K best (score desc, key asc), including ties', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 1e6 })), { maxLength: 300 }), fc.integer({ min: 1, max: 40 }), (items, k) => {
        const uniq = [...new Map(items.map(([s, key]) => [key, s])).entries()].map(([key, s]) => ({ score: s / 4, key }));
        const heap = new TopKHeap(k);
        for (const it of uniq) heap.offer(it.score, it.key);
        const want = [...uniq].sort((a, b) => (a.score !== b.score ? b.score - a.score : a.key - b.key)).slice(0, k);
        expect(heap.sorted()).toEqual(want);
      }),
    );
  });
});

describe('fingerprint and tie key', () => {
  it('formats short strike first', () => {
    expect(fingerprint('SPY', 'bull-put', '20250117', 580, 575)).toBe('SPY:bull-put:20250117:580/575');
    expect(fingerprint('SPY', 'bear-call', '20250117', 582.5, 587.5)).toBe('SPY:bear-call:20250117:582.5/587.5');
  });

  it('the numeric key orders like the fingerprint identity and round-trips', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 1023 }), fc.integer({ min: 0, max: 8191 }), fc.integer({ min: 0, max: 8191 })), { minLength: 2, maxLength: 2 }),
        (pair) => {
          const [a, b] = pair.map(([k, e, s, l]) => ({ k, e, s, l, key: tieKey(k, e, s, l) }));
          expect(decodeTieKey(a!.key)).toEqual({ kindIdx: a!.k, expiryIdx: a!.e, shortIdx: a!.s, longIdx: a!.l });
          const row = (x: typeof a) => ({ score: 0, symbol: 'X', kind: SPREAD_KINDS[x!.k]!, expiry: String(20250000 + x!.e), shortStrike: x!.s, longStrike: x!.l });
          expect(Math.sign(a!.key - b!.key)).toBe(Math.sign(compareIdentity(row(a), row(b))));
        },
      ),
    );
  });
});
