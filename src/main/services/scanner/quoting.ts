// Quoting for a scan run: one option's quote into its chain slot, through a snapshot or a short-lived streaming line.
// Every quote takes its own child signal from the run and unlinks it when it settles (no listener left behind).
import { impliedVolFast } from '../../../core/options';
import { bsmDelta, type ChainSnapshot } from '../../../core/scanner';
import type { Logger } from '../logging';
import type { Broker, Quote, QuoteSubscription } from '../broker/types';
import type { ScanRun, Slot } from './run';

/** A fast-lane quote waits this long for the model greeks after bid and ask have arrived. */
const FAST_LANE_GREEKS_MS = 400;
/** …and gives up (falling back to what it has) after this long. */
const FAST_LANE_TIMEOUT_MS = 3_000;

export const numOrNaN = (v: number | null | undefined): number => (v === null || v === undefined ? NaN : v);
export const firstOf = (...vs: Array<number | null | undefined>): number | null => {
  for (const v of vs) if (v !== null && v !== undefined && Number.isFinite(v)) return v;
  return null;
};

function avg(a: number | null | undefined, b: number | null | undefined): number | null {
  const x = firstOf(a);
  const y = firstOf(b);
  if (x !== null && y !== null) return (x + y) / 2;
  return x ?? y;
}

export function isAbort(e: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (e instanceof Error && e.name === 'AbortError');
}

/** Writes one option quote into its chain slot (IV solved from the mid when the broker sends none). */
export function recordQuote(run: ScanRun, slot: Slot, q: Quote, now: () => number): void {
  const { slice, right, index, sym } = slot;
  const cols = right === 'C' ? slice.call : slice.put;
  const chain = sym.chain as ChainSnapshot;
  const k = slice.strike[index] as number;
  const bid = numOrNaN(q.bid);
  const ask = numOrNaN(q.ask);
  const model = q.model;
  let iv = firstOf(model?.impliedVol, avg(q.bidGreeks?.impliedVol, q.askGreeks?.impliedVol));
  if (iv === null && bid >= 0 && ask > bid) {
    const v = impliedVolFast(right === 'C', (bid + ask) / 2, chain.spot, k, slice.tYears, chain.rate, chain.divYield);
    iv = v > 0 ? v : null;
  }
  let delta = firstOf(model?.delta, q.bidGreeks?.delta, q.askGreeks?.delta);
  if (delta === null && iv !== null) delta = bsmDelta(right, chain.spot, k, iv, chain.rate, chain.divYield, slice.tYears);
  cols.bid[index] = bid;
  cols.ask[index] = ask;
  cols.bidSize[index] = numOrNaN(q.bidSize);
  cols.askSize[index] = numOrNaN(q.askSize);
  cols.iv[index] = numOrNaN(iv);
  cols.delta[index] = numOrNaN(delta);
  cols.gamma[index] = numOrNaN(firstOf(model?.gamma));
  cols.theta[index] = numOrNaN(firstOf(model?.theta));
  cols.vega[index] = numOrNaN(firstOf(model?.vega));
  cols.theo[index] = numOrNaN(firstOf(model?.optPrice));
  cols.volume[index] = numOrNaN(q.volume);
  // Option open interest needs generic tick 101 on a streaming line (open-interest.ts, for the rows on screen); a snapshot
  // cannot carry it (TWS error 321), so a re-quote keeps the OI already there (it changes once a day).
  cols.quoteTime[index] = q.updatedAt ?? now();
  if (q.delayed) run.delayed = true;
}

export interface QuoteDeps {
  broker: Broker;
  now: () => number;
  log?: Pick<Logger, 'debug'> | undefined;
}

/** A fast-lane quote: a streaming line held until bid, ask and the model greeks are in, then cancelled. */
function streamOption(d: QuoteDeps, run: ScanRun, conId: number, slot: Slot): Promise<void> {
  return new Promise<void>((resolve) => {
    let sub: QuoteSubscription | null = null;
    let finished = false;
    let grace: ReturnType<typeof setTimeout> | null = null;
    const link = run.child();
    const finish = (q: Quote | null): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timeout);
      if (grace) clearTimeout(grace);
      link.signal.removeEventListener('abort', onAbort);
      link.dispose();
      sub?.release();
      if (!run.signal.aborted) {
        if (q && (q.bid !== null || q.ask !== null)) {
          recordQuote(run, slot, q, d.now);
          slot.sym.quoted++;
        } else slot.sym.failed++;
        run.dirty();
      }
      resolve();
    };
    const onAbort = (): void => finish(null);
    const timeout = setTimeout(() => finish(sub?.latest() ?? null), FAST_LANE_TIMEOUT_MS);
    link.signal.addEventListener('abort', onAbort, { once: true });
    run.requests.streams++;
    sub = d.broker.subscribeQuote({ conId, symbol: slot.sym.symbol, secType: 'OPT', exchange: 'SMART' }, {
      onQuote: (q) => {
        if (q.bid === null || q.ask === null) return;
        if (q.model?.impliedVol != null) finish(q);
        else grace ??= setTimeout(() => finish(sub?.latest() ?? q), FAST_LANE_GREEKS_MS);
      },
      onStatus: (status) => {
        if (status === 'failed') finish(null);
      },
    });
    if (finished) sub.release();
  });
}

/**
 * One option's quote at 'scan' priority: the fast lane for a symbol's first few, else a snapshot. `cycle` is the
 * signal that cancels it (the run's by default; a refresh cycle's after completion, which re-quotes without
 * counting toward progress). Resolves when it settles.
 */
export function quoteOption(d: QuoteDeps, run: ScanRun, conId: number, slot: Slot, cycle: AbortSignal = run.signal): Promise<void> {
  const refresh = cycle !== run.signal;
  run.outstanding++;
  run.slots.set(conId, slot);
  if (slot.sym.fastLane > 0 && !refresh) {
    slot.sym.fastLane--;
    return streamOption(d, run, conId, slot).finally(() => run.settled());
  }
  const link = run.child(cycle);
  run.requests.snapshots++;
  return d.broker
    .snapshotQuote({ conId, symbol: slot.sym.symbol, secType: 'OPT', exchange: 'SMART' }, { priority: 'scan', signal: link.signal })
    .then(
      (q) => {
        if (link.signal.aborted) return;
        recordQuote(run, slot, q, d.now);
        if (refresh) return;
        slot.sym.quoted++;
        run.dirty();
      },
      (e: unknown) => {
        if (isAbort(e, link.signal) || refresh) return;
        slot.sym.failed++;
        d.log?.debug({ err: e, conId }, 'scan snapshot failed');
        run.dirty();
      },
    )
    .finally(() => {
      link.dispose();
      run.settled();
    });
}

/**
 * Runs `each` over `items`, at most `atOnce` at a time, in order, until done or `signal` aborts (nothing new starts
 * then); resolves with how many were started. For the scan's follow-ups that each hold a scarce thing while they wait
 * (a market-data line, an order id at TWS).
 */
export async function atMost<T>(items: readonly T[], atOnce: number, signal: AbortSignal, each: (item: T) => Promise<void>): Promise<number> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !signal.aborted) await each(items[next++] as T);
  };
  await Promise.all(Array.from({ length: Math.min(atOnce, items.length) }, worker));
  return Math.min(next, items.length);
}
