// Two-sided first exit of a lognormal price: the odds of touching an upper level before a lower one, within T.
//
// Model: the price follows geometric Brownian motion S_t = S·exp((μ − σ²/2)t + σW_t), monitored continuously.
// In log space X_t = ln(S_t/L) is a Brownian motion with drift ν = μ − σ²/2 on the strip (0, w), w = ln(U/L),
// started at x₀ = ln(S/L). The flux of the killed process through the top is, by the method of images, a sum
// of single-level first-passage densities: with aₖ = (2k+1)w − x₀ (k ∈ ℤ),
//   P(top first, by T) = Σₖ e^{−2kwν/σ²} · sgn(aₖ) · G(|aₖ|, sgn(aₖ)·ν, T),
// where G(a, ν, T) = Φ((νT − a)/σ√T) + e^{2νa/σ²}·Φ((−a − νT)/σ√T) is the probability that a drifted Brownian
// motion reaches the level a > 0 by T (the reflection principle, as probTouch). Every term is evaluated in log
// space and is bounded by 1, so the sum stays well conditioned for any drift; terms fall off like Gaussian
// tails, so a short horizon needs a handful and a long one a few hundred. T = ∞ uses the scale function.
// Why a closed form rather than a simulation: the Ticket recomputes it on every keystroke, and a formula has no
// sampling noise to explain. Units: prices in $, T in years, σ and μ annual decimals.
import { logNormCdf } from './normal';

/** How a two-sided exit ends within the horizon; the three probabilities sum to 1. */
export interface FirstExit {
  /** P(the upper level is touched first, before T). */
  readonly pUp: number;
  /** P(the lower level is touched first, before T). */
  readonly pDown: number;
  /** P(neither level is touched by T). */
  readonly pNeither: number;
}

const MAX_TERMS = 100_000;

/** ln G(a, ν, T): log of P(a drifted Brownian motion with volatility σ reaches the level a > 0 by T). */
function logTouch(a: number, nu: number, T: number, sigma: number): number {
  const sd = sigma * Math.sqrt(T);
  const first = logNormCdf((nu * T - a) / sd);
  const second = (2 * nu * a) / (sigma * sigma) + logNormCdf((-a - nu * T) / sd);
  const hi = Math.max(first, second);
  return hi === -Infinity ? -Infinity : hi + Math.log(Math.exp(first - hi) + Math.exp(second - hi));
}

/**
 * Probability that a Brownian motion with drift ν and volatility σ, started at x0 in (0, w), leaves through w
 * before 0 and before T (log-space units; see the module header for the series).
 */
function exitThroughTop(x0: number, w: number, T: number, sigma: number, nu: number): number {
  const s2 = sigma * sigma;
  if (!Number.isFinite(T)) {
    // Infinite horizon: the scale function s(x) = e^{−2νx/σ²} gives (s(x0) − s(0)) / (s(w) − s(0)).
    const k = (-2 * nu) / s2;
    if (Math.abs(k * w) < 1e-9) return x0 / w;
    if (k * w > 700) return clamp01(Math.exp(k * (x0 - w)));
    if (k * w < -700) return 1;
    return clamp01(Math.expm1(k * x0) / Math.expm1(k * w));
  }
  // Levels beyond this distance are out of reach (Gaussian tail below e^{−50}) whatever the weight.
  const reach = Math.abs(nu) * T + 12 * sigma * Math.sqrt(T);
  let sum = 0;
  for (let k = 0; k < MAX_TERMS; k++) {
    // k ≥ 0: an image above, aₖ = (2k+1)w − x0 > 0; its mirror −(k+1): |a| = (2k+1)w + x0, negative sign.
    const aUp = (2 * k + 1) * w - x0;
    const aDown = (2 * k + 1) * w + x0;
    const up = Math.exp((-2 * k * w * nu) / s2 + logTouch(aUp, nu, T, sigma));
    const down = Math.exp((2 * (k + 1) * w * nu) / s2 + logTouch(aDown, -nu, T, sigma));
    sum += up - down;
    if (aUp > reach && up < 1e-18 && down < 1e-18) break;
  }
  return clamp01(sum);
}

function clamp01(p: number): number {
  return p < 0 ? 0 : p > 1 ? 1 : p;
}

/**
 * Odds that a GBM price starting at S touches `upper` before `lower` (pUp), `lower` before `upper` (pDown), or
 * neither by T years (pNeither). Continuous monitoring; a level at or beyond S counts as touched at once;
 * pass Infinity for `upper` or 0 for `lower` to drop that side. sigma, mu annual decimals (mu = r − q for
 * risk-neutral odds).
 */
export function firstExitProbabilities(S: number, lower: number, upper: number, T: number, sigma: number, mu: number): FirstExit {
  if (S >= upper) return { pUp: 1, pDown: 0, pNeither: 0 };
  if (S <= lower) return { pUp: 0, pDown: 1, pNeither: 0 };
  if (!(T > 0) || !(sigma > 0)) return { pUp: 0, pDown: 0, pNeither: 1 };
  const nu = mu - 0.5 * sigma * sigma;
  // A missing side is a level so far away that it cannot matter: 40 standard deviations plus the drift.
  const far = 40 * sigma * Math.sqrt(Number.isFinite(T) ? T : 1) + Math.abs(nu) * (Number.isFinite(T) ? T : 1);
  const lo = lower > 0 ? Math.log(lower / S) : -far;
  const hi = Number.isFinite(upper) ? Math.log(upper / S) : far;
  const w = hi - lo;
  const x0 = -lo;
  const pUp = exitThroughTop(x0, w, T, sigma, nu);
  // The bottom exit is the top exit of the mirrored strip (x → w − x, ν → −ν).
  const pDown = exitThroughTop(w - x0, w, T, sigma, -nu);
  const sum = pUp + pDown;
  if (sum > 1) return { pUp: pUp / sum, pDown: pDown / sum, pNeither: 0 };
  return { pUp, pDown, pNeither: 1 - sum };
}
