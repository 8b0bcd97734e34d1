// The brute-force oracle: every pair of every expiry, every filter written out plainly, a full sort — slow and obvious.
// Tests hold the engine's top-K to exactly this; nothing in the app ranks with it. Bounds get the same float slack
// as the engine (filters.ts lowerBound/upperBound).
import { SPREAD_KINDS, type ScanRow } from '../../src/core/contract/scanner';
import type { ChainSnapshot, ExpirySlice } from '../../src/core/scanner/chain';
import { tieKey } from '../../src/core/scanner/fingerprint';
import { KIND_SPECS, MIN_NET, buildRow, candidateMetrics, midOf, quoteValid, scoreOf } from '../../src/core/scanner/metrics';
import type { ScanOptions } from '../../src/core/scanner/engine';
import { lowerBound as lb, upperBound as ub } from '../../src/core/scanner/filters';
import { sliceSmileOf } from '../../src/core/scanner/smile-slice';

interface Found {
  score: number;
  key: number;
  e: number;
  s: number;
  l: number;
  kind: (typeof SPREAD_KINDS)[number];
}

export function referenceScan(chain: ChainSnapshot, o: ScanOptions): { rows: ScanRow[]; passed: number } {
  const f = o.filters;
  const ctx = { drift: o.drift ?? NaN, now: o.now };
  const found: Found[] = [];
  const legOk = (slice: ExpirySlice, right: 'C' | 'P', i: number): boolean => {
    const c = right === 'C' ? slice.call : slice.put;
    const bid = c.bid[i] as number;
    const ask = c.ask[i] as number;
    if (!quoteValid(bid, ask)) return false;
    if (f.maxLegSpread !== undefined && !(ask - bid <= ub(f.maxLegSpread))) return false;
    if (f.maxLegSpreadOfMid !== undefined && !((ask - bid) / midOf(bid, ask) <= ub(f.maxLegSpreadOfMid))) return false;
    if (f.minOi !== undefined && !((c.openInterest[i] as number) >= f.minOi)) return false;
    if (f.minVolume !== undefined && !((c.volume[i] as number) >= f.minVolume)) return false;
    if (f.maxQuoteAgeSec !== undefined && !(o.now - (c.quoteTime[i] as number) <= f.maxQuoteAgeSec * 1000)) return false;
    return true;
  };
  chain.expiries.forEach((slice, e) => {
    if (!(slice.tYears > 0) || slice.dte < f.dte.min || slice.dte > f.dte.max) return;
    const smile = sliceSmileOf(chain, slice);
    for (const kind of SPREAD_KINDS) {
      if (!f.kinds.includes(kind)) continue;
      const spec = KIND_SPECS[kind];
      const c = spec.right === 'C' ? slice.call : slice.put;
      const n = slice.strike.length;
      for (let s = 0; s < n; s++) {
        for (let l = 0; l < n; l++) {
          if (spec.longAbove ? !(l > s) : !(l < s)) continue;
          if (!legOk(slice, spec.right, s) || !legOk(slice, spec.right, l)) continue;
          const absDelta = Math.abs(c.delta[s] as number);
          if (f.shortDelta?.min !== undefined && !(absDelta >= lb(f.shortDelta.min))) continue;
          if (f.shortDelta?.max !== undefined && !(absDelta <= ub(f.shortDelta.max))) continue;
          const m = candidateMetrics(chain, slice, spec, s, l, o.scoring.basis, ctx, smile);
          const w = m.width;
          if (f.width?.min !== undefined && w < lb(f.width.min)) continue;
          if (f.width?.max !== undefined && w > ub(f.width.max)) continue;
          if (f.widthOfSpot?.min !== undefined && w < lb(f.widthOfSpot.min * chain.spot)) continue;
          if (f.widthOfSpot?.max !== undefined && w > ub(f.widthOfSpot.max * chain.spot)) continue;
          if (!(m.price > MIN_NET && m.price < w - MIN_NET)) continue;
          if (spec.credit) {
            if (f.minCredit !== undefined && m.price < lb(f.minCredit)) continue;
            if (f.minCreditToWidth !== undefined && m.price / w < lb(f.minCreditToWidth)) continue;
          } else {
            if (f.maxDebit !== undefined && m.price > ub(f.maxDebit)) continue;
            if (f.maxDebitToWidth !== undefined && m.price / w > ub(f.maxDebitToWidth)) continue;
          }
          if (f.minRor !== undefined && m.ror < lb(f.minRor)) continue;
          if (f.maxExitCostOfMaxLoss !== undefined && m.exitCost > ub(f.maxExitCostOfMaxLoss) * m.maxLoss) continue;
          if (f.minEv !== undefined && !(m.ev * chain.multiplier >= lb(f.minEv))) continue;
          if (f.minPop !== undefined && !(m.pop >= lb(f.minPop))) continue;
          const score = scoreOf(m, o.scoring.by, chain.multiplier, o.scoring.probabilityModel);
          if (Number.isNaN(score)) continue;
          found.push({ score, key: tieKey(SPREAD_KINDS.indexOf(kind), e, s, l), e, s, l, kind });
        }
      }
    }
  });
  found.sort((a, b) => (a.score !== b.score ? b.score - a.score : a.key - b.key));
  const rows = found
    .slice(0, o.topPerSymbol)
    .map((x) => buildRow(chain, chain.expiries[x.e] as ExpirySlice, KIND_SPECS[x.kind], x.s, x.l, o.scoring, ctx, o.staleAfterMs ?? 60_000));
  return { rows, passed: found.length };
}
