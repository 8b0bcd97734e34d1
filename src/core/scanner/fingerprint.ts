// Candidate identity: a stable fingerprint (symbol, kind, expiry, strikes) and the one deterministic row order.
import { SPREAD_KINDS, type ScanRow, type SpreadKind } from '../contract/scanner';
import { MAX_EXPIRIES, MAX_STRIKES } from './chain';

/** Index of a kind in the tie-break order (alphabetical, the order of SPREAD_KINDS). */
export function kindIndex(kind: SpreadKind): number {
  return SPREAD_KINDS.indexOf(kind);
}

/** `SPY:bull-put:20250117:580/575` — short strike first. Same spread, same string, whatever the prices. */
export function fingerprint(symbol: string, kind: SpreadKind, expiry: string, shortStrike: number, longStrike: number): string {
  return `${symbol}:${kind}:${expiry}:${shortStrike}/${longStrike}`;
}

/**
 * The engine's numeric tie-break key inside one chain. Because expiries and strikes are stored ascending,
 * comparing keys orders candidates exactly like (kind, expiry, short strike, long strike) — the fingerprint order.
 */
export function tieKey(kindIdx: number, expiryIdx: number, shortIdx: number, longIdx: number): number {
  return ((kindIdx * MAX_EXPIRIES + expiryIdx) * MAX_STRIKES + shortIdx) * MAX_STRIKES + longIdx;
}

export function decodeTieKey(key: number): { kindIdx: number; expiryIdx: number; shortIdx: number; longIdx: number } {
  const longIdx = key % MAX_STRIKES;
  let rest = (key - longIdx) / MAX_STRIKES;
  const shortIdx = rest % MAX_STRIKES;
  rest = (rest - shortIdx) / MAX_STRIKES;
  const expiryIdx = rest % MAX_EXPIRIES;
  const kindIdx = (rest - expiryIdx) / MAX_EXPIRIES;
  return { kindIdx, expiryIdx, shortIdx, longIdx };
}

type Ordered = Pick<ScanRow, 'score' | 'symbol' | 'kind' | 'expiry' | 'shortStrike' | 'longStrike'>;

/** Fingerprint order: symbol, kind, expiry, short strike, long strike (plain code-unit string order). */
export function compareIdentity(a: Ordered, b: Ordered): number {
  if (a.symbol !== b.symbol) return a.symbol < b.symbol ? -1 : 1;
  if (a.kind !== b.kind) return kindIndex(a.kind) - kindIndex(b.kind);
  if (a.expiry !== b.expiry) return a.expiry < b.expiry ? -1 : 1;
  if (a.shortStrike !== b.shortStrike) return a.shortStrike - b.shortStrike;
  return a.longStrike - b.longStrike;
}

/** The ranking order: higher score first, ties broken by fingerprint order, so every run orders rows identically. */
export function compareRows(a: Ordered, b: Ordered): number {
  if (a.score !== b.score) return b.score - a.score;
  return compareIdentity(a, b);
}
