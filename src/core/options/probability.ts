// Probabilities under a lognormal underlying: finishing above/below, touching, and vertical-spread outcomes at expiry.
//
// Model: S_T = S·exp((μ − σ²/2)T + σ√T·Z), Z ~ N(0,1). μ is the expected growth rate of the PRICE (annual,
// continuously compounded): risk-neutral μ = r − q (use riskNeutralDrift), or a real-world view. σ is the
// annualised (implied) volatility, T is in years. Expected values are undiscounted amounts at expiry in $ per
// share; multiply by the contract multiplier and quantity for position dollars.
import { INV_SQRT_2PI, logNormCdf, normCdf, normCdfWithExp } from './normal';

/** Risk-neutral drift of the price, μ = r − q (annual decimals). */
export function riskNeutralDrift(r: number, q: number): number {
  return r - q;
}

/** P(S_T > H): probability the price finishes above H ($) at T years; sigma, mu annual decimals. */
export function probAbove(S: number, H: number, T: number, sigma: number, mu: number): number {
  const sd = sigma * Math.sqrt(T);
  if (!(sd > 0)) return S * Math.exp(mu * (T > 0 ? T : 0)) > H ? 1 : 0;
  return normCdf((Math.log(S / H) + (mu - 0.5 * sigma * sigma) * T) / sd);
}

/** P(S_T < H): probability the price finishes below H ($) at T years; sigma, mu annual decimals. */
export function probBelow(S: number, H: number, T: number, sigma: number, mu: number): number {
  const sd = sigma * Math.sqrt(T);
  if (!(sd > 0)) return S * Math.exp(mu * (T > 0 ? T : 0)) < H ? 1 : 0;
  return normCdf(-(Math.log(S / H) + (mu - 0.5 * sigma * sigma) * T) / sd);
}

/**
 * P(the price touches H at any time before T years), continuous monitoring (reflection principle for
 * Brownian motion with drift ν = μ − σ²/2 in log space). 1 when H equals S; sigma, mu annual decimals.
 */
export function probTouch(S: number, H: number, T: number, sigma: number, mu: number): number {
  if (H === S) return 1;
  const sd = sigma * Math.sqrt(T);
  if (!(sd > 0)) {
    const end = S * Math.exp(mu * (T > 0 ? T : 0));
    return H > S ? (end >= H ? 1 : 0) : end <= H ? 1 : 0;
  }
  // Distance to the barrier in log space, and the drift toward it.
  const b = Math.abs(Math.log(H / S));
  const nu = (H > S ? 1 : -1) * (mu - 0.5 * sigma * sigma);
  const first = normCdf((nu * T - b) / sd);
  // e^{2νb/σ²}·Φ(·) can overflow × underflow; combine in log space.
  const second = Math.exp((2 * nu * b) / (sigma * sigma) + logNormCdf((-b - nu * T) / sd));
  const p = first + second;
  return p > 1 ? 1 : p;
}

/** Outcome of a vertical spread held to expiry, per share; see {@link verticalOutcomeInto}. */
export interface VerticalOutcome {
  /** Probability that P&L at expiry is > 0. */
  pop: number;
  /** Probability of finishing at or beyond the far strike (full max profit). */
  pMaxProfit: number;
  /** Probability of finishing at or beyond the near strike on the losing side (full max loss). */
  pMaxLoss: number;
  /** Expected P&L at expiry, undiscounted, $ per share. */
  ev: number;
  /** Break-even underlying price at expiry ($). */
  breakeven: number;
  /** Max profit at expiry, $ per share (≥ 0 for a sane entry price). */
  maxProfit: number;
  /** Max loss at expiry as a positive number, $ per share. */
  maxLoss: number;
}

/** Slots written by {@link verticalOutcomeInto}. */
export const VO_POP = 0, VO_P_MAX_PROFIT = 1, VO_P_MAX_LOSS = 2, VO_EV = 3, VO_BREAKEVEN = 4, VO_MAX_PROFIT = 5, VO_MAX_LOSS = 6;
/** Number of Float64Array slots one outcome uses. */
export const VO_STRIDE = 7;

