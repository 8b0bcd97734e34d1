// Open interest for the legs of the rows on screen of a completed scan: one short streaming line per leg with generic tick 101.
//
// Why streaming lines: TWS sends an option's open interest (tick 27 for a call, 28 for a put) only on a streaming
// line that asks for generic tick 101; a snapshot cannot ask for generic ticks (error 321). So only the legs the
// trader sees get it (once a day each: scanner/service.ts keeps what TWS sent), each through the broker's subscribeQuote — its line manager never grants a line beyond the budget and
// its pacer counts the request and the cancel — and each line is released as soon as the OI arrives, or after a
// short wait once the line is live (a contract TWS has no OI for then stays unknown, never a guessed number).
import type { Broker, Quote, QuoteSubscription } from '../broker/types';
import { atMost } from './quoting';

/** Once its line is live, how long a leg waits for its OI before it is left unknown. */
const OI_WAIT_MS = 2_000;
/** How long a leg waits for a line at all (the trader's own streams may hold the budget). */
const LINE_WAIT_MS = 10_000;
/** Legs asked at once: a share of the budget, so the trader's own panels still get lines meanwhile. */
const OI_LINES = 20;

export interface OiLeg {
  conId: number;
  symbol: string;
  right: 'C' | 'P';
}

/** The open interest of one option from its quote (tick 27 for a call, 28 for a put), null when not sent. */
export function openInterestFrom(q: Quote | null, right: 'C' | 'P'): number | null {
  if (!q) return null;
  return right === 'C' ? q.callOpenInterest : q.putOpenInterest;
}

/** One leg's OI: a streaming line held until tick 27/28 arrives, the wait runs out, the line fails or `signal` aborts. */
function oneLeg(broker: Broker, leg: OiLeg, signal: AbortSignal): Promise<number | null> {
  return new Promise<number | null>((resolve) => {
    if (signal.aborted) {
      resolve(null);
      return;
    }
    let sub: QuoteSubscription | null = null;
    let done = false;
    let live = false;
    let timer: ReturnType<typeof setTimeout> = setTimeout(() => finish(null), LINE_WAIT_MS);
    const finish = (oi: number | null): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      sub?.release();
      resolve(oi);
    };
    const onAbort = (): void => finish(null);
    signal.addEventListener('abort', onAbort, { once: true });
    sub = broker.subscribeQuote(
      { conId: leg.conId, symbol: leg.symbol, secType: 'OPT', exchange: 'SMART' },
      {
        onQuote: (q) => {
          const oi = openInterestFrom(q, leg.right);
          if (oi !== null) finish(oi);
        },
        onStatus: (status) => {
          if (status === 'failed') finish(null);
          else if (status === 'live' && !live && !done) {
            live = true;
            clearTimeout(timer);
            timer = setTimeout(() => finish(openInterestFrom(sub?.latest() ?? null, leg.right)), OI_WAIT_MS);
          }
        },
      },
      { genericTicks: '101' },
    );
    // The line may have failed (or been answered) while subscribing, before `sub` was set.
    if (done) sub.release();
  });
}

/**
 * The open interest of each leg that has one (`found`: conId → contracts), at most OI_LINES lines at a time; `asked`
 * is how many lines were subscribed (each costs a request and a cancel).
 */
export async function openInterestOf(broker: Broker, legs: readonly OiLeg[], signal: AbortSignal): Promise<{ found: Map<number, number>; asked: number }> {
  const found = new Map<number, number>();
  const asked = await atMost(legs, OI_LINES, signal, async (leg) => {
    const oi = await oneLeg(broker, leg, signal);
    if (oi !== null) found.set(leg.conId, oi);
  });
  return { found, asked };
}
