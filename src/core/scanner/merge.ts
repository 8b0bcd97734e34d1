// Overall top-K across symbols: merge each symbol's ranked rows into one list in the one deterministic order.
import type { ScanRow } from '../contract/scanner';
import { compareRows } from './fingerprint';

/**
 * The best `k` rows of all lists, ordered by score then fingerprint. `minEach` is a per-symbol quota: each list's
 * best min(minEach, its length) rows are kept first (so one symbol cannot crowd out the others), the rest of the k
 * go by score. When the quotas alone exceed k, each list's quota shrinks to ⌊k ÷ lists with rows⌋ (at least one).
 * Lists are small (top-K each), so a sort is enough.
 */
export function mergeTop(lists: ReadonlyArray<readonly ScanRow[]>, k: number, minEach = 0): ScanRow[] {
  const withRows = lists.filter((l) => l.length > 0);
  const quota = withRows.length === 0 ? 0 : Math.min(Math.max(0, Math.floor(minEach)), Math.max(1, Math.floor(k / withRows.length)));
  const kept: ScanRow[] = [];
  const rest: ScanRow[] = [];
  for (const l of withRows) {
    const sorted = [...l].sort(compareRows);
    kept.push(...sorted.slice(0, quota));
    rest.push(...sorted.slice(quota));
  }
  kept.sort(compareRows);
  const reserved = kept.slice(0, k);
  rest.sort(compareRows);
  const out = [...reserved, ...rest.slice(0, Math.max(0, k - reserved.length))];
  out.sort(compareRows);
  return out;
}
