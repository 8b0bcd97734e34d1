// The simulator's option pricer: one small seam over src/core/options (Black–Scholes–Merton with a dividend yield).
import { americanPrice, bsmGreeksInto, bsmPriceFast, DAYS_PER_YEAR, G_DELTA, G_GAMMA, G_PRICE, G_THETA, G_VEGA, GREEKS_STRIDE, impliedVolAmerican, impliedVolFast, isEuropeanEquivalent } from '../options';

export interface Greeks {
  price: number;
  delta: number;
  gamma: number;
  /** Per vol point (σ + 0.01), as TWS reports vega. */
  vega: number;
  /** Per calendar day. */
  theta: number;
}

const scratch = new Float64Array(GREEKS_STRIDE);

/**
 * Price and greeks of a European option (cash-settled index classes; American classes go through optionValue). s spot, k strike, t years, r rate, q dividend yield, v volatility.
 */
export function bsm(isCall: boolean, s: number, k: number, t: number, r: number, q: number, v: number): Greeks {
  if (!(t > 0) || !(v > 0)) {
    const intrinsic = isCall ? Math.max(0, s - k) : Math.max(0, k - s);
    const itm = isCall ? s > k : s < k;
    return { price: intrinsic, delta: itm ? (isCall ? 1 : -1) : 0, gamma: 0, vega: 0, theta: 0 };
  }
  bsmGreeksInto(scratch, 0, isCall, s, k, t, r, q, v);
  return {
    price: Math.max(0, scratch[G_PRICE] ?? 0),
    delta: scratch[G_DELTA] ?? 0,
    gamma: scratch[G_GAMMA] ?? 0,
    vega: scratch[G_VEGA] ?? 0,
    theta: scratch[G_THETA] ?? 0,
  };
}

/** Implied volatility of a European option price; null when no volatility reproduces it. */
export function impliedVol(isCall: boolean, price: number, s: number, k: number, t: number, r: number, q: number): number | null {
  const v = impliedVolFast(isCall, price, s, k, t, r, q);
  return v > 0 ? v : null;
}

/**
 * Price and greeks under the class's exercise style: American (equity and ETF options) by Bjerksund–Stensland
 * 2002 from core/options — never below intrinsic — with greeks as finite differences of that same value, so
 * they are consistent with the price; European (cash-settled index options) and American options that are never
 * exercised early (calls without dividend yield) by BSM.
 */
export function optionValue(american: boolean, isCall: boolean, s: number, k: number, t: number, r: number, q: number, v: number): Greeks {
  if (!american || !(t > 0) || !(v > 0) || isEuropeanEquivalent(isCall ? 'C' : 'P', r, q)) return bsm(isCall, s, k, t, r, q, v);
  const g = americanGreeksNoRho(isCall ? 'C' : 'P', s, k, t, r, q, v);
  // Finite differences leave rounding noise where the value is flat intrinsic (the exercise region): gamma and vega
  // are ≥ 0 and |delta| ≤ 1 for these options, so the noise is clipped.
  return { price: Math.max(0, g.price), delta: Math.max(-1, Math.min(1, g.delta)), gamma: Math.max(0, g.gamma), vega: Math.max(0, g.vega), theta: g.theta };
}

/**
 * core/options americanGreeks without rho (the exchange never reports it): the same central differences and
 * bumps — spot 0.1% of S, vol 0.001, theta one calendar day — in six BS2002 values instead of eight.
 */
function americanGreeksNoRho(right: 'C' | 'P', s: number, k: number, t: number, r: number, q: number, v: number): Greeks {
  const price = americanPrice(right, s, k, t, r, q, v);
  const h = 1e-3 * s;
  const up = americanPrice(right, s + h, k, t, r, q, v);
  const dn = americanPrice(right, s - h, k, t, r, q, v);
  const dv = 1e-3;
  const lo = Math.max(v - dv, 1e-6);
  const vegaPerUnit = (americanPrice(right, s, k, t, r, q, v + dv) - americanPrice(right, s, k, t, r, q, lo)) / (v + dv - lo);
  const day = 1 / DAYS_PER_YEAR;
  const later = americanPrice(right, s, k, Math.max(t - day, 0), r, q, v);
  return { price, delta: (up - dn) / (2 * h), gamma: (up - 2 * price + dn) / (h * h), theta: t > day ? later - price : (later - price) * (day / t), vega: vegaPerUnit / 100 };
}

