// One scan run as an explicit state machine: planning → quoting → complete | stopped | failed, one finish() for every end.
//
// Why a state machine: the old service set `state`, `finished` and aborted its signal in four places, and a failed
// scan never aborted it — its queued snapshots went out after a reconnect. Here every end goes through finish(),
// which aborts the run's signal (so nothing queued is sent after), clears its timers, releases its streams and sends
// the final frame, exactly once. Auto-refresh after `complete` is a separate phase with its own abort controller per
// cycle, so a finished run's signal stays aborted.
//
// Listeners: every quote asks for child() — a signal of its own, linked to the run's by one listener that is removed
// when the quote settles — so the run's signal carries only the listeners of quotes still in flight.
import { randomUUID } from 'node:crypto';
import { getEventListeners, setMaxListeners } from 'node:events';
import type { DivSource, ScanProgress, ScanRequestParsed, ScanResults, ScanRow } from '../../../core/contract';
import { ScanEngine, diffResults, mergeTop, type ChainSnapshot, type ExpirySlice } from '../../../core/scanner';
import type { EventBus } from '../events';
import type { Broker, QuoteSubscription } from '../broker/types';

/** Rows whose older leg is older than this are badged stale. */
export const STALE_AFTER_MS = 60_000;
/** Results are re-ranked and sent at most this often (the grid updates at ≤ 10 Hz). */
const EMIT_INTERVAL_MS = 200;

export type RunState = ScanProgress['state'];
export type RunEnd = Extract<RunState, 'complete' | 'stopped' | 'failed'>;

/** The legal transitions; anything else is a bug and throws. */
const NEXT: Record<RunState, readonly RunState[]> = {
  planning: ['quoting', 'stopped', 'failed'],
  quoting: ['complete', 'stopped', 'failed'],
  complete: [],
  stopped: [],
  failed: [],
};

export function canMove(from: RunState, to: RunState): boolean {
  return NEXT[from].includes(to);
}

export interface SymbolState {
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
  /** Legs already asked for (answered, failed or in flight), as `expiryIdx:right:index` (guided mode). */
  tried: Set<string>;
  /** The dividend yield the symbol is valued with and where it came from; null until the underlying is priced. */
  divYield: number | null;
  divSource: DivSource | null;
}

/** Where a quote lands in a chain snapshot. */
export interface Slot {
  sym: SymbolState;
  slice: ExpirySlice;
  right: 'C' | 'P';
  index: number;
}

export interface RunHost {
  broker: Broker;
  bus: Pick<EventBus, 'emit'>;
  now(): number;
  serverNow(): number;
  pacerRate(): number;
}

/** A signal for one quote, linked to the run's; dispose() unlinks it (call it when the quote settles). */
export interface ChildSignal {
  signal: AbortSignal;
  dispose(): void;
}

export class ScanRun {
  readonly id = randomUUID();
  private readonly abort = new AbortController();
  readonly startedAt: number;
  readonly asOf: number;
  readonly symbols: SymbolState[];
  readonly engine = new ScanEngine();
  readonly slots = new Map<number, Slot>();
  private current: RunState = 'planning';
  message: string | null = null;
  delayed = false;
  outstanding = 0;
  /** Guided mode: the first pass's quotes, still settling when the refinement starts. */
  readonly firstPass: Promise<void>[] = [];
  /** Messages the run asked for, by what (for the CLI's report and the bench); open interest is one line per leg on screen, a what-if one order message. */
  requests = { snapshots: 0, streams: 0, openInterest: 0, whatIf: 0 };
  /**
   * IBKR's what-if per verified row, by fingerprint (what-if.ts): per spread, not per leg, so it lives beside the chains
   * and each ranking's rows take it on (flush) — only adding fields, never changing a number the ranking used.
   */
  readonly whatIfs = new Map<string, Pick<ScanRow, 'whatIf' | 'whatIfUnavailable'>>();
  private completions: number[] = [];
  private firstCompletion: number | null = null;
  private drainWaiters: Array<() => void> = [];
  private emitTimer: ReturnType<typeof setTimeout> | null = null;
  private lastEmit = 0;
  /** Fingerprint → row last sent, for the delta frames. */
  private sent = new Map<string, ScanRow>();
  lastProgress: ScanProgress | null = null;
  lastResults: ScanResults | null = null;
  rankedAt = 0;
  /** Auto-refresh after completion: the pending timer and the running cycle's controller. */
  refreshTimer: ReturnType<typeof setTimeout> | null = null;
  refreshAbort: AbortController | null = null;
  /**
   * The completed run's follow-up work that is not a refresh cycle (open interest for the rows on screen): aborted with
   * the auto-refresh, when the run is stopped or replaced.
   */
  readonly followUp = new AbortController();
  /** Settles when the follow-up begun at completion has (resolved at once for a run that did not complete). */
  followUpDone: Promise<void> = Promise.resolve();
  /** Open interest for the rows on screen: the running fetch (single-flight) and whether a newer viewport wants another. */
  oiTask: Promise<void> | null = null;
  oiAgain = false;
  /** Legs whose OI this run asked for and TWS sent none: not asked again in this run. */
  readonly oiMissing = new Set<number>();
  /** True once the trader stopped the run (or its auto-refresh). */
  cancelled = false;
  /** Fingerprints of the rows the trader last reported on screen (scan.viewport); auto-refresh quotes their legs first. */
  viewport: ReadonlySet<string> = new Set();
  /** Auto-refresh cycles begun, and per leg (conId) the cycle that last re-quoted it: the rest rotate oldest first. */
  refreshCycles = 0;
  readonly refreshedIn = new Map<number, number>();
  /** What the last refresh cycle asked for (diagnostics and tests): its budget and the legs, visible ones first. */
  lastRefresh: { budget: number; visible: number; legs: number[] } | null = null;