/**
 * Allocation-free vertical-spread outcome at expiry (the hot path used to rank spreads).
 *
 * The spread is described by its payoff shape: bullish (bull call debit, bull put credit: P&L rises with S)
 * or bearish (bear put debit, bear call credit), its strikes kLow < kHigh ($), and `cash`, the net premium
 * per share at entry seen from our account: +credit received, −debit paid ($). Writes pop, pMaxProfit,
 * pMaxLoss, ev (undiscounted $/share at expiry), breakeven ($), maxProfit and maxLoss ($/share) into
 * out[offset + VO_*]. S in $, T in years, sigma and mu annual decimals (mu = r − q for risk-neutral).
 */
export function verticalOutcomeInto(
  out: Float64Array, offset: number,
  bullish: boolean, isCredit: boolean, kLow: number, kHigh: number, cash: number,
  S: number, T: number, sigma: number, mu: number,
): void {
  const sd = sigma * Math.sqrt(T);
  const fwd = S * Math.exp(mu * T);
  if (!(sd > 0)) {
    // No uncertainty left: the price ends at its forward.
    const pLow = fwd > kLow ? 1 : 0, pHigh = fwd > kHigh ? 1 : 0;
    writeOutcome(out, offset, bullish, isCredit, kLow, kHigh, cash, pLow, pLow, pHigh, pHigh, S, fwd, 0, 0);
    return;
  }
  const m = (mu - 0.5 * sigma * sigma) * T;
  const invSd = 1 / sd;
  const invF = 1 / fwd;
  const dLow = (Math.log(S / kLow) + m) * invSd; // d2 at kLow
  const dHigh = (Math.log(S / kHigh) + m) * invSd;
  // Shared exponentials: φ(d1) = φ(d2)·K/F, so each strike needs one exp for both of its CDFs.
  const eLow = Math.exp(-0.5 * dLow * dLow);
  const eHigh = Math.exp(-0.5 * dHigh * dHigh);
  writeOutcome(
    out, offset, bullish, isCredit, kLow, kHigh, cash,
    normCdfWithExp(dLow, eLow), d1Cdf(dLow + sd, eLow, kLow * invF),
    normCdfWithExp(dHigh, eHigh), d1Cdf(dHigh + sd, eHigh, kHigh * invF),
    S, fwd, m, sd,
  );
}

// Φ(d1) given e2 = exp(−d2²/2) and K/F, using φ(d1) = φ(d2)·K/F (falls back to exp when e2 underflowed).
function d1Cdf(d1: number, e2: number, kOverF: number): number {
  return normCdfWithExp(d1, e2 > 1e-290 ? e2 * kOverF : Math.exp(-0.5 * d1 * d1));
}

// Shared tail: P&L(S_T) = c0 + clamp(±(S_T − K), 0, width). A debit spread holds the payoff outright; a credit
// spread's payoff is the debit one minus the width (bull put = bull call − width). pX = P(S_T > kX) = Φ(d2),
// qX = Φ(d1) at kX. sd = 0 means no uncertainty (the price ends at its forward).
function writeOutcome(
  out: Float64Array, offset: number, bullish: boolean, isCredit: boolean, kLow: number, kHigh: number, cash: number,
  pLow: number, qLow: number, pHigh: number, qHigh: number, S: number, fwd: number, m: number, sd: number,
): void {
  const width = kHigh - kLow;
  const c0 = isCredit ? cash - width : cash;
  const maxProfit = c0 + width;
  const maxLoss = -c0;
  const breakeven = bullish ? kLow - c0 : kHigh + c0;
  // E[clamp(S_T − kLow, 0, w)] = C(kLow) − C(kHigh) with undiscounted calls C(K) = F·Φ(d1) − K·Φ(d2).
  const callSpread = fwd * (qLow - qHigh) - kLow * pLow + kHigh * pHigh;
  let pBe: number;
  if (breakeven > kLow && breakeven < kHigh) pBe = sd > 0 ? normCdf((Math.log(S / breakeven) + m) * (1 / sd)) : fwd > breakeven ? 1 : 0;
  else pBe = breakeven <= kLow ? pLow : pHigh;
  let pop: number;
  if (maxProfit <= 0) pop = 0;
  else if (maxLoss < 0) pop = 1;
  else if (bullish) pop = maxLoss === 0 ? pLow : pBe;
  else pop = maxLoss === 0 ? 1 - pHigh : 1 - pBe;
  out[offset + VO_POP] = pop;
  out[offset + VO_P_MAX_PROFIT] = bullish ? pHigh : 1 - pLow;
  out[offset + VO_P_MAX_LOSS] = bullish ? 1 - pLow : pHigh;
  out[offset + VO_EV] = c0 + (bullish ? callSpread : width - callSpread);
  out[offset + VO_BREAKEVEN] = breakeven;
  out[offset + VO_MAX_PROFIT] = maxProfit;
  out[offset + VO_MAX_LOSS] = maxLoss;
}

