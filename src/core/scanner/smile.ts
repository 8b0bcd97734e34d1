// Probability from the volatility smile: the risk-neutral P(S_T > x) implied by one expiry's quoted IVs (Breeden–Litzenberger).
//
// Why: the lognormal POP takes one leg's IV for the whole distribution, so it ignores the skew — on equity smiles it
// overstates POP by points on credit rows and more on far-OTM debit rows. Breeden–Litzenberger: the undiscounted call
// price's slope in strike is −P(S_T > K). With the smile σ(K) inside Black–Scholes, C(K) = BS(K, σ(K)) and
//   P(S_T > K) = −e^{rT} dC/dK = N(d₂) − e^{rT}·vega(K)·σ′(K),   vega = S e^{−qT} φ(d₁) √T,
// so the digital is the flat-vol N(d₂) corrected by the smile's slope at K. The smile is a monotone-preserving cubic
// (PCHIP, guided.ts) through the out-of-the-money IVs (puts below spot, calls above; the other right where one is
// missing), flat outside the quoted range (σ′ = 0 there). Risk-neutral by construction (drift r − q).
// EV from the smile integrates the same P over a vertical's strikes (smileIntegral; per expiry in smile-slice.ts).
import type { ExpirySlice } from './chain';
import { normCdf, normPdf } from '../options/normal';

export interface Smile {
  /** Strikes (ascending) and IVs of the points. */
  ks: number[];
  ivs: number[];
  /** PCHIP slopes at the points. */
  slopes: number[];
}

/** The slopes of a Fritsch–Carlson monotone cubic through (xs, ys). */
export function pchipSlopes(xs: readonly number[], ys: readonly number[]): number[] {
  const n = xs.length;
  if (n < 2) return new Array<number>(n).fill(0);
  const h: number[] = [];
  const d: number[] = [];
  for (let i = 0; i < n - 1; i++) {
    h.push((xs[i + 1] as number) - (xs[i] as number));
    d.push(((ys[i + 1] as number) - (ys[i] as number)) / (h[i] as number));
  }
  const m = new Array<number>(n).fill(0);
  m[0] = d[0] as number;
  m[n - 1] = d[n - 2] as number;
  for (let i = 1; i < n - 1; i++) {
    const a = d[i - 1] as number;
    const b = d[i] as number;
    if (a * b <= 0) continue;
    const w1 = 2 * (h[i] as number) + (h[i - 1] as number);
    const w2 = (h[i] as number) + 2 * (h[i - 1] as number);
    m[i] = (w1 + w2) / (w1 / a + w2 / b);
  }
  return m;
}

/** The smile of one expiry from its quoted IVs; null with fewer than two points. */
export function smileOf(slice: ExpirySlice, spot: number): Smile | null {
  const ks: number[] = [];
  const ivs: number[] = [];
  for (let i = 0; i < slice.strike.length; i++) {
    const k = slice.strike[i] as number;
    const c = slice.call.iv[i] as number;
    const p = slice.put.iv[i] as number;
    const otm = k < spot ? p : c;
    const other = k < spot ? c : p;
    const iv = otm > 0 ? otm : other > 0 ? other : NaN;
    if (Number.isNaN(iv)) continue;
    ks.push(k);
    ivs.push(iv);
  }
  if (ks.length < 2) return null;
  return { ks, ivs, slopes: pchipSlopes(ks, ivs) };
}

/** σ(x) and σ′(x) of a smile (flat beyond its ends). */
export function smileAt(s: Smile, x: number): { iv: number; slope: number } {
  const n = s.ks.length;
  if (x <= (s.ks[0] as number)) return { iv: s.ivs[0] as number, slope: 0 };
  if (x >= (s.ks[n - 1] as number)) return { iv: s.ivs[n - 1] as number, slope: 0 };
  let lo = 0;
  let hi = n - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if ((s.ks[mid] as number) <= x) lo = mid;
    else hi = mid;
  }
  const h = (s.ks[hi] as number) - (s.ks[lo] as number);
  const t = (x - (s.ks[lo] as number)) / h;
  const y0 = s.ivs[lo] as number;
  const y1 = s.ivs[hi] as number;
  const m0 = s.slopes[lo] as number;
  const m1 = s.slopes[hi] as number;
  const t2 = t * t;
  const t3 = t2 * t;
  const iv = (2 * t3 - 3 * t2 + 1) * y0 + (t3 - 2 * t2 + t) * h * m0 + (-2 * t3 + 3 * t2) * y1 + (t3 - t2) * h * m1;
  const slope = ((6 * t2 - 6 * t) * y0 + (3 * t2 - 4 * t + 1) * h * m0 + (-6 * t2 + 6 * t) * y1 + (3 * t2 - 2 * t) * h * m1) / h;
  return { iv, slope };
}

