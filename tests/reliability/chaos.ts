// Disconnect chaos: seeded episodes of one broker fault each, injected into the paper exchange while the app scans and walks orders.
//
// The whole app runs in process (createServices: broker over a real socket with real @stoqey/ib, trading gate, risk,
// execution, journal on a SQLite file, scanner) against a paper exchange it starts itself; the harness reaches into
// that exchange to inject the faults (src/main/paper/exchange.ts, "faults"). Each episode: start a walking order and/or
// a scan, wait a seeded moment, inject one seeded fault, wait for the app to notice, reconnect and reconcile, then check
// the invariants below. Episodes share the app, so state a fault corrupts shows up in every later check too.
// Length (~440 lines): an episode is one sequence (arrange, inject, notice, recover, check) that reads best in order.
//
// Invariants per episode (violations are collected, never thrown mid-run, so a long run reports all of them):
//   - at the moment the app notices (connection.status leaves 'connected' or reports linkLost), trading is HALTED
//     (the gate runs inside the same event dispatch); detect→HALTED is measured, the issue's bound is 1 s;
//   - trading comes back ACTIVE only through a reconnect and a clean reconciliation;
//   - the walking order ends as policy says (filled, or cancelled by its end action) and the app's status and filled
//     quantity equal the exchange's; every execution the exchange made for this client — including those made
//     while the app was disconnected — is in the journal (recovered by reqExecutions on reconnect);
//   - no ticket reached the exchange as two orders, no order id was used twice, every exchange order is one the app
//     submitted (nothing was sent while HALTED behind the app's back);
//   - market-data lines held by the app equal the exchange's count for this client (subscriptions restored);
//   - a scan running through the fault ends (complete, or failed/stopped with a message), never hangs.
import { mkdtempSync, appendFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { ConnectionStatus, OrderRow, ScanProgress, SpreadKind, Ticket, TradingStatus } from '../../src/core/contract';
import { toNewYork } from '../../src/core/market';
import type { PaperExchangeHandle } from '../../src/main/paper';
import { createServices } from '../../src/main/services/app';
import { silentLogger } from '../../src/main/services/logging';

export const FAULTS = ['drop', 'halfOpen', 'refuse', 'linkLoss1101', 'linkLoss1102', 'clientIdInUse', 'dailyRestart'] as const;
export type FaultKind = (typeof FAULTS)[number];
export type Activity = 'walk' | 'scan' | 'both';

export interface EpisodeResult {
  index: number;
  fault: FaultKind;
  /** The fault's size: seconds refused/held/restarting, ms frozen or link down. */
  size: number;
  activity: Activity;
  /** Injection → the app noticed (ms); null when it never had to (a freeze shorter than the probe). */
  detectMs: number | null;
  /** Noticed → trading HALTED (ms; 0 when the HALT came in the same dispatch). */
  haltMs: number | null;
  /** Injection → trading ACTIVE again (ms). */
  recoverMs: number | null;
  orderId: number | null;
  /** The walking order's end: Filled, Cancelled… (null without a walk). */
  orderEnd: string | null;
  /** Executions of this client the exchange made between the injection and the reconnect (each must be journaled). */
  execsWhileDown: number;
  scanEnd: string | null;
  /** The submit was denied by a risk check (with its sentence), so this episode had no order. */
  denied?: string;
  violations: string[];
}

export interface ChaosReport {
  seed: number;
  episodes: EpisodeResult[];
  violations: string[];
  detectMs: { median: number | null; max: number | null; n: number };
  haltMs: { median: number | null; max: number | null; n: number };
  recoverMs: { median: number | null; max: number | null; n: number };
  byFault: Record<string, number>;
  ordersAtExchange: number;
  executionsAtExchange: number;
  execsWhileDown: number;
  integrity: string;
}

export interface ChaosOptions {
  episodes: number;
  seed: number;
  /** First episode index (a shard of a longer run: episode i is seeded by seed and i alone). */
  from?: number;
  log?: (line: string) => void;
  /** A file each episode's JSON line is appended to (progress of long runs). */
  logFile?: string;
  /** Stop starting episodes after this many wall ms (the report says how many ran). */
  budgetMs?: number;
}

/** mulberry32: a small seeded generator, so episode i does the same thing in every run with the same seed. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

async function until(check: () => boolean, timeoutMs: number, stepMs = 20): Promise<boolean> {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) return false;
    await sleep(stepMs);
  }
  return true;
}

function stats(xs: number[]): { median: number | null; max: number | null; n: number } {
  if (xs.length === 0) return { median: null, max: null, n: 0 };
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)] as number, max: s[s.length - 1] as number, n: s.length };
}

const TERMINAL = new Set(['Filled', 'Cancelled', 'ApiCancelled', 'Inactive', 'Rejected']);
/** How long a step of an episode may take before the step counts as a violation (a hang, not a speed goal). */
const HANG_MS = 90_000;

export async function runChaos(opts: ChaosOptions): Promise<ChaosReport> {
  const log = opts.log ?? (() => undefined);
  const from = opts.from ?? 0;
  const dataDir = mkdtempSync(join(tmpdir(), 'sd-chaos-'));
  const services = await createServices({
    mode: 'headless', dataDir, version: '0.0.0-chaos', logger: silentLogger(), strictContract: true, paperInProcess: true,
    brokerOptions: { orderAckTimeoutMs: 8_000, connectTimeoutMs: 15_000 },
  });
  const call = async <T>(method: string, args: unknown): Promise<T> => {
    const r = await services.dispatcher.dispatch(method as never, args as never, { transport: 'direct' });
    if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
    return r.value as T;
  };
  // The probe as a trader may set it (Settings → connection profile): a frozen TWS is found within 1 s + 2 s.
  await call('settings.update', { patch: { profiles: [{ id: 'local-paper', probeIntervalSec: 1, probeTimeoutSec: 2 }] } });
  const report: ChaosReport = {
    seed: opts.seed, episodes: [], violations: [], detectMs: stats([]), haltMs: stats([]), recoverMs: stats([]), byFault: {},
    ordersAtExchange: 0, executionsAtExchange: 0, execsWhileDown: 0, integrity: 'not checked',
  };
  const submitted = new Map<number, string>(); // orderId → ticketId, across the run
  const scanEnds = new Map<string, ScanProgress>();
  const watch = { armed: false, detectAt: null as number | null, haltAt: null as number | null, haltedAtDetect: null as boolean | null, activeAt: null as number | null, reconnectedAt: null as number | null };
  const off = services.bus.subscribe((name, payload) => {
    const t = performance.now();
    if (name === 'scan.progress') {
      const p = payload as ScanProgress;
      if (p.state === 'complete' || p.state === 'failed' || p.state === 'stopped') scanEnds.set(p.scanId, p);
    }
    if (!watch.armed) return;
    if (name === 'trading.status') {
      const s = payload as TradingStatus;
      if (s.state === 'HALTED' && watch.haltAt === null) watch.haltAt = t;
      if (s.state === 'ACTIVE' && watch.detectAt !== null && watch.activeAt === null) watch.activeAt = t;
    } else if (name === 'connection.status') {
      const c = payload as ConnectionStatus;
      if ((c.state !== 'connected' || c.linkLost === true) && watch.detectAt === null) {
        watch.detectAt = t;
        // The gate subscribed before this listener, so it has already acted on this very status.
        watch.haltedAtDetect = services.trading.status().state === 'HALTED';
      }
      if (c.state === 'connected' && watch.detectAt !== null && watch.reconnectedAt === null) watch.reconnectedAt = simNow();
    }
  });
  // Executions carry the exchange's simulated time, so the "while down" window is read on that clock.
  let simNow = () => Date.now();
  const started = Date.now();
  try {
    await call('connection.connect', {});
    await services.trading.settled();
    if (!(await until(() => services.trading.status().state === 'ACTIVE', HANG_MS))) throw new Error(`trading never opened: ${services.trading.status().reason}`);
    const paper = services.broker.paper() as unknown as PaperExchangeHandle;
    const ex = paper.exchange;
    simNow = () => ex.simNow();
    const clientId = services.broker.status().clientId ?? 1;
    // Liquidity and size guards off: the simulated chain's far strikes are wide; these episodes are about faults.
    await call('risk.update', {
      limits: {
        maxLegSpreadPctOfMid: null, minOpenInterest: null, minLegBidUsd: null, minVolume: null, duplicateWindowSec: null, maxLossPerTradePctOfNetLiq: null, maxLossPerTradeUsd: null,
        maxTicksBeyondNatural: null, maxOpenSpreads: null, maxExposurePerUnderlyingUsd: null, minBuyingPowerAfterUsd: null, dailyLossLimitUsd: null, maxConsecutiveRejects: null, maxQuoteAgeSec: null,
        requireRegularSession: false, zeroDteCutoff: null,
      },
    });
    const b = services.broker.broker;
    const [spy] = await b.qualify({ secType: 'STK', symbol: 'SPY' });
    let expiry = '';
    let strikes: number[] = [];
    let calls: Awaited<ReturnType<typeof b.optionContracts>> = [];
    /** Near-the-money strikes of an expiry a week or so out, picked again as gaps move the market. */
    const pickStrikes = async () => {
      const q = await b.snapshotQuote({ conId: spy!.conId }, { priority: 'quote' });
      const spot = q.last ?? (q.bid !== null && q.ask !== null ? (q.bid + q.ask) / 2 : null);
      if (spot === null) throw new Error('SPY has no price');
      const [chain] = await b.optionChainParams({ symbol: 'SPY', secType: 'STK', conId: spy!.conId });
      expiry = chain!.expirations[5]!;
      calls = await b.optionContracts({ symbol: 'SPY', expiry, right: 'C' });
      // The nine strikes nearest the money (the gaps of earlier episodes move it).
      strikes = calls.map((c) => c.strike ?? 0).sort((x, y) => Math.abs(x - spot) - Math.abs(y - spot)).slice(0, 9).sort((x, y) => x - y);
    };
    await pickStrikes();
    // Two streaming lines held for the whole run (a watchlist): they must be live again after every fault.
    const watched = [spy!, ...calls.filter((c) => c.strike === strikes[Math.floor(strikes.length / 2)])].slice(0, 2);
    const subs = watched.map((c) => b.subscribeQuote({ conId: c.conId, symbol: c.symbol }, { onQuote: () => undefined }));

    const ticketFor = (r: () => number): Ticket => {
      const kinds: SpreadKind[] = ['bull-call', 'bear-put', 'bull-put', 'bear-call'];
      const kind = kinds[Math.floor(r() * 4)] as SpreadKind;
      const i = 4 + Math.floor(r() * 5) - 2;
      const lo = strikes[i - 1] as number;
      const hi = strikes[i + 1] as number;
      const legs = kind === 'bull-call' || kind === 'bull-put' ? { longStrike: lo, shortStrike: hi } : { longStrike: hi, shortStrike: lo };
      return {
        symbol: 'SPY', expiry, kind, ...legs, quantity: 1,
        limit: { amount: 0, kind: kind === 'bull-put' || kind === 'bear-call' ? 'credit' : 'debit' },
        // From mid toward the natural in 1 s steps; the last steps are marketable, so most walks fill — some during a fault.
        pricing: { mode: 'walk', start: 'mid', stepTicks: 1 + Math.floor(r() * 3), intervalSec: 1, capPct: 100, maxSteps: 3 + Math.floor(r() * 5), endAction: r() < 0.5 ? 'cancel' : 'leave' },
      };
    };

    const last = from + opts.episodes;
    for (let index = from; index < last; index++) {
      if (opts.budgetMs !== undefined && Date.now() - started > opts.budgetMs) {
        log(`[chaos] budget of ${opts.budgetMs} ms spent after ${report.episodes.length} episodes`);
        break;
      }
      const r = rng(opts.seed * 1_000_003 + index);
      const fault = FAULTS[Math.floor(r() * FAULTS.length)] as FaultKind;
      const activity: Activity = (['walk', 'scan', 'both'] as const)[Math.floor(r() * 3)] as Activity;
      const ep: EpisodeResult = { index, fault, size: 0, activity, detectMs: null, haltMs: null, recoverMs: null, orderId: null, orderEnd: null, execsWhileDown: 0, scanEnd: null, violations: [] };
      const violate = (m: string) => ep.violations.push(m);
      // Each episode starts from a trading app: connected, reconciled, ACTIVE.
      if (!(await until(() => services.trading.status().state === 'ACTIVE', HANG_MS))) violate(`trading not ACTIVE before the episode: ${services.trading.status().reason}`);

      if (index > from && (index - from) % 5 === 0) await pickStrikes().catch((e: unknown) => violate(`could not read the chain while ACTIVE: ${String(e)}`));
      let scanId: string | null = null;
      if (activity !== 'walk') {
        try {
          scanId = (await call<{ scanId: string }>('scan.start', {
            symbols: ['SPY'], filters: { kinds: [r() < 0.5 ? 'bull-put' : 'bear-call'], dte: { min: 0, max: 10 }, shortDelta: { min: 0.15, max: 0.35 }, width: { min: 1, max: 5 } },
            scoring: { by: 'ror', basis: 'mid' }, top: 20, topPerSymbol: 20,
          })).scanId;
        } catch (e) {
          violate(`scan.start failed while trading was ACTIVE: ${String(e)}`);
        }
      }
      let ticketId: string | null = null;
      let ticket: Ticket | null = null;
      if (activity !== 'scan') {
        ticketId = `chaos-${opts.seed}-${index}`;
        ticket = ticketFor(r);
        try {
          const res = await call<{ orderId: number }>('order.submit', { ticketId, ticket });
          ep.orderId = res.orderId;
          if (submitted.has(res.orderId)) violate(`order id ${res.orderId} was given to two tickets (${submitted.get(res.orderId)} and ${ticketId})`);
          submitted.set(res.orderId, ticketId);
        } catch (e) {
          // A risk denial with its sentence is the app working (e.g. a debit at the width after the market moved).
          if (/Not sent:/.test(String(e))) ep.denied = String(e).replace(/^Error: /, '');
          else violate(`order.submit failed while trading was ACTIVE: ${String(e)}`);
          ticket = null;
        }
      }
      await sleep(Math.floor(r() * 2_500));

      // ---- inject one fault ----
      if (fault === 'dailyRestart') {
        // Not in a minute's last seconds: the window is opened in the current minute and the exchange checks it once a
        // second (later on a busy machine), which must still fall inside that minute.
        const sec = Math.floor(Date.now() / 1000) % 60;
        if (sec >= 55) await sleep((61 - sec) * 1000);
      }
      Object.assign(watch, { armed: true, detectAt: null, haltAt: null, haltedAtDetect: null, activeAt: null, reconnectedAt: null });
      const injectedAt = performance.now();
      const injectedWall = Date.now();
      const injectedSim = ex.simNow();
      switch (fault) {
        case 'drop':
          ex.dropClient(clientId);
          break;
        case 'halfOpen':
          ep.size = 1_500 + Math.floor(r() * 6_500);
          ex.freeze(ep.size);
          break;
        case 'refuse':
          ep.size = 1 + Math.floor(r() * 4);
          ex.refuseConnections(ep.size);
          ex.dropClient(clientId);
          break;
        case 'linkLoss1101':
        case 'linkLoss1102':
          ep.size = 500 + Math.floor(r() * 3_000);
          ex.connectivityLoss(ep.size, fault === 'linkLoss1101');
          break;
        case 'clientIdInUse':
          ep.size = 1 + Math.floor(r() * 4);
          ex.holdClientId(clientId, ep.size);
          break;
        case 'dailyRestart': {
          ep.size = 1 + Math.floor(r() * 4);
          // The window opens in this very minute (Eastern): the exchange's housekeeping restarts it within a second.
          const ny = toNewYork(Date.now());
          const at = `${String(Math.floor(ny.minuteOfDay / 60)).padStart(2, '0')}:${String(ny.minuteOfDay % 60).padStart(2, '0')}`;
          ex.setRestartWindow({ atEt: at, durationSec: ep.size });
          break;
        }
      }
      // In some episodes the market gaps through the resting order while the app is cut off, so it fills unseen: the
      // fill must come back by reqExecutions / the open-order replay after the reconnect.
      const gapWhileDown = ticket !== null && r() < 0.5;
      if (gapWhileDown && ticket) {
        const bullish = ticket.kind === 'bull-call' || ticket.kind === 'bull-put';
        ex.simControl({ op: 'scenario', scenario: { kind: 'gap', symbol: 'SPY', pct: bullish ? -1.5 : 1.5 } });
      }
      // A freeze shorter than the probe's interval + timeout may pass unnoticed; every other fault must be noticed.
      const noticed = await until(() => watch.detectAt !== null, fault === 'halfOpen' ? ep.size + 15_000 : HANG_MS);
      if (fault === 'dailyRestart') ex.setRestartWindow(null);
      if (!noticed && fault !== 'halfOpen') violate(`the app never noticed the ${fault}`);
      if (watch.detectAt !== null) {
        ep.detectMs = Math.round(watch.detectAt - injectedAt);
        if (watch.haltedAtDetect !== true) violate('trading was not HALTED when the app noticed the fault');
        if (watch.haltAt === null) violate('trading never went HALTED');
        else ep.haltMs = Math.max(0, Math.round(watch.haltAt - watch.detectAt));
        if (!(await until(() => watch.activeAt !== null, HANG_MS))) violate(`trading not ACTIVE again after the ${fault}: ${services.trading.status().code} ${services.trading.status().reason}`);
        else ep.recoverMs = Math.round((watch.activeAt as number) - injectedAt);
      }
      if (fault === 'halfOpen') await until(() => Date.now() >= injectedWall + ep.size, ep.size + 1_000);
      watch.armed = false;
      await until(() => services.trading.status().state === 'ACTIVE', HANG_MS);
      const reconnectedAt = watch.reconnectedAt ?? ex.simNow();

      // ---- the walking order: ends by policy, the app agrees with the exchange ----
      if (ep.orderId !== null && ticketId !== null) {
        const id = ep.orderId;
        let cachedRows: OrderRow[] = [];
        const row = () => cachedRows.find((o) => o.orderId === id) ?? null;
        const refresh = async () => {
          cachedRows = await call<OrderRow[]>('orders.list', { includeDone: true, limit: 1000 });
        };
        const atEx = () => ex.ledger.byClient.get(clientId)?.get(id) ?? null;
        // A walk left working by its end action ('leave') is cancelled here so the next episode starts clean.
        const walkOver = async () => {
          const o = atEx();
          if (o !== null && TERMINAL.has(o.status)) return true;
          await refresh();
          return row()?.walk?.state === 'done';
        };
        const wEnd = Date.now() + HANG_MS;
        while (Date.now() < wEnd && !(await walkOver())) await sleep(250);
        if (!TERMINAL.has(atEx()?.status ?? '')) {
          await call('order.cancel', { orderId: id }).catch(() => undefined);
          if (!(await until(() => TERMINAL.has(atEx()?.status ?? ''), HANG_MS, 100))) violate(`order ${id} never ended at the exchange (status ${atEx()?.status ?? 'unknown'})`);
        }
        const o = atEx();
        ep.orderEnd = o?.status ?? null;
        // The app's view catches up with the exchange's (a fill made while disconnected arrives by reqExecutions/openOrders).
        let agreed = false;
        const end = Date.now() + HANG_MS;
        while (Date.now() < end) {
          await refresh();
          const mine = row();
          if (mine && o && (mine.status === o.status || (o.status === 'Cancelled' && mine.status === 'ApiCancelled')) && mine.filled === o.filled) {
            agreed = true;
            break;
          }
          await sleep(200);
        }
        if (!agreed) violate(`order ${id}: the app shows ${row()?.status ?? 'nothing'} filled ${row()?.filled ?? '?'}, the exchange ${o?.status ?? '?'} filled ${o?.filled ?? '?'}`);
        const mine = row();
        if (mine?.walk && mine.walk.state !== 'done') violate(`order ${id} ended but its walk shows ${mine.walk.state}`);
      }

      // ---- every execution of this client is journaled, those made while down included ----
      const jdb = services.journal.journal?.db;
      const execsAtEx = ex.ledger.executions.filter((e) => e.clientId === clientId);
      const downFrom = injectedSim - 50;
      ep.execsWhileDown = execsAtEx.filter((e) => e.time >= downFrom && e.time <= reconnectedAt).length;
      const journaled = async () => {
        if (!jdb) return false;
        const have = new Set((jdb.prepare('SELECT exec_id FROM executions').pluck().all() as string[]));
        return execsAtEx.every((e) => have.has(e.execId));
      };
      let allJournaled = false;
      const jEnd = Date.now() + 30_000;
      while (Date.now() < jEnd && !(allJournaled = await journaled())) await sleep(200);
      if (!allJournaled && jdb) {
        const have = new Set((jdb.prepare('SELECT exec_id FROM executions').pluck().all() as string[]));
        const missing = execsAtEx.filter((e) => !have.has(e.execId));
        violate(`${missing.length} exchange execution(s) missing from the journal: ${missing.slice(0, 3).map((e) => `${e.execId} (order ${e.orderId})`).join(', ')}`);
      }

      // ---- no duplicate order, no reused id, nothing the app did not submit ----
      const exOrders = [...(ex.ledger.byClient.get(clientId)?.values() ?? [])];
      const byRef = new Map<string, number[]>();
      for (const o of exOrders) byRef.set(o.order.orderRef ?? '', [...(byRef.get(o.order.orderRef ?? '') ?? []), o.orderId]);
      for (const [ref, ids] of byRef) if (ids.length > 1) violate(`ticket ${ref} reached the exchange as ${ids.length} orders (${ids.join(', ')})`);
      for (const o of exOrders) if (!submitted.has(o.orderId)) violate(`order ${o.orderId} at the exchange was not submitted by the app`);

      // ---- subscriptions: the app's lines equal the exchange's, the watchlist streams ----
      const linesAgree = await until(() => {
        const mine = b.diagnostics().lines.held;
        const theirs = ex.clients().find((c) => c.clientId === clientId)?.linesInUse ?? -1;
        return mine === theirs && subs.every((s) => s.status === 'live');
      }, 30_000, 100);
      if (!linesAgree) violate(`lines: the app holds ${b.diagnostics().lines.held}, the exchange counts ${ex.clients().find((c) => c.clientId === clientId)?.linesInUse ?? 'no client'}; watchlist ${subs.map((s) => s.status).join('/')}`);

      // ---- a scan through the fault ends ----
      if (scanId !== null) {
        const id = scanId;
        if (!(await until(() => scanEnds.has(id), HANG_MS, 100))) {
          violate(`scan ${id} never ended (last: ${JSON.stringify((await call<{ progress: ScanProgress | null }>('scan.latest', {})).progress?.state)})`);
          await call('scan.stop', { scanId: id }).catch(() => undefined);
        }
        const p = scanEnds.get(id);
        ep.scanEnd = p ? `${p.state}${p.message ? `: ${p.message}` : ''}` : null;
        if (p && p.state !== 'complete' && !p.message) violate(`scan ${id} ended ${p.state} without a sentence`);
      }

      report.episodes.push(ep);
      report.byFault[fault] = (report.byFault[fault] ?? 0) + 1;
      for (const v of ep.violations) report.violations.push(`episode ${index} (${fault}, ${activity}): ${v}`);
      const line = JSON.stringify(ep);
      log(`[chaos] ${line}`);
      if (opts.logFile) appendFileSync(opts.logFile, `${line}\n`);
    }

    for (const s of subs) s.release();
    report.ordersAtExchange = ex.ledger.byClient.get(clientId)?.size ?? 0;
    report.executionsAtExchange = ex.ledger.executions.filter((e) => e.clientId === clientId).length;
    report.integrity = String(services.journal.journal?.db.prepare('PRAGMA integrity_check').pluck().get() ?? 'no journal');
    if (report.integrity !== 'ok') report.violations.push(`journal integrity_check: ${report.integrity}`);
  } finally {
    off();
    await services.close();
  }
  const eps = report.episodes;
  report.detectMs = stats(eps.flatMap((e) => (e.detectMs === null ? [] : [e.detectMs])));
  report.haltMs = stats(eps.flatMap((e) => (e.haltMs === null ? [] : [e.haltMs])));
  report.recoverMs = stats(eps.flatMap((e) => (e.recoverMs === null ? [] : [e.recoverMs])));
  report.execsWhileDown = eps.reduce((a, e) => a + e.execsWhileDown, 0);
  return report;
}

/** Per-fault detection figures (injection → noticed), for the README and the run's summary. */
export function detectionByFault(report: ChaosReport): Record<string, { median: number | null; max: number | null; n: number }> {
  const out: Record<string, { median: number | null; max: number | null; n: number }> = {};
  for (const f of FAULTS) out[f] = stats(report.episodes.filter((e) => e.fault === f && e.detectMs !== null).map((e) => e.detectMs as number));
  return out;
}
