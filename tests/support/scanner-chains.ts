// Test support: small hand-made and random chains for the scanner's unit and property tests.
import type { ScanFilters } from '../../src/core/contract/scanner';
import { createChain, type ChainSnapshot } from '../../src/core/scanner/chain';
import { seededRandom } from '../../src/core/options/rng';

export const NOW = Date.UTC(2025, 0, 6, 15, 0, 0);

export interface LegSpec {
  bid: number;
  ask: number;
  iv?: number;
  delta?: number;
  oi?: number;
  volume?: number;
  theo?: number;
  /** ms before NOW. */
  age?: number;
}

/** One expiry, given strikes, calls and puts spelled out; unspecified fields get plausible values. */
export function handChain(strikes: number[], calls: LegSpec[], puts: LegSpec[], opts: { spot?: number; dte?: number } = {}): ChainSnapshot {
  const dte = opts.dte ?? 30;
  const chain = createChain({ symbol: 'TST', spot: opts.spot ?? 100, rate: 0.03, divYield: 0, multiplier: 100, asOf: NOW, expiries: [{ expiry: '20250205', dte, tYears: dte / 365, strikes }] });
  const slice = chain.expiries[0]!;
  for (const [legs, cols] of [[calls, slice.call], [puts, slice.put]] as const) {
    legs.forEach((q, i) => {
      cols.conId[i] = 1000 + i;
      cols.bid[i] = q.bid;
      cols.ask[i] = q.ask;
      cols.iv[i] = q.iv ?? 0.25;
      cols.delta[i] = q.delta ?? (cols === slice.call ? 0.5 : -0.5);
      cols.openInterest[i] = q.oi ?? 1000;
      cols.volume[i] = q.volume ?? 100;
      cols.theo[i] = q.theo ?? NaN;
      cols.quoteTime[i] = NOW - (q.age ?? 1000);
    });
  }
  return chain;
}

export const ALL_KINDS: ScanFilters['kinds'] = ['bear-call', 'bear-put', 'bull-call', 'bull-put'];
export const OPEN: ScanFilters = { kinds: ALL_KINDS, dte: { min: 0, max: 1000 } };

/** A random, messy chain: gaps, crossed and one-sided quotes, missing IV/greeks/OI/time, 0.05-grid prices (ties). */
export function randomChain(seed: number): ChainSnapshot {
  const rnd = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)] as T;
  const nExp = 1 + Math.floor(rnd() * 3);
  const nStrikes = 2 + Math.floor(rnd() * 13);
  const step = pick([0.5, 1, 2.5, 5]);
  const strikes = Array.from({ length: nStrikes }, (_, i) => 90 + i * step);
  const spot = 90 + rnd() * nStrikes * step;
  const dtes = [...new Set(Array.from({ length: nExp }, () => Math.floor(rnd() * 60)))].sort((a, b) => a - b);
  const chain = createChain({
    symbol: pick(['AAA', 'BBB']),
    spot,
    rate: 0.04,
    divYield: rnd() < 0.5 ? 0 : 0.02,
    multiplier: pick([100, 10]),
    asOf: NOW,
    expiries: dtes.map((dte, i) => ({ expiry: `202502${String(10 + i).padStart(2, '0')}`, dte, tYears: dte === 0 && rnd() < 0.3 ? 0 : Math.max(dte, 0.2) / 365, strikes })),
  });
  const maybe = (p: number, v: () => number) => (rnd() < p ? NaN : v());
  // Half the chains repeat one expiry's quotes in every expiry and mirror calls into puts: many exact score ties.
  const repeat = rnd() < 0.5;
  for (const slice of chain.expiries) {
    if (repeat && slice !== chain.expiries[0]) {
      const first = chain.expiries[0]!;
      for (const f of ['conId', 'bid', 'ask', 'iv', 'delta', 'openInterest', 'volume', 'theo', 'quoteTime'] as const) {
        slice.call[f].set(first.call[f]);
        slice.put[f].set(first.put[f]);
      }
      continue;
    }
    for (const cols of [slice.call, slice.put]) {
      for (let i = 0; i < nStrikes; i++) {
        if (rnd() < 0.1) continue;
        const bid = Math.round(rnd() * 8 * 20) / 20;
        const ask = rnd() < 0.05 ? bid - 0.05 : rnd() < 0.05 ? 0 : bid + Math.round(rnd() * 1.5 * 20) / 20;
        cols.conId[i] = 5000 + i;
        cols.bid[i] = bid;
        cols.ask[i] = ask;
        cols.iv[i] = maybe(0.1, () => 0.05 + rnd());
        cols.delta[i] = maybe(0.1, () => (cols === slice.call ? 1 : -1) * rnd());
        cols.openInterest[i] = maybe(0.1, () => Math.floor(rnd() * 500));
        cols.volume[i] = maybe(0.1, () => Math.floor(rnd() * 100));
        cols.theo[i] = maybe(0.5, () => bid + rnd());
        cols.quoteTime[i] = maybe(0.1, () => NOW - Math.floor(rnd() * 120_000));
      }
    }
    if (repeat) {
      for (const f of ['bid', 'ask', 'iv', 'openInterest', 'volume', 'theo', 'quoteTime'] as const) slice.put[f].set(slice.call[f].slice().reverse());
      slice.put.delta.set(slice.call.delta.slice().reverse().map((d) => -d));
    }
  }
  return chain;
}