/**
 * The lognormal of one underlying and expiry, prepared once for a whole chain: S ($), forward F = S·e^{μT} ($),
 * m = (μ − σ²/2)·T and sd = σ√T (dimensionless). Make it with {@link lognormalView}.
 */
export interface LognormalView {
  readonly S: number;
  readonly fwd: number;
  readonly m: number;
  readonly sd: number;
}

/** Prepares the lognormal for S ($), T (years), sigma and mu (annual decimals). */
export function lognormalView(S: number, T: number, sigma: number, mu: number): LognormalView {
  const sd = sigma * Math.sqrt(T);
  return { S, fwd: S * Math.exp(mu * T), m: sd > 0 ? (mu - 0.5 * sigma * sigma) * T : 0, sd: sd > 0 ? sd : 0 };
}

/**
 * Per-strike tails for a chain: pAbove[i] = P(S_T > K_i) = Φ(d2) and qAbove[i] = Φ(d1) (the share-measure
 * probability used by expected values). Computed once per strike, shared by every vertical that uses it.
 */
export function strikeTailsInto(view: LognormalView, strikes: ArrayLike<number>, pAbove: Float64Array, qAbove: Float64Array): void {
  const { S, fwd, m, sd } = view;
  for (let i = 0; i < strikes.length; i++) {
    const K = strikes[i] as number;
    if (!(sd > 0)) {
      pAbove[i] = qAbove[i] = fwd > K ? 1 : 0;
      continue;
    }
    // Same arithmetic as verticalOutcomeInto, so both paths give identical numbers.
    const d2 = (Math.log(S / K) + m) * (1 / sd);
    const e2 = Math.exp(-0.5 * d2 * d2);
    pAbove[i] = normCdfWithExp(d2, e2);
    qAbove[i] = d1Cdf(d2 + sd, e2, K * (1 / fwd));
  }
}

/**
 * {@link verticalOutcomeInto} from precomputed strike tails (see strikeTailsInto): only the breakeven needs a
 * CDF, which makes ranking every vertical of a chain several times faster. Same outputs and units.
 */
export function verticalOutcomeFromTailsInto(
  out: Float64Array, offset: number, bullish: boolean, isCredit: boolean, kLow: number, kHigh: number, cash: number,
  pLow: number, qLow: number, pHigh: number, qHigh: number, view: LognormalView,
): void {
  writeOutcome(out, offset, bullish, isCredit, kLow, kHigh, cash, pLow, qLow, pHigh, qHigh, view.S, view.fwd, view.m, view.sd);
}

const scratch = new Float64Array(VO_STRIDE);

/** Object form of {@link verticalOutcomeInto} (same arguments and units). */
export function verticalOutcome(
  bullish: boolean, isCredit: boolean, kLow: number, kHigh: number, cash: number,
  S: number, T: number, sigma: number, mu: number,
): VerticalOutcome {
  verticalOutcomeInto(scratch, 0, bullish, isCredit, kLow, kHigh, cash, S, T, sigma, mu);
  return {
    pop: scratch[VO_POP] as number,
    pMaxProfit: scratch[VO_P_MAX_PROFIT] as number,
    pMaxLoss: scratch[VO_P_MAX_LOSS] as number,
    ev: scratch[VO_EV] as number,
    breakeven: scratch[VO_BREAKEVEN] as number,
    maxProfit: scratch[VO_MAX_PROFIT] as number,
    maxLoss: scratch[VO_MAX_LOSS] as number,
  };
}

/** Lognormal density of S_T at price x ($) — for plotting the distribution under a payoff chart. */
export function lognormalDensity(x: number, S: number, T: number, sigma: number, mu: number): number {
  const sd = sigma * Math.sqrt(T);
  if (!(x > 0) || !(sd > 0)) return 0;
  const z = (Math.log(x / S) - (mu - 0.5 * sigma * sigma) * T) / sd;
  return (INV_SQRT_2PI * Math.exp(-0.5 * z * z)) / (x * sd);
}