  constructor(
    readonly req: ScanRequestParsed,
    private readonly host: RunHost,
    fastLanePerSymbol: number,
  ) {
    this.startedAt = host.now();
    this.asOf = host.serverNow();
    // Quotes in flight each hold one listener (child()); thousands may wait in the pacer queue at once.
    setMaxListeners(0, this.abort.signal);
    // Up to OI_LINES open-interest lines listen at once (open-interest.ts).
    setMaxListeners(0, this.followUp.signal);
    this.symbols = req.symbols.map((symbol) => ({
      symbol, planned: 0, plannedByExpiry: new Map(), quoted: 0, failed: 0, error: null, chain: null, underlying: null, underlyingConId: null, rows: [], evaluated: 0, passed: 0, fastLane: fastLanePerSymbol, tried: new Set(), divYield: null, divSource: null,
    }));
  }

  get state(): RunState {
    return this.current;
  }

  get signal(): AbortSignal {
    return this.abort.signal;
  }

  get finished(): boolean {
    return this.current === 'complete' || this.current === 'stopped' || this.current === 'failed';
  }

  /** Listeners on the run's signal, the running refresh cycle's and the follow-up's (flat when every quote unlinks itself as it settles). */
  listenerCount(): number {
    const refresh = this.refreshAbort ? getEventListeners(this.refreshAbort.signal, 'abort').length : 0;
    return getEventListeners(this.abort.signal, 'abort').length + refresh + getEventListeners(this.followUp.signal, 'abort').length;
  }

  begin(): void {
    this.move('quoting');
    this.emitProgress();
  }

  private move(to: RunState): void {
    if (!canMove(this.current, to)) throw new Error(`scan run: ${this.current} → ${to} is not a transition`);
    this.current = to;
  }

  /** A signal for one quote that aborts with the run (or with `extra`, e.g. a refresh cycle's). */
  child(parent: AbortSignal = this.abort.signal): ChildSignal {
    const c = new AbortController();
    if (parent.aborted) {
      c.abort();
      return { signal: c.signal, dispose: () => undefined };
    }
    const onAbort = (): void => c.abort();
    parent.addEventListener('abort', onAbort, { once: true });
    return { signal: c.signal, dispose: () => parent.removeEventListener('abort', onAbort) };
  }

  /**
   * The one way a run ends: aborts its signal (nothing queued goes out after), wakes waiters, stops the emit timer,
   * releases the underlying streams and sends the final results and progress. Later calls do nothing.
   */
  finish(end: RunEnd, message: string | null = null): boolean {
    if (this.finished) return false;
    this.move(end);
    if (message !== null) this.message = message;
    if (end === 'stopped') this.cancelled = true;
    this.abort.abort();
    this.wakeAll();
    this.releaseStreams();
    this.flush(true);
    return true;
  }

  /** Stops the auto-refresh (timer and running cycle) of a completed run. */
  stopRefresh(): boolean {
    const active = this.refreshTimer !== null || this.refreshAbort !== null;
    if (this.refreshTimer) clearTimeout(this.refreshTimer);
    this.refreshTimer = null;
    this.refreshAbort?.abort();
    this.refreshAbort = null;
    this.followUp.abort();
    this.cancelled = true;
    return active;
  }

  /** Waits until fewer than `depth` quotes are outstanding (or the run ends). */
  async drained(depth: number): Promise<void> {
    while (this.outstanding >= depth && !this.signal.aborted) await new Promise<void>((r) => this.drainWaiters.push(r));
  }

