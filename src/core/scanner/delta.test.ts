// Delta frames: applying each frame's delta to what the receiver holds gives exactly the rows the sender ranked.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ResultsAssembler, diffResults } from './delta';
import { ScanEngine } from './engine';
import { syntheticChain } from './synthetic';
import type { ScanRow } from '../contract/scanner';

function ranked(seed: number, k: number): ScanRow[] {
  const chain = syntheticChain({ seed, expiries: 2, strikes: 40 });
  return new ScanEngine().scanChain(chain, { filters: { kinds: ['bull-put', 'bear-call'], dte: { min: 0, max: 30 } }, scoring: { by: 'ror', basis: 'mid' }, topPerSymbol: k, now: chain.asOf }).rows;
}

describe('results deltas', () => {
  it('a receiver applying deltas holds exactly the sent rows, and unchanged rows are not resent', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 30 })), { minLength: 1, maxLength: 6 }), (frames) => {
        const rx = new ResultsAssembler();
        let sent = new Map<string, ScanRow>();
        for (const [seed, k] of frames) {
          const rows = ranked(seed, k);
          const delta = diffResults(sent, rows);
          const got = rx.apply({ scanId: 's', rows: [], at: 0, delta });
          expect(got.map((r) => r.fingerprint)).toEqual(rows.map((r) => r.fingerprint));
          expect(got.map((r) => ({ ...r, quoteAgeMs: null }))).toEqual(rows.map((r) => ({ ...r, quoteAgeMs: null })));
          for (const c of delta.changed) expect(sent.get(c.fingerprint)).not.toEqual(c);
          sent = new Map(rows.map((r) => [r.fingerprint, r]));
        }
      }),
      { numRuns: 30 },
    );
  });

  it('the same rows twice send no row the second time', () => {
    const rows = ranked(1, 20);
    const first = diffResults(new Map(), rows);
    expect(first.changed.length).toBe(rows.length);
    const again = diffResults(new Map(rows.map((r) => [r.fingerprint, r])), rows);
    expect(again.changed).toEqual([]);
    expect(again.order.length).toBe(rows.length);
  });

  it('a delta naming a row never received throws (the receiver then asks for the full state)', () => {
    const rows = ranked(1, 5);
    const rx = new ResultsAssembler();
    expect(() => rx.apply({ scanId: 's', rows: [], at: 0, delta: { order: rows.map((r) => r.fingerprint), changed: [] } })).toThrow(/missing/);
  });
});
