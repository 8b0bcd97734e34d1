// Order-flow crash trials: the headless app (a child process) trades spreads against a paper exchange that outlives
// it and is SIGKILLed at a chosen point of the order path; after each restart and reconciliation the journal must
// agree with the exchange. Long (~480 lines) because the kill triggers, the per-ticket classification and the
// invariant check share one exchange tap and one trial loop; split them and each needs the others' state.
//
// A trial is one SIGKILL. Its kill point is drawn from the seed and fired by the event it names, seen at the exchange
// (which runs in this process) or on the journal file — never by a fixed sleep:
//   connect      — the app's startApi arrives (a restart killed while connecting);
//   reconcile    — the app's reqExecutions arrives (a restart killed while reconciling);
//   submit       — the app's first request of a new submit (leg contracts / quotes), or a few ms after order.submit;
//   intent       — the journal's WAL changes after order.submit (the intent write);
//   placed       — a new order id's placeOrder arrives (after the intent, before or as the app records the send);
//   mid-walk     — a walk step's placeOrder (a modify of a working order) arrives;
//   fill         — the exchange books an execution of ours (before or as execDetails reaches the app).
// A kill lands 0–60 ms after its event (drawn from the seed), or after 5–15 s if the event never came (`fired` counts
// the kills that came on their event). After each kill
// the journal is read (read-only) and every ticket of that life is classified by where the kill found it: before
// the intent, after the intent but unsent, sent and working, mid-walk, between a fill and its journal write, or
// filled and journaled. Each kill point is also a real place: the app is started once per trial (the built bundle,
// no rebuild), one exchange serves the whole batch.
//
// After every restart: the interrupted tickets are submitted again under the same ticketId (a client retrying),
// working orders are cancelled through the app, and then:
//   - every execution the exchange made for the app's client id is in the journal, exactly once (and nothing else);
//   - no order sent twice: one exchange order id per journal ticket and per client ticketId (modifies reuse it);
//   - no order id reused: one ticket per exchange order id, across every restart;
//   - every order at the exchange has its ticket in the journal (the intent is durable before the send);
//   - PRAGMA integrity_check is ok.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, watch } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { SpreadKind, Ticket } from '../../src/core/contract';
import { seededRandom } from '../../src/core/options/rng';
import { PaperExchange } from '../../src/main/paper/exchange';
import type { ExecRec } from '../../src/main/paper/ledger';
import { JOURNAL_FILE } from '../../src/main/services/journal';
import { openSqlite } from '../../src/main/services/sqlite';
import { localTarget, newBroker } from '../support/broker';
import { HEADLESS_ENTRY, ROOT } from '../support/headless';
import { connectClient } from '../support/paper';

const CLIENT_ID = 7;
export const KILL_POINTS = ['connect', 'reconcile', 'submit', 'intent', 'placed', 'mid-walk', 'fill'] as const;
export type KillPoint = (typeof KILL_POINTS)[number];
/** Relative weights: order-path points more often than restarts; mid-walk waits for a 1 s walk step, so it is rarer. */
const WEIGHTS: Record<KillPoint, number> = { connect: 1, reconcile: 2, submit: 2, intent: 2, placed: 2, 'mid-walk': 1.5, fill: 2.5 };
/** Where a kill found a ticket of the killed life (read from the journal and the exchange after the kill). */
export type TicketState = 'before-intent' | 'intent-unsent' | 'working' | 'mid-walk' | 'fill-unjournaled' | 'filled-journaled';
/** Where a kill found a restart. */
export type StartState = 'before-connect' | 'connected' | 'reconciling' | 'reconciled';

export interface TrialTotals {
  trials: number;
  seed: number;
  /** Trials per aimed kill point, and how many of them fired on their event (the rest after the 4 s fallback). */
  aimed: Record<KillPoint, number>;
  fired: Record<KillPoint, number>;
  /** Tickets of killed lives by where the kill found them; restarts by where the kill found them. */
  ticketStates: Record<TicketState, number>;
  startStates: Record<StartState, number>;
  submits: number;
  resubmits: number;
  /** Resubmits answered with the earlier order (duplicate) or refused with a sentence, never a second order. */
  resubmitsDuplicate: number;
  resubmitsRefused: number;
  ordersAtExchange: number;
  placements: number;
  executions: number;
  filledOrders: number;
  /** Orders of earlier runs still working at the exchange after the restarted app's order.cancelAll (then cancelled by the operator). */
  leftWorkingAfterCancelAll: number;
  /** Submits the app refused (before the kill), by error code: a refusal is an answer, not a broken invariant. */
  refused: Record<string, number>;
  seconds: number;
  secondsPerTrial: number;
  /** Where the time went (seconds, summed over the run): spawn to serving, serving to reconciled and ACTIVE, resubmits, the check, submit to kill, a killed start. */
  phases: Record<Phase, number>;
}

