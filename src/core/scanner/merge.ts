// Overall top-K across symbols: merge each symbol's ranked rows into one list in the one deterministic order.
import type { ScanRow } from '../contract/scanner';
import { compareRows } from './fingerprint';

/** The best `k` rows of all lists, ordered by score then fingerprint. Lists are small (top-K each), so a sort is enough. */
export function mergeTop(lists: ReadonlyArray<readonly ScanRow[]>, k: number): ScanRow[] {
  const all: ScanRow[] = [];
  for (const l of lists) for (const r of l) all.push(r);
  all.sort(compareRows);
  return all.slice(0, k);
}
