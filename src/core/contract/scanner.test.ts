// The scan request's what-if setting: how many of the best rows get IBKR's what-if (default 10, 0 = off), and a bad
// value refused with a sentence the trader can act on.
import { describe, expect, it } from 'vitest';
import { DEFAULT_WHAT_IF_TOP, MAX_WHAT_IF_TOP, ScanPreset, ScanRequest, ScanRow } from './scanner';

const BASE = {
  symbols: ['SPY'],
  filters: { kinds: ['bull-put'], dte: { min: 0, max: 7 } },
  scoring: { by: 'ror', basis: 'mid' },
};

const why = (v: unknown): string => {
  const r = ScanRequest.safeParse({ ...BASE, whatIfTop: v });
  expect(r.success).toBe(false);
  const issue = r.success ? undefined : r.error.issues[0];
  expect(issue?.path).toEqual(['whatIfTop']);
  return issue?.message ?? '';
};

describe('ScanRequest.whatIfTop', () => {
  it('defaults to 10 rows; 0 turns it off; up to 50', () => {
    expect(DEFAULT_WHAT_IF_TOP).toBe(10);
    expect(ScanRequest.parse(BASE).whatIfTop).toBe(10);
    expect(ScanRequest.parse({ ...BASE, whatIfTop: 0 }).whatIfTop).toBe(0);
    expect(ScanRequest.parse({ ...BASE, whatIfTop: MAX_WHAT_IF_TOP }).whatIfTop).toBe(50);
  });

  it('refuses a bad value with a sentence', () => {
    expect(why(-1)).toBe('What-if rows must be 0 (off) or more');
    expect(why(2.5)).toBe('What-if rows must be a whole number');
    expect(why(51)).toBe('What-if rows must be at most 50');
    expect(why('ten')).toBe('What-if rows must be a number');
    expect(why(null)).toBe('What-if rows must be a number');
  });

  it('a preset may keep it (absent in presets saved before it existed)', () => {
    const preset = { name: 'p', symbols: ['SPY'], filters: BASE.filters, scoring: BASE.scoring, topPerSymbol: 5, top: 5 };
    expect(ScanPreset.safeParse(preset).success).toBe(true);
    expect(ScanPreset.parse({ ...preset, whatIfTop: 3 }).whatIfTop).toBe(3);
    expect(ScanPreset.safeParse({ ...preset, whatIfTop: -1 }).success).toBe(false);
  });

  it('a row’s what-if is optional and nullable, its reason a sentence or null', () => {
    const shape = ScanRow.pick({ whatIf: true, whatIfUnavailable: true });
    expect(shape.safeParse({}).success).toBe(true);
    expect(shape.safeParse({ whatIf: null, whatIfUnavailable: 'No what-if: IBKR did not answer within 5 s.' }).success).toBe(true);
    expect(shape.safeParse({ whatIf: { initMarginChange: 500, maintMarginChange: 500, commission: 1.3, at: 1 }, whatIfUnavailable: null }).success).toBe(true);
    expect(shape.safeParse({ whatIf: { initMarginChange: 500, commission: 1.3, at: 1 } }).success).toBe(false);
  });
});