const PHASES = ['spawn', 'reconcile', 'resubmit', 'check', 'trade', 'killedStart'] as const;
type Phase = (typeof PHASES)[number];

interface Placement {
  clientId: number | null;
  orderId: number;
  orderRef: string;
}

interface Answer {
  ok: boolean;
  value?: unknown;
  error?: { code: string; message: string };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until<T>(what: string, get: () => Promise<T | null | undefined | false> | T | null | undefined | false, timeoutMs = 60_000, everyMs = 20): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await get();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** One life of the headless app: the child from its first instant (a kill may land before it serves), its contract socket once it does. */
class AppLife {
  readonly child: ChildProcess;
  readonly exited: Promise<void>;
  readonly startedAt = Date.now();
  private ws: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, (a: Answer | null) => void>();
  private out = '';

  constructor(dataDir: string, extraArgs: string[] = []) {
    this.child = spawn(process.execPath, [HEADLESS_ENTRY, '--port', '0', '--no-open', '--data-dir', dataDir, ...extraArgs], { cwd: ROOT, env: { ...process.env, CI: 'true' }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout?.on('data', (d: Buffer) => (this.out += d.toString()));
    this.child.stderr?.on('data', (d: Buffer) => (this.out += d.toString()));
    this.exited = new Promise((r) => this.child.once('exit', () => r()));
    void this.exited.then(() => this.dropSocket());
  }

  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Resolves once the app serves its contract (true), or false when it exited first. */
  async ready(): Promise<boolean> {
    const url = await until('the app to print its URL', () => (!this.alive ? 'gone' : /serving the UI at (http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]+)/.exec(this.out)?.[1]), 30_000, 10).catch((e: unknown) => {
      throw new Error(`${String(e)}:\n${this.out}`);
    });
    if (url === 'gone') return false;
    const u = new URL(url);
    const ws = new WebSocket(`ws://127.0.0.1:${u.port}/ws?token=${encodeURIComponent(u.searchParams.get('token') ?? '')}`);
    this.ws = ws;
    ws.on('message', (d) => {
      const f = JSON.parse(String(d)) as { type: string; id?: number; result?: Answer };
      if (f.type !== 'result' || f.id === undefined) return;
      this.pending.get(f.id)?.(f.result ?? null);
      this.pending.delete(f.id);
    });
    ws.on('close', () => this.dropSocket());
    ws.on('error', () => this.dropSocket());
    return new Promise((r) => {
      ws.once('open', () => r(true));
      ws.once('close', () => r(false));
    });
  }

  /** One contract call; null when the app went away before answering (it was killed). */
  call(method: string, args: unknown = {}): Promise<Answer | null> {
    const ws = this.ws;
    if (!ws || ws.readyState !== WebSocket.OPEN) return Promise.resolve(null);
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      ws.send(JSON.stringify({ type: 'call', id, method, args }));
    });
  }

  async value<T>(method: string, args: unknown = {}): Promise<T> {
    const r = await this.call(method, args);
    if (!r) throw new Error(`${method}: the app went away\n${this.out.slice(-2000)}`);
    if (!r.ok) throw new Error(`${method}: ${r.error?.code} ${r.error?.message}`);
    return r.value as T;
  }

  kill(): Promise<void> {
    if (this.alive) this.child.kill('SIGKILL');
    return this.exited;
  }

  async stop(): Promise<void> {
    if (!this.alive) return;
    const t = setTimeout(() => this.child.kill('SIGKILL'), 5_000);
    this.child.kill('SIGTERM');
    await this.exited;
    clearTimeout(t);
  }

  private dropSocket(): void {
    for (const r of this.pending.values()) r(null);
    this.pending.clear();
    if (this.ws) {
      this.ws.removeAllListeners();
      this.ws.on('error', () => undefined);
      this.ws.terminate();
      this.ws = null;
    }
  }
}

