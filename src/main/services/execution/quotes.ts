// Leg lookup and live leg quotes for tickets: contracts cached per chain, quotes streamed while a ticket is in use.
//
// A submit must not wait for a fresh snapshot (1–2 s at TWS): the preview opens a stream per leg and the submit
// and the walk read its latest quote. Streams untouched for `idleMs` are released (market-data lines are scarce).
import type { IbBroker } from '../broker/ib-broker';
import type { QualifiedContract, Quote, QuoteSubscription } from '../broker/types';
import type { LegQuoteFacts } from '../../../core/risk/types';

export type QuoteBroker = Pick<IbBroker, 'optionContracts' | 'snapshotQuote' | 'subscribeQuote'>;

export interface LegQuoteCache {
  contracts(symbol: string, expiry: string, right: 'C' | 'P'): Promise<QualifiedContract[]>;
  /** The latest streamed quote (opens the stream on first use; falls back to one snapshot until it ticks). */
  quote(conId: number): Promise<Quote>;
  dispose(): void;
}

export function createLegQuoteCache(broker: QuoteBroker, opts: { now?: () => number; idleMs?: number } = {}): LegQuoteCache {
  const now = opts.now ?? Date.now;
  const idleMs = opts.idleMs ?? 5 * 60_000;
  const chains = new Map<string, Promise<QualifiedContract[]>>();
  const streams = new Map<number, { sub: QuoteSubscription; usedAt: number }>();
  const sweep = setInterval(() => {
    for (const [conId, s] of streams) {
      if (now() - s.usedAt > idleMs) {
        s.sub.release();
        streams.delete(conId);
      }
    }
  }, 30_000);
  sweep.unref?.();
  return {
    contracts(symbol, expiry, right) {
      const key = `${symbol}|${expiry}|${right}`;
      let p = chains.get(key);
      if (!p) {
        p = broker.optionContracts({ symbol, expiry, right });
        chains.set(key, p);
        p.catch(() => chains.delete(key));
      }
      return p;
    },
    async quote(conId) {
      let s = streams.get(conId);
      if (!s) {
        s = { sub: broker.subscribeQuote({ conId }), usedAt: now() };
        streams.set(conId, s);
      }
      s.usedAt = now();
      const q = s.sub.latest();
      if (q && q.bid !== null && q.ask !== null) return q;
      return broker.snapshotQuote({ conId }, { priority: 'quote' });
    },
    dispose() {
      clearInterval(sweep);
      for (const s of streams.values()) s.sub.release();
      streams.clear();
    },
  };
}

/**
 * The risk service's leg quotes read from the same streams (a submit's risk check then waits for no new market-data
 * line and no first tick: the preview opened them). Same facts the risk engine reads: bid, ask, volume, age.
 */
export function riskQuotesFrom(cache: Pick<LegQuoteCache, 'quote'>): (conIds: number[]) => Promise<LegQuoteFacts[]> {
  return (conIds) =>
    Promise.all(
      conIds.map((conId) =>
        cache.quote(conId).then(
          (q) => ({ conId, bid: q.bid, ask: q.ask, volume: q.volume ?? null, openInterest: null, updatedAt: q.updatedAt ?? null }),
          () => ({ conId, bid: null, ask: null, volume: null, openInterest: null, updatedAt: null }),
        ),
      ),
    );
}
