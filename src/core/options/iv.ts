// Implied volatility of a European option from its price: normalised Black, Jäckel-style start, Householder steps.
//
// Method. The price is moved to the normalised, undiscounted Black world (x = ln(F/K), β = price / (DF·√(F·K)))
// and an in-the-money price is turned into the out-of-the-money one by subtracting the intrinsic value
// (put–call parity), so every solve is an OTM call b(x, s) = β with x ≤ 0 and s = σ√T. The start value is the
// lower/upper asymptotic guess from P. Jäckel, "By Implication" (Wilmott, 2006), split at the inflection point
// s_c = √(2|x|); it is exact at the money. Third-order Householder steps follow, on ln b in the lower branch
// (where b is exponentially small) and on b itself in the upper branch, safeguarded by a bracket that every
// evaluation tightens (a step that leaves the bracket is replaced by bisection). Typically 1–3 steps reach
// machine precision. Prices outside the no-arbitrage bounds (≤ intrinsic or ≥ the upper bound) have no
// implied volatility and are reported as such, never as a made-up number.
import { INV_SQRT_2PI, normCdf, normCdfWithExp, normInvFast } from './normal';
import type { OptionRight } from '../market/contracts';
import { type Failure, type Result, failure } from '../result';

/** Why no implied volatility exists (or was found) for a price. */
export type IvFailure = 'BELOW_INTRINSIC' | 'ABOVE_MAX' | 'INVALID_INPUT' | 'NO_CONVERGENCE';

/** Result of {@link impliedVol}: an annualised volatility, or the reason there is none. */
export type IvResult = Result<number, Failure<IvFailure>>;

/** Raw status codes returned by {@link impliedVolFast} instead of a volatility (all negative). */
export const IV_BELOW_INTRINSIC = -1;
export const IV_ABOVE_MAX = -2;
export const IV_INVALID_INPUT = -3;
export const IV_NO_CONVERGENCE = -4;

const MAX_ITERATIONS = 40;
// Stop when the step is this small relative to s (the last cubic step then lands at machine precision).
const REL_TOL = 1e-6;
// A step this small that contradicts the bracket is rounding noise in the time value (deep ITM prices).
const NOISE_TOL = 1e-9;

/**
 * Implied annualised volatility of a European option (allocation-free hot path). Inputs: option price per
 * share ($), S and K ($), T in years, r and q annual continuously-compounded decimals. Returns σ > 0 (annual,
 * 0.2 = 20%), or one of the negative IV_* codes when the price admits no volatility.
 */
export function impliedVolFast(isCall: boolean, price: number, S: number, K: number, T: number, r: number, q: number): number {
  if (!(S > 0 && K > 0 && T > 0 && price >= 0) || !Number.isFinite(price + S + K + T + r + q)) return IV_INVALID_INPUT;
  const df = Math.exp(-r * T);
  const F = S * Math.exp((r - q) * T);
  const x = Math.log(F / K);
  const sqrtFK = Math.sqrt(F * K);
  const undiscounted = price / df;
  // In the money: keep only the time value (the price of the OTM option of the other type).
  const intrinsic = isCall ? (F > K ? F - K : 0) : K > F ? K - F : 0;
  const timeValue = undiscounted - intrinsic;
  // In the money, a time value within rounding of price − intrinsic is no time value: the price sits on its
  // lower bound and any volatility would be noise.
  if (timeValue <= (intrinsic > 0 ? 4 * Number.EPSILON * (undiscounted + F + K) : 0)) return IV_BELOW_INTRINSIC;
  const beta = timeValue / sqrtFK;
  const xo = x > 0 ? -x : x;
  const s = solveNormalised(xo, beta);
  return s > 0 ? s / Math.sqrt(T) : s;
}

/** Implied annualised volatility of a European option, or a typed reason when none exists. Units as {@link impliedVolFast}. */
export function impliedVol(right: OptionRight, price: number, S: number, K: number, T: number, r: number, q: number): IvResult {
  const v = impliedVolFast(right === 'C', price, S, K, T, r, q);
  if (v > 0) return { ok: true, value: v };
  return ivFailure(v);
}

