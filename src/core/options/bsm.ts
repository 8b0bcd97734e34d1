// Black–Scholes–Merton price and greeks for European options with a continuous dividend yield.
//
// Units everywhere in this module: spot S and strike K in price units (dollars per share), T in years
// (ACT/365 calendar time), r and q as continuously compounded annual rates (0.05 = 5%), sigma as annualised
// volatility (0.20 = 20%). Greeks are reported the way traders read them: delta per $1 of underlying,
// gamma per $1, theta per CALENDAR DAY (annual theta / 365), vega per VOLATILITY POINT (per 0.01 of sigma),
// rho per 1% (0.01) change of r.
import type { OptionRight } from '../market/contracts';
import { INV_SQRT_2PI, normCdfWithExp } from './normal';

/** Days per year used to turn annual theta into per-day theta; the same ACT/365 basis as time to expiry. */
export const DAYS_PER_YEAR = 365;

/** Greeks of one option per share, in trader units (see module header). */
export interface Greeks {
  /** Option value per share ($). */
  price: number;
  /** ∂V/∂S per $1 of underlying. */
  delta: number;
  /** ∂²V/∂S² per $1 of underlying. */
  gamma: number;
  /** Value change per calendar day that passes ($/day, usually negative for long options). */
  theta: number;
  /** Value change per one volatility point, i.e. sigma + 0.01 ($/vol point). */
  vega: number;
  /** Value change per 1% rise in r ($ per 0.01 of rate). */
  rho: number;
}

/** Slots of the Float64Array written by {@link bsmGreeksInto}. */
export const G_PRICE = 0, G_DELTA = 1, G_GAMMA = 2, G_THETA = 3, G_VEGA = 4, G_RHO = 5;
/** Number of Float64Array slots one greeks record uses. */
export const GREEKS_STRIDE = 6;

/** BSM value per share ($) of a European option; T in years, r/q/sigma annual decimals. */
export function bsmPrice(right: OptionRight, S: number, K: number, T: number, r: number, q: number, sigma: number): number {
  return bsmPriceFast(right === 'C', S, K, T, r, q, sigma);
}

/** Hot-path BSM value per share ($); isCall selects call (true) or put (false); T years, rates/vol annual. */
export function bsmPriceFast(isCall: boolean, S: number, K: number, T: number, r: number, q: number, sigma: number): number {
  // Expired or zero vol gives the discounted forward intrinsic value (handled in bsmPriceDiscounted).
  return bsmPriceDiscounted(isCall, S * Math.exp(-q * T), K * Math.exp(-r * T), sigma * Math.sqrt(T));
}

/**
 * BSM value per share ($) from precomputed discounting: sdq = S·e^{−qT}, kdr = K·e^{−rT}, sd = σ√T.
 * For loops that share T, r and q across many evaluations (chains, Monte-Carlo steps).
 */
export function bsmPriceDiscounted(isCall: boolean, sdq: number, kdr: number, sd: number): number {
  if (!(sd > 0)) {
    const v = isCall ? sdq - kdr : kdr - sdq;
    return v > 0 ? v : 0;
  }
  const d1 = Math.log(sdq / kdr) / sd + 0.5 * sd;
  const d2 = d1 - sd;
  // One exponential serves both CDFs: S·e^{−qT}·φ(d1) = K·e^{−rT}·φ(d2).
  const e1 = Math.exp(-0.5 * d1 * d1);
  const e2 = e1 > 1e-290 ? e1 * (sdq / kdr) : Math.exp(-0.5 * d2 * d2);
  const v = isCall
    ? sdq * normCdfWithExp(d1, e1) - kdr * normCdfWithExp(d2, e2)
    : kdr * normCdfWithExp(-d2, e2) - sdq * normCdfWithExp(-d1, e1);
  // Far out of the money the difference of two tiny terms can round below zero; a price never is.
  return v > 0 ? v : 0;
}

/**
 * Allocation-free price + greeks: writes price, delta, gamma, theta (/day), vega (/vol point), rho (/1%)
 * into out[offset .. offset+5] (see G_* slots). T in years, r/q/sigma annual decimals.
 */
