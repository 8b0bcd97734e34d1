// One expiry's smile model for ranking: built once per expiry, it gives POP at any breakeven and each strike's expected payoff.
//
// Why per expiry: the smile (smile.ts) and the cumulative integral of P(S_T > x) over the strike grid are the costly
// parts; with them a candidate's smile EV is two array lookups (like the lognormal `pay` arrays in the engine) and its
// smile POP one smileAbove call. The engine (ranking) and candidateMetrics (rows, the reference oracle) read the same
// arrays, so a smile score and the row's smile figure are bit-identical.
//
// Risk-neutral only: the smile is drift r − q by construction (Breeden–Litzenberger), so a request's `drift`, which
// moves the lognormal POP/EV, does not move these. Undiscounted, like the lognormal EV (metrics.ts
// legExpectedPayoff): the expected payoff at expiry plus the net cash at open, no discounting of either.
import type { ChainSnapshot, ExpirySlice } from './chain';
import { smileDist, smileIntegral, smileOf, type SmileDist } from './smile';

export interface SliceSmile {
  dist: SmileDist;
  /**
   * Per strike of the slice, up to a constant per right: E[(S_T − K)⁺] (callPay) and E[(K − S_T)⁺] (putPay),
   * undiscounted. Only differences are meaningful: a vertical's expected payoff is pay[long] − pay[short].
   * callPay[i] = −∫_{K₀}^{Kᵢ} P(S_T > x) dx; putPay[i] = (Kᵢ − K₀) − ∫_{K₀}^{Kᵢ} P(S_T > x) dx.
   */
  callPay: Float64Array;
  putPay: Float64Array;
}

/**
 * The smile model of one expiry; null when the expiry has fewer than two quoted IVs (smileOf) or no time left, in which
 * case POP/EV σ are unknown and smile ranking falls back to the lognormal figures for that expiry's rows.
 */
export function sliceSmileOf(chain: ChainSnapshot, slice: ExpirySlice): SliceSmile | null {
  const smile = smileOf(slice, chain.spot);
  const dist = smile ? smileDist(smile, chain.spot, chain.rate, chain.divYield, slice.tYears) : null;
  if (!dist) return null;
  const n = slice.strike.length;
  const callPay = new Float64Array(n);
  const putPay = new Float64Array(n);
  const k0 = slice.strike[0] as number;
  let cum = 0;
  for (let i = 0; i < n; i++) {
    const k = slice.strike[i] as number;
    if (i > 0) cum += smileIntegral(dist, slice.strike[i - 1] as number, k);
    callPay[i] = -cum;
    putPay[i] = k - k0 - cum;
  }
  return { dist, callPay, putPay };
}

interface Memo {
  spot: number;
  rate: number;
  divYield: number;
  tYears: number;
  callIv: Float64Array;
  putIv: Float64Array;
  smile: SliceSmile | null;
}

const memo = new WeakMap<ExpirySlice, Memo>();

/** Same values (NaN equal to NaN). */
function sameArray(a: Float64Array, b: Float64Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as number;
    const y = b[i] as number;
    if (x !== y && (x === x || y === y)) return false;
  }
  return true;
}

/**
 * sliceSmileOf, kept per expiry until its inputs change (spot, r, q, T, any IV): the scanner re-ranks every chain on
 * each results frame, and building the smile and its integrals (~0.3 ms for 200 strikes) for every expiry in the rows
 * would cost more than the ranking itself. Comparing the inputs is O(strikes) and exact, so a hit is the same value.
 */
export function sliceSmileCached(chain: ChainSnapshot, slice: ExpirySlice): SliceSmile | null {
  const m = memo.get(slice);
  if (m && m.spot === chain.spot && m.rate === chain.rate && m.divYield === chain.divYield && m.tYears === slice.tYears && sameArray(m.callIv, slice.call.iv) && sameArray(m.putIv, slice.put.iv)) return m.smile;
  const smile = sliceSmileOf(chain, slice);
  memo.set(slice, { spot: chain.spot, rate: chain.rate, divYield: chain.divYield, tYears: slice.tYears, callIv: slice.call.iv.slice(), putIv: slice.put.iv.slice(), smile });
  return smile;
}