/** Converts a negative IV_* code into the typed failure value. */
export function ivFailure(code: number): IvResult {
  switch (code) {
    case IV_BELOW_INTRINSIC:
      return failure('BELOW_INTRINSIC', 'The price is at or below intrinsic value, so no volatility can produce it.');
    case IV_ABOVE_MAX:
      return failure('ABOVE_MAX', 'The price is at or above the no-arbitrage maximum (underlying or discounted strike).');
    case IV_INVALID_INPUT:
      return failure('INVALID_INPUT', 'Price, spot, strike or time to expiry is missing, negative or not finite.');
    default:
      return failure('NO_CONVERGENCE', 'The volatility solver did not converge.');
  }
}

/**
 * Normalised OTM Black call b(x, s) = e^{x/2}Φ(x/s + s/2) − e^{−x/2}Φ(x/s − s/2) for x ≤ 0, s = σ√T > 0.
 * Dimensionless: the undiscounted price divided by √(F·K).
 */
export function normalisedBlackOtm(x: number, s: number): number {
  const h = x / s;
  const t = 0.5 * s;
  const ex2 = Math.exp(0.5 * x);
  const b = ex2 * normCdf(h + t) - normCdf(h - t) / ex2;
  return b > 0 ? b : 0;
}

// Solves b(x, s) = beta for s; x ≤ 0. Returns s > 0 or a negative IV_* code.
function solveNormalised(x: number, beta: number): number {
  const ex2 = Math.exp(0.5 * x);
  const bMax = ex2;
  if (!(beta > 0)) return IV_BELOW_INTRINSIC;
  if (beta >= bMax) return IV_ABOVE_MAX;
  const emx2 = 1 / ex2;
  const x2 = x * x;

  // Start value (Jäckel 2006): split at the inflection point s_c = √(2|x|), where b(s_c) = b_c.
  // exp(−s_c²/2) = e^{x} and exp(−(s_c/2)²/2) = e^{x/4}, so these CDFs need no further exponentials.
  const sc = Math.sqrt(-2 * x);
  const ex = ex2 * ex2;
  const bc = 0.5 * ex2 - emx2 * normCdfWithExp(-sc, ex);
  const lower = beta < bc;
  let s: number;
  if (lower) {
    s = Math.sqrt((2 * x2) / (-x - 4 * Math.log(beta / bc)));
  } else {
    s = -2 * normInvFast(((bMax - beta) / (bMax - bc)) * normCdfWithExp(-0.5 * sc, Math.sqrt(Math.sqrt(ex))));
  }
  if (!(s > 0) || !Number.isFinite(s)) s = sc > 0 ? sc : 1;
  const lnBeta = lower ? Math.log(beta) : 0;

  let lo = 0;
  let hi = Infinity;
  for (let i = 0; i < MAX_ITERATIONS; i++) {
    const h = x / s;
    const t = 0.5 * s;
    // One exponential per step: with u = h + t, exp(−(h−t)²/2) = exp(−u²/2)·e^{x} and vega = φ(u)·e^{x/2}.
    const u = h + t;
    const eu = Math.exp(-0.5 * u * u);
    const b = ex2 * normCdfWithExp(u, eu) - emx2 * normCdfWithExp(h - t, eu * ex);
    if (b > beta) {
      if (s < hi) hi = s;
    } else if (s > lo) {
      lo = s;
    }
    const vega = INV_SQRT_2PI * eu * ex2;
    const h2 = x2 / (s * s * s) - 0.25 * s;
    const h3 = h2 * h2 - (3 * x2) / (s * s * s * s) - 0.25;
    let nu: number, g: number, d: number;
    if (lower && b > 0) {
      const lambda = vega / b;
      nu = (lnBeta - Math.log(b)) / lambda;
      g = h2 - lambda;
      d = h3 - 3 * h2 * lambda + 2 * lambda * lambda;
    } else {
      nu = (beta - b) / vega;
      g = h2;
      d = h3;
    }
    const ds = (nu * (1 + 0.5 * g * nu)) / (1 + nu * (g + (d * nu) / 6));
    const next = s + ds;
    if (next > lo && next < hi) {
      s = next;
      if (Math.abs(ds) <= REL_TOL * s) return s;
    } else if (Math.abs(ds) <= NOISE_TOL * s) {
      // A tiny step across an end of the bracket means the residual is rounding noise: s is the root.
      return s;
    } else {
      // A wild step: bisect, or double while there is no upper end yet.
      s = hi === Infinity ? (s > lo ? 2 * s : 2 * lo) : 0.5 * (lo + hi);
      if (hi - lo <= REL_TOL * s) return s;
    }
  }
  return IV_NO_CONVERGENCE;
}
