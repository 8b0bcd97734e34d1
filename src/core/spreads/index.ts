// Vertical spreads: legs and kinds, exact money and ticks, the BAG sign convention, metrics, greeks, payoff, margin.
//
// Money is exact: Micros = integer millionths of a dollar (money.ts). Prices per share; totals per position
// (× multiplier × quantity). Strikes are Micros too.
//
// API summary
//   Money       Micros · toMicros(1.23) · parseDollars('1.25') · cents(n) · addMicros/subMicros/mulMicros/sumMicros
//               midMicros · formatDollars(m, 2)
//   Ticks       TICKS_PENNY_ALL | TICKS_PENNY | TICKS_NICKEL_DIME | TICKS_COMBO · optionTickTable(class)
//               roundToTick(price, table, 'down'|'up') · roundLimitPrice(price, 'BUY'|'SELL', table) · nextTick
//               stepTicks · isOnTick · tickTableFromIncrements(IBKR market rule)
//   Convention  NetPrice {amount, kind:'debit'|'credit'} · toBagOrder('open'|'close', net) → {action, lmtPrice}
//               fromBagOrder · bagCashFlow · bagLegs(spread)   — the one place the IBKR BAG sign rule lives (bag.ts)
//   Model       OptionLeg · SpreadKind (contract) · validateVertical(legs) → {ok, value} | {ok:false, error:[{code, message}]} (core/result)
//               buildVertical({kind, underlying, expiry, lowStrike, highStrike, quantity?, multiplier?})
//   Prices      spreadQuote(longQuote, shortQuote) → {bid, ask, mid, mark} (BAG terms) · openNet/closeNet · legMark
//   Metrics     verticalMetrics(spread, entry) → max profit/loss, breakeven, return on risk, credit ÷ width, totals
//   Greeks      spreadGreeks(spread, market) → per spread and per position (theta/day, vega/vol pt, rho/1%)
//   Payoff      pnlAtExpiry (exact) · payoffAtExpiry · payoffBeforeExpiry(per-leg IV) · payoffGrid
//   Margin      regTMargin(spread, entry) · orderCommission/spreadCommission/roundTripCommission ($0.65, min $1)
//   Odds        spreadOutcome(spread, entry, inputs) → POP, P(max profit), P(max loss), EV · simulateSpreadExitPlan
//               exitPlanOdds(spread, entry, market, {profitTarget, stopLoss}) → P(target before stop) (barrier)
export * from './money';
export * from './ticks';
export * from './bag';
export * from './vertical';
export * from './pricing';
export * from './metrics';
export * from './greeks';
export * from './payoff';
export * from './margin';
export * from './analytics';
export * from './exit-odds';
