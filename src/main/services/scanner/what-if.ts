// Broker-verified rows: IBKR's what-if (margin change and commission of opening one spread) for the best rows of a scan.
//
// Why: the row's margin and commission are the model's (Reg-T, the fixed schedule); what the account would really be
// charged only IBKR knows. Each what-if is an order message that uses up an order id and that TWS answers slowly, so
// only the final top's best `whatIfTop` rows get one, once the scan's quotes are all in, a few at a time, at the
// pacer's 'scan' priority — behind every order and every quote the trader asks for meanwhile. The request is the one
// a ticket opened from the row would send (core/orders verticalBag at the conservative mid, execution/vertical-order).
// A what-if only adds fields to its row; one that cannot be had leaves the row's cell blank with the sentence why
// (the session may not trade, IBKR refused it, no answer in time) — never a guessed number — and never fails the scan.
import type { ScanRow } from '../../../core/contract';
import { conservativeMid, verticalBag } from '../../../core/orders/ticket';
import { TICKS_COMBO, toMicros, type NetPrice } from '../../../core/spreads';
import type { Logger } from '../logging';
import type { Broker, PlaceOrderRequest } from '../broker/types';
import { errorSentence } from '../broker/errors';
import { verticalOrderRequest } from '../execution/vertical-order';
import type { ScanRun } from './run';
import { atMost } from './quoting';

/** How long one row waits for IBKR's answer, from the moment it is asked (its time in the pacer's queue included). */
export const WHAT_IF_TIMEOUT_MS = 5_000;
/** What-ifs asked at once: enough to keep TWS busy, few enough that a stop leaves little on the wire. */
const WHAT_IFS_AT_ONCE = 3;

type Verdict = Pick<ScanRow, 'whatIf' | 'whatIfUnavailable'>;

export interface WhatIfDeps {
  broker: Pick<Broker, 'whatIf' | 'tradingAllowed'>;
  now: () => number;
  log?: Pick<Logger, 'debug'> | undefined;
}

/** The what-if request for opening one spread of `row` at its conservative mid (as a ticket from the row), or why none. */
export function whatIfRequestOf(row: ScanRow): { ok: true; request: PlaceOrderRequest } | { ok: false; reason: string } {
  if (row.long.conId === null || row.short.conId === null) return { ok: false, reason: 'No what-if: the legs are not qualified.' };
  const net: NetPrice = { amount: toMicros(conservativeMid(row.priceMid, row.isCredit)), kind: row.isCredit ? 'credit' : 'debit' };
  const bag = verticalBag(row, 'open', 1, net, TICKS_COMBO);
  if (!bag.ok) return { ok: false, reason: `No what-if: ${bag.message}` };
  return {
    ok: true,
    request: verticalOrderRequest({ ticketId: `what-if ${row.fingerprint}`, symbol: row.symbol, action: bag.value.action, quantity: 1, net, legConIds: [row.long.conId, row.short.conId] }),
  };
}

/** One row's what-if: IBKR's numbers, or the sentence why none; null when the run was stopped meanwhile. */
async function oneRow(deps: WhatIfDeps, row: ScanRow, run: AbortSignal): Promise<Verdict | null> {
  const built = whatIfRequestOf(row);
  if (!built.ok) return { whatIf: null, whatIfUnavailable: built.reason };
  // Its own signal: withdrawn when the run stops or when the row's wait runs out (a queued what-if then never leaves).
  const own = new AbortController();
  const onStop = (): void => own.abort();
  run.addEventListener('abort', onStop, { once: true });
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    own.abort();
  }, WHAT_IF_TIMEOUT_MS);
  try {
    const w = await deps.broker.whatIf(built.request, { priority: 'scan', signal: own.signal });
    return { whatIf: { initMarginChange: w.initMarginChange, maintMarginChange: w.maintMarginChange, commission: w.commission, at: deps.now() }, whatIfUnavailable: null };
  } catch (e) {
    if (run.aborted) return null;
    if (timedOut) return { whatIf: null, whatIfUnavailable: `No what-if: IBKR did not answer within ${WHAT_IF_TIMEOUT_MS / 1000} s.` };
    return { whatIf: null, whatIfUnavailable: `No what-if: ${errorSentence(e)}` };
  } finally {
    clearTimeout(timer);
    run.removeEventListener('abort', onStop);
  }
}

/**
 * The what-if of each of `rows`, WHAT_IFS_AT_ONCE at a time; `onRow` gets each verdict as it lands (never after the
 * run's signal aborts). When the session may not trade, no what-if is sent and every row gets the reason.
 * Returns how many what-ifs were asked.
 */
export async function whatIfOf(deps: WhatIfDeps, rows: readonly ScanRow[], signal: AbortSignal, onRow: (fingerprint: string, verdict: Verdict) => void): Promise<number> {
  const allowed = deps.broker.tradingAllowed();
  if (!allowed.ok) {
    const why = `No what-if: it needs a session that may trade. ${allowed.error.userMessage}`;
    for (const r of rows) onRow(r.fingerprint, { whatIf: null, whatIfUnavailable: why });
    return 0;
  }
  return atMost(rows, WHAT_IFS_AT_ONCE, signal, async (row) => {
    const verdict = await oneRow(deps, row, signal);
    if (verdict && !signal.aborted) onRow(row.fingerprint, verdict);
  });
}

/**
 * A completed scan's follow-up: the best `whatIfTop` rows of the final top get IBKR's what-if, written into the run by
 * fingerprint so every later ranking's rows carry it (run.ts flush), each sent as it lands. The scan is complete
 * before (ranking never waits for margin); the progress says what-ifs are coming. Aborted with the auto-refresh.
 */
export async function whatIfOfTop(run: ScanRun, deps: WhatIfDeps): Promise<void> {
  if (run.req.whatIfTop === 0) return;
  const rows = (run.lastResults?.rows ?? []).slice(0, run.req.whatIfTop);
  if (rows.length === 0) return;
  const signal = run.followUp.signal;
  run.message = `Asking IBKR’s what-if for the top ${rows.length} row${rows.length === 1 ? '' : 's'}…`;
  run.emitProgress();
  const asked = await whatIfOf(deps, rows, signal, (fingerprint, verdict) => {
    run.whatIfs.set(fingerprint, verdict);
    run.flush(true);
  });
  run.requests.whatIf += asked;
  run.message = null;
  if (signal.aborted) return;
  run.emitProgress();
  const answered = rows.filter((r) => run.whatIfs.get(r.fingerprint)?.whatIf).length;
  deps.log?.debug({ rows: rows.length, asked, answered }, 'scan: what-if of the top rows');
}
