// Model-guided scanning: from a sparse sample of real quotes, which further quotes can still change a symbol's top-K.
//
// The model only decides what to quote; rows are always ranked from real quotes (the engine never sees an estimate).
// Per expiry and right, the quoted mids are fitted with a monotone cubic (Fritsch–Carlson PCHIP) over strike: option
// prices are monotone in strike, a monotone interpolant cannot invent the wiggles a free spline (or SVI fitted on a
// handful of noisy points) would, and it is local — one odd quote moves only its two neighbouring intervals. Each
// unquoted strike gets an error bound from the fit's own leave-one-out error at its quoted neighbours (×1, at least
// half a cent), the bid-ask half width is interpolated linearly with a ±50 % band. A candidate with an unquoted leg
// then has an optimistic and a pessimistic score (branch and bound): the threshold T is the K-th best of the exact
// scores and the pessimistic scores of candidates that surely pass every filter; a leg is quoted only when some
// candidate using it has an optimistic score ≥ T. Repeat until nothing is needed: the top-K is then settled as far
// as the bounds hold (the recall property test and the bench measure how far that is).
//
// Bounds exist for scoring by return on risk (monotone in the price); for POP, EV/risk and edge the optimistic score is
// unbounded, so every planned leg is quoted (guided = exhaustive there, and says so in its stats).
import type { ScanFilters, ScanScoring } from '../contract/scanner';
import type { ChainSnapshot, ExpirySlice, RightColumns } from './chain';
import { kindIndex } from './fingerprint';
import { flattenFilters, widthWindow } from './filters';
import { KIND_SPECS, MIN_NET, quoteValid } from './metrics';
import { pchipSlopes } from './smile';

/** One option of a chain snapshot: expiry index, right, strike index. */
export interface LegRef {
  expiryIdx: number;
  right: 'C' | 'P';
  index: number;
}

/** Leave-one-out error multiplier and floor ($ per share) of the mid bound. */
export const GUIDED_SAFETY = 1;
export const GUIDED_FLOOR = 0.005;

/**
 * The sparse first sample of n planned strikes (ascending positions 0..n−1): both ends (so every other strike lies
 * inside the fitted range), every `every`-th position, and the positions in `first` (e.g. the band centre).
 */
export function sampleIndices(n: number, every: number, first: readonly number[] = []): number[] {
  if (n <= 0) return [];
  const step = Math.max(1, Math.floor(every));
  const out = new Set<number>([0, n - 1]);
  for (let i = 0; i < n; i += step) out.add(i);
  for (const i of first) if (i >= 0 && i < n) out.add(i);
  return [...out].sort((a, b) => a - b);
}

/**
 * Monotone piecewise cubic Hermite interpolation (Fritsch–Carlson) through (xs, ys), xs strictly ascending.
 * Returns NaN outside [xs[0], xs[n−1]]; one point gives a constant at that x only.
 */
export function pchip(xs: readonly number[], ys: readonly number[]): (x: number) => number {
  const n = xs.length;
  if (n === 0) return () => NaN;
  if (n === 1) return (x) => (x === xs[0] ? (ys[0] as number) : NaN);
  const h: number[] = [];
  for (let i = 0; i < n - 1; i++) h.push((xs[i + 1] as number) - (xs[i] as number));
  const m = pchipSlopes(xs, ys);
  return (x: number) => {
    if (!(x >= (xs[0] as number) && x <= (xs[n - 1] as number))) return NaN;
    let lo = 0;
    let hi = n - 1;
    while (hi - lo > 1) {
      const mid = (lo + hi) >> 1;
      if ((xs[mid] as number) <= x) lo = mid;
      else hi = mid;
    }
    const hh = h[lo] as number;
    const t = (x - (xs[lo] as number)) / hh;
    const t2 = t * t;
    const t3 = t2 * t;
    return (2 * t3 - 3 * t2 + 1) * (ys[lo] as number) + (t3 - 2 * t2 + t) * hh * (m[lo] as number) + (-2 * t3 + 3 * t2) * (ys[hi] as number) + (t3 - t2) * hh * (m[hi] as number);
  };
}

