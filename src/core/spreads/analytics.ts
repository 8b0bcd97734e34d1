// Probabilities and expected value of a vertical at an entry price, and its exit-plan Monte-Carlo.
//
// Lognormal at one volatility for the whole spread: by default the legs' IVs interpolated linearly in strike at
// the breakeven (the price whose side decides profit or loss), or the caller's `sigma`. Drift defaults to
// risk-neutral r − q; pass `drift` for a real-world view. EV is undiscounted, at expiry, $ per position.
import { type ExitPlanResult, type Rng, type VerticalOutcome, simulateExitPlan, verticalOutcome } from '../options';
import { type NetPrice, cashOf } from './bag';
import type { SpreadMarket } from './greeks';
import { toDollars } from './money';
import type { VerticalSpread } from './vertical';

/** Market inputs plus optional overrides for the probability model. */
export interface ProbabilityInputs extends SpreadMarket {
  /** Volatility (annual) for the lognormal; default: leg IVs interpolated at the breakeven. */
  readonly sigma?: number;
  /** Price drift (annual); default r − q. */
  readonly drift?: number;
}

/** Outcome per share (as verticalOutcome) plus the position's expected value in $. */
export interface SpreadOutcome extends VerticalOutcome {
  /** Expected P&L at expiry for the whole position, undiscounted $. */
  readonly evTotal: number;
  /** The volatility that was used (annual). */
  readonly sigma: number;
}

/** Leg IVs interpolated linearly in strike at price x ($), flat beyond the strikes. */
export function interpolatedVol(spread: VerticalSpread, market: SpreadMarket, x: number): number {
  const kl = toDollars(spread.longLeg.strike);
  const ks = toDollars(spread.shortLeg.strike);
  if (kl === ks) return market.ivLong;
  const w = Math.min(1, Math.max(0, (x - kl) / (ks - kl)));
  return market.ivLong + w * (market.ivShort - market.ivLong);
}

/** POP, P(max profit), P(max loss), EV and breakeven of a vertical opened at `entry`. */
export function spreadOutcome(spread: VerticalSpread, entry: NetPrice, inputs: ProbabilityInputs): SpreadOutcome {
  const kLow = toDollars(spread.lowStrike);
  const kHigh = toDollars(spread.highStrike);
  const cash = toDollars(cashOf(entry));
  const width = kHigh - kLow;
  const c0 = spread.isCredit ? cash - width : cash;
  const breakeven = spread.bullish ? kLow - c0 : kHigh + c0;
  const sigma = inputs.sigma ?? interpolatedVol(spread, inputs, breakeven);
  const mu = inputs.drift ?? inputs.r - inputs.q;
  const o = verticalOutcome(spread.bullish, spread.isCredit, kLow, kHigh, cash, inputs.S, inputs.T, sigma, mu);
  return { ...o, evTotal: o.ev * spread.multiplier * spread.quantity, sigma };
}

/** Exit plan in trader terms: fractions of max profit / max loss and a time stop in years left. */
export interface ExitPlan {
  readonly profitTarget?: number;
  readonly stopLoss?: number;
  readonly timeStopYears?: number;
  readonly paths: number;
  readonly stepsPerYear?: number;
  /** Path volatility (annual); default the mean of the leg IVs. Drift default r − q. */
  readonly pathVol?: number;
  readonly drift?: number;
}

/** Seeded Monte-Carlo of the exit plan for a vertical opened at `entry` (per-share P&L; see options/montecarlo). */
export function simulateSpreadExitPlan(spread: VerticalSpread, entry: NetPrice, market: SpreadMarket, plan: ExitPlan, rng: Rng): ExitPlanResult {
  const longIsLow = spread.longLeg.strike === spread.lowStrike;
  return simulateExitPlan(
    {
      right: spread.right,
      bullish: spread.bullish,
      kLow: toDollars(spread.lowStrike),
      kHigh: toDollars(spread.highStrike),
      cash: toDollars(cashOf(entry)),
      ivLow: longIsLow ? market.ivLong : market.ivShort,
      ivHigh: longIsLow ? market.ivShort : market.ivLong,
      S: market.S,
      T: market.T,
      r: market.r,
      q: market.q,
      paths: plan.paths,
      ...(plan.profitTarget !== undefined ? { profitTarget: plan.profitTarget } : {}),
      ...(plan.stopLoss !== undefined ? { stopLoss: plan.stopLoss } : {}),
      ...(plan.timeStopYears !== undefined ? { timeStopYears: plan.timeStopYears } : {}),
      ...(plan.stepsPerYear !== undefined ? { stepsPerYear: plan.stepsPerYear } : {}),
      ...(plan.pathVol !== undefined ? { pathVol: plan.pathVol } : {}),
      ...(plan.drift !== undefined ? { drift: plan.drift } : {}),
    },
    rng,
  );
}
