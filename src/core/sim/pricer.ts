// The simulator's option pricer: Black–Scholes–Merton with a continuous dividend yield.
// Kept behind this one module so it can switch to src/core/options once that exists.

export interface Greeks {
  price: number;
  delta: number;
  gamma: number;
  /** Per 1.00 (100 vol points) change in volatility, divided by 100: per vol point, like TWS. */
  vega: number;
  /** Per calendar day. */
  theta: number;
}

const SQRT2PI = Math.sqrt(2 * Math.PI);

export function normPdf(x: number): number {
  return Math.exp(-0.5 * x * x) / SQRT2PI;
}

/** Standard normal CDF (W. J. Cody's rational approximation via erfc; |error| < 1e-14). */
export function normCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * z);
  // Numerical Recipes erfc (Chebyshev), relative error < 1.2e-7 — ample for quotes on cent ticks.
  const r =
    t *
    Math.exp(
      -z * z -
        1.26551223 +
        t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))),
    );
  return x >= 0 ? 1 - 0.5 * r : 0.5 * r;
}

/**
 * Price and greeks of a European option.
 * s spot, k strike, t years, r rate, q dividend yield, v volatility.
 */
export function bsm(isCall: boolean, s: number, k: number, t: number, r: number, q: number, v: number): Greeks {
  if (t <= 0 || v <= 0) {
    const intrinsic = isCall ? Math.max(0, s - k) : Math.max(0, k - s);
    const itm = isCall ? s > k : s < k;
    return { price: intrinsic, delta: itm ? (isCall ? 1 : -1) : 0, gamma: 0, vega: 0, theta: 0 };
  }
  const sqrtT = Math.sqrt(t);
  const d1 = (Math.log(s / k) + (r - q + 0.5 * v * v) * t) / (v * sqrtT);
  const d2 = d1 - v * sqrtT;
  const dq = Math.exp(-q * t);
  const dr = Math.exp(-r * t);
  const pdf1 = normPdf(d1);
  const gamma = (dq * pdf1) / (s * v * sqrtT);
  const vega = (s * dq * pdf1 * sqrtT) / 100;
  if (isCall) {
    const n1 = normCdf(d1);
    const n2 = normCdf(d2);
    const price = s * dq * n1 - k * dr * n2;
    const theta = (-(s * dq * pdf1 * v) / (2 * sqrtT) - r * k * dr * n2 + q * s * dq * n1) / 365;
    return { price: Math.max(price, 0), delta: dq * n1, gamma, vega, theta };
  }
  const nm1 = normCdf(-d1);
  const nm2 = normCdf(-d2);
  const price = k * dr * nm2 - s * dq * nm1;
  const theta = (-(s * dq * pdf1 * v) / (2 * sqrtT) + r * k * dr * nm2 - q * s * dq * nm1) / 365;
  return { price: Math.max(price, 0), delta: -dq * nm1, gamma, vega, theta };
}

/** Implied volatility by safeguarded Newton/bisection; null when the price is outside no-arbitrage bounds. */
export function impliedVol(isCall: boolean, price: number, s: number, k: number, t: number, r: number, q: number): number | null {
  if (t <= 0 || price <= 0) return null;
  const lower = isCall ? Math.max(0, s * Math.exp(-q * t) - k * Math.exp(-r * t)) : Math.max(0, k * Math.exp(-r * t) - s * Math.exp(-q * t));
  const upper = isCall ? s * Math.exp(-q * t) : k * Math.exp(-r * t);
  if (price <= lower + 1e-12 || price >= upper) return null;
  let lo = 1e-4;
  let hi = 5;
  let v = 0.3;
  for (let i = 0; i < 60; i++) {
    const g = bsm(isCall, s, k, t, r, q, v);
    const diff = g.price - price;
    if (Math.abs(diff) < 1e-8) return v;
    if (diff > 0) hi = v;
    else lo = v;
    const vegaRaw = g.vega * 100;
    let next = vegaRaw > 1e-10 ? v - diff / vegaRaw : (lo + hi) / 2;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    v = next;
  }
  return v;
}
