// Reg-T margin of a vertical and an IBKR-like commission estimate, both exact.
//
// Reg-T (FRB Regulation T; Cboe Margin Manual, "spreads"), for a vertical whose long leg expires with or after
// the short leg (always true here: one expiry):
//   • Debit spreads (bull call, bear put): the long option is paid in full and the short one is covered, so
//     the requirement is the net debit; no margin beyond the premium.
//   • Credit spreads (bull put, bear call): requirement = strike width × multiplier × quantity; the credit
//     received may be applied against it, so the buying power used is width − credit, the max loss.
// Brokers may charge more (house margin); IBKR's what-if preview is authoritative when available.
//
// Commission (IBKR Pro "Fixed" US options, as published by IBKR): $0.65 per contract, minimum $1.00 per order.
// Not included: exchange, clearing (OCC) and regulatory fees (ORF, FINRA TAF, SEC fee on sales), and IBKR's
// lower per-contract rates for very cheap options (premium < $0.10) — estimates are slightly high there.
import { type NetPrice, cashOf } from './bag';
import { type Micros, maxMicros, subMicros, mulMicros, toMicros } from './money';
import type { VerticalSpread } from './vertical';

/** Reg-T requirement of a vertical position (all $ per position, exact). */
export interface MarginEstimate {
  /** Initial and maintenance requirement (equal for defined-risk verticals under Reg-T). */
  readonly initial: Micros;
  readonly maintenance: Micros;
  /** Signed premium cash at entry: +credit received, −debit paid. */
  readonly premium: Micros;
  /** Reduction of buying power: requirement net of any credit received = the max loss (≥ 0). */
  readonly buyingPowerEffect: Micros;
}

/** Reg-T margin of a vertical opened at `entry` (see module header). */
export function regTMargin(spread: VerticalSpread, entry: NetPrice): MarginEstimate {
  const units = spread.multiplier * spread.quantity;
  const premium = mulMicros(cashOf(entry), units);
  if (!spread.isCredit) {
    const paid = mulMicros(entry.amount, units);
    return { initial: paid, maintenance: paid, premium, buyingPowerEffect: paid };
  }
  const requirement = mulMicros(spread.width, units);
  const bp = maxMicros(subMicros(requirement, mulMicros(entry.amount, units)), 0 as Micros);
  return { initial: requirement, maintenance: requirement, premium, buyingPowerEffect: bp };
}

/** A per-contract commission schedule. */
export interface CommissionSchedule {
  readonly perContract: Micros;
  readonly minPerOrder: Micros;
}

/** IBKR Pro Fixed, US options: $0.65 per contract, $1.00 minimum per order. */
export const IBKR_FIXED_OPTIONS: CommissionSchedule = { perContract: toMicros(0.65), minPerOrder: toMicros(1) };

/** Commission of one order for a number of contracts (all legs counted), $ exact. 0 contracts cost nothing. */
export function orderCommission(contracts: number, schedule: CommissionSchedule = IBKR_FIXED_OPTIONS): Micros {
  if (!Number.isInteger(contracts) || contracts <= 0) return 0 as Micros;
  return maxMicros(mulMicros(schedule.perContract, contracts), schedule.minPerOrder);
}

/** Commission to open (or close) a vertical as one combo order: 2 legs × quantity contracts. */
export function spreadCommission(spread: VerticalSpread, schedule: CommissionSchedule = IBKR_FIXED_OPTIONS): Micros {
  return orderCommission(2 * spread.quantity, schedule);
}

/** Open plus close commission (two combo orders); a spread left to expire worthless pays only the opening one. */
export function roundTripCommission(spread: VerticalSpread, schedule: CommissionSchedule = IBKR_FIXED_OPTIONS): Micros {
  return mulMicros(spreadCommission(spread, schedule), 2);
}
