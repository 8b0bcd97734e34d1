// The scanner service: plans a watchlist scan, quotes only what the plan needs through the broker, and streams ranks.
//
// Per symbol: qualify the underlying (cached for the session), option-chain parameters (cached by the broker), a
// streaming underlying quote (price and ATM IV, released at the end), then expiry by expiry, nearest first: the
// options that really exist (one contract-details request), the plan's strikes for that expiry, and one snapshot per
// planned option at 'scan' priority through the broker's line manager and pacer. Contract-details requests jump the
// pacer queue ahead of snapshots, so the next expiry is only looked up once the snapshot pipeline has drained below
// a few seconds of work — otherwise they would all go first and hold back the first rows.
// After each completed quote the chains are re-ranked (throttled) and `scan.results` / `scan.progress` go out.
import { randomUUID } from 'node:crypto';
import { setMaxListeners } from 'node:events';
import {
  ContractFailure,
  ScanRequest as ScanRequestSchema,
  type ScanPreset,
  type ScanProgress,
  type ScanRequest,
  type ScanRequestParsed,
  type ScanResults,
  type ScanRow,
} from '../../../core/contract';
import { daysToExpiry, expiryInstantFor, parseIsoDate, parseTwsTime, yearsToExpiry } from '../../../core/market';
import { impliedVolFast } from '../../../core/options';
import {
  ScanEngine,
  bsmDelta,
  createChain,
  mergeTop,
  planScan,
  type ChainSnapshot,
  type ExpirySlice,
  type PlanExpiryInput,
} from '../../../core/scanner';
import type { HandlerMap } from '../../../core/contract';
import type { EventBus } from '../events';
import type { Logger } from '../logging';
import type { SettingsStore } from '../settings/settings-store';
import type { Broker, OptionChainParams, QualifiedContract, Quote, QuoteSubscription } from '../broker/types';

/** Risk-free rate for POP/EV and the plan's model delta; TWS does not send one, and ±1 % barely moves a vertical. */
export const DEFAULT_RATE = 0.04;
/** Rows whose older leg is older than this are badged stale. */
export const STALE_AFTER_MS = 60_000;
/** Results are re-ranked and sent at most this often (the grid updates at ≤ 10 Hz). */
const EMIT_INTERVAL_MS = 200;
/** The next expiry is looked up once fewer quotes than this are outstanding (about the line budget: ≈ 2 s of work). */
const PIPELINE_DEPTH = 100;
/**
 * The first quotes of each symbol go through streaming lines instead of snapshots: TWS sends a streaming line's
 * current quote at once, while a snapshot takes its time (0.5–2 s at the paper exchange, up to 11 s at TWS). Each
 * costs a second message (the cancel), so only a handful per symbol — enough for its first rows.
 */
const FAST_LANE_PER_SYMBOL = 12;
/** A fast-lane quote waits this long for the model greeks after bid and ask have arrived. */
const FAST_LANE_GREEKS_MS = 400;
/** …and gives up (falling back to what it has) after this long. */
const FAST_LANE_TIMEOUT_MS = 3_000;
/** How long to wait for the underlying's first price. */
const UNDERLYING_TIMEOUT_MS = 5_000;
/** After the first price, how long to wait for the ATM IV (generic tick 106) before planning without it. */
const IV_GRACE_MS = 400;

export interface ScannerDeps {
  broker: Broker;
  bus: Pick<EventBus, 'emit'>;
  settings?: Pick<SettingsStore, 'get' | 'update'>;
  logger?: Pick<Logger, 'info' | 'warn' | 'error' | 'debug'>;
  /** Wall clock (epoch ms). */
  now?: () => number;
  rate?: number;
}

export interface ScanHandle {
  scanId: string;
  /** Resolves when the scan completes, is stopped or fails (auto-refresh continues after). */
  done: Promise<ScanOutcome>;
}

export interface ScanOutcome {
  progress: ScanProgress;
  results: ScanResults;
  /** The chain snapshots the rows were ranked from, with the reference times used (for --dump-chain). */
  chains: ChainSnapshot[];
  /** Server time the expiries were valued at (epoch ms). */
  asOf: number;
  /** Wall time of the last ranking (quote ages are measured from it). */
  rankedAt: number;
}

