// Hot-path lognormal primitives for the scanner: table-driven Φ and ln(1+u), digital probabilities, expected payoffs.
// They live here (not in core/options) because the engine calls them per candidate and per strike and needs
// them small enough for V8 to inline; the definitions are the textbook ones and are checked in math.test.ts.
import { G_DELTA, GREEKS_STRIDE, bsmGreeksInto, bsmPriceFast } from '../options/bsm';
import { normCdf } from '../options/normal';

// Φ is core/options' (Cody). The scanner keeps only what it needs in its own shape: the tables below and the
// lognormal expectations; BSM price and delta at the end are adapters over core/options with the scanner's contract.
export { normCdf };

// ---- Table-driven Φ and ln for the per-candidate POP (one breakeven per candidate, so these run millions of
// times per scan; Math.log plus a rational Φ cost several times more than the rest of a candidate).

const PHI_STEP = 1 / 64;
const PHI_LIMIT = 8.5;
const PHI_N = Math.round((2 * PHI_LIMIT) / PHI_STEP);

/**
 * A cubic Hermite table stored as polynomial coefficients per interval, [f₀, f₀'h, A, B, …] with
 * p(t) = f₀ + f₀'h·t + t²(A + B·t), so a lookup is 4 dependent operations deep instead of Horner's 6: the POP path
 * chains two lookups per candidate and is bound by their latency, not by their arithmetic.
 */
function hermiteTable(x0: number, h: number, n: number, f: (x: number) => number, df: (x: number) => number): Float64Array {
  const out = new Float64Array(4 * (n + 1));
  for (let i = 0; i <= n; i++) {
    const a = x0 + i * h;
    const f0 = f(a);
    const f1 = f(a + h);
    const d0 = df(a) * h;
    const d1 = df(a + h) * h;
    const delta = f1 - f0;
    out[4 * i] = f0;
    out[4 * i + 1] = d0;
    out[4 * i + 2] = 3 * delta - 2 * d0 - d1;
    out[4 * i + 3] = d0 + d1 - 2 * delta;
  }
  return out;
}

const PHI_TABLE = hermiteTable(-PHI_LIMIT, PHI_STEP, PHI_N, normCdf, (x) => Math.exp(-0.5 * x * x) / 2.5066282746310002);

/**
 * Φ(x) by cubic Hermite interpolation of a 1/64-spaced table of Φ and φ on [−8.5, 8.5] (clamped outside, where it
 * is within 1e-17 of 0 or 1). Absolute error < 1e-10 (h⁴/384 · max|Φ⁗|), checked against normCdf in math.test.ts.
 * The table (35 KB) and the ln(1+u) table are sized to share the L1 cache.
 */
export function fastNormCdf(x: number): number {
  return phiAtPos((x + PHI_LIMIT) * PHI_SCALE);
}

/** Table position of x for phiAtPos: (x + 8.5) · 64. */
export const PHI_SCALE = 64;
export const PHI_OFFSET = PHI_LIMIT * PHI_SCALE;
const PHI_POS_MAX = PHI_N - 1e-3;

/** Φ at table position pos = (x + 8.5)·64; lets the engine fold the affine map into per-strike constants. */
export function phiAtPos(pos: number): number {
  // Clamped, not branched: in a scan x lands on either side of ±8.5 at random. NaN stays NaN.
  const c = Math.min(Math.max(pos, 0), PHI_POS_MAX);
  const i = c | 0;
  const t = c - i;
  const j = 4 * i;
  return (PHI_TABLE[j] as number) + (PHI_TABLE[j + 1] as number) * t + t * t * ((PHI_TABLE[j + 2] as number) + (PHI_TABLE[j + 3] as number) * t);
}

// ln(1 + u) for the breakeven's log: the engine writes ln(BE) = ln K + ln(1 ± price/K) with ln K and 1/K
// precomputed per strike, so no Math.log (a C call) runs in the hot loop.
const L1P_STEP = 1 / 256;
const L1P_MIN = -0.5;
const L1P_MAX = 1.5;
const L1P_N = Math.round((L1P_MAX - L1P_MIN) / L1P_STEP);
const L1P_TABLE = hermiteTable(L1P_MIN, L1P_STEP, L1P_N, Math.log1p, (u) => 1 / (1 + u));

