// Order-flow crash trials: the headless app (a child process) trades spreads with walking limits against a paper
// exchange that outlives it, and is SIGKILLed at random points; after each restart and reconciliation the journal
// must agree with the exchange.
//
// One trial: start the app on the same data directory (its start is the previous trial's restart), wait until it
// has reconciled, check the invariants, submit 1–2 spreads through `order.submit` (walk pricing) — and SIGKILL it
// at a random moment from 0 to 4 s after the first submit left the test (before the intent, between intent and
// send, mid-walk, between a fill and its journal write). One start in six is killed during connect/reconcile instead.
// Each killed ticket is submitted again after the restart under the same ticketId (a client retrying), which must
// not send a second order. Invariants, checked after every restart and at the end:
//   - every execution the exchange made for the app's client id is in the journal, exactly once (and nothing else);
//   - no order sent twice: one exchange order id per ticket (its modifies reuse it);
//   - no order id reused: one ticket per exchange order id, across every restart;
//   - every order at the exchange has its ticket in the journal (the intent is durable before the send);
//   - PRAGMA integrity_check is ok.
// Before checking, working orders are cancelled through the app (`order.cancelAll`), so the exchange is quiet.
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SpreadKind, Ticket } from '../../src/core/contract';
import { seededRandom } from '../../src/core/options/rng';
import { PaperExchange } from '../../src/main/paper/exchange';
import { JOURNAL_FILE } from '../../src/main/services/journal';
import { openSqlite } from '../../src/main/services/sqlite';
import { localTarget, newBroker } from '../support/broker';
import { connectClient } from '../support/paper';
import WebSocket from 'ws';
import { startHeadless, type HeadlessApp } from '../support/headless';

const CLIENT_ID = 7;

export interface TrialTotals {
  trials: number;
  killsDuringStart: number;
  submits: number;
  resubmits: number;
  ordersAtExchange: number;
  placements: number;
  executions: number;
  filledOrders: number;
  /** Orders of earlier runs still working at the exchange after the restarted app's order.cancelAll (then cancelled by the operator). */
  leftWorkingAfterCancelAll: number;
  seed: number;
  seconds: number;
}

interface Placement {
  clientId: number | null;
  orderId: number;
  orderRef: string;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, get: () => Promise<T | null | undefined | false>, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(100);
  }
}

interface Answer {
  ok: boolean;
  value?: unknown;
  error?: { code: string; message: string };
}

