// Columnar chain snapshot: one symbol's option quotes as typed arrays per expiry, NaN where unknown.

/** Limits that keep the engine's numeric tie-break key exact (see fingerprint.ts). */
export const MAX_EXPIRIES = 1024;
export const MAX_STRIKES = 8192;

/** One right (calls or puts) of one expiry; every array is indexed like the expiry's `strike`. NaN = unknown. */
export interface RightColumns {
  conId: Float64Array;
  bid: Float64Array;
  ask: Float64Array;
  bidSize: Float64Array;
  askSize: Float64Array;
  /** Annualised implied volatility (0.2 = 20 %). */
  iv: Float64Array;
  delta: Float64Array;
  gamma: Float64Array;
  /** Per calendar day, per share. */
  theta: Float64Array;
  /** Per volatility point (0.01), per share. */
  vega: Float64Array;
  /** Broker model price per share (IB's model computation), NaN when absent. */
  theo: Float64Array;
  openInterest: Float64Array;
  volume: Float64Array;
  /** Epoch ms of the last update of this quote. */
  quoteTime: Float64Array;
}

export const RIGHT_FIELDS = [
  'conId', 'bid', 'ask', 'bidSize', 'askSize', 'iv', 'delta', 'gamma', 'theta', 'vega', 'theo', 'openInterest', 'volume', 'quoteTime',
] as const satisfies ReadonlyArray<keyof RightColumns>;
export type RightField = (typeof RIGHT_FIELDS)[number];

export interface ExpirySlice {
  /** YYYYMMDD. */
  expiry: string;
  /** Calendar days to expiry (NYSE calendar, from core/market), as the trader counts them. */
  dte: number;
  /** Time to expiry in years (to the exact expiry instant); ≤ 0 means expired and the slice is skipped. */
  tYears: number;
  /** Ascending, unique. */
  strike: Float64Array;
  call: RightColumns;
  put: RightColumns;
}

export interface ChainSnapshot {
  symbol: string;
  /** Underlying price used for every probability and width-of-spot filter. */
  spot: number;
  /** Continuously compounded risk-free rate and dividend yield, annualised. */
  rate: number;
  divYield: number;
  multiplier: number;
  /** Epoch ms at which the snapshot was assembled. */
  asOf: number;
  /** Ascending by expiry. */
  expiries: ExpirySlice[];
}

function nanColumn(n: number): Float64Array {
  return new Float64Array(n).fill(NaN);
}

export function emptyRight(n: number): RightColumns {
  return {
    conId: nanColumn(n), bid: nanColumn(n), ask: nanColumn(n), bidSize: nanColumn(n), askSize: nanColumn(n),
    iv: nanColumn(n), delta: nanColumn(n), gamma: nanColumn(n), theta: nanColumn(n), vega: nanColumn(n),
    theo: nanColumn(n), openInterest: nanColumn(n), volume: nanColumn(n), quoteTime: nanColumn(n),
  };
}

export interface ChainShape {
  symbol: string;
  spot: number;
  rate: number;
  divYield: number;
  multiplier: number;
  asOf: number;
  expiries: ReadonlyArray<{ expiry: string; dte: number; tYears: number; strikes: ReadonlyArray<number> }>;
}

