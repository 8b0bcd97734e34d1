// Seeded Monte-Carlo of a vertical spread's exit plan: profit target before stop loss or time stop.
//
// The underlying follows geometric Brownian motion with drift μ and volatility σ_path, stepped on a fixed grid
// (stepsPerYear, default 252 steps a year). At every step the spread is marked with BSM at each leg's own
// implied volatility (held constant: sticky strike; early exercise ignored for the mark), and the exit rules
// are checked in this order: profit target, stop loss, time stop; at expiry the spread pays its intrinsic
// value. Monitoring is discrete (once per step), which is how an end-of-day or polling exit plan behaves.
// Units: $ per share for prices and P&L, years for times, annual decimals for r, q, μ and volatilities.
import type { OptionRight } from '../market/contracts';
import { bsmPriceDiscounted } from './bsm';
import type { Rng } from './rng';

/** A vertical spread and the exit plan a trader would follow. */
export interface ExitPlanSpec {
  /** 'C' for a call vertical, 'P' for a put vertical. */
  readonly right: OptionRight;
  /** True for bull spreads (bull call debit, bull put credit), false for bear spreads. */
  readonly bullish: boolean;
  /** Lower and higher strikes ($). */
  readonly kLow: number;
  readonly kHigh: number;
  /** Net premium per share at entry from our account: +credit received, −debit paid ($). */
  readonly cash: number;
  /** Implied volatilities (annual) of the low-strike and high-strike legs, used to mark the spread. */
  readonly ivLow: number;
  readonly ivHigh: number;
  /** Underlying price now ($), time to expiry (years), rate and dividend yield (annual decimals). */
  readonly S: number;
  readonly T: number;
  readonly r: number;
  readonly q: number;
  /** Drift of the price path (annual); default r − q (risk-neutral). */
  readonly drift?: number;
  /** Volatility of the price path (annual); default the mean of the two leg IVs. */
  readonly pathVol?: number;
  /** Take profit when P&L ≥ this fraction of max profit (e.g. 0.5); omit for none. */
  readonly profitTarget?: number;
  /** Stop when the loss ≥ this fraction of max loss (e.g. 0.5 = half the max loss); omit for none. */
  readonly stopLoss?: number;
  /** Exit at the mark once the time left is ≤ this many years (e.g. 21/365); omit or 0 for none. */
  readonly timeStopYears?: number;
  /** Number of simulated paths. */
  readonly paths: number;
  /** Monitoring steps per year (default 252). */
  readonly stepsPerYear?: number;
}

/** Monte-Carlo estimate of how the exit plan ends. Probabilities sum to 1. */
export interface ExitPlanResult {
  readonly pTarget: number;
  readonly pStop: number;
  readonly pTimeStop: number;
  readonly pExpiry: number;
  /** Mean P&L per share at exit ($, undiscounted) and its standard error. */
  readonly meanPnl: number;
  readonly stdErrPnl: number;
  /** Mean holding time in calendar days. */
  readonly meanDaysHeld: number;
  readonly paths: number;
  readonly steps: number;
}

/** Runs the exit-plan simulation with the injected seeded RNG (same seed and spec ⇒ same result). */
export function simulateExitPlan(spec: ExitPlanSpec, rng: Rng): ExitPlanResult {
  const { right, bullish, kLow, kHigh, cash, ivLow, ivHigh, S, T, r, q } = spec;
  const isCall = right === 'C';
  const isCredit = isCall ? !bullish : bullish;
  // Bull spreads own the low strike (bull call buys it; bull put buys it as protection); bear spreads the high one.
  const longLow = bullish;
  const width = kHigh - kLow;
  const c0 = isCredit ? cash - width : cash;
  const maxProfit = c0 + width;
  const maxLoss = -c0;
  const target = spec.profitTarget === undefined ? Infinity : spec.profitTarget * maxProfit;
  const stop = spec.stopLoss === undefined ? -Infinity : -spec.stopLoss * maxLoss;
  const timeStop = spec.timeStopYears ?? 0;
  const mu = spec.drift ?? r - q;
  const vol = spec.pathVol ?? 0.5 * (ivLow + ivHigh);
  const steps = Math.max(1, Math.ceil(T * (spec.stepsPerYear ?? 252)));
  const dt = T / steps;
  const drift = (mu - 0.5 * vol * vol) * dt;
  const diffusion = vol * Math.sqrt(dt);

  // Per-step discounting shared by all paths.
  const dq = new Float64Array(steps + 1);
  const dr = new Float64Array(steps + 1);
  const sdLow = new Float64Array(steps + 1);
  const sdHigh = new Float64Array(steps + 1);
  for (let j = 0; j <= steps; j++) {
    const tau = T - j * dt;
    dq[j] = Math.exp(-q * tau);
    dr[j] = Math.exp(-r * tau);
    sdLow[j] = ivLow * Math.sqrt(tau);
    sdHigh[j] = ivHigh * Math.sqrt(tau);
  }

  let nTarget = 0, nStop = 0, nTime = 0, nExpiry = 0;
  let sum = 0, sumSq = 0, sumSteps = 0;
  for (let p = 0; p < spec.paths; p++) {
    let lnS = Math.log(S);
    let pnl = 0;
    let j = 1;
    for (; j <= steps; j++) {
      lnS += drift + diffusion * rng.nextNormal();
      const s = Math.exp(lnS);
      let value: number;
      if (j === steps) {
        const intrinsicLow = isCall ? s - kLow : kLow - s;
        const intrinsicHigh = isCall ? s - kHigh : kHigh - s;
        const vLow = intrinsicLow > 0 ? intrinsicLow : 0;
        const vHigh = intrinsicHigh > 0 ? intrinsicHigh : 0;
        value = longLow ? vLow - vHigh : vHigh - vLow;
      } else {
        const sdq = s * (dq[j] as number);
        const drj = dr[j] as number;
        const vLow = bsmPriceDiscounted(isCall, sdq, kLow * drj, sdLow[j] as number);
        const vHigh = bsmPriceDiscounted(isCall, sdq, kHigh * drj, sdHigh[j] as number);
        value = longLow ? vLow - vHigh : vHigh - vLow;
      }
      pnl = cash + value;
      if (pnl >= target) {
        nTarget++;
        break;
      }
      if (pnl <= stop) {
        nStop++;
        break;
      }
      if (j === steps) {
        nExpiry++;
        break;
      }
      if (T - j * dt <= timeStop) {
        nTime++;
        break;
      }
    }
    sum += pnl;
    sumSq += pnl * pnl;
    sumSteps += j;
  }
  const n = spec.paths;
  const mean = n > 0 ? sum / n : 0;
  const variance = n > 1 ? (sumSq - n * mean * mean) / (n - 1) : 0;
  return {
    pTarget: n > 0 ? nTarget / n : 0,
    pStop: n > 0 ? nStop / n : 0,
    pTimeStop: n > 0 ? nTime / n : 0,
    pExpiry: n > 0 ? nExpiry / n : 0,
    meanPnl: mean,
    stdErrPnl: n > 1 ? Math.sqrt(Math.max(variance, 0) / n) : 0,
    meanDaysHeld: n > 0 ? ((sumSteps / n) * dt) * 365 : 0,
    paths: n,
    steps,
  };
}
