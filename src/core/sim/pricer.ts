// The simulator's option pricer: one small seam over src/core/options (Black–Scholes–Merton with a dividend yield).
import { bsmGreeksInto, G_DELTA, G_GAMMA, G_PRICE, G_THETA, G_VEGA, GREEKS_STRIDE, impliedVolFast } from '../options';

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
 * Price and greeks of a European option (the simulator quotes every class off BSM; American early
 * exercise is not modelled). s spot, k strike, t years, r rate, q dividend yield, v volatility.
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
