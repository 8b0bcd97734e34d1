// Option analytics: BSM price and greeks, American values, implied volatility, probabilities, Monte-Carlo.
//
// Units: $ per share for prices; T in years (ACT/365); r, q, sigma, drift as annual decimals (0.05 = 5%).
// Greeks: delta per $1, gamma per $1, theta per CALENDAR DAY, vega per VOL POINT (σ + 0.01), rho per 1% rate.
//
// API summary
//   Pricing     bsmPrice(right, S, K, T, r, q, σ) · bsmGreeks(...) → Greeks
//               bsmPriceFast(isCall, ...) · bsmGreeksInto(out: Float64Array, offset, isCall, ...)   (no allocation)
//               bsmPriceDiscounted(isCall, S·e^{−qT}, K·e^{−rT}, σ√T)                                 (shared discounting)
//               americanPrice / americanGreeks (Bjerksund–Stensland 2002) · americanPriceTree (Leisen–Reimer)
//               optionPrice(style, right, S, K, T, r, q, σ, precise?) · optionGreeks(style, ...)
//               — rule: European style → BSM; American → BS2002 (bulk) or the LR tree (precise previews),
//                 except where early exercise never pays (call q ≤ 0, put r ≤ 0) → BSM; see american.ts.
//   Implied vol impliedVol(right, price, S, K, T, r, q) → {ok, value} | {ok:false, error:{code, message}} (core/result)
//               impliedVolFast(isCall, ...) → σ or negative IV_* code (no allocation) · impliedVolAmerican(...)
//   Probability probAbove/probBelow(S, H, T, σ, μ) · probTouch(S, H, T, σ, μ) · riskNeutralDrift(r, q)
//               verticalOutcome(bullish, isCredit, kLow, kHigh, cash, S, T, σ, μ) → POP, P(max profit),
//               P(max loss), EV, breakeven · verticalOutcomeInto(out, offset, ...)                     (no allocation)
//               lognormalView + strikeTailsInto + verticalOutcomeFromTailsInto   (a whole chain: tails once per strike)
//   Barrier     firstExitProbabilities(S, lower, upper, T, σ, μ) → P(upper first), P(lower first), P(neither)
//   Simulation  simulateExitPlan(spec, rng) → P(target), P(stop), P(time stop), mean P&L (seeded)
//   Numerics    normCdf (Cody, rel. err 1.4e-15) · normPdf · normInv · logNormCdf · bivariateNormCdf (Genz)
//               createRng(seed) → Rng (xoshiro128**, polar normals) · brentRoot
export * from './normal';
export * from './bsm';
export * from './iv';
export * from './american';
export * from './probability';
export * from './barrier';
export * from './montecarlo';
export * from './rng';
export * from './solve';