/** State of one strike of one right: quoted (exact), to be estimated, or out (not planned, or its quote failed). */
const EXACT = 1;
const ESTIMATED = 2;
const OUT = 0;

/** Per-strike price bounds of one right of one expiry. */
export interface RightBounds {
  state: Uint8Array;
  midLo: Float64Array;
  midHi: Float64Array;
  halfLo: Float64Array;
  halfHi: Float64Array;
  /** |delta| range (exact when quoted; NaN when a quoted leg has none). */
  dLo: Float64Array;
  dHi: Float64Array;
}

/**
 * Bounds for every strike of one right: exact for quoted strikes, fit ± error for planned unquoted strikes inside the
 * quoted range, ±∞ outside it. `planned(i)`: the strike is in the plan for this right; `tried(i)`: its quote was asked.
 */
export function rightBounds(strikes: Float64Array, c: RightColumns, planned: (i: number) => boolean, tried: (i: number) => boolean, safety = GUIDED_SAFETY): RightBounds {
  const n = strikes.length;
  const b: RightBounds = { state: new Uint8Array(n), midLo: new Float64Array(n), midHi: new Float64Array(n), halfLo: new Float64Array(n), halfHi: new Float64Array(n), dLo: new Float64Array(n), dHi: new Float64Array(n) };
  const qx: number[] = [];
  const qy: number[] = [];
  const qh: number[] = [];
  const qd: number[] = [];
  for (let i = 0; i < n; i++) {
    const bid = c.bid[i] as number;
    const ask = c.ask[i] as number;
    if (planned(i) && quoteValid(bid, ask)) {
      b.state[i] = EXACT;
      const mid = (bid + ask) / 2;
      b.midLo[i] = b.midHi[i] = mid;
      b.halfLo[i] = b.halfHi[i] = (ask - bid) / 2;
      b.dLo[i] = b.dHi[i] = Math.abs(c.delta[i] as number);
      qd.push(Math.abs(c.delta[i] as number));
      qx.push(strikes[i] as number);
      qy.push(mid);
      qh.push((ask - bid) / 2);
    } else b.state[i] = planned(i) && !tried(i) ? ESTIMATED : OUT;
  }
  const fit = pchip(qx, qy);
  // Leave-one-out error at each quoted point (ends: their neighbour's), the local measure of how well the fit holds.
  const loo = qx.map((x, j) => {
    if (j === 0 || j === qx.length - 1) return NaN;
    const f = pchip([...qx.slice(0, j), ...qx.slice(j + 1)], [...qy.slice(0, j), ...qy.slice(j + 1)]);
    return Math.abs(f(x) - (qy[j] as number));
  });
  for (let j = 0; j < loo.length; j++) {
    if (Number.isNaN(loo[j])) loo[j] = loo[j === 0 ? 1 : j - 1] ?? NaN;
  }
  let next = 0;
  for (let i = 0; i < n; i++) {
    if (b.state[i] !== ESTIMATED) continue;
    const k = strikes[i] as number;
    while (next < qx.length && (qx[next] as number) < k) next++;
    const left = next - 1;
    const right = next;
    const est = fit(k);
    if (left < 0 || right >= qx.length || Number.isNaN(est)) {
      b.midLo[i] = 0;
      b.midHi[i] = Infinity;
      b.halfLo[i] = 0;
      b.halfHi[i] = Infinity;
      b.dLo[i] = 0;
      b.dHi[i] = 1;
      continue;
    }
    const e = Math.max(safety * Math.max(loo[left] ?? 0, loo[right] ?? 0) || 0, GUIDED_FLOOR);
    // Prices and |delta| are monotone in strike, so the quoted neighbours bound them too (up to their own noise:
    // the fit's error band is kept around that bracket).
    const yl = qy[left] as number;
    const yr = qy[right] as number;
    b.midLo[i] = Math.max(0, est - e, Math.min(yl, yr) - e);
    b.midHi[i] = Math.min(est + e, Math.max(yl, yr) + e);
    const dl = qd[left] as number;
    const dr = qd[right] as number;
    b.dLo[i] = Number.isNaN(dl) || Number.isNaN(dr) ? 0 : Math.min(dl, dr);
    b.dHi[i] = Number.isNaN(dl) || Number.isNaN(dr) ? 1 : Math.max(dl, dr);
    const x0 = qx[left] as number;
    const x1 = qx[right] as number;
    const h = (qh[left] as number) + ((qh[right] as number) - (qh[left] as number)) * ((k - x0) / (x1 - x0));
    b.halfLo[i] = Math.max(0, 0.5 * Math.min(h, qh[left] as number, qh[right] as number));
    b.halfHi[i] = 1.5 * Math.max(h, qh[left] as number, qh[right] as number) + GUIDED_FLOOR;
  }
  return b;
}

