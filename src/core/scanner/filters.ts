// Scan filters flattened to numbers (NaN = bound off) so the hot loop tests plain comparisons.
import { SPREAD_KINDS, type ScanFilters } from '../contract/scanner';

export interface FlatFilters {
  /** Indexed like SPREAD_KINDS. */
  kinds: readonly boolean[];
  dteMin: number;
  dteMax: number;
  /** Short-leg |delta| band; NaN = off. */
  deltaMin: number;
  deltaMax: number;
  widthMin: number;
  widthMax: number;
  /** Width as a fraction of spot (raw): width ≥ widthOfSpotMin × spot and ≤ widthOfSpotMax × spot, with slack. */
  widthOfSpotMin: number;
  widthOfSpotMax: number;
  minCredit: number;
  maxDebit: number;
  minCreditToWidth: number;
  maxDebitToWidth: number;
  minPop: number;
  /** $ per spread. */
  minEv: number;
  minRor: number;
  maxLegSpread: number;
  maxLegSpreadOfMid: number;
  minOi: number;
  minVolume: number;
  maxQuoteAgeMs: number;
  maxExitCostOfMaxLoss: number;
}

const off = (v: number | undefined): number => (v === undefined ? NaN : v);

/**
 * Bounds on continuous values are widened by one part in 1e9 (at least 1e-9 absolute): quotes are decimal
 * cents but doubles are binary, so 3.10 − 2.90 is 0.20000000000000018, and "max leg spread 0.20" must keep it.
 */
export function lowerBound(b: number | undefined): number {
  return b === undefined ? NaN : b - 1e-9 * Math.max(1, Math.abs(b));
}
export function upperBound(b: number | undefined): number {
  return b === undefined ? NaN : b + 1e-9 * Math.max(1, Math.abs(b));
}

export function flattenFilters(f: ScanFilters): FlatFilters {
  return {
    kinds: SPREAD_KINDS.map((k) => f.kinds.includes(k)),
    dteMin: f.dte.min,
    dteMax: f.dte.max,
    deltaMin: lowerBound(f.shortDelta?.min),
    deltaMax: upperBound(f.shortDelta?.max),
    widthMin: lowerBound(f.width?.min),
    widthMax: upperBound(f.width?.max),
    widthOfSpotMin: off(f.widthOfSpot?.min),
    widthOfSpotMax: off(f.widthOfSpot?.max),
    minCredit: lowerBound(f.minCredit),
    maxDebit: upperBound(f.maxDebit),
    minCreditToWidth: lowerBound(f.minCreditToWidth),
    maxDebitToWidth: upperBound(f.maxDebitToWidth),
    minPop: lowerBound(f.minPop),
    minEv: lowerBound(f.minEv),
    minRor: lowerBound(f.minRor),
    maxLegSpread: upperBound(f.maxLegSpread),
    maxLegSpreadOfMid: upperBound(f.maxLegSpreadOfMid),
    minOi: off(f.minOi),
    minVolume: off(f.minVolume),
    maxQuoteAgeMs: f.maxQuoteAgeSec === undefined ? NaN : f.maxQuoteAgeSec * 1000,
    maxExitCostOfMaxLoss: upperBound(f.maxExitCostOfMaxLoss),
  };
}

/** The width window in points for one underlying price: both the point and the %-of-spot bounds. */
export function widthWindow(f: FlatFilters, spot: number): { lo: number; hi: number } {
  let lo = 0;
  let hi = Infinity;
  if (!Number.isNaN(f.widthMin)) lo = Math.max(lo, f.widthMin);
  if (!Number.isNaN(f.widthOfSpotMin)) lo = Math.max(lo, lowerBound(f.widthOfSpotMin * spot));
  if (!Number.isNaN(f.widthMax)) hi = Math.min(hi, f.widthMax);
  if (!Number.isNaN(f.widthOfSpotMax)) hi = Math.min(hi, upperBound(f.widthOfSpotMax * spot));
  return { lo, hi };
}

/**
 * Per-leg filters (bid-ask, OI, volume, quote age) — the same for either leg, so they are decided once per strike.
 * A leg with an unknown value fails a bound that needs it.
 */
export function legPasses(f: FlatFilters, bid: number, ask: number, oi: number, volume: number, quoteTime: number, now: number): boolean {
  if (!(bid >= 0 && ask >= bid && ask > 0)) return false;
  const spread = ask - bid;
  if (!Number.isNaN(f.maxLegSpread) && !(spread <= f.maxLegSpread)) return false;
  if (!Number.isNaN(f.maxLegSpreadOfMid) && !(spread / ((bid + ask) * 0.5) <= f.maxLegSpreadOfMid)) return false;
  if (!Number.isNaN(f.minOi) && !(oi >= f.minOi)) return false;
  if (!Number.isNaN(f.minVolume) && !(volume >= f.minVolume)) return false;
  if (!Number.isNaN(f.maxQuoteAgeMs) && !(now - quoteTime <= f.maxQuoteAgeMs)) return false;
  return true;
}

/** The short leg's |delta| band. */
export function deltaPasses(f: FlatFilters, delta: number): boolean {
  const a = delta < 0 ? -delta : delta;
  if (!Number.isNaN(f.deltaMin) && !(a >= f.deltaMin)) return false;
  if (!Number.isNaN(f.deltaMax) && !(a <= f.deltaMax)) return false;
  return true;
}