/**
 * ln(1 + u): cubic Hermite on a 1/256-spaced table for u ∈ [−0.5, 1.5) (absolute error < 6e-11:
 * h⁴/384 · max 6/(1+u)⁴), Math.log1p outside. Checked against Math.log1p in math.test.ts.
 */
export function fastLog1p(u: number): number {
  return log1pAtPos((u - L1P_MIN) * L1P_SCALE);
}

/** Table position of u for log1pAtPos: (u + 0.5) · 256. */
export const L1P_SCALE = 256;
export const L1P_OFFSET = -L1P_MIN * L1P_SCALE;

/** ln(1 + u) at table position pos = (u + 0.5)·256; Math.log1p outside the table. */
export function log1pAtPos(pos: number): number {
  if (!(pos >= 0 && pos < L1P_N)) return Math.log1p(pos / L1P_SCALE + L1P_MIN);
  const i = pos | 0;
  const t = pos - i;
  const j = 4 * i;
  return (L1P_TABLE[j] as number) + (L1P_TABLE[j + 1] as number) * t + t * t * ((L1P_TABLE[j + 2] as number) + (L1P_TABLE[j + 3] as number) * t);
}

/**
 * P(S_T > b) for a lognormal S_T with S_0 = e^lnS, drift μ (muT = μ·T), volatility σ (annualised), √T in years.
 * NaN when σ is unknown or not positive; 1 when b ≤ 0. Uses the table-driven Φ (error < 1e-10).
 */
export function probAbove(lnS: number, muT: number, sqrtT: number, b: number, sigma: number): number {
  if (!(sigma > 0)) return NaN;
  if (!(b > 0)) return 1;
  const sd = sigma * sqrtT;
  return fastNormCdf((lnS - Math.log(b) + muT) / sd - 0.5 * sd);
}

/** E[max(S_T − K, 0)] (undiscounted, per share) under a lognormal with drift μ, vol σ (annualised), T years. */
export function expectedCallPayoff(spot: number, strike: number, sigma: number, mu: number, t: number): number {
  if (!(sigma > 0) || !(t > 0)) return NaN;
  const sd = sigma * Math.sqrt(t);
  const fwd = spot * Math.exp(mu * t);
  const d1 = (Math.log(fwd / strike) + 0.5 * sd * sd) / sd;
  return fwd * normCdf(d1) - strike * normCdf(d1 - sd);
}

/** E[max(K − S_T, 0)] (undiscounted, per share) under a lognormal with drift μ, vol σ (annualised), T years. */
export function expectedPutPayoff(spot: number, strike: number, sigma: number, mu: number, t: number): number {
  if (!(sigma > 0) || !(t > 0)) return NaN;
  const sd = sigma * Math.sqrt(t);
  const fwd = spot * Math.exp(mu * t);
  const d1 = (Math.log(fwd / strike) + 0.5 * sd * sd) / sd;
  return strike * normCdf(sd - d1) - fwd * normCdf(-d1);
}

/**
 * Black-Scholes-Merton price per share (core/options' bsmPriceFast, in the scanner's argument order: σ before T);
 * r and q continuous, annualised; σ annualised; T years. NaN when σ is unknown or not positive, or T ≤ 0.
 */
export function bsmPrice(right: 'C' | 'P', spot: number, strike: number, sigma: number, r: number, q: number, t: number): number {
  if (!(sigma > 0) || !(t > 0)) return NaN;
  return bsmPriceFast(right === 'C', spot, strike, t, r, q, sigma);
}

const greeks = new Float64Array(GREEKS_STRIDE);

/** Black-Scholes-Merton delta (per share, per $1 of underlying), from core/options; NaN as for {@link bsmPrice}. */
export function bsmDelta(right: 'C' | 'P', spot: number, strike: number, sigma: number, r: number, q: number, t: number): number {
  if (!(sigma > 0) || !(t > 0)) return NaN;
  bsmGreeksInto(greeks, 0, right === 'C', spot, strike, t, r, q, sigma);
  return greeks[G_DELTA] as number;
}