export interface ScannerService {
  start(request: ScanRequest): Promise<ScanHandle>;
  stop(scanId?: string): Promise<boolean>;
  latest(): { progress: ScanProgress | null; results: ScanResults | null };
  presets(): ScanPreset[];
  savePreset(preset: ScanPreset): ScanPreset[];
  deletePreset(name: string): ScanPreset[];
  close(): Promise<void>;
}

interface SymbolState {
  symbol: string;
  planned: number;
  /** Planned counts per expiry: estimates from the chain-parameter grid until the expiry's real strikes are known. */
  plannedByExpiry: Map<string, number>;
  quoted: number;
  failed: number;
  error: string | null;
  chain: ChainSnapshot | null;
  underlying: QuoteSubscription | null;
  underlyingConId: number | null;
  rows: ScanRow[];
  evaluated: number;
  passed: number;
  /** Quotes still to take through the fast lane. */
  fastLane: number;
}

interface Underlying {
  contract: QualifiedContract;
  params: OptionChainParams[];
}

type DatedExpiry = PlanExpiryInput & { tradingClass: string; multiplier: number };

/** Where a quote lands in a chain snapshot. */
interface Slot {
  sym: SymbolState;
  slice: ExpirySlice;
  right: 'C' | 'P';
  index: number;
}

const numOrNaN = (v: number | null | undefined): number => (v === null || v === undefined ? NaN : v);
const firstOf = (...vs: Array<number | null | undefined>): number | null => {
  for (const v of vs) if (v !== null && v !== undefined && Number.isFinite(v)) return v;
  return null;
};

function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

function isAbort(e: unknown, signal: AbortSignal): boolean {
  return signal.aborted || (e instanceof Error && e.name === 'AbortError');
}

class ScanRun {
  readonly id = randomUUID();
  readonly abort = new AbortController();
  readonly startedAt: number;
  readonly asOf: number;
  readonly symbols: SymbolState[];
  readonly engine = new ScanEngine();
  readonly slots = new Map<number, Slot>();
  state: ScanProgress['state'] = 'planning';
  message: string | null = null;
  delayed = false;
  outstanding = 0;
  completions: number[] = [];
  firstCompletion: number | null = null;
  private drainWaiters: Array<() => void> = [];
  private emitTimer: ReturnType<typeof setTimeout> | null = null;
  private lastEmit = 0;
  lastProgress: ScanProgress | null = null;
  lastResults: ScanResults | null = null;
  rankedAt = 0;
  refreshTimer: ReturnType<typeof setTimeout> | null = null;
  finished = false;

