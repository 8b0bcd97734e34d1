// Model-guided scanning: from a sparse sample of real quotes, which further quotes can still change the top-K.
// (Over 400 lines: the leg bounds, the chord bounds and the candidate walk share one state and are read together.)
//
// The model only decides what to quote; rows are always ranked from real quotes (the engine never sees an estimate).
// Leg bounds: per expiry and right, the quoted mids are fitted with a monotone cubic (Fritsch–Carlson PCHIP) over
// strike, each unquoted strike bounded by the fit's leave-one-out error at its quoted neighbours (at least half a
// cent) and by the neighbours themselves (prices and |delta| are monotone in strike; beyond the quoted range one side
// still holds). Spread bounds at mid: a call's price falls and a put's rises with strike and both are convex, so the
// chord through two quoted strikes bounds the price-per-width of any vertical beside it (chordSlopes) — far tighter
// for narrow spreads than the legs' separate bounds. A candidate with an unquoted leg then has an optimistic and a
// pessimistic score (branch and bound): the threshold T is the K-th best of the exact scores and the pessimistic
// scores of candidates that surely pass every filter, or a floor the caller knows; a candidate is live while its
// optimistic score ≥ T. With `bisect`, a live candidate asks for the middle of the run of unquoted strikes its leg
// sits in, so each quote halves what the chords cannot see; a run with a quote still in flight waits for it. The chord
// slack is the symbol's measured quote noise (the largest convexity violation in any of its expiries), and every
// unquoted strike's bounds widen by it too: on a noisy smile the top is made of single mispriced strikes. Repeat until nothing is live: the top-K is then settled
// as far as the bounds hold (the recall property test and the bench measure how far that is).
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
export function rightBounds(strikes: Float64Array, c: RightColumns, planned: (i: number) => boolean, tried: (i: number) => boolean, safety = GUIDED_SAFETY, kind?: 'C' | 'P'): RightBounds {
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
      // Beyond the quoted range one side still holds: price and |delta| fall with strike for calls and rise for puts,
      // so the nearest quoted strike bounds them from one side (up to its own noise).
      const edge = left < 0 ? 0 : qx.length - 1;
      if (kind !== undefined && qx.length > 0) {
        const y = qy[edge] as number;
        const d = qd[edge] as number;
        const above = left >= 0; // the strike lies above the quoted range
        const falls = kind === 'C';
        if (above === falls) {
          b.midHi[i] = y + GUIDED_FLOOR;
          if (!Number.isNaN(d)) b.dHi[i] = d;
        } else {
          b.midLo[i] = Math.max(0, y - GUIDED_FLOOR);
          if (!Number.isNaN(d)) b.dLo[i] = d;
        }
      }
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

/** Rounding allowed in one mid ($ per share): bid and ask sit on a cent grid, so a mid is off its true value by ≤ ½ cent. */
export const CHORD_SLACK = 0.005;
const NOISE_MULT = 2;

/**
 * Convexity bounds on the price curve's |slope| from quoted strikes. A call's price falls and a put's rises with
 * strike, and both are convex (no static arbitrage), so |slope| falls with strike for calls and rises for puts; a
 * chord through two quoted strikes therefore bounds |slope| on either side of it. leftOf(x, ±1): |slope| of the chord
 * through the two nearest quoted strikes at or left of x; rightOf(x, ±1): the two nearest at or right of x; the sign
 * widens it by the mids' noise (+1 for an upper bound, −1 for a lower). NaN when that side has fewer than two quotes.
 */
export function chordSlopes(strikes: Float64Array, b: RightBounds, minSlack = CHORD_SLACK): { slack: number; leftOf(x: number, sign: 1 | -1): number; rightOf(x: number, sign: 1 | -1): number } {
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < strikes.length; i++) {
    if (b.state[i] !== EXACT) continue;
    xs.push(strikes[i] as number);
    ys.push(b.midLo[i] as number);
  }
  // Real quotes are not exactly convex (per-strike IV noise, stale or wide quotes): the slack is the largest amount by
  // which a quoted mid sits above the chord of its quoted neighbours, measured on this expiry and right, at least the
  // half-cent rounding. A noisy smile so widens its own bounds and gets more quotes.
  let slack = Math.max(CHORD_SLACK, minSlack);
  for (let j = 1; j + 1 < xs.length; j++) {
    const x0 = xs[j - 1] as number;
    const x2 = xs[j + 1] as number;
    const chordAt = (ys[j - 1] as number) + (((ys[j + 1] as number) - (ys[j - 1] as number)) * ((xs[j] as number) - x0)) / (x2 - x0);
    slack = Math.max(slack, NOISE_MULT * ((ys[j] as number) - chordAt));
  }
  const chord = (j: number, sign: 1 | -1): number => {
    const h = (xs[j + 1] as number) - (xs[j] as number);
    return Math.abs(((ys[j + 1] as number) - (ys[j] as number)) / h) + (sign * 2 * slack) / h;
  };
  return {
    slack,
    leftOf(x, sign) {
      let j = -1;
      while (j + 1 < xs.length && (xs[j + 1] as number) <= x + 1e-9) j++;
      return j >= 1 ? chord(j - 1, sign) : NaN;
    },
    rightOf(x, sign) {
      let j = xs.length;
      while (j - 1 >= 0 && (xs[j - 1] as number) >= x - 1e-9) j--;
      return j + 1 < xs.length ? chord(j, sign) : NaN;
    },
  };
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
  /** Its quote was asked for and has not landed yet (with `bisect`, a run of unseen strikes holding one waits for it). */
  inFlight?(leg: LegRef): boolean;
  /** A score known to be reachable by K rows elsewhere (the watchlist's overall top-K): the threshold is at least this. */
  floor?: number;
  /** Leave-one-out error multiplier (default GUIDED_SAFETY). */
  safety?: number;
  /**
   * Best-first: only the legs of the `batch` most optimistic live candidates are returned (default: all). Quoting the
   * likeliest winners first raises the threshold, which then rules out most of the rest without a quote.
   */
  batch?: number;
  /** Ask for the middle of each unquoted gap a live candidate's leg sits in, not the leg itself (fewer quotes). */
  bisect?: boolean;
  /** Keep only this many of the most optimistic live candidates (`live`, `legs`, `alive` count only those). */
  limit?: number;
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
  /** The live candidates' optimistic scores and unquoted legs, best first (for a best-first batch across symbols). */
  live: Array<{ opt: number; legs: LegRef[] }>;
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
  const floor = input.floor ?? -Infinity;
  const cands: Array<{ opt: number; legs: LegRef[] }> = [];
  const limit = Math.max(1, Math.floor(input.limit ?? Infinity)) || Infinity;
  let cutoff = -Infinity;
  let open = 0;
  // The leg bounds of every expiry and right in range, and the symbol's quote noise: the largest convexity violation
  // any of them shows (curvature only puts a mid below its chord, so a mid above one is noise). Noise is a property of
  // the market, not of one expiry: an expiry with few quotes (wide chords, where curvature hides it) borrows what the
  // densely quoted ones reveal — else a noisy smile's outliers there look ruled out.
  const bounds = chain.expiries.map((slice: ExpirySlice, e) =>
    (['C', 'P'] as const).map((right) => {
      if (!(slice.tYears > 0) || slice.dte < f.dteMin || slice.dte > f.dteMax) return null;
      if (!Object.values(KIND_SPECS).some((s) => s.right === right && f.kinds[kindIndex(s.kind)])) return null;
      const ref = (index: number): LegRef => ({ expiryIdx: e, right, index });
      return rightBounds(slice.strike, right === 'C' ? slice.call : slice.put, (i) => input.planned(ref(i)), (i) => input.tried(ref(i)), input.safety, right);
    }),
  );
  let noise = CHORD_SLACK;
  chain.expiries.forEach((slice, e) => {
    for (const b of bounds[e] ?? []) if (b) noise = Math.max(noise, chordSlopes(slice.strike, b).slack);
  });
  // An unquoted strike's mid can sit off the smooth curve by as much as a quoted one does: its bounds widen by the
  // largest violation measured (noise ÷ NOISE_MULT). On a clean smile that is the half-cent rounding and costs nothing;
  // on a noisy one the mispriced single strikes the top is made of stay live until quoted (replay of the bench market
  // with ±0.25 vol-point IV noise: recall 34 → 50 of 50, at 27 → 42 % of the plan's quotes; clean: 1,085 → 1,091).
  const jitter = noise / NOISE_MULT;
  for (const pair of bounds) {
    for (const b of pair) {
      if (!b) continue;
      for (let i = 0; i < b.state.length; i++) {
        if (b.state[i] !== ESTIMATED) continue;
        b.midLo[i] = Math.max(0, (b.midLo[i] as number) - jitter);
        b.midHi[i] = (b.midHi[i] as number) + jitter;
      }
    }
  }
  chain.expiries.forEach((slice: ExpirySlice, e) => {
    if (!(slice.tYears > 0) || slice.dte < f.dteMin || slice.dte > f.dteMax) return;
    for (const right of ['C', 'P'] as const) {
      const specs = Object.values(KIND_SPECS).filter((s) => s.right === right && f.kinds[kindIndex(s.kind)]);
      if (specs.length === 0) continue;
      const ref = (index: number): LegRef => ({ expiryIdx: e, right, index });
      const b = bounds[e]?.[right === 'C' ? 0 : 1];
      if (!b) continue;
      const K = slice.strike;
      const n = K.length;
      const slopes = chordSlopes(K, b, noise);
      // Bisection: the unquoted planned strike in the middle of the run of unquoted strikes around i (so each quote
      // halves the gap the chords cannot see into, instead of walking it strike by strike).
      // A run with a quote in flight is left alone until it lands (-1): that quote already halves it, and a decision
      // taken meanwhile would ask for a strike its answer may make needless.
      const middleOf = (i: number): number => {
        let lo = i;
        let hi = i;
        while (lo > 0 && b.state[lo - 1] !== EXACT) lo--;
        while (hi < n - 1 && b.state[hi + 1] !== EXACT) hi++;
        const open: number[] = [];
        for (let j = lo; j <= hi; j++) {
          if (b.state[j] === ESTIMATED) open.push(j);
          else if (input.inFlight?.(ref(j))) return -1;
        }
        return open.length ? (open[open.length >> 1] as number) : i;
      };
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
          // Strikes ascend: walk away from the short on the long's side and stop past the widest width.
          const step = spec.longAbove ? 1 : -1;
          for (let l = s + step; l >= 0 && l < n; l += step) {
            const kl = K[l] as number;
            const w = Math.abs(kl - ks);
            if (w > wHi) break;
            if (b.state[l] === OUT || w < wLo) continue;
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
            let pLo = spec.credit ? netLo : -netHi;
            let pHi = spec.credit ? netHi : -netLo;
            // At mid, the spread's price is its width times the average |slope| of the price curve between the strikes,
            // which convexity bounds by the quoted chords on either side (see chordSlopes) — far tighter for narrow
            // spreads than the legs' separate bounds.
            if (!natural) {
              const a = Math.min(ks, kl);
              const z = Math.max(ks, kl);
              const sLo = right === 'C' ? slopes.rightOf(z, -1) : slopes.leftOf(a, -1);
              const sHi = right === 'C' ? slopes.leftOf(a, 1) : slopes.rightOf(z, 1);
              if (!Number.isNaN(sLo)) pLo = Math.max(pLo, w * sLo - 2 * slopes.slack);
              if (!Number.isNaN(sHi)) pHi = Math.min(pHi, w * sHi + 2 * slopes.slack);
            }
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
            // Below the floor it can never be live (the threshold is at least the floor), nor raise the threshold.
            if (opt < floor - 1e-12) continue;
            const keep = opt >= cutoff;
            if (keep) {
              const legs: LegRef[] = [];
              const ms = shortExact ? -1 : input.bisect ? middleOf(s) : s;
              const ml = b.state[l] === EXACT ? -1 : input.bisect ? middleOf(l) : l;
              if (ms >= 0) legs.push(ref(ms));
              if (ml >= 0) legs.push(ref(ml));
              cands.push({ opt, legs });
              // Only the `limit` most optimistic are wanted: trim now and then, and skip what falls below the cut.
              if (cands.length >= 4 * limit) {
                cands.sort((x, y) => y.opt - x.opt);
                cands.length = limit;
                cutoff = (cands[limit - 1] as { opt: number }).opt;
              }
            }
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
  const threshold = Math.max(kthLargest(sure, k), floor);
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
  return { legs, threshold, open, alive: alive.length, bounded, live: alive };
}