export interface GuidedInput {
  chain: ChainSnapshot;
  filters: ScanFilters;
  scoring: ScanScoring;
  /** The K of the top-K to settle (for one symbol: min(top, topPerSymbol)). */
  k: number;
  /** Scores of the exact rows the engine ranks now (any order). */
  exactScores: readonly number[];
  /** The option is in the plan (its conId is known). */
  planned(leg: LegRef): boolean;
  /** Its quote was already asked for (answered or failed). */
  tried(leg: LegRef): boolean;
  /** A score known to be reachable by K rows elsewhere (the watchlist's overall top-K): the threshold is at least this. */
  floor?: number;
  /** Leave-one-out error multiplier (default GUIDED_SAFETY). */
  safety?: number;
  /**
   * Best-first: only the legs of the `batch` most optimistic live candidates are returned (default: all). Quoting the
   * likeliest winners first raises the threshold, which then rules out most of the rest without a quote.
   */
  batch?: number;
}

export interface GuidedNeeds {
  /** Legs to quote next, the most promising first. */
  legs: LegRef[];
  /** The threshold used (K-th best known-achievable score), −∞ when fewer than K are known. */
  threshold: number;
  /** Candidates with an unquoted leg that were examined / could still reach the top-K. */
  open: number;
  alive: number;
  /** False when the scoring has no bound (every planned leg is needed). */
  bounded: boolean;
}

/** K-th largest of xs (−∞ when fewer than k). */
function kthLargest(xs: number[], k: number): number {
  if (xs.length < k) return -Infinity;
  xs.sort((a, b) => b - a);
  return xs[k - 1] as number;
}