  constructor(
    readonly req: ScanRequestParsed,
    private readonly svc: ServiceCore,
  ) {
    this.startedAt = svc.now();
    this.asOf = svc.serverNow();
    // Every queued snapshot listens for the stop signal; thousands may wait at once.
    setMaxListeners(0, this.abort.signal);
    this.symbols = req.symbols.map((symbol) => ({
      symbol, planned: 0, plannedByExpiry: new Map(), quoted: 0, failed: 0, error: null, chain: null, underlying: null, underlyingConId: null, rows: [], evaluated: 0, passed: 0, fastLane: FAST_LANE_PER_SYMBOL,
    }));
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  /** Waits until fewer than `depth` snapshots are outstanding (or the scan is stopped). */
  async drained(depth: number): Promise<void> {
    while (this.outstanding >= depth && !this.signal.aborted) await new Promise<void>((r) => this.drainWaiters.push(r));
  }

  settled(): void {
    this.outstanding--;
    const t = this.svc.now();
    this.firstCompletion ??= t;
    this.completions.push(t);
    if (this.completions.length > 4096) this.completions = this.completions.filter((c) => c >= t - 5_000);
    const waiters = this.drainWaiters.splice(0);
    for (const w of waiters) w();
  }

  wakeAll(): void {
    const waiters = this.drainWaiters.splice(0);
    for (const w of waiters) w();
  }

  /** Re-ranks every chain and sends results and progress now. */
  flush(final: boolean): void {
    if (this.emitTimer) {
      clearTimeout(this.emitTimer);
      this.emitTimer = null;
    }
    this.lastEmit = this.svc.now();
    this.rankedAt = this.lastEmit;
    const { filters, scoring, topPerSymbol, drift } = this.req;
    for (const s of this.symbols) {
      if (!s.chain) continue;
      const r = this.engine.scanChain(s.chain, { filters, scoring, topPerSymbol, drift, now: this.rankedAt, staleAfterMs: STALE_AFTER_MS });
      s.rows = r.rows;
      s.evaluated = r.evaluated;
      s.passed = r.passed;
    }
    const rows = mergeTop(this.symbols.map((s) => s.rows), this.req.top);
    const results: ScanResults = {
      scanId: this.id,
      rows,
      evaluated: this.symbols.reduce((n, s) => n + s.evaluated, 0),
      passed: this.symbols.reduce((n, s) => n + s.passed, 0),
      final,
      at: this.rankedAt,
    };
    this.lastResults = results;
    this.svc.bus.emit('scan.results', results);
    this.emitProgress();
  }

  /** Schedules a flush within EMIT_INTERVAL_MS (immediately if the last one was longer ago). */
  dirty(): void {
    if (this.emitTimer || this.finished) return;
    const wait = Math.max(0, this.lastEmit + EMIT_INTERVAL_MS - this.svc.now());
    this.emitTimer = setTimeout(() => {
      this.emitTimer = null;
      if (!this.finished) this.flush(false);
    }, wait);
  }

  progress(): ScanProgress {
    const now = this.svc.now();
    const planned = this.symbols.reduce((n, s) => n + s.planned, 0);
    const quoted = this.symbols.reduce((n, s) => n + s.quoted + s.failed, 0);
    const failed = this.symbols.reduce((n, s) => n + s.failed, 0);
    // Rate over the last 5 s of completions (or since the first one), so the ETA follows the pacer, not the start-up.
    const recent = this.completions.filter((t) => t >= now - 5_000);
    const first = this.firstCompletion;
    let etaMs: number | null = null;
    if (this.state === 'complete' || this.state === 'stopped' || this.state === 'failed') etaMs = 0;
    else if (planned > 0) {
      // Quotes per second lately, never above the pacer's rate: every quote costs at least one message, and the
      // first (fast-lane) quotes arrive faster than the scan can continue.
      const span = first !== null ? Math.max(1, now - Math.max(first, now - 5_000)) : 0;
      const measured = recent.length >= 5 && span > 0 ? (recent.length / span) * 1000 : Infinity;
      const rate = Math.min(measured, this.svc.pacerRate());
      etaMs = Math.round((Math.max(0, planned - quoted) / rate) * 1000);
    }
    const failures = failed > 0 ? `${failed} quote${failed === 1 ? '' : 's'} failed.` : null;
    return {
      scanId: this.id,
      state: this.state,
      quoted: Math.min(quoted, Math.max(planned, quoted)),
      planned: Math.max(planned, quoted),
      etaMs,
      startedAt: this.startedAt,
      elapsedMs: now - this.startedAt,
      symbols: this.symbols.map((s) => ({ symbol: s.symbol, quoted: s.quoted + s.failed, planned: Math.max(s.planned, s.quoted + s.failed), error: s.error })),
      message: [this.message, failures].filter(Boolean).join(' ') || null,
      simulated: this.svc.broker.facts()?.accountMode === 'SIMULATED',
      delayed: this.delayed,
    };
  }

  emitProgress(): void {
    const p = this.progress();
    this.lastProgress = p;
    this.svc.bus.emit('scan.progress', p);
  }

  releaseStreams(): void {
    for (const s of this.symbols) {
      s.underlying?.release();
      s.underlying = null;
    }
  }
}

interface ServiceCore {
  broker: Broker;
  bus: Pick<EventBus, 'emit'>;
  now(): number;
  serverNow(): number;
  pacerRate(): number;
}

export function createScannerService(deps: ScannerDeps): ScannerService {
  const { broker, bus } = deps;
  const log = deps.logger;
  const now = deps.now ?? Date.now;
  const rate = deps.rate ?? DEFAULT_RATE;
  const underlyings = new Map<string, QualifiedContract>();
  let sessionKey: number | null = null;
  let current: ScanRun | null = null;
  let lastProgress: ScanProgress | null = null;
  let lastResults: ScanResults | null = null;

  const core: ServiceCore = {
    broker,
    bus,
    now,
    /** The broker's clock: the paper exchange runs simulated time, so DTE comes from its connection time. */
    serverNow() {
      const facts = broker.facts();
      const base = facts ? parseTwsTime(facts.connectionTime) : null;
      const t = facts && base !== null ? base + (now() - facts.connectedAt) : now();
      // Whole seconds: the connection time has second resolution, and runs against a frozen market must agree.
      return Math.floor(t / 1000) * 1000;
    },
    pacerRate() {
      const r = broker.diagnostics().pacer.ratePerSecond;
      return r > 0 ? r : 45;
    },
  };

  /** The underlying contract, cached for the broker session (chain parameters are cached by the broker). */
  async function qualifyUnderlying(symbol: string): Promise<QualifiedContract> {
    const session = broker.facts()?.connectedAt ?? null;
    if (session !== sessionKey) {
      underlyings.clear();
      sessionKey = session;
    }
    const hit = underlyings.get(symbol);
    if (hit) return hit;
    let [contract] = await broker.qualify({ secType: 'STK', symbol, exchange: 'SMART', currency: 'USD' });
    if (!contract) [contract] = await broker.qualify({ secType: 'IND', symbol, currency: 'USD' });
    if (!contract) throw new Error(`${symbol}: no such stock, ETF or index at the broker.`);
    underlyings.set(symbol, contract);
    return contract;
  }

  async function chainParams(contract: QualifiedContract): Promise<OptionChainParams[]> {
    const params = await broker.optionChainParams({ symbol: contract.symbol, secType: contract.secType === 'IND' ? 'IND' : 'STK', conId: contract.conId });
    if (params.length === 0) throw new Error(`${contract.symbol}: the broker lists no options.`);
    return params;
  }

  /** The underlying's first usable price and (if it comes quickly) its ATM IV, from a streaming line. */
  async function underlyingPrice(run: ScanRun, sym: SymbolState, contract: QualifiedContract): Promise<{ spot: number; iv: number | null }> {
    const priceOf = (q: Quote | null): number | null => {
      if (!q) return null;
      if (q.bid !== null && q.ask !== null && q.bid > 0 && q.ask >= q.bid) return (q.bid + q.ask) / 2;
      return firstOf(q.last, q.close);
    };
    let wake: () => void = () => undefined;
    const sub = broker.subscribeQuote({ conId: contract.conId, symbol: sym.symbol, secType: contract.secType === 'IND' ? 'IND' : 'STK', exchange: contract.secType === 'IND' ? contract.exchange : 'SMART' }, {
      onQuote: (q) => {
        const chain = sym.chain;
        const p = priceOf(q);
        if (chain && p !== null) chain.spot = p;
        if (q.delayed) run.delayed = true;
        wake();
      },
      onStatus: () => wake(),
    }, { genericTicks: '106' });
    sym.underlying = sub;
    sym.underlyingConId = contract.conId;
    const deadline = now() + UNDERLYING_TIMEOUT_MS;
    let pricedAt: number | null = null;
    for (;;) {
      const q = sub.latest();
      const p = priceOf(q);
      if (p !== null) {
        pricedAt ??= now();
        const iv = q?.impliedVol ?? null;
        if (iv !== null || now() - pricedAt >= IV_GRACE_MS) return { spot: p, iv };
      }
      if (sub.status === 'failed') throw new Error(`${sym.symbol}: ${sub.error?.message ?? 'no market data for the underlying.'}`);
      if (run.signal.aborted) throw new DOMException('stopped', 'AbortError');
      if (now() >= deadline) throw new Error(`${sym.symbol}: no price for the underlying within ${UNDERLYING_TIMEOUT_MS / 1000} s.`);
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, pricedAt === null ? 250 : Math.max(1, IV_GRACE_MS - (now() - pricedAt)));
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
    }
  }