/** Allocates an empty snapshot (every quote NaN); validates ordering and size so the engine can trust it. */
export function createChain(shape: ChainShape): ChainSnapshot {
  if (!(shape.spot > 0)) throw new RangeError(`spot must be positive, got ${shape.spot}`);
  if (!(shape.multiplier > 0)) throw new RangeError(`multiplier must be positive, got ${shape.multiplier}`);
  if (shape.expiries.length > MAX_EXPIRIES) throw new RangeError(`at most ${MAX_EXPIRIES} expiries`);
  let prev = '';
  const expiries = shape.expiries.map((e) => {
    if (!/^\d{8}$/.test(e.expiry)) throw new RangeError(`expiry must be YYYYMMDD, got ${e.expiry}`);
    if (e.expiry <= prev) throw new RangeError('expiries must be ascending and unique');
    prev = e.expiry;
    if (e.strikes.length > MAX_STRIKES) throw new RangeError(`at most ${MAX_STRIKES} strikes per expiry`);
    const strike = Float64Array.from(e.strikes);
    for (let i = 0; i < strike.length; i++) {
      const k = strike[i] as number;
      if (!(k > 0)) throw new RangeError(`strikes must be positive, got ${k}`);
      if (i > 0 && !(k > (strike[i - 1] as number))) throw new RangeError('strikes must be ascending and unique');
    }
    return { expiry: e.expiry, dte: e.dte, tYears: e.tYears, strike, call: emptyRight(strike.length), put: emptyRight(strike.length) };
  });
  return { symbol: shape.symbol, spot: shape.spot, rate: shape.rate, divYield: shape.divYield, multiplier: shape.multiplier, asOf: shape.asOf, expiries };
}

/** Index of `strike` in an ascending array, or −1; exact match (strikes come from the same chain parameters). */
export function strikeIndex(strikes: Float64Array, strike: number): number {
  let lo = 0;
  let hi = strikes.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const v = strikes[mid] as number;
    if (v < strike) lo = mid + 1;
    else if (v > strike) hi = mid - 1;
    else return mid;
  }
  return -1;
}

export type QuoteFields = Partial<Record<RightField, number | null | undefined>>;

/** Writes the given fields of one option's quote; null/undefined leave the field unchanged. */
export function setQuote(slice: ExpirySlice, right: 'C' | 'P', index: number, q: QuoteFields): void {
  const cols = right === 'C' ? slice.call : slice.put;
  for (const f of RIGHT_FIELDS) {
    const v = q[f];
    if (v !== undefined && v !== null) cols[f][index] = v;
  }
}

/** The JSON form used by --dump-chain and fixtures: NaN written as null, arrays as plain lists. */
export interface ChainJson {
  format: 'spreaddesk.chain/1';
  symbol: string;
  spot: number;
  rate: number;
  divYield: number;
  multiplier: number;
  asOf: number;
  expiries: Array<{ expiry: string; dte: number; tYears: number; strike: number[]; call: Record<RightField, Array<number | null>>; put: Record<RightField, Array<number | null>> }>;
}

function colToJson(a: Float64Array): Array<number | null> {
  return Array.from(a, (v) => (Number.isNaN(v) ? null : v));
}

function rightToJson(r: RightColumns): Record<RightField, Array<number | null>> {
  const out = {} as Record<RightField, Array<number | null>>;
  for (const f of RIGHT_FIELDS) out[f] = colToJson(r[f]);
  return out;
}

export function chainToJson(c: ChainSnapshot): ChainJson {
  return {
    format: 'spreaddesk.chain/1',
    symbol: c.symbol,
    spot: c.spot,
    rate: c.rate,
    divYield: c.divYield,
    multiplier: c.multiplier,
    asOf: c.asOf,
    expiries: c.expiries.map((e) => ({ expiry: e.expiry, dte: e.dte, tYears: e.tYears, strike: Array.from(e.strike), call: rightToJson(e.call), put: rightToJson(e.put) })),
  };
}

export function chainFromJson(j: ChainJson): ChainSnapshot {
  const chain = createChain({ ...j, expiries: j.expiries.map((e) => ({ expiry: e.expiry, dte: e.dte, tYears: e.tYears, strikes: e.strike })) });
  j.expiries.forEach((e, i) => {
    const slice = chain.expiries[i] as ExpirySlice;
    for (const [side, cols] of [[e.call, slice.call], [e.put, slice.put]] as const) {
      for (const f of RIGHT_FIELDS) {
        const src = side[f];
        const dst = cols[f];
        for (let k = 0; k < dst.length; k++) {
          const v = src[k];
          dst[k] = v === null || v === undefined ? NaN : v;
        }
      }
    }
  });
  return chain;
}
