// Probability from the volatility smile: the risk-neutral P(S_T > x) implied by one expiry's quoted IVs (Breeden–Litzenberger).
//
// Why: the lognormal POP takes one leg's IV for the whole distribution, so it ignores the skew — on equity smiles it
// overstates POP by points on credit rows and more on far-OTM debit rows. Breeden–Litzenberger: the undiscounted call
// price's slope in strike is −P(S_T > K). With the smile σ(K) inside Black–Scholes, C(K) = BS(K, σ(K)) and
//   P(S_T > K) = −e^{rT} dC/dK = N(d₂) − e^{rT}·vega(K)·σ′(K),   vega = S e^{−qT} φ(d₁) √T,
// so the digital is the flat-vol N(d₂) corrected by the smile's slope at K. The smile is a monotone-preserving cubic
// (PCHIP, guided.ts) through the out-of-the-money IVs (puts below spot, calls above; the other right where one is
// missing), flat outside the quoted range (σ′ = 0 there). Risk-neutral by construction (drift r − q).
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
 * Risk-neutral P(S_T > x) from the smile (see the module comment), clamped to [0, 1]; NaN when the smile has no
 * positive IV at x, x ≤ 0 or T ≤ 0.
 */
export function smileProbAbove(s: Smile, spot: number, x: number, r: number, q: number, t: number): number {
  if (!(x > 0) || !(t > 0) || !(spot > 0)) return NaN;
  const { iv, slope } = smileAt(s, x);
  if (!(iv > 0)) return NaN;
  const sd = iv * Math.sqrt(t);
  const d1 = (Math.log(spot / x) + (r - q) * t) / sd + 0.5 * sd;
  const d2 = d1 - sd;
  const vega = spot * Math.exp(-q * t) * normPdf(d1) * Math.sqrt(t);
  const p = normCdf(d2) - Math.exp(r * t) * vega * slope;
  return Math.min(1, Math.max(0, p));
}