/** One contract call on a fresh socket; null when the app went away before answering (it was killed). */
function call(app: HeadlessApp, method: string, args: unknown = {}): Promise<Answer | null> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${app.port}/ws?token=${encodeURIComponent(app.token)}`);
    const done = (a: Answer | null) => {
      resolve(a);
      ws.removeAllListeners();
      ws.on('error', () => undefined);
      ws.terminate();
    };
    ws.once('open', () => ws.send(JSON.stringify({ type: 'call', id: 1, method, args })));
    ws.on('message', (d) => {
      const f = JSON.parse(String(d)) as { type: string; id?: number; result?: Answer };
      if (f.type === 'result' && f.id === 1 && f.result) done(f.result);
    });
    ws.once('close', () => done(null));
    ws.once('error', () => done(null));
  });
}

async function value<T>(app: HeadlessApp, method: string, args: unknown = {}): Promise<T> {
  const r = await call(app, method, args);
  if (!r) throw new Error(`${method}: the app went away`);
  if (!r.ok) throw new Error(`${method}: ${r.error?.code} ${r.error?.message}`);
  return r.value as T;
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((r) => {
    child.once('exit', () => r());
    child.kill('SIGKILL');
  });
}

/** Runs `trials` crash trials; throws on the first broken invariant (with the trial and seed in the message). */
export async function runOrderCrashTrials(opts: { trials: number; seed: number; retry?: boolean; log?: (line: string) => void }): Promise<TrialTotals> {
  const started = Date.now();
  const rnd = seededRandom(opts.seed);
  const totals: TrialTotals = { trials: 0, killsDuringStart: 0, submits: 0, resubmits: 0, ordersAtExchange: 0, placements: 0, executions: 0, filledOrders: 0, leftWorkingAfterCancelAll: 0, seed: opts.seed, seconds: 0 };
  const ex = new PaperExchange({ seed: opts.seed % 1000, publishIntervalMs: 100 });
  const placements: Placement[] = [];
  const onRequest = ex.onRequest.bind(ex);
  ex.onRequest = (session, req) => {
    if (req.type === 'placeOrder') placements.push({ clientId: session.clientId, orderId: req.orderId, orderRef: req.order.orderRef ?? '' });
    onRequest(session, req);
  };
  const { port } = await ex.listen();
  const dataDir = mkdtempSync(join(tmpdir(), 'spreaddesk-crash-'));
  let app: HeadlessApp | null = null;
  const probe = newBroker();
  try {
    // The chain to trade, read once by a separate client.
    await probe.connect(localTarget(port, 99));
    const [und] = await probe.qualify({ secType: 'STK', symbol: 'SPY' });
    const spot = (await probe.snapshotQuote({ conId: und?.conId ?? 0 }, { priority: 'quote' })).last ?? 500;
    const [chain] = await probe.optionChainParams({ symbol: 'SPY', secType: 'STK', conId: und?.conId ?? 0 });
    const expiry = chain?.expirations[4] ?? '';
    const strikes = (await probe.optionContracts({ symbol: 'SPY', expiry, right: 'C' }))
      .map((c) => c.strike ?? 0)
      .filter((k) => Math.abs(k - spot) < spot * 0.04)
      .sort((a, b) => a - b);
    await probe.close();
    if (strikes.length < 8) throw new Error(`too few strikes near ${spot}`);

    // Point the app at this exchange (a TWS-style profile, so the app does not start its own) with permissive limits.
    app = await startHeadless({ dataDir, extraArgs: ['--no-connect'] });
    await value(app, 'settings.update', { patch: { activeProfile: 'tws-paper', profiles: [{ id: 'tws-paper', host: '127.0.0.1', port, clientId: CLIENT_ID }] } });
    await value(app, 'risk.update', {
      limits: {
        maxLossPerTradeUsd: null, maxLossPerTradePctOfNetLiq: null, maxContractsPerOrder: null, maxOpenSpreads: null, maxExposurePerUnderlyingUsd: null,
        minBuyingPowerAfterUsd: null, zeroDteCutoff: null, minLegBidUsd: null, maxLegSpreadPctOfMid: null, minOpenInterest: null, minVolume: null,
        maxTicksBeyondNatural: null, duplicateWindowSec: null, maxQuoteAgeSec: null, requireRegularSession: false, dailyLossLimitUsd: null, maxConsecutiveRejects: null,
      },
    });
    await app.stop();
    app = null;

    const ticket = (kind: SpreadKind): Ticket => {
      const i = 2 + Math.floor(rnd() * (strikes.length - 4));
      const width = 1 + Math.floor(rnd() * 2);
      const lo = strikes[Math.max(0, i - width)] as number;
      const hi = strikes[Math.min(strikes.length - 1, i + width)] as number;
      const bull = kind === 'bull-call' || kind === 'bull-put';
      const credit = kind === 'bull-put' || kind === 'bear-call';
      const legs = { symbol: 'SPY', expiry, kind, longStrike: bull ? lo : hi, shortStrike: bull ? hi : lo, quantity: 1 + Math.floor(rnd() * 2) };
      // Two in five are marketable at once (a debit at the strike width, a credit of one cent: they fill at the
      // natural), so kills land between a fill and its journal write; the rest walk from mid in big steps.
      if (rnd() < 0.4) return { ...legs, limit: credit ? { amount: 0.01, kind: 'credit' } : { amount: Math.round((hi - lo) * 100) / 100, kind: 'debit' }, pricing: { mode: 'fixed' } };
      return {
        ...legs,
        limit: { amount: 0, kind: credit ? 'credit' : 'debit' },
        pricing: { mode: 'walk', start: 'mid', stepTicks: 2 + Math.floor(rnd() * 19), intervalSec: 1, capPct: 100, maxSteps: 2 + Math.floor(rnd() * 4), endAction: rnd() < 0.5 ? 'leave' : 'cancel' },
      };
    };
    const kinds: SpreadKind[] = ['bull-call', 'bear-put', 'bull-put', 'bear-call'];
    let retry: Array<{ ticketId: string; ticket: Ticket }> = [];

    /** Starts the app, waits until it has connected and reconciled and trading is ACTIVE. */
    const startReconciled = async (): Promise<HeadlessApp> => {
      const at = Date.now();
      const a = await startHeadless({ dataDir });
      await until('connected, reconciled and ACTIVE', async () => {
        const [t, j] = await Promise.all([value<{ state: string }>(a, 'trading.get'), value<{ lastReconciliation: { at: number } | null }>(a, 'journal.status')]);
        return t.state === 'ACTIVE' && (j.lastReconciliation?.at ?? 0) >= at;
      });
      return a;
    };

    const check = async (a: HeadlessApp, trial: number): Promise<void> => {
      const where = `trial ${trial} (seed ${opts.seed})`;
      // Quiet the exchange: cancel what still works, then wait until nothing of ours is working there.
      await value(a, 'order.cancelAll');
      const working = () => [...ex.ledger.orders.values()].filter((o) => o.clientId === CLIENT_ID && !['Filled', 'Cancelled', 'ApiCancelled', 'Inactive'].includes(o.status));
      // Orders an earlier run left working that the app's cancelAll missed are counted, then cancelled at the
      // exchange as an operator would (reqGlobalCancel).
      await sleep(300);
      const left = working();
      if (left.length > 0) {
        totals.leftWorkingAfterCancelAll += left.length;
        const operator = await connectClient(port, 98, { timeoutMs: 30_000 });
        operator.ib.reqGlobalCancel();
        await until(`${where}: no working order at the exchange`, async () => working().length === 0, 30_000).finally(() => operator.close());
      }
      const exchangeExecs = new Set(ex.ledger.executions.filter((e) => e.clientId === CLIENT_ID).map((e) => e.execId));
      const journalFile = join(dataDir, JOURNAL_FILE);
      const journalExecs = async () => {
        const db = openSqlite(journalFile, { readonly: true });
        try {
          return new Set((db.prepare("SELECT exec_id FROM executions WHERE client_id = ? AND exec_id NOT LIKE 'sd-%'").all(CLIENT_ID) as { exec_id: string }[]).map((r) => r.exec_id));
        } finally {
          db.close();
        }
      };
      // Live execDetails may still be on their way into the journal: wait for the sets to meet, then compare exactly.
      await until(`${where}: every exchange execution in the journal`, async () => {
        const j = await journalExecs();
        return [...exchangeExecs].every((id) => j.has(id));
      }).catch(async (e: unknown) => {
        const j = await journalExecs();
        throw new Error(`${where}: missing from the journal: ${[...exchangeExecs].filter((id) => !j.has(id)).join(', ')} (${String(e)})`);
      });
      const j = await journalExecs();
      const extra = [...j].filter((id) => !exchangeExecs.has(id));
      if (extra.length) throw new Error(`${where}: journal executions the exchange never made: ${extra.join(', ')}`);

      const db = openSqlite(journalFile, { readonly: true });
      try {
        const integrity = db.pragma('integrity_check', { simple: true });
        if (integrity !== 'ok') throw new Error(`${where}: integrity_check says ${String(integrity)}`);
        const tickets = new Set((db.prepare('SELECT id FROM tickets').all() as { id: string }[]).map((r) => r.id));
        const twice = db.prepare('SELECT exec_id, COUNT(*) AS n FROM spread_executions GROUP BY exec_id HAVING n > 1').all() as { exec_id: string }[];
        if (twice.length) throw new Error(`${where}: executions booked to more than one spread: ${twice.map((r) => r.exec_id).join(', ')}`);
        const mine = placements.filter((p) => p.clientId === CLIENT_ID);
        const idsByRef = new Map<string, Set<number>>();
        const refsById = new Map<number, Set<string>>();
        for (const p of mine) {
          idsByRef.set(p.orderRef, (idsByRef.get(p.orderRef) ?? new Set()).add(p.orderId));
          refsById.set(p.orderId, (refsById.get(p.orderId) ?? new Set()).add(p.orderRef));
        }
        for (const [ref, ids] of idsByRef) if (ids.size > 1) throw new Error(`${where}: ticket ${ref} was sent as ${ids.size} orders (${[...ids].join(', ')})`);
        for (const [id, refs] of refsById) if (refs.size > 1) throw new Error(`${where}: order id ${id} reused for tickets ${[...refs].join(', ')}`);
        for (const ref of idsByRef.keys()) if (!tickets.has(ref)) throw new Error(`${where}: order ${ref} reached the exchange without a journaled ticket`);
        // The client's ticketId (order.submit's idempotency key) is kept in the journal ticket's preview: one order each.
        const clientOf = new Map((db.prepare("SELECT id, json_extract(preview, '$.clientTicketId') AS client FROM tickets").all() as { id: string; client: string | null }[]).map((r) => [r.id, r.client ?? r.id]));
        const ordersByClientTicket = new Map<string, string[]>();
        for (const ref of idsByRef.keys()) {
          const c = clientOf.get(ref) ?? ref;
          ordersByClientTicket.set(c, [...(ordersByClientTicket.get(c) ?? []), `${ref}#${[...(idsByRef.get(ref) ?? [])].join('/')}`]);
        }
        for (const [c, refs] of ordersByClientTicket) if (refs.length > 1) throw new Error(`${where}: order.submit ticketId ${c} reached the exchange as ${refs.length} orders (${refs.join(', ')})`);
        totals.ordersAtExchange = idsByRef.size;
        totals.placements = mine.length;
        totals.executions = exchangeExecs.size;
        totals.filledOrders = [...ex.ledger.orders.values()].filter((o) => o.clientId === CLIENT_ID && o.status === 'Filled').length;
      } finally {
        db.close();
      }
    };

    for (let trial = 0; trial < opts.trials; trial++) {
      // Sometimes the kill lands while the app connects and reconciles.
      if (rnd() < 1 / 6) {
        const a = await startHeadless({ dataDir });
        await sleep(rnd() * 1_500);
        await kill(a.child);
        totals.killsDuringStart++;
      }
      app = await startReconciled();
      // A client retrying the tickets the last kill interrupted: the same ticketId never becomes a second order.
      for (const r of retry) {
        const res = await call(app, 'order.submit', r);
        if (!res || (!res.ok && !res.error?.message)) throw new Error(`trial ${trial}: a resubmit failed without a sentence`);
        totals.resubmits++;
      }
      await check(app, trial);
      const n = 1 + Math.floor(rnd() * 2);
      const mine = Array.from({ length: n }, (_, k) => ({ ticketId: `crash-${opts.seed}-${trial}-${k}`, ticket: ticket(kinds[Math.floor(rnd() * 4)] as SpreadKind) }));
      const a = app;
      const killAfter = rnd() * 4_000;
      const submits = mine.map((m, k) => sleep(k * rnd() * 400).then(() => call(a, 'order.submit', m)));
      totals.submits += n;
      await sleep(killAfter);
      await kill(a.child);
      await Promise.all(submits);
      retry = opts.retry === false ? [] : mine;
      app = null;
      totals.trials++;
      if (opts.log && (trial + 1) % 10 === 0) opts.log(`[order crash] ${trial + 1} trials, ${totals.ordersAtExchange} orders and ${totals.executions} executions at the exchange so far`);
    }
    // The last restart: reconcile and check once more, then a clean stop.
    app = await startReconciled();
    await check(app, opts.trials);
    await app.stop();
    app = null;
  } finally {
    if (app) await kill(app.child);
    await probe.close().catch(() => undefined);
    await ex.close();
  }
  totals.seconds = Math.round((Date.now() - started) / 100) / 10;
  return totals;
}
