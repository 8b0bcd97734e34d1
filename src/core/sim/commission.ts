// IBKR-like commissions for the paper account: fixed or tiered per contract with a per-order minimum, exact in micros.
import { type Micros, maxMicros, minMicros, mulMicros, subMicros, toMicros } from '../spreads';

export interface CommissionConfig {
  /** 'fixed': $0.65/contract; 'tiered': by premium ($0.65 ≥ $0.10, $0.50 ≥ $0.05, else $0.25). Minimum per order either way. */
  model: 'fixed' | 'tiered';
  perContract: number;
  minPerOrder: number;
  /** Stocks: per share, per-order minimum, and cap as a fraction of trade value. */
  perShare: number;
  minPerStockOrder: number;
  maxStockPct: number;
}

export const DEFAULT_COMMISSION: CommissionConfig = { model: 'fixed', perContract: 0.65, minPerOrder: 1, perShare: 0.005, minPerStockOrder: 1, maxStockPct: 0.01 };

/** Per-contract rate for an option fill at a premium (per share). */
export function optionRate(cfg: CommissionConfig, premium: number): Micros {
  if (cfg.model === 'fixed') return toMicros(cfg.perContract);
  const p = Math.abs(premium);
  return toMicros(p >= 0.1 ? cfg.perContract : p >= 0.05 ? 0.5 : 0.25);
}

/**
 * Commission owed by one more execution of an order: the order's cumulative commission (with the per-order
 * minimum applied once, to the order as a whole) minus what earlier executions already paid.
 */
export function executionCommission(
  cfg: CommissionConfig,
  kind: 'option' | 'stock',
  cumUnitsBefore: number,
  units: number,
  price: number,
  chargedBefore: Micros,
  cumVariableBefore: Micros,
): { commission: Micros; cumVariable: Micros } {
  let variable: Micros;
  let total: Micros;
  if (kind === 'option') {
    variable = (cumVariableBefore + mulMicros(optionRate(cfg, price), units)) as Micros;
    total = maxMicros(variable, toMicros(cfg.minPerOrder));
  } else {
    variable = (cumVariableBefore + mulMicros(toMicros(cfg.perShare), units)) as Micros;
    const cap = toMicros(cfg.maxStockPct * Math.abs(price) * (cumUnitsBefore + units));
    total = minMicros(maxMicros(variable, toMicros(cfg.minPerStockOrder)), maxMicros(cap, toMicros(cfg.minPerStockOrder)));
  }
  return { commission: maxMicros(subMicros(total, chargedBefore), 0 as Micros), cumVariable: variable };
}

/** Estimated commission of a whole order (what-if): all legs, one minimum. */
export function orderCommissionEstimate(cfg: CommissionConfig, kind: 'option' | 'stock', units: number, price: number): Micros {
  return executionCommission(cfg, kind, 0, units, price, 0 as Micros, 0 as Micros).commission;
}