  /** The expiries of the chain parameters (SMART first) with their trading class, DTE and time to expiry. */
  function expiriesOf(u: Underlying, asOf: number): DatedExpiry[] {
    const rows = u.params.filter((p) => p.exchange === 'SMART');
    const use = rows.length > 0 ? rows : u.params.filter((p) => p.exchange === u.params[0]?.exchange);
    const byExpiry = new Map<string, OptionChainParams>();
    for (const p of use) {
      for (const e of p.expirations) {
        const prev = byExpiry.get(e);
        // Prefer the class named like the underlying (SPX over SPXW on a shared date), else the first listed.
        if (!prev || (p.tradingClass === u.contract.symbol && prev.tradingClass !== u.contract.symbol)) byExpiry.set(e, p);
      }
    }
    const out: DatedExpiry[] = [];
    for (const [expiry, p] of byExpiry) {
      const iso = parseIsoDate(expiry);
      if (!iso) continue;
      const dte = daysToExpiry(asOf, iso);
      const tYears = yearsToExpiry(asOf, expiryInstantFor(p.tradingClass, iso));
      out.push({ expiry, dte, tYears, strikes: p.strikes, tradingClass: p.tradingClass, multiplier: p.multiplier });
    }
    return out.sort((a, b) => (a.expiry < b.expiry ? -1 : 1));
  }

