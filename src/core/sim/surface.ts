// The implied-volatility surface: ATM term structure, skew and smile in standardized moneyness, spot–vol link.
import type { UnderlyingConfig } from './config';

/** ATM implied vol for a maturity: short and long levels blended by exp(−T/τ), scaled by day and spot factors. */
export function atmVol(iv: UnderlyingConfig['iv'], years: number, dayFactor = 1, spotFactor = 1): number {
  const base = iv.atmLong + (iv.atmShort - iv.atmLong) * Math.exp(-Math.max(years, 0) / iv.tau);
  return base * dayFactor * spotFactor;
}

/** Spot–vol correlation: IV rises as the underlying falls from the day's open (clamped to ×0.6 … ×1.8). */
export function spotVolFactor(iv: UnderlyingConfig['iv'], spot: number, open: number): number {
  const f = Math.exp(-iv.spotVolBeta * Math.log(spot / open));
  return Math.min(1.8, Math.max(0.6, f));
}

/** The skew for a maturity: short and long slopes blended by exp(−T/τ), as the ATM level is. */
export function skewAt(iv: UnderlyingConfig['iv'], years: number): number {
  const long = iv.skewLong ?? iv.skew;
  return long + (iv.skew - long) * Math.exp(-Math.max(years, 0) / iv.tau);
}

/**
 * Implied vol at strike k for forward f: atm × (1 + skew(T)·x + curvature·x²) where x is moneyness in
 * standard deviations, softly capped at ±4 so the far wings flatten instead of exploding. The 25-delta risk
 * reversal is then about atm × skew × 1.35 (x ≈ ±0.67).
 */
export function smileVol(iv: UnderlyingConfig['iv'], k: number, f: number, years: number, atm: number): number {
  const t = Math.max(years, 1 / (365 * 24));
  const x = Math.log(k / f) / (atm * Math.sqrt(t));
  const xs = 4 * Math.tanh(x / 4);
  const m = 1 + skewAt(iv, years) * xs + iv.curvature * xs * xs;
  return atm * Math.max(0.5, m);
}