/** What the exchange saw, as the kill triggers read it. */
type ExEvent = { type: 'startApi' } | { type: 'request'; req: { type: string; orderId?: number } } | { type: 'execution'; exec: ExecRec };

const zero = <K extends string>(keys: readonly K[]) => Object.fromEntries(keys.map((k) => [k, 0])) as Record<K, number>;

/** Runs `trials` crash trials; throws on the first broken invariant (with the trial and seed in the message). */
export async function runOrderCrashTrials(opts: { trials: number; seed: number; retry?: boolean; log?: (line: string) => void }): Promise<TrialTotals> {
  const started = Date.now();
  const rnd = seededRandom(opts.seed);
  const totals: TrialTotals = {
    trials: 0, seed: opts.seed, aimed: zero(KILL_POINTS), fired: zero(KILL_POINTS),
    ticketStates: zero(['before-intent', 'intent-unsent', 'working', 'mid-walk', 'fill-unjournaled', 'filled-journaled']),
    startStates: zero(['before-connect', 'connected', 'reconciling', 'reconciled']),
    submits: 0, resubmits: 0, resubmitsDuplicate: 0, resubmitsRefused: 0, ordersAtExchange: 0, placements: 0, executions: 0, filledOrders: 0, leftWorkingAfterCancelAll: 0, refused: {}, seconds: 0, secondsPerTrial: 0, phases: zero(PHASES),
  };
  const timed = async <T>(phase: Phase, fn: () => Promise<T>): Promise<T> => {
    const at = performance.now();
    try {
      return await fn();
    } finally {
      totals.phases[phase] += (performance.now() - at) / 1000;
    }
  };
  // Snapshots answer in 10–80 ms instead of TWS's 1–2 s: a submit without a preview reads its legs by snapshot, and
  // that wait is dead time here (the kill points are events, not delays, so where they land does not change).
  const ex = new PaperExchange({ seed: opts.seed % 1000, publishIntervalMs: 100, snapshotLatencyMs: { min: 10, max: 80 } });
  // The exchange tap: every placement of the run (for the id invariants), and the events a kill trigger waits for.
  const placements: Placement[] = [];
  const placementsOf = new Map<number, number>();
  let trigger: ((e: ExEvent) => void) | null = null;
  /** Request types the app sent in its current life (how far a killed start got). */
  const seenThisLife = new Set<string>();
  const onRequest = ex.onRequest.bind(ex);
  ex.onRequest = (session, req) => {
    if (req.type === 'placeOrder') placements.push({ clientId: session.clientId, orderId: req.orderId, orderRef: req.order.orderRef ?? '' });
    if (session.clientId === CLIENT_ID) seenThisLife.add(req.type);
    if (session.clientId === CLIENT_ID) trigger?.({ type: 'request', req });
    if (req.type === 'placeOrder' && session.clientId === CLIENT_ID) placementsOf.set(req.orderId, (placementsOf.get(req.orderId) ?? 0) + 1);
    onRequest(session, req);
  };
  const onStartApi = ex.onStartApi.bind(ex);
  ex.onStartApi = (session, clientId) => {
    if (clientId === CLIENT_ID) seenThisLife.add('startApi');
    if (clientId === CLIENT_ID) trigger?.({ type: 'startApi' });
    return onStartApi(session, clientId);
  };
  const saveExecution = ex.ledger.saveExecution.bind(ex.ledger);
  ex.ledger.saveExecution = (e) => {
    saveExecution(e);
    if (e.clientId === CLIENT_ID) trigger?.({ type: 'execution', exec: e });
  };
  const { port } = await ex.listen();
  const dataDir = mkdtempSync(join(tmpdir(), 'spreaddesk-crash-'));
  const journalFile = join(dataDir, JOURNAL_FILE);
  let life: AppLife | null = null;
  const probe = newBroker();
  const readJournal = <T>(fn: (db: ReturnType<typeof openSqlite>) => T): T => {
    const db = openSqlite(journalFile, { readonly: true });
    try {
      return fn(db);
    } finally {
      db.close();
    }
  };
  const clientTicketOf = (db: ReturnType<typeof openSqlite>, clientTicketId: string) =>
    db.prepare("SELECT id FROM tickets WHERE json_valid(preview) AND json_extract(preview, '$.clientTicketId') = ?").pluck().get(clientTicketId) as string | undefined;
  const ordersOfRef = (ref: string) => [...ex.ledger.orders.values()].filter((o) => o.clientId === CLIENT_ID && o.order.orderRef === ref);
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
    life = new AppLife(dataDir, ['--no-connect']);
    if (!(await life.ready())) throw new Error('the app did not start');
    await life.value('settings.update', { patch: { activeProfile: 'tws-paper', profiles: [{ id: 'tws-paper', host: '127.0.0.1', port, clientId: CLIENT_ID }] } });
    await life.value('risk.update', {
      limits: {
        maxLossPerTradeUsd: null, maxLossPerTradePctOfNetLiq: null, maxContractsPerOrder: null, maxOpenSpreads: null, maxExposurePerUnderlyingUsd: null,
        minBuyingPowerAfterUsd: null, zeroDteCutoff: null, minLegBidUsd: null, maxLegSpreadPctOfMid: null, minOpenInterest: null, minVolume: null,
        maxTicksBeyondNatural: null, duplicateWindowSec: null, maxQuoteAgeSec: null, requireRegularSession: false, dailyLossLimitUsd: null, maxConsecutiveRejects: null,
      },
    });
    await life.stop();
    life = null;

    const kinds: SpreadKind[] = ['bull-call', 'bear-put', 'bull-put', 'bear-call'];
    /** A vertical on random strikes: marketable (fills at the natural at once) or walking from mid in 1 s steps. */
    const ticket = (shape: 'marketable' | 'walk' | 'slow-walk'): Ticket => {
      const kind = kinds[Math.floor(rnd() * 4)] as SpreadKind;
      const i = 2 + Math.floor(rnd() * (strikes.length - 4));
      const width = 1 + Math.floor(rnd() * 2);
      const lo = strikes[Math.max(0, i - width)] as number;
      const hi = strikes[Math.min(strikes.length - 1, i + width)] as number;
      const bull = kind === 'bull-call' || kind === 'bull-put';
      const credit = kind === 'bull-put' || kind === 'bear-call';
      const legs = { symbol: 'SPY', expiry, kind, longStrike: bull ? lo : hi, shortStrike: bull ? hi : lo, quantity: 1 + Math.floor(rnd() * 2) };
      // Marketable: a debit at 95 % of the width (a debit at the width has no profit and is denied), a credit of one cent.
      if (shape === 'marketable') return { ...legs, limit: credit ? { amount: 0.01, kind: 'credit' } : { amount: Math.round((hi - lo) * 95) / 100, kind: 'debit' }, pricing: { mode: 'fixed' } };
      // A slow walk (small steps, several of them) is still working at its first step, where mid-walk kills aim.
      const slow = shape === 'slow-walk';
      return {
        ...legs,
        limit: { amount: 0, kind: credit ? 'credit' : 'debit' },
        pricing: { mode: 'walk', start: 'mid', stepTicks: slow ? 1 : 2 + Math.floor(rnd() * 19), intervalSec: 1, capPct: 100, maxSteps: slow ? 3 + Math.floor(rnd() * 3) : 2 + Math.floor(rnd() * 4), endAction: rnd() < 0.5 ? 'leave' : 'cancel' },
      };
    };

    /**
     * Arms the kill of `l` on the first event `matches` accepts (plus `jitterMs`), or after `fallbackMs`; resolves
     * with whether the event fired once the app is gone. The exchange state at the kill is snapshotted for the
     * classification (which fills existed when the app died).
     */
    const killOn = (l: AppLife, matches: (e: ExEvent) => boolean, jitterMs: number, fallbackMs: number, journalWrite = false) => {
      let fired = false;
      let execsAtKill: Set<string> | null = null;
      let timer: NodeJS.Timeout | null = null;
      const fire = (onEvent: boolean) => {
        if (timer || !l.alive) return;
        fired = onEvent;
        trigger = null;
        const now = () => {
          execsAtKill = new Set(ex.ledger.executions.filter((e) => e.clientId === CLIENT_ID).map((e) => e.execId));
          void l.kill();
        };
        if (jitterMs <= 0) now();
        else timer = setTimeout(now, jitterMs);
      };
      trigger = (e) => matches(e) && fire(true);
      // The intent point watches the journal's WAL: its first write after the submit is the intent (the app writes
      // nothing else to the journal while it has no order working; other writes are classified as what they were).
      let watcher: ReturnType<typeof watch> | null = null;
      try {
        if (journalWrite) watcher = watch(`${journalFile}-wal`, () => fire(true));
      } catch {
        // No WAL file yet (nothing written since the last checkpoint): the fallback kills.
      }
      const fallback = setTimeout(() => fire(false), fallbackMs);
      return {
        done: l.exited.then(() => {
          clearTimeout(fallback);
          if (timer) clearTimeout(timer);
          watcher?.close();
          if (trigger) trigger = null;
          return { fired, execsAtKill: execsAtKill ?? new Set(ex.ledger.executions.filter((e) => e.clientId === CLIENT_ID).map((e) => e.execId)) };
        }),
        fireNow: () => fire(true),
      };
    };

    /** Starts the app and waits until it has connected and reconciled and trading is ACTIVE. */
    const startReconciled = async (): Promise<AppLife> => {
      const l = new AppLife(dataDir);
      const ok = await timed('spawn', () => l.ready()).catch(async (e: unknown) => {
        await l.kill();
        throw e;
      });
      if (!ok) throw new Error('the app exited while starting');
      let last = '';
      await timed('reconcile', () => until('connected, reconciled and ACTIVE', async () => {
        const [t, j] = await Promise.all([l.value<{ state: string; code: string }>('trading.get'), l.value<{ lastReconciliation: { at: number; summary: string } | null }>('journal.status')]);
        last = `trading ${t.state} (${t.code}), last reconciliation: ${j.lastReconciliation?.summary ?? 'none'}`;
        return t.state === 'ACTIVE' && (j.lastReconciliation?.at ?? 0) >= l.startedAt;
      }, 60_000, 10).catch(async (e: unknown) => {
        await l.kill(); // not yet the run's `life`: nothing else would stop it
        throw new Error(`${String(e)}; ${last}; data directory ${dataDir}`);
      }));
      return l;
    };

    const check = async (l: AppLife, trial: number): Promise<void> => {
      const where = `trial ${trial} (seed ${opts.seed})`;
      // Quiet the exchange: cancel what still works, then wait until nothing of ours is working there.
      await l.value('order.cancelAll');
      const working = () => [...ex.ledger.orders.values()].filter((o) => o.clientId === CLIENT_ID && !['Filled', 'Cancelled', 'ApiCancelled', 'Inactive'].includes(o.status));
      // Orders an earlier run left working that the app's cancelAll missed are counted, then cancelled at the
      // exchange as an operator would (reqGlobalCancel).
      const quiet = await until('quiet', () => working().length === 0, 3_000, 10).catch(() => false);
      if (!quiet) {
        totals.leftWorkingAfterCancelAll += working().length;
        const operator = await connectClient(port, 98, { timeoutMs: 30_000 });
        operator.ib.reqGlobalCancel();
        await until(`${where}: no working order at the exchange`, () => working().length === 0, 30_000).finally(() => operator.close());
      }
      const exchangeExecs = new Set(ex.ledger.executions.filter((e) => e.clientId === CLIENT_ID).map((e) => e.execId));
      const journalExecs = () => readJournal((db) => db.prepare("SELECT exec_id FROM executions WHERE client_id = ? AND exec_id NOT LIKE 'sd-%'").pluck().all(CLIENT_ID) as string[]);
      // Live execDetails may still be on their way into the journal: wait for the sets to meet, then compare exactly.
      await until(`${where}: every exchange execution in the journal`, () => {
        const j = new Set(journalExecs());
        return [...exchangeExecs].every((id) => j.has(id));
      }, 30_000).catch((e: unknown) => {
        const j = new Set(journalExecs());
        throw new Error(`${where}: missing from the journal: ${[...exchangeExecs].filter((id) => !j.has(id)).join(', ')} (${String(e)})`);
      });
      const rows = journalExecs();
      const extra = rows.filter((id) => !exchangeExecs.has(id));
      if (extra.length) throw new Error(`${where}: journal executions the exchange never made: ${extra.join(', ')}`);
      if (new Set(rows).size !== rows.length) throw new Error(`${where}: an execution is in the journal twice: ${rows.filter((id, k) => rows.indexOf(id) !== k).join(', ')}`);

      readJournal((db) => {
        const integrity = db.pragma('integrity_check', { simple: true });
        if (integrity !== 'ok') throw new Error(`${where}: integrity_check says ${String(integrity)}`);
        const tickets = new Set(db.prepare('SELECT id FROM tickets').pluck().all() as string[]);
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
      });
    };

    /** Where the kill found each ticket of the killed life. */
    const classify = (mine: Array<{ ticketId: string; ticket: Ticket }>, execsAtKill: Set<string>): void => {
      readJournal((db) => {
        const journaled = new Set(db.prepare('SELECT exec_id FROM executions WHERE client_id = ?').pluck().all(CLIENT_ID) as string[]);
        for (const m of mine) {
          const ref = clientTicketOf(db, m.ticketId);
          const [order] = ref ? ordersOfRef(ref) : [];
          const madeBeforeKill = order ? ex.ledger.executions.filter((e) => e.orderId === order.orderId && e.clientId === CLIENT_ID && execsAtKill.has(e.execId)) : [];
          const state: TicketState = !ref ? 'before-intent'
            : !order ? 'intent-unsent'
            : madeBeforeKill.some((e) => !journaled.has(e.execId)) ? 'fill-unjournaled'
            : madeBeforeKill.length > 0 ? 'filled-journaled'
            : m.ticket.pricing?.mode === 'walk' && (placementsOf.get(order.orderId) ?? 0) > 1 ? 'mid-walk'
            : 'working';
          totals.ticketStates[state]++;
        }
      });
    };

    let retry: Array<{ ticketId: string; ticket: Ticket }> = [];
    const retryAfterRestart = async (l: AppLife, trial: number): Promise<void> => {
      // A client retrying the tickets the last kill interrupted, all at once: the same ticketId never becomes a second order.
      const answers = await Promise.all(retry.map((r) => l.call('order.submit', r).then((res) => ({ r, res }))));
      for (const { r, res } of answers) {
        if (!res || (!res.ok && !res.error?.message)) throw new Error(`trial ${trial}: a resubmit failed without a sentence`);
        totals.resubmits++;
        if (res.ok && (res.value as { duplicate: boolean }).duplicate) totals.resubmitsDuplicate++;
        if (!res.ok && res.error?.code === 'CONFLICT') totals.resubmitsRefused++;
        // An answer naming an order must name the one the exchange holds for this ticket (if it holds one).
        const ref = readJournal((db) => clientTicketOf(db, r.ticketId));
        const [held] = ref ? ordersOfRef(ref) : [];
        const named = res.ok ? (res.value as { orderId: number }).orderId : null;
        if (held && named !== null && named !== held.orderId) throw new Error(`trial ${trial}: ticket ${r.ticketId} resubmitted answered order ${named}, but the exchange holds ${held.orderId}`);
      }
      retry = [];
    };

    let killed = 0;
    let trial = 0;
    let logged = 0;
    const progress = () => {
      // The running totals after a check (a long run stopped early still says what it reached, every check held).
      if (!opts.log || Math.floor(killed / 25) === Math.floor(logged / 25)) return;
      logged = killed;
      opts.log(`[order crash] ${killed} trials in ${Math.round((Date.now() - started) / 1000)} s, all checked: ${JSON.stringify({ ...totals, seconds: Math.round((Date.now() - started) / 1000) })}`);
    };
    const jitter = () => (rnd() < 0.4 ? 0 : Math.floor(rnd() * 60));
    /** One order-path trial: the live app trades 1–3 tickets and dies at `point`. */
    const tradeAndKill = async (l: AppLife, point: KillPoint): Promise<void> => {
      const n = 1 + Math.floor(rnd() * 3);
      const first = point === 'fill' ? 'marketable' : point === 'mid-walk' ? 'slow-walk' : rnd() < 0.4 ? 'marketable' : 'walk';
      const mine = Array.from({ length: n }, (_, k) => ({ ticketId: `crash-${opts.seed}-${trial}-${k}`, ticket: ticket(k === 0 ? first : rnd() < 0.4 ? 'marketable' : 'walk') }));
      const modifyAt = 1 + Math.floor(rnd() * 2);
      const matches = (e: ExEvent): boolean => {
        if (point === 'fill') return e.type === 'execution';
        if (e.type !== 'request') return false;
        const id = e.req.orderId ?? -1;
        if (point === 'submit') return ['reqContractDetails', 'reqMktData'].includes(e.req.type);
        // placementsOf counts the placements before this one: none for a new order, one per earlier price for a step.
        if (point === 'placed') return e.req.type === 'placeOrder' && !placementsOf.has(id);
        if (point === 'mid-walk') return e.req.type === 'placeOrder' && (placementsOf.get(id) ?? 0) >= modifyAt;
        return false;
      };
      const j = jitter();
      const k = killOn(l, matches, point === 'submit' || point === 'intent' ? Math.min(j, 10) : j, point === 'mid-walk' ? 8_000 : 5_000, point === 'intent');
      // The submit point without its requests (legs already known): a few ms after the call left.
      if (point === 'submit') setTimeout(() => k.fireNow(), Math.floor(rnd() * 15));
      const submits = mine.map((m, i) => (i === 0 ? Promise.resolve() : sleep(Math.floor(rnd() * 120))).then(() => l.call('order.submit', m)));
      totals.submits += n;
      const r = await timed('trade', () => k.done);
      for (const a of await Promise.all(submits)) if (a && !a.ok) totals.refused[a.error?.code ?? '?'] = (totals.refused[a.error?.code ?? '?'] ?? 0) + 1;
      if (r.fired) totals.fired[point]++;
      classify(mine, r.execsAtKill);
      retry = opts.retry === false ? [] : mine;
    };
    /** One restart trial: the app starting after a kill dies while connecting or reconciling (what the kill left is there to reconcile). */
    const startAndKill = async (point: 'connect' | 'reconcile'): Promise<void> => {
      seenThisLife.clear();
      const l = new AppLife(dataDir);
      life = l;
      // Connect kills land at once (the app sends its reconcile requests within a millisecond of connecting).
      const k = killOn(l, (e) => (point === 'connect' ? e.type === 'startApi' : e.type === 'request' && e.req.type === 'reqExecutions'), point === 'connect' ? 0 : jitter(), 15_000);
      const r = await timed('killedStart', () => k.done);
      if (r.fired) totals.fired[point]++;
      const reconciled = readJournal((db) => (db.prepare('SELECT count(*) FROM reconciliations WHERE at >= ?').pluck().get(l.startedAt) as number) > 0);
      totals.startStates[reconciled ? 'reconciled' : seenThisLife.has('reqExecutions') ? 'reconciling' : seenThisLife.has('startApi') ? 'connected' : 'before-connect']++;
    };
    const countKill = (point: KillPoint) => {
      totals.aimed[point]++;
      killed++;
      totals.trials = killed;
      trial = killed;
    };

    life = await startReconciled();
    await check(life, 0);
    // Each round: an order-path kill, then (drawn by weight) restarts killed while connecting or reconciling, then
    // a restart that reconciles, the resubmits and the check. Every kill is one trial.
    const orderPoints = KILL_POINTS.filter((p) => p !== 'connect' && p !== 'reconcile');
    const orderWeight = orderPoints.reduce((s, p) => s + WEIGHTS[p], 0);
    const startWeight = WEIGHTS.connect + WEIGHTS.reconcile;
    while (killed < opts.trials) {
      trial = killed + 1;
      let x = rnd() * orderWeight;
      const point = orderPoints.find((p) => (x -= WEIGHTS[p]) < 0) ?? 'fill';
      await tradeAndKill(life, point);
      life = null;
      countKill(point);
      // A start kill follows with the odds that give the start points their share of all kills.
      while (killed < opts.trials && rnd() < startWeight / (startWeight + orderWeight)) {
        const sp = rnd() * startWeight < WEIGHTS.connect ? 'connect' : 'reconcile';
        trial = killed + 1;
        await startAndKill(sp);
        life = null;
        countKill(sp);
      }
      seenThisLife.clear();
      life = await startReconciled();
      const l = life;
      await timed('resubmit', () => retryAfterRestart(l, trial));
      await timed('check', () => check(l, trial));
      progress();
    }
    await life.stop();
    life = null;
  } finally {
    trigger = null;
    if (life) await life.kill();
    await probe.close().catch(() => undefined);
    await ex.close();
  }
  totals.seconds = Math.round((Date.now() - started) / 100) / 10;
  totals.secondsPerTrial = totals.trials ? Math.round((totals.seconds / totals.trials) * 100) / 100 : 0;
  for (const p of PHASES) totals.phases[p] = Math.round(totals.phases[p] * 10) / 10;
  return totals;
}
