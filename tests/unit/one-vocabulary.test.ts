// Issue 18: one name per concept. Second names for the spread kind, New York time, money and results stay gone from
// src (journal migrations keep the old spellings they convert from).
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(import.meta.dirname, '..', '..');

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) {
      if (name !== 'migrations') out.push(...files(p));
    } else if (/\.(ts|tsx)$/.test(name)) out.push(p);
  }
  return out;
}
const sources = files(join(root, 'src')).map((f) => ({ file: relative(root, f), text: readFileSync(f, 'utf8') }));
const where = (re: RegExp) => sources.filter((s) => re.test(s.text)).map((s) => s.file);

describe('one vocabulary', () => {
  it('the spread kind has one spelling (kebab) and one label map', () => {
    expect(where(/\b(bull|bear)_(put|call)\b|\b(BULL|BEAR)_(PUT|CALL)_(CREDIT|DEBIT)\b/)).toEqual([]);
    expect(where(/\bKIND_LABELS?\b/)).toEqual([]);
    expect(where(/export const SPREAD_KIND_LABELS\b/)).toEqual(['src/core/spreads/vertical.ts']);
  });

  it('one daysToExpiry, one parseTwsTime, one New York offset, one toMicros', () => {
    expect(where(/export (function|const) daysToExpiry\b/)).toEqual(['src/core/market/expiry.ts']);
    expect(where(/export (function|const) parseTwsTime\b/)).toEqual(['src/core/market/timezone.ts']);
    expect(where(/\bnyOffsetMs\b/)).toEqual([]);
    expect(where(/export (function|const) toMicros\b/)).toEqual(['src/core/spreads/money.ts']);
    expect(where(/\bMICRO\b/)).toEqual([]);
  });

  it('one result shape and one atomic writer', () => {
    expect(where(/\bJournalResult\b|\bOccError\b(?!Code)|\bValidated\s*<|type Validated\b/)).toEqual([]);
    expect(where(/export (function|const) writeFileAtomic\b/)).toEqual(['src/main/fs/atomic-write.ts']);
  });
});
