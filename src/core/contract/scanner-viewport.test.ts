// scan.viewport's schema: the visible rows by fingerprint, bounded, nothing else.
import { describe, expect, it } from 'vitest';
import { VIEWPORT_MAX_ROWS, methods } from './index';

const args = methods['scan.viewport'].args;
const messages = (v: unknown): string[] => {
  const r = args.safeParse(v);
  return r.success ? [] : r.error.issues.map((i) => i.message);
};

describe('scan.viewport arguments', () => {
  it('takes a scan id and up to VIEWPORT_MAX_ROWS fingerprints (none is a valid viewport)', () => {
    expect(args.safeParse({ scanId: 'a', fingerprints: ['SPY:bull-put:20261211:600/595'] }).success).toBe(true);
    expect(args.safeParse({ scanId: 'a', fingerprints: [] }).success).toBe(true);
    expect(args.safeParse({ scanId: 'a', fingerprints: Array.from({ length: VIEWPORT_MAX_ROWS }, (_, i) => `f${i}`) }).success).toBe(true);
  });

  it('refuses a viewport too large, an empty or overlong fingerprint, a missing scan id and unknown keys', () => {
    expect(messages({ scanId: 'a', fingerprints: Array.from({ length: VIEWPORT_MAX_ROWS + 1 }, (_, i) => `f${i}`) })).toEqual([`At most ${VIEWPORT_MAX_ROWS} visible rows can be reported`]);
    expect(messages({ scanId: 'a', fingerprints: [''] })).toEqual(['A fingerprint must not be empty']);
    expect(messages({ scanId: 'a', fingerprints: ['x'.repeat(121)] })).toEqual(['A fingerprint is at most 120 characters']);
    expect(args.safeParse({ fingerprints: [] }).success).toBe(false);
    expect(args.safeParse({ scanId: '', fingerprints: [] }).success).toBe(false);
    expect(args.safeParse({ scanId: 'a', fingerprints: [1] }).success).toBe(false);
    expect(args.safeParse({ scanId: 'a', fingerprints: 'SPY' }).success).toBe(false);
    expect(args.safeParse({ scanId: 'a', fingerprints: [], first: 0 }).success).toBe(false);
  });
});