export function bsmGreeksInto(
  out: Float64Array, offset: number,
  isCall: boolean, S: number, K: number, T: number, r: number, q: number, sigma: number,
): void {
  const dq = Math.exp(-q * T);
  const dr = Math.exp(-r * T);
  const sqrtT = Math.sqrt(T);
  const sd = sigma * sqrtT;
  if (!(sd > 0)) {
    writeDegenerate(out, offset, isCall, S, K, T, r, q, dq, dr);
    return;
  }
  const sdq = S * dq;
  const kdr = K * dr;
  const d1 = Math.log(sdq / kdr) / sd + 0.5 * sd;
  const d2 = d1 - sd;
  // One exponential serves the density and both CDFs: S·e^{−qT}·φ(d1) = K·e^{−rT}·φ(d2).
  const e1 = Math.exp(-0.5 * d1 * d1);
  const e2 = e1 > 1e-290 ? e1 * (sdq / kdr) : Math.exp(-0.5 * d2 * d2);
  const pdf = INV_SQRT_2PI * e1;
  const decay = -(sdq * pdf * sigma) / (2 * sqrtT);
  let price: number, delta: number, theta: number, rho: number;
  if (isCall) {
    const n1 = normCdfWithExp(d1, e1);
    const n2 = normCdfWithExp(d2, e2);
    price = sdq * n1 - kdr * n2;
    delta = dq * n1;
    theta = decay - r * kdr * n2 + q * sdq * n1;
    rho = kdr * T * n2;
  } else {
    const n1 = normCdfWithExp(-d1, e1);
    const n2 = normCdfWithExp(-d2, e2);
    price = kdr * n2 - sdq * n1;
    delta = -dq * n1;
    theta = decay + r * kdr * n2 - q * sdq * n1;
    rho = -kdr * T * n2;
  }
  out[offset] = price > 0 ? price : 0; // rounding far out of the money can dip below zero
  out[offset + 1] = delta;
  out[offset + 2] = (dq * pdf) / (S * sd);
  out[offset + 3] = theta / DAYS_PER_YEAR;
  out[offset + 4] = (sdq * pdf * sqrtT) / 100;
  out[offset + 5] = rho / 100;
}

// At expiry or with zero volatility the option is its discounted forward intrinsic value; delta is a step,
// gamma/vega are zero, theta is the carry on the intrinsic value.
function writeDegenerate(
  out: Float64Array, offset: number, isCall: boolean,
  S: number, K: number, T: number, r: number, q: number, dq: number, dr: number,
): void {
  const fwdIntrinsic = isCall ? S * dq - K * dr : K * dr - S * dq;
  const itm = fwdIntrinsic > 0;
  const sign = isCall ? 1 : -1;
  out[offset] = itm ? fwdIntrinsic : 0;
  out[offset + 1] = itm ? sign * dq : 0;
  out[offset + 2] = 0;
  out[offset + 3] = itm && T > 0 ? (sign * (q * S * dq - r * K * dr)) / DAYS_PER_YEAR : 0;
  out[offset + 4] = 0;
  out[offset + 5] = itm ? (sign * K * T * dr) / 100 + 0 : 0; // + 0 turns −0 into 0
}

const scratch = new Float64Array(GREEKS_STRIDE);

/** Price and greeks of a European option per share (theta per day, vega per vol point, rho per 1%). */
export function bsmGreeks(right: OptionRight, S: number, K: number, T: number, r: number, q: number, sigma: number): Greeks {
  bsmGreeksInto(scratch, 0, right === 'C', S, K, T, r, q, sigma);
  return {
    price: scratch[G_PRICE] as number,
    delta: scratch[G_DELTA] as number,
    gamma: scratch[G_GAMMA] as number,
    theta: scratch[G_THETA] as number,
    vega: scratch[G_VEGA] as number,
    rho: scratch[G_RHO] as number,
  };
}

/** Forward price F = S·e^{(r−q)T} ($); T years, r/q annual decimals. */
export function forwardPrice(S: number, T: number, r: number, q: number): number {
  return S * Math.exp((r - q) * T);
}
