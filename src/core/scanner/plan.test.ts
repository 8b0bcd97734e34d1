// The plan asks for far fewer quotes than the chain holds and loses no candidate the full chain would rank.
import { describe, expect, it } from 'vitest';
import type { ScanFilters } from '../contract/scanner';
import { type ChainSnapshot, RIGHT_FIELDS } from './chain';
import { ScanEngine } from './engine';
import { parseTwsTime } from '../market';
import { planScan, requestOrder, type PlanInput } from './plan';
import { syntheticChain } from './synthetic';

function planFor(chain: ChainSnapshot, filters: ScanFilters, atmIv: number | null = 0.18): ReturnType<typeof planScan> {
  const input: PlanInput = {
    spot: chain.spot,
    atmIv,
    rate: chain.rate,
    divYield: chain.divYield,
    filters,
    expiries: chain.expiries.map((e) => ({ expiry: e.expiry, dte: e.dte, tYears: e.tYears, strikes: Array.from(e.strike) })),
  };
  return planScan(input);
}

/** The chain with every unplanned quote blanked out, as a scan that followed the plan would see it. */
function restrict(chain: ChainSnapshot, plan: ReturnType<typeof planScan>): ChainSnapshot {
  const copy = structuredClone(chain);
  for (const slice of copy.expiries) {
    const p = plan.expiries.find((e) => e.expiry === slice.expiry);
    for (const [right, cols] of [['C', slice.call], ['P', slice.put]] as const) {
      const keep = new Set(p ? (right === 'C' ? p.calls : p.puts) : []);
      slice.strike.forEach((k, i) => {
        if (!keep.has(k)) for (const f of RIGHT_FIELDS) cols[f][i] = NaN;
      });
    }
  }
  return copy;
}

/**
 * The chain without the legs the plan promises nothing about when there is no delta band: quoted |delta| under
 * `floor` or over 1 − floor, or IV beyond 3× the ATM IV (the plan's widest wing multiplier).
 */
function withoutWings(chain: ChainSnapshot, floor: number, atmIv: number): ChainSnapshot {
  const copy = structuredClone(chain);
  for (const slice of copy.expiries) {
    for (const cols of [slice.call, slice.put]) {
      cols.delta.forEach((d, i) => {
        const wing = !(Math.abs(d) >= floor && Math.abs(d) <= 1 - floor) || (cols.iv[i] as number) > 3 * atmIv;
        if (wing) for (const f of RIGHT_FIELDS) cols[f][i] = NaN;
      });
    }
  }
  return copy;
}

const CREDIT: ScanFilters = { kinds: ['bull-put', 'bear-call'], dte: { min: 0, max: 45 }, shortDelta: { min: 0.15, max: 0.3 }, width: { min: 1, max: 10 } };

describe('scan plan', () => {
  const chain = syntheticChain({ expiries: 40, strikes: 400, spot: 500 });
  const engine = new ScanEngine();

  const cases: Array<[string, ScanFilters]> = [
    ['credit, Δ .15–.30, width 1–10', CREDIT],
    ['debit, Δ .30–.45, width 2–5 % of spot', { kinds: ['bull-call', 'bear-put'], dte: { min: 5, max: 30 }, shortDelta: { min: 0.3, max: 0.45 }, widthOfSpot: { min: 0.004, max: 0.01 } }],
    ['all kinds, no delta band, width ≤ 5', { kinds: ['bull-put', 'bear-call', 'bull-call', 'bear-put'], dte: { min: 0, max: 20 }, width: { max: 5 } }],
  ];
  for (const [name, filters] of cases) {
    it(`loses no ranked candidate and quotes a fraction of the chain: ${name}`, () => {
      const plan = planFor(chain, filters);
      const inRange = chain.expiries.filter((e) => e.dte >= filters.dte.min && e.dte <= filters.dte.max).length * 400 * 2;
      expect(plan.total).toBeGreaterThan(0);
      expect(plan.total).toBeLessThan(inRange * 0.6);
      for (const by of ['ror', 'pop'] as const) {
        const options = { filters, scoring: { by, basis: 'mid' as const }, topPerSymbol: 200, now: chain.asOf };
        // Without a delta band the plan skips far wings (|delta| under 1 % or over 99 %): so does the reference.
        const universe = filters.shortDelta ? chain : withoutWings(chain, 0.01, 0.18);
        const full = engine.scanChain(universe, options).rows.map((r) => r.fingerprint);
        const planned = engine.scanChain(restrict(universe, plan), options).rows.map((r) => r.fingerprint);
        expect(full.length).toBe(200);
        expect(planned).toEqual(full);
      }
    });
  }

  it('the credit plan is small: a few dozen strikes per expiry', () => {
    const plan = planFor(chain, CREDIT);
    for (const e of plan.expiries) {
      expect(e.calls.length).toBeLessThan(80);
      expect(e.puts.length).toBeLessThan(80);
    }
  });

  it('orders expiries nearest first and strikes from the band centre outwards', () => {
    const plan = planFor(chain, CREDIT);
    const dtes = plan.expiries.map((e) => e.dte);
    expect(dtes).toEqual([...dtes].sort((a, b) => a - b));
    expect(dtes.every((d) => d <= 45)).toBe(true);
    const e = plan.expiries[5]!;
    // The first put is near the 0.225-delta put; later ones drift away from it.
    const first = e.puts[0]!;
    expect(Math.abs(e.puts[1]! - first)).toBeLessThanOrEqual(Math.abs(e.puts[e.puts.length - 1]! - first));
    expect(first).toBeLessThan(chain.spot);
    expect(e.calls[0]!).toBeGreaterThan(chain.spot);
  });

  it('asks only for the rights its kinds use', () => {
    const plan = planFor(chain, { ...CREDIT, kinds: ['bull-put'] });
    expect(plan.expiries.every((e) => e.calls.length === 0 && e.puts.length > 0)).toBe(true);
  });

  it('without an ATM IV it still covers the band, with a wider net', () => {
    const known = planFor(chain, CREDIT).total;
    const unknown = planFor(chain, CREDIT, null).total;
    expect(unknown).toBeGreaterThanOrEqual(known);
  });

  it('interleaves symbols by expiry rank, and calls with puts', () => {
    const a = planFor(syntheticChain({ symbol: 'AAA', expiries: 3, strikes: 60, spot: 100 }), { ...CREDIT, width: { min: 1, max: 3 } });
    const b = planFor(syntheticChain({ symbol: 'BBB', expiries: 3, strikes: 60, spot: 100 }), { ...CREDIT, width: { min: 1, max: 3 } });
    const order = requestOrder([{ symbol: 'AAA', plan: a }, { symbol: 'BBB', plan: b }]);
    expect(order.length).toBe(a.total + b.total);
    const firstB = order.findIndex((q) => q.symbol === 'BBB');
    expect(firstB).toBe(a.expiries[0]!.calls.length + a.expiries[0]!.puts.length);
    expect(order[0]!.right).toBe('C');
    expect(order[1]!.right).toBe('P');
    expect(order[0]!.expiry).toBe(a.expiries[0]!.expiry);
  });

  it('reads TWS connection times in New York time', () => {
    expect(parseTwsTime('20261123 10:00:00 US/Eastern')).toBe(Date.UTC(2026, 10, 23, 15, 0, 0));
    expect(parseTwsTime('20260701 09:30:05 US/Eastern')).toBe(Date.UTC(2026, 6, 1, 13, 30, 5));
    expect(parseTwsTime('20180817 13:29:20 Eastern European Time')).toBeNull();
    expect(parseTwsTime('garbage')).toBeNull();
  });
});
