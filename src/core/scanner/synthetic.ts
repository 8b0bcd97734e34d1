// Synthetic option chains for tests and benchmarks: BSM-priced quotes with a volatility skew, seeded and reproducible.
import { createChain, type ChainSnapshot } from './chain';
import { seededRandom } from '../options/rng';
import { bsmDelta, bsmPrice } from './math';

export interface SyntheticChainSpec {
  symbol?: string;
  seed?: number;
  spot?: number;
  expiries?: number;
  strikes?: number;
  strikeStep?: number;
  /** Per-strike IV jitter, uniform in ± this many vol points for each option (0: the smooth smile). */
  ivNoise?: number;
  /** Epoch ms of the snapshot. */
  asOf?: number;
}

function expiryString(asOf: number, days: number): string {
  const d = new Date(asOf + days * 86_400_000);
  return `${d.getUTCFullYear()}${String(d.getUTCMonth() + 1).padStart(2, '0')}${String(d.getUTCDate()).padStart(2, '0')}`;
}

const tick = (p: number) => (p < 3 ? 0.01 : 0.05);
const roundDown = (p: number) => Math.max(0, Math.floor(p / tick(p) + 1e-9) * tick(p));
const roundUp = (p: number) => Math.ceil(p / tick(p) - 1e-9) * tick(p);

/** A full chain: `expiries` expiries one to ~`expiries × 9` days out, `strikes` strikes centred on spot, calls and puts. */
export function syntheticChain(spec: SyntheticChainSpec = {}): ChainSnapshot {
  const rnd = seededRandom(spec.seed ?? 1);
  const spot = spec.spot ?? 500;
  const nExp = spec.expiries ?? 40;
  const nStrikes = spec.strikes ?? 400;
  const step = spec.strikeStep ?? 1;
  const asOf = spec.asOf ?? Date.UTC(2025, 0, 6, 15, 0, 0);
  const r = 0.04;
  const q = 0.013;
  const first = Math.round(spot - (nStrikes / 2) * step);
  const strikes = Array.from({ length: nStrikes }, (_, i) => first + i * step);
  const dtes = Array.from({ length: nExp }, (_, i) => (i < 10 ? i + 1 : 10 + (i - 9) * 9));
  const chain = createChain({
    symbol: spec.symbol ?? 'SYN',
    spot,
    rate: r,
    divYield: q,
    multiplier: 100,
    asOf,
    expiries: dtes.map((dte) => ({ expiry: expiryString(asOf, dte), dte, tYears: dte / 365, strikes })),
  });
  for (const slice of chain.expiries) {
    const t = slice.tYears;
    const atm = 0.16 + 0.04 * Math.exp(-t * 4);
    for (let i = 0; i < slice.strike.length; i++) {
      const k = slice.strike[i] as number;
      const m = Math.log(k / spot) / Math.sqrt(t);
      const smooth = Math.max(0.05, atm - 0.1 * m + 0.15 * m * m);
      for (const right of ['C', 'P'] as const) {
        const c = right === 'C' ? slice.call : slice.put;
        // Drawn only when asked for, so a seed's smooth chain stays what it was.
        const iv = spec.ivNoise ? Math.max(0.02, smooth + ((2 * rnd() - 1) * spec.ivNoise) / 100) : smooth;
        const theo = bsmPrice(right, spot, k, iv, r, q, t);
        const width = Math.max(0.01, 0.02 + 0.04 * theo) * (1 + rnd());
        const bid = roundDown(theo - width / 2);
        const ask = Math.max(roundUp(theo + width / 2), bid + tick(bid));
        c.conId[i] = 1_000_000 + slice.dte * 20_000 + i * 2 + (right === 'C' ? 0 : 1);
        c.bid[i] = bid;
        c.ask[i] = ask;
        c.bidSize[i] = 1 + Math.floor(rnd() * 200);
        c.askSize[i] = 1 + Math.floor(rnd() * 200);
        c.iv[i] = iv;
        c.delta[i] = bsmDelta(right, spot, k, iv, r, q, t);
        c.gamma[i] = NaN;
        c.theta[i] = NaN;
        c.vega[i] = NaN;
        c.openInterest[i] = Math.floor(rnd() * 5000 * Math.exp(-Math.abs(m)));
        c.volume[i] = Math.floor(rnd() * 1000 * Math.exp(-Math.abs(m)));
        c.quoteTime[i] = asOf - Math.floor(rnd() * 5000);
      }
    }
  }
  return chain;
}