/** American (or European) value only, for day statistics where greeks are not needed. */
export function optionPriceOnly(american: boolean, isCall: boolean, s: number, k: number, t: number, r: number, q: number, v: number): number {
  if (!american || !(t > 0) || !(v > 0)) return bsm(isCall, s, k, t, r, q, v).price;
  return Math.max(0, americanPrice(isCall ? 'C' : 'P', s, k, t, r, q, v));
}

/** Price tolerance of an implied vol: the vol found reprices the quote to within this many dollars per share. */
export const IV_PRICE_TOL = 1e-7;

/**
 * Implied volatility of a quoted price under the class's exercise style — the exact inverse of optionValue, not a
 * first-order step along vega. European (and European-equivalent American) prices go through the closed-form
 * solver. American ones: the American value is the European one plus an early-exercise premium that moves slowly
 * with volatility, so σ ← the European IV of (price − premium at σ) converges in one or two BS2002 values, starting
 * from the model's own point (v0, p0: its premium costs no BS2002 value); where it does not settle, secant steps
 * from there with vegaPerPoint (as Greeks.vega) as the first slope, then Brent's method (core/options). Null when no
 * volatility gives the price (at or below intrinsic, or above the no-arbitrage maximum). The volatility returned
 * reprices the quote to within IV_PRICE_TOL.
 */
export function impliedVolNear(american: boolean, isCall: boolean, price: number, s: number, k: number, t: number, r: number, q: number, v0: number, p0: number, vegaPerPoint: number): number | null {
  if (!(price > 0) || !(t > 0)) return null;
  if (!american || isEuropeanEquivalent(isCall ? 'C' : 'P', r, q)) return impliedVol(isCall, price, s, k, t, r, q);
  const intrinsic = isCall ? s - k : k - s;
  if (price <= intrinsic || price >= (isCall ? s : k)) return null;
  if (Math.abs(p0 - price) <= IV_PRICE_TOL) return v0;
  const right = isCall ? 'C' : 'P';
  let premium = p0 - bsmPriceFast(isCall, s, k, t, r, q, v0);
  for (let i = 0; i < 4; i++) {
    const next = impliedVolFast(isCall, price - premium, s, k, t, r, q);
    if (!(next > 0)) break;
    const value = americanPrice(right, s, k, t, r, q, next);
    if (Math.abs(value - price) <= IV_PRICE_TOL) return next;
    premium = value - bsmPriceFast(isCall, s, k, t, r, q, next);
  }
  return secantVol(right, price, s, k, t, r, q, v0, p0, vegaPerPoint);
}

/** Secant steps on the BS2002 value from (v0, p0), bracketed, then Brent's method: the fallback of impliedVolNear. */
function secantVol(right: 'C' | 'P', price: number, s: number, k: number, t: number, r: number, q: number, v0: number, p0: number, vegaPerPoint: number): number | null {
  const f = (v: number): number => americanPrice(right, s, k, t, r, q, v) - price;
  // Bracket [lo, hi] with f(lo) < 0 < f(hi), tightened by every value computed.
  let lo = 0;
  let hi = Infinity;
  let xa = v0;
  let fa = p0 - price;
  if (fa < 0) lo = xa;
  else hi = xa;
  let slope = vegaPerPoint * 100;
  let x = slope > 1e-9 ? xa - fa / slope : NaN;
  for (let i = 0; i < 12; i++) {
    if (!(x > lo && x < hi)) x = Number.isFinite(hi) ? (lo + hi) / 2 : Math.max(2 * xa, lo * 2, 0.05);
    const fx = f(x);
    if (Math.abs(fx) <= IV_PRICE_TOL || Math.abs(x - xa) <= 1e-9 * x) return x;
    if (fx < 0) lo = Math.max(lo, x);
    else hi = Math.min(hi, x);
    slope = (fx - fa) / (x - xa);
    xa = x;
    fa = fx;
    x = slope > 1e-12 ? x - fx / slope : NaN;
  }
  const v = impliedVolAmerican(right, price, s, k, t, r, q);
  return v.ok ? v.value : null;
}