/** The legs that can still change the top-K (see the module comment). */
export function guidedNeeds(input: GuidedInput): GuidedNeeds {
  const { chain, scoring } = input;
  const f = flattenFilters(input.filters);
  const bounded = scoring.by === 'ror';
  const natural = scoring.basis === 'natural';
  const { lo: wLo, hi: wHi } = widthWindow(f, chain.spot);
  const hasBand = !Number.isNaN(f.deltaMin) || !Number.isNaN(f.deltaMax);
  // Filters a pessimistic bound cannot vouch for without both quotes: then only exact rows set the threshold.
  const legFilters = [f.maxLegSpread, f.maxLegSpreadOfMid, f.minOi, f.minVolume, f.maxQuoteAgeMs, f.maxExitCostOfMaxLoss, f.minPop, f.minEv].some((v) => !Number.isNaN(v));
  const sure: number[] = [...input.exactScores];
  const cands: Array<{ opt: number; legs: LegRef[] }> = [];
  let open = 0;
  chain.expiries.forEach((slice: ExpirySlice, e) => {
    if (!(slice.tYears > 0) || slice.dte < f.dteMin || slice.dte > f.dteMax) return;
    for (const right of ['C', 'P'] as const) {
      const specs = Object.values(KIND_SPECS).filter((s) => s.right === right && f.kinds[kindIndex(s.kind)]);
      if (specs.length === 0) continue;
      const c = right === 'C' ? slice.call : slice.put;
      const ref = (index: number): LegRef => ({ expiryIdx: e, right, index });
      const b = rightBounds(slice.strike, c, (i) => input.planned(ref(i)), (i) => input.tried(ref(i)), input.safety);
      const K = slice.strike;
      const n = K.length;
      for (const spec of specs) {
        for (let s = 0; s < n; s++) {
          if (b.state[s] === OUT) continue;
          const ks = K[s] as number;
          const shortExact = b.state[s] === EXACT;
          // A quoted short leg's delta is known: out of the band (or unknown while a band is set) rules it out, as in the
          // engine; an unquoted one's lies between its quoted neighbours' (delta is monotone in strike).
          const dLo = b.dLo[s] as number;
          const dHi = b.dHi[s] as number;
          if (hasBand && (Number.isNaN(dLo) || dHi < f.deltaMin || dLo > f.deltaMax)) continue;
          const surelyInBand = !hasBand || (shortExact ? true : !(dLo < f.deltaMin) && !(dHi > f.deltaMax));
          for (let l = 0; l < n; l++) {
            if (l === s || b.state[l] === OUT) continue;
            const kl = K[l] as number;
            if (spec.longAbove !== kl > ks) continue;
            const w = Math.abs(kl - ks);
            if (w < wLo || w > wHi) continue;
            if (shortExact && b.state[l] === EXACT) continue; // the engine ranks it from real quotes
            open++;
            let netLo: number;
            let netHi: number;
            if (natural) {
              netLo = b.midLo[s]! - b.halfHi[s]! - (b.midHi[l]! + b.halfHi[l]!);
              netHi = b.midHi[s]! - b.halfLo[s]! - (b.midLo[l]! + b.halfLo[l]!);
            } else {
              netLo = b.midLo[s]! - b.midHi[l]!;
              netHi = b.midHi[s]! - b.midLo[l]!;
            }
            const pLo = spec.credit ? netLo : -netHi;
            const pHi = spec.credit ? netHi : -netLo;
            // The prices the filters allow, intersected with what the bounds allow.
            let lo = Math.max(pLo, MIN_NET);
            let hi = Math.min(pHi, w - MIN_NET);
            if (spec.credit) {
              if (!Number.isNaN(f.minCredit)) lo = Math.max(lo, f.minCredit);
              if (!Number.isNaN(f.minCreditToWidth)) lo = Math.max(lo, f.minCreditToWidth * w);
            } else {
              if (!Number.isNaN(f.maxDebit)) hi = Math.min(hi, f.maxDebit);
              if (!Number.isNaN(f.maxDebitToWidth)) hi = Math.min(hi, f.maxDebitToWidth * w);
            }
            if (!(lo <= hi)) continue;
            const ror = (p: number): number => (spec.credit ? p / (w - p) : (w - p) / p);
            const opt = bounded ? (spec.credit ? ror(hi) : ror(lo)) : Infinity;
            if (!Number.isNaN(f.minRor) && opt < f.minRor) continue;
            const legs: LegRef[] = [];
            if (!shortExact) legs.push(ref(s));
            if (b.state[l] !== EXACT) legs.push(ref(l));
            cands.push({ opt, legs });
            // Surely passing: every price the bounds allow passes the filters, and the short's delta is known and in band.
            if (bounded && !legFilters && surelyInBand && lo === Math.max(pLo, MIN_NET) && pLo > MIN_NET && hi === Math.min(pHi, w - MIN_NET) && pHi < w - MIN_NET) {
              const pess = spec.credit ? ror(pLo) : ror(pHi);
              if (Number.isNaN(f.minRor) || pess >= f.minRor) sure.push(pess);
            }
          }
        }
      }
    }
  });
  const k = Math.max(1, Math.floor(input.k));
  const threshold = Math.max(kthLargest(sure, k), input.floor ?? -Infinity);
  const alive = cands.filter((c) => c.opt >= threshold - 1e-12);
  alive.sort((a, b) => b.opt - a.opt);
  const seen = new Set<string>();
  const legs: LegRef[] = [];
  const batch = input.batch ?? Infinity;
  for (const [n, c] of alive.entries()) {
    if (n >= batch) break;
    for (const leg of c.legs) {
      const key = `${leg.expiryIdx}:${leg.right}:${leg.index}`;
      if (seen.has(key)) continue;
      seen.add(key);
      legs.push(leg);
    }
  }
  return { legs, threshold, open, alive: alive.length, bounded };
}