/**
 * The smile's risk-neutral distribution at one expiry: the smile plus the per-expiry constants of P(S_T > x), so that
 * P at any x is one smile lookup, a log and two normal functions (the engine asks it once per candidate).
 */
export interface SmileDist {
  smile: Smile;
  /** ln S + (r − q)T. */
  lnFwd: number;
  sqrtT: number;
  /** e^{rT}·S·e^{−qT}·√T: vega(K)·e^{rT} is this × φ(d₁). */
  vegaScale: number;
}

/** The distribution of a smile for spot S, rate r, dividend yield q and T years; null when S ≤ 0 or T ≤ 0. */
export function smileDist(s: Smile, spot: number, r: number, q: number, t: number): SmileDist | null {
  if (!(t > 0) || !(spot > 0)) return null;
  const sqrtT = Math.sqrt(t);
  return { smile: s, lnFwd: Math.log(spot) + (r - q) * t, sqrtT, vegaScale: Math.exp(r * t) * spot * Math.exp(-q * t) * sqrtT };
}

/** Risk-neutral P(S_T > x) (see the module comment), clamped to [0, 1]; NaN when x ≤ 0 or the smile has no positive IV at x. */
export function smileAbove(d: SmileDist, x: number): number {
  if (!(x > 0)) return NaN;
  const { iv, slope } = smileAt(d.smile, x);
  if (!(iv > 0)) return NaN;
  const sd = iv * d.sqrtT;
  const d1 = (d.lnFwd - Math.log(x)) / sd + 0.5 * sd;
  const p = normCdf(d1 - sd) - d.vegaScale * normPdf(d1) * slope;
  return Math.min(1, Math.max(0, p));
}

/**
 * Risk-neutral P(S_T > x) from the smile (see the module comment), clamped to [0, 1]; NaN when the smile has no
 * positive IV at x, x ≤ 0 or T ≤ 0.
 */
export function smileProbAbove(s: Smile, spot: number, x: number, r: number, q: number, t: number): number {
  const d = smileDist(s, spot, r, q, t);
  return d ? smileAbove(d, x) : NaN;
}

// Gauss–Legendre, 8 nodes on [−1, 1]: exact for polynomials of degree 15, so a piece of half a standard deviation
// of the density (where P is close to a low-degree polynomial) integrates to ~1e-12 of the piece's width.
const GL_X = [-0.9602898564975363, -0.7966664774136267, -0.525532409916329, -0.1834346424956498, 0.1834346424956498, 0.525532409916329, 0.7966664774136267, 0.9602898564975363];
const GL_W = [0.1012285362903763, 0.2223810344533745, 0.3137066458778873, 0.362683783378362, 0.362683783378362, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763];

/**
 * ∫_a^b P(S_T > x) dx (a < b, both > 0): the expected payoff of a long a-call / short b-call vertical at expiry,
 * undiscounted (E[(S−a)⁺ − (S−b)⁺] = ∫_a^b P(S_T > x) dx). P is smooth inside each smile piece but only continuous
 * at the knots (PCHIP is C¹, P holds σ′), so the interval is split at the knots, and each part into pieces no wider
 * than half the density's narrowest standard deviation (S·σ_min·√T) — a short expiry's steep P still integrates to
 * float precision. The clamp to [0, 1] (an arbitrage in the quotes) is the one kink left inside a piece.
 */
export function smileIntegral(d: SmileDist, a: number, b: number): number {
  if (!(b > a)) return 0;
  let minIv = Infinity;
  for (const v of d.smile.ivs) if (v < minIv) minIv = v;
  const step = 0.5 * Math.exp(d.lnFwd) * minIv * d.sqrtT;
  let sum = 0;
  let from = a;
  for (let j = 0; from < b; j++) {
    const knot = j < d.smile.ks.length ? (d.smile.ks[j] as number) : Infinity;
    if (knot <= from) continue;
    const to = Math.min(knot, b);
    const pieces = Math.min(256, Math.max(1, Math.ceil((to - from) / step)));
    const h = (to - from) / pieces;
    for (let p = 0; p < pieces; p++) {
      const mid = from + (p + 0.5) * h;
      let piece = 0;
      for (let g = 0; g < 8; g++) piece += (GL_W[g] as number) * smileAbove(d, mid + 0.5 * h * (GL_X[g] as number));
      sum += 0.5 * h * piece;
    }
    from = to;
  }
  return sum;
}
