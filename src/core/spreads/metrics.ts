// Vertical spread metrics at an entry price: max profit, max loss, breakeven, return on risk, credit ÷ width.
//
// Per share, exact micros (the way spreads are quoted); totals are × multiplier × quantity, also exact.
//   debit spread at debit D:   max loss = D,      max profit = width − D
//   credit spread at credit C: max loss = width − C, max profit = C
//   breakeven: bull call K_low + D · bear put K_high − D · bull put K_high − C · bear call K_low + C
import { type NetPrice, cashOf } from './bag';
import { type Micros, addMicros, ratioMicros, subMicros, mulMicros } from './money';
import type { Result } from '../result';
import type { SpreadIssue, VerticalSpread } from './vertical';

/** Metrics of a vertical at an entry price. */
export interface VerticalMetrics {
  readonly entry: NetPrice;
  /** Strike width, $ per share. */
  readonly width: Micros;
  /** Max profit and max loss at expiry, $ per share (both ≥ 0). */
  readonly maxProfit: Micros;
  readonly maxLoss: Micros;
  /** Underlying price at expiry where P&L is zero ($). */
  readonly breakeven: Micros;
  /** maxProfit ÷ maxLoss (Infinity when the max loss is 0). */
  readonly returnOnRisk: number;
  /** Credit ÷ width for credit spreads (e.g. 0.33 = a third of the width); null for debit spreads. */
  readonly creditToWidth: number | null;
  /** Net price ÷ width for either kind (debit ÷ width for debit spreads). */
  readonly priceToWidth: number;
  /** Position totals in $ (× multiplier × quantity). premiumTotal is signed cash: +credit received, −debit paid. */
  readonly maxProfitTotal: Micros;
  readonly maxLossTotal: Micros;
  readonly premiumTotal: Micros;
}

/** Checks that a net price makes sense for the spread: right kind (debit/credit) and not above the width. */
export function validateEntry(spread: VerticalSpread, entry: NetPrice): readonly SpreadIssue[] {
  const issues: SpreadIssue[] = [];
  if (entry.amount < 0) issues.push({ code: 'NEGATIVE_PRICE', message: 'The net price amount must not be negative.' });
  const expected = spread.isCredit ? 'credit' : 'debit';
  if (entry.kind !== expected && entry.amount > 0) {
    issues.push({ code: 'PRICE_KIND_MISMATCH', message: `A ${spread.isCredit ? 'credit' : 'debit'} spread is opened for a ${expected}, not a ${entry.kind}.` });
  }
  if (entry.amount > spread.width) {
    issues.push({ code: 'PRICE_EXCEEDS_WIDTH', message: `The ${entry.kind} exceeds the strike width, which would guarantee a loss or an arbitrage.` });
  }
  return issues;
}

/** Metrics of a vertical opened at `entry` (per share and per position); issues when the price is not sane. */
export function verticalMetrics(spread: VerticalSpread, entry: NetPrice): Result<VerticalMetrics, readonly SpreadIssue[]> {
  const issues = validateEntry(spread, entry);
  if (issues.length > 0) return { ok: false, error: issues };
  const w = spread.width;
  const price = entry.amount;
  const maxLoss = spread.isCredit ? subMicros(w, price) : price;
  const maxProfit = spread.isCredit ? price : subMicros(w, price);
  let breakeven: Micros;
  switch (spread.kind) {
    case 'bull-call': breakeven = addMicros(spread.lowStrike, price); break;
    case 'bear-put': breakeven = subMicros(spread.highStrike, price); break;
    case 'bull-put': breakeven = subMicros(spread.highStrike, price); break;
    case 'bear-call': breakeven = addMicros(spread.lowStrike, price); break;
  }
  const units = spread.multiplier * spread.quantity;
  return {
    ok: true,
    value: {
      entry,
      width: w,
      maxProfit,
      maxLoss,
      breakeven,
      returnOnRisk: maxLoss === 0 ? Infinity : ratioMicros(maxProfit, maxLoss),
      creditToWidth: spread.isCredit ? ratioMicros(price, w) : null,
      priceToWidth: ratioMicros(price, w),
      maxProfitTotal: mulMicros(maxProfit, units),
      maxLossTotal: mulMicros(maxLoss, units),
      premiumTotal: mulMicros(cashOf(entry), units),
    },
  };
}
