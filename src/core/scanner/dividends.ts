// The dividend yield q a symbol is valued with, and where it came from: the request, the settings, IBKR, or none.
import type { DivSource } from '../contract/scanner';

/** IBKR's dividend amounts per share (tick 59): past and next 12 months; either may be unknown. */
export interface DividendAmounts {
  past12: number | null;
  next12: number | null;
}

/**
 * q from IBKR's dividends: the next 12 months' per share ÷ spot, the past 12 months' when there is no forecast; null
 * when neither is known or the spot is not a price. A simple yield: at these sizes it equals the continuous one to
 * within a few thousandths of its value.
 */
export function ibkrDivYield(d: DividendAmounts | null, spot: number): number | null {
  if (!d || !(spot > 0) || !Number.isFinite(spot)) return null;
  const amount = d.next12 ?? d.past12;
  if (amount === null || !Number.isFinite(amount) || amount < 0) return null;
  return amount / spot;
}

export interface DivYieldInputs {
  /** The request's per-symbol value, else its value for every symbol. */
  request?: number | undefined;
  /** The settings' per-symbol value (ui.scannerModel.divYields). */
  settings?: number | undefined;
  /** IBKR's dividends for the underlying, if they arrived in time. */
  ibkr: DividendAmounts | null;
  spot: number;
}

/** The first of: the request's q, the settings', IBKR's, else 0 — with its source, so the scan can say which. */
export function chooseDivYield(i: DivYieldInputs): { divYield: number; divSource: DivSource } {
  if (i.request !== undefined) return { divYield: i.request, divSource: 'request' };
  if (i.settings !== undefined) return { divYield: i.settings, divSource: 'settings' };
  const fromIbkr = ibkrDivYield(i.ibkr, i.spot);
  if (fromIbkr !== null) return { divYield: fromIbkr, divSource: 'ibkr' };
  return { divYield: 0, divSource: 'none' };
}