  settled(): void {
    this.outstanding--;
    const t = this.host.now();
    this.firstCompletion ??= t;
    this.completions.push(t);
    if (this.completions.length > 4096) this.completions = this.completions.filter((c) => c >= t - 5_000);
    this.wakeAll();
  }

  private wakeAll(): void {
    const waiters = this.drainWaiters.splice(0);
    for (const w of waiters) w();
  }

  /** Re-ranks every chain and sends results (as a delta by fingerprint) and progress now. */
  flush(final: boolean): void {
    if (this.emitTimer) {
      clearTimeout(this.emitTimer);
      this.emitTimer = null;
    }
    this.lastEmit = this.host.now();
    this.rankedAt = this.lastEmit;
    const { filters, scoring, topPerSymbol, drift } = this.req;
    for (const s of this.symbols) {
      if (!s.chain) continue;
      const r = this.engine.scanChain(s.chain, { filters, scoring, topPerSymbol, drift, now: this.rankedAt, staleAfterMs: STALE_AFTER_MS });
      s.rows = r.rows;
      s.evaluated = r.evaluated;
      s.passed = r.passed;
    }
    const rows = mergeTop(this.symbols.map((s) => s.rows), this.req.top, this.req.minPerSymbol).map((r) => {
      const w = this.whatIfs.get(r.fingerprint);
      return w ? { ...r, ...w } : r;
    });
    const results: ScanResults = {
      scanId: this.id,
      rows,
      evaluated: this.symbols.reduce((n, s) => n + s.evaluated, 0),
      passed: this.symbols.reduce((n, s) => n + s.passed, 0),
      final,
      at: this.rankedAt,
    };
    this.lastResults = results;
    const delta = diffResults(this.sent, rows);
    this.sent = new Map(rows.map((r) => [r.fingerprint, r]));
    // On the wire only what changed: the order by fingerprint and the rows that are new or differ.
    this.host.bus.emit('scan.results', { ...results, rows: [], delta });
    this.emitProgress();
  }

  /** Schedules a flush within EMIT_INTERVAL_MS (immediately if the last one was longer ago). */
  dirty(): void {
    if (this.emitTimer || this.finished) return;
    const wait = Math.max(0, this.lastEmit + EMIT_INTERVAL_MS - this.host.now());
    this.emitTimer = setTimeout(() => {
      this.emitTimer = null;
      if (!this.finished) this.flush(false);
    }, wait);
  }

  progress(): ScanProgress {
    const now = this.host.now();
    const planned = this.symbols.reduce((n, s) => n + s.planned, 0);
    const quoted = this.symbols.reduce((n, s) => n + s.quoted + s.failed, 0);
    const failed = this.symbols.reduce((n, s) => n + s.failed, 0);
    // Rate over the last 5 s of completions (or since the first one), so the ETA follows the pacer, not the start-up.
    const recent = this.completions.filter((t) => t >= now - 5_000);
    const first = this.firstCompletion;
    let etaMs: number | null = null;
    if (this.finished) etaMs = 0;
    else if (planned > 0) {
      const span = first !== null ? Math.max(1, now - Math.max(first, now - 5_000)) : 0;
      const measured = recent.length >= 5 && span > 0 ? (recent.length / span) * 1000 : Infinity;
      const rate = Math.min(measured, this.host.pacerRate());
      etaMs = Math.round((Math.max(0, planned - quoted) / rate) * 1000);
    }
    const failures = failed > 0 ? `${failed} quote${failed === 1 ? '' : 's'} failed.` : null;
    return {
      scanId: this.id,
      state: this.current,
      quoted: Math.min(quoted, Math.max(planned, quoted)),
      planned: Math.max(planned, quoted),
      etaMs,
      startedAt: this.startedAt,
      elapsedMs: now - this.startedAt,
      symbols: this.symbols.map((s) => ({
        symbol: s.symbol, quoted: s.quoted + s.failed, planned: Math.max(s.planned, s.quoted + s.failed), error: s.error,
        ...(s.divYield !== null && s.divSource !== null ? { divYield: s.divYield, divSource: s.divSource } : {}),
      })),
      message: [this.message, failures].filter(Boolean).join(' ') || null,
      simulated: this.host.broker.facts()?.accountMode === 'SIMULATED',
      delayed: this.delayed,
    };
  }

  emitProgress(): void {
    const p = this.progress();
    this.lastProgress = p;
    this.host.bus.emit('scan.progress', p);
  }

  releaseStreams(): void {
    for (const s of this.symbols) {
      s.underlying?.release();
      s.underlying = null;
    }
  }
}