  function recordQuote(run: ScanRun, slot: Slot, q: Quote): void {
    const { slice, right, index, sym } = slot;
    const cols = right === 'C' ? slice.call : slice.put;
    const chain = sym.chain as ChainSnapshot;
    const k = slice.strike[index] as number;
    const bid = numOrNaN(q.bid);
    const ask = numOrNaN(q.ask);
    const model = q.model;
    let iv = firstOf(model?.impliedVol, avg(q.bidGreeks?.impliedVol, q.askGreeks?.impliedVol));
    if (iv === null && bid >= 0 && ask > bid) {
      // No model IV from the broker: solve it from the mid ourselves.
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
    // Option open interest needs generic tick 101 on a streaming line; snapshots cannot carry it (TWS error 321).
    cols.openInterest[index] = NaN;
    cols.quoteTime[index] = q.updatedAt ?? now();
    if (q.delayed) run.delayed = true;
  }

  /** A fast-lane quote: a streaming line held until bid, ask and the model greeks are in, then cancelled. */
  function streamOption(run: ScanRun, conId: number, slot: Slot): Promise<void> {
    return new Promise<void>((resolve) => {
      let sub: QuoteSubscription | null = null;
      let finished = false;
      let grace: ReturnType<typeof setTimeout> | null = null;
      const finish = (q: Quote | null): void => {
        if (finished) return;
        finished = true;
        clearTimeout(timeout);
        if (grace) clearTimeout(grace);
        run.signal.removeEventListener('abort', onAbort);
        sub?.release();
        if (!run.signal.aborted) {
          if (q && (q.bid !== null || q.ask !== null)) {
            recordQuote(run, slot, q);
            slot.sym.quoted++;
          } else slot.sym.failed++;
          run.dirty();
        }
        resolve();
      };
      const onAbort = (): void => finish(null);
      const timeout = setTimeout(() => finish(sub?.latest() ?? null), FAST_LANE_TIMEOUT_MS);
      run.signal.addEventListener('abort', onAbort, { once: true });
      sub = broker.subscribeQuote({ conId, symbol: slot.sym.symbol, secType: 'OPT', exchange: 'SMART' }, {
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

  /** One planned option: the fast lane for a symbol's first few, else a snapshot at scan priority. */
  function quoteOption(run: ScanRun, conId: number, slot: Slot): Promise<void> {
    run.outstanding++;
    run.slots.set(conId, slot);
    if (slot.sym.fastLane > 0) {
      slot.sym.fastLane--;
      return streamOption(run, conId, slot).finally(() => run.settled());
    }
    return broker
      .snapshotQuote({ conId, symbol: slot.sym.symbol, secType: 'OPT', exchange: 'SMART' }, { priority: 'scan', signal: run.signal })
      .then(
        (q) => {
          if (run.signal.aborted) return;
          recordQuote(run, slot, q);
          slot.sym.quoted++;
          run.dirty();
        },
        (e: unknown) => {
          if (isAbort(e, run.signal)) return;
          slot.sym.failed++;
          log?.debug({ err: e, conId }, 'scan snapshot failed');
          run.dirty();
        },
      )
      .finally(() => run.settled());
  }

  async function scanSymbol(run: ScanRun, sym: SymbolState): Promise<void> {
    const contract = await qualifyUnderlying(sym.symbol);
    // The price line, the chain parameters and the first expiry's contracts are requested together.
    const priced = underlyingPrice(run, sym, contract);
    priced.catch(() => undefined);
    const u: Underlying = { contract, params: await chainParams(contract) };
    const expiries = expiriesOf(u, run.asOf);
    const inRange = expiries.filter((e) => e.tYears > 0 && e.dte >= run.req.filters.dte.min && e.dte <= run.req.filters.dte.max);
    const contractsOf = new Map<string, Promise<QualifiedContract[]>>();
    const fetchContracts = (e: DatedExpiry): Promise<QualifiedContract[]> => {
      let p = contractsOf.get(e.expiry);
      if (!p) {
        p = broker.optionContracts({ symbol: sym.symbol, expiry: e.expiry, tradingClass: e.tradingClass });
        p.catch(() => undefined);
        contractsOf.set(e.expiry, p);
      }
      return p;
    };
    if (inRange[0]) void fetchContracts(inRange[0]);
    const multiplier = expiries[0]?.multiplier ?? 100;
    log?.debug({ symbol: sym.symbol, ms: now() - run.startedAt }, 'scan: chain parameters');
    const { spot, iv } = await priced;
    log?.debug({ symbol: sym.symbol, ms: now() - run.startedAt, spot, iv }, 'scan: underlying priced');
    sym.chain = createChain({ symbol: sym.symbol, spot, rate, divYield: 0, multiplier, asOf: run.asOf, expiries: [] });
    const planInput = { spot, atmIv: iv, rate, divYield: 0, filters: run.req.filters };
    // An estimate from the chain-parameter grid, corrected expiry by expiry as the real strikes arrive.
    const estimate = planScan({ ...planInput, expiries });
    for (const e of estimate.expiries) sym.plannedByExpiry.set(e.expiry, e.calls.length + e.puts.length);
    sym.planned = estimate.total;
    run.emitProgress();
    if (estimate.expiries.length === 0) {
      sym.error = `${sym.symbol}: no expiry in ${run.req.filters.dte.min}–${run.req.filters.dte.max} DTE has strikes in the plan.`;
      return;
    }
    const pending: Promise<void>[] = [];
    for (const [rank, e] of estimate.expiries.entries()) {
      if (run.signal.aborted) break;
      if (rank > 0) await run.drained(PIPELINE_DEPTH);
      if (run.signal.aborted) break;
      const meta = expiries.find((x) => x.expiry === e.expiry);
      if (!meta) continue;
      const contracts = await fetchContracts(meta);
      log?.debug({ symbol: sym.symbol, expiry: e.expiry, ms: now() - run.startedAt, contracts: contracts.length }, 'scan: expiry contracts');
      const byKey = new Map<string, number>();
      for (const c of contracts) if (c.strike !== null && c.right !== null) byKey.set(`${c.right}${c.strike}`, c.conId);
      const strikes = [...new Set(contracts.map((c) => c.strike).filter((k): k is number => k !== null))].sort((a, b) => a - b);
      const exact = planScan({ ...planInput, spot: sym.chain.spot, expiries: [{ expiry: e.expiry, dte: e.dte, tYears: e.tYears, strikes }] });
      const p = exact.expiries[0];
      const planned = p ? [...p.calls.map((k) => ['C', k] as const), ...p.puts.map((k) => ['P', k] as const)].filter(([r, k]) => byKey.has(`${r}${k}`)) : [];
      sym.planned += planned.length - (sym.plannedByExpiry.get(e.expiry) ?? 0);
      sym.plannedByExpiry.set(e.expiry, planned.length);
      if (!p || planned.length === 0) continue;
      const used = [...new Set(planned.map(([, k]) => k))].sort((a, b) => a - b);
      const slice = createChain({ symbol: sym.symbol, spot: sym.chain.spot, rate, divYield: 0, multiplier, asOf: run.asOf, expiries: [{ expiry: e.expiry, dte: e.dte, tYears: e.tYears, strikes: used }] }).expiries[0] as ExpirySlice;
      sym.chain.expiries.push(slice);
      // Request order: the plan's (band centre outwards), calls and puts interleaved.
      const calls = p.calls.filter((k) => byKey.has(`C${k}`));
      const puts = p.puts.filter((k) => byKey.has(`P${k}`));
      for (let i = 0; i < Math.max(calls.length, puts.length); i++) {
        for (const [right, list] of [['C', calls], ['P', puts]] as const) {
          const k = list[i];
          if (k === undefined) continue;
          const conId = byKey.get(`${right}${k}`) as number;
          const index = used.indexOf(k);
          slice[right === 'C' ? 'call' : 'put'].conId[index] = conId;
          pending.push(quoteOption(run, conId, { sym, slice, right, index }));
        }
      }
      run.emitProgress();
    }
    await Promise.all(pending);
  }

  async function execute(run: ScanRun): Promise<void> {
    run.state = 'quoting';
    run.emitProgress();
    await Promise.all(
      run.symbols.map((sym) =>
        scanSymbol(run, sym).catch((e: unknown) => {
          if (isAbort(e, run.signal)) return;
          sym.error = errorText(e);
          log?.warn({ err: e, symbol: sym.symbol }, 'scanning a symbol failed');
        }),
      ),
    );
    run.releaseStreams();
    if (run.signal.aborted) return;
    if (run.symbols.every((s) => s.error !== null)) {
      run.state = 'failed';
      run.message = 'No symbol could be scanned.';
    } else run.state = 'complete';
    run.finished = true;
    run.flush(true);
  }

  /** Re-quotes the legs of the rows on screen every N seconds and re-ranks, until stopped. */
  function scheduleRefresh(run: ScanRun): void {
    const every = run.req.autoRefreshSec;
    if (!every || run.state !== 'complete') return;
    run.refreshTimer = setTimeout(() => {
      void refreshOnce(run).finally(() => {
        if (current === run && !run.signal.aborted) scheduleRefresh(run);
      });
    }, every * 1000);
  }

  async function refreshOnce(run: ScanRun): Promise<void> {
    const conIds = new Set<number>();
    for (const row of run.lastResults?.rows ?? []) {
      if (row.short.conId !== null) conIds.add(row.short.conId);
      if (row.long.conId !== null) conIds.add(row.long.conId);
    }
    const jobs: Promise<void>[] = [];
    for (const sym of run.symbols) {
      if (!sym.chain || sym.underlyingConId === null) continue;
      const chain = sym.chain;
      jobs.push(
        broker.snapshotQuote({ conId: sym.underlyingConId, symbol: sym.symbol }, { priority: 'scan', signal: run.signal }).then(
          (q) => {
            const p = q.bid !== null && q.ask !== null && q.bid > 0 ? (q.bid + q.ask) / 2 : firstOf(q.last, q.close);
            if (p !== null) chain.spot = p;
          },
          () => undefined,
        ),
      );
    }
    for (const conId of conIds) {
      const slot = run.slots.get(conId);
      if (!slot) continue;
      run.outstanding++;
      jobs.push(
        broker
          .snapshotQuote({ conId, symbol: slot.sym.symbol, secType: 'OPT', exchange: 'SMART' }, { priority: 'scan', signal: run.signal })
          .then((q) => recordQuote(run, slot, q), () => undefined)
          .finally(() => run.settled()),
      );
    }
    await Promise.all(jobs);
    if (!run.signal.aborted) run.flush(true);
  }

  async function stopRun(run: ScanRun): Promise<void> {
    if (run.refreshTimer) clearTimeout(run.refreshTimer);
    run.refreshTimer = null;
    if (run.signal.aborted) return;
    run.abort.abort();
    run.wakeAll();
    run.releaseStreams();
    if (!run.finished) {
      run.finished = true;
      run.state = 'stopped';
      run.message = 'Stopped.';
      run.flush(true);
    }
  }

  const service: ScannerService = {
    async start(request) {
      const parsed = ScanRequestSchema.safeParse(request);
      if (!parsed.success) throw new ContractFailure('VALIDATION', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
      if (broker.status().state !== 'connected') throw new ContractFailure('UNAVAILABLE', 'Connect to a profile before scanning.');
      if (current) await stopRun(current);
      const req: ScanRequestParsed = { ...parsed.data, symbols: [...new Set(parsed.data.symbols)] };
      const run = new ScanRun(req, core);
      current = run;
      run.emitProgress();
      const done = execute(run)
        .catch((e: unknown) => {
          if (isAbort(e, run.signal)) return;
          log?.error({ err: e }, 'scan failed');
          run.state = 'failed';
          run.message = errorText(e);
          run.finished = true;
          run.releaseStreams();
          run.flush(true);
        })
        .then(() => {
          lastProgress = run.lastProgress;
          lastResults = run.lastResults;
          if (current === run) scheduleRefresh(run);
          return {
            progress: run.lastProgress ?? run.progress(),
            results: run.lastResults ?? { scanId: run.id, rows: [], evaluated: 0, passed: 0, final: true, at: now() },
            chains: run.symbols.flatMap((s) => (s.chain ? [s.chain] : [])),
            asOf: run.asOf,
            rankedAt: run.rankedAt,
          };
        });
      return { scanId: run.id, done };
    },
    async stop(scanId) {
      const run = current;
      if (!run || (scanId !== undefined && scanId !== run.id)) return false;
      const active = !run.signal.aborted && (!run.finished || run.refreshTimer !== null);
      await stopRun(run);
      return active;
    },
    latest() {
      return { progress: current?.lastProgress ?? lastProgress, results: current?.lastResults ?? lastResults };
    },
    presets() {
      return deps.settings?.get().ui.scannerPresets ?? [];
    },
    savePreset(preset) {
      if (!deps.settings) throw new ContractFailure('UNAVAILABLE', 'Presets need the settings store.');
      const list = deps.settings.get().ui.scannerPresets.filter((p) => p.name !== preset.name);
      const next = [...list, preset].sort((a, b) => a.name.localeCompare(b.name));
      return deps.settings.update({ ui: { scannerPresets: next } }).ui.scannerPresets;
    },
    deletePreset(name) {
      if (!deps.settings) throw new ContractFailure('UNAVAILABLE', 'Presets need the settings store.');
      const list = deps.settings.get().ui.scannerPresets;
      if (!list.some((p) => p.name === name)) throw new ContractFailure('NOT_FOUND', `No preset named "${name}".`);
      return deps.settings.update({ ui: { scannerPresets: list.filter((p) => p.name !== name) } }).ui.scannerPresets;
    },
    async close() {
      if (current) await stopRun(current);
      current = null;
    },
  };
  return service;
}

function avg(a: number | null | undefined, b: number | null | undefined): number | null {
  const x = firstOf(a);
  const y = firstOf(b);
  if (x !== null && y !== null) return (x + y) / 2;
  return x ?? y;
}

/** The scanner's contract handlers. */
export type ScanMethod = 'scan.start' | 'scan.stop' | 'scan.latest' | 'scan.presets' | 'scan.savePreset' | 'scan.deletePreset';

export function scannerHandlers(svc: ScannerService): Pick<HandlerMap, ScanMethod> {
  return {
    'scan.start': async (args) => {
      const h = await svc.start(args);
      return { scanId: h.scanId, planned: 0 };
    },
    'scan.stop': async ({ scanId }) => ({ stopped: await svc.stop(scanId) }),
    'scan.latest': () => svc.latest(),
    'scan.presets': () => svc.presets(),
    'scan.savePreset': ({ preset }) => svc.savePreset(preset),
    'scan.deletePreset': ({ name }) => svc.deletePreset(name),
  };
}
