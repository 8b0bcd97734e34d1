// The scanner service: plans a watchlist scan, quotes only what the plan needs through the broker, and streams ranks.
// (Over 400 lines: planning, the guided refinement, the final re-quote and auto-refresh share the run's quoting state.)
//
// Per symbol: qualify the underlying (cached for the session), option-chain parameters (cached by the broker), a
// streaming underlying quote (price and ATM IV, released at the end), then expiry by expiry, nearest first: the
// options that really exist (one contract-details request), the plan's strikes for that expiry, and one snapshot per
// planned option at 'scan' priority through the broker's line manager and pacer. Contract-details requests jump the
// pacer queue ahead of snapshots, so the next expiry is only looked up once the snapshot pipeline has drained below
// a few seconds of work — otherwise they would all go first and hold back the first rows.
// After each completed quote the chains are re-ranked (throttled) and `scan.results` / `scan.progress` go out.
// The run's lifecycle (states, finish(), deltas, listeners) is run.ts; one quote is quoting.ts.
import {
  ContractFailure,
  DEFAULT_SCAN_RATE,
  ScanRequest as ScanRequestSchema,
  type ScanPreset,
  type ScanProgress,
  type ScanRequest,
  type ScanRequestParsed,
  type ScanResults,
} from '../../../core/contract';
import { daysToExpiry, expiryInstantFor, nyDate, parseIsoDate, parseTwsTime, yearsToExpiry } from '../../../core/market';
import { chooseDivYield, createChain, guidedNeeds, planScan, type ChainSnapshot, type ExpirySlice, type LegRef, type PlanExpiryInput } from '../../../core/scanner';
import type { HandlerMap } from '../../../core/contract';
import type { EventBus } from '../events';
import type { Logger } from '../logging';
import type { SettingsStore } from '../settings/settings-store';
import type { Broker, Dividends, OptionChainParams, QualifiedContract, Quote } from '../broker/types';
import { openInterestOf, type OiLeg } from './open-interest';
import { firstOf, isAbort, quoteOption, type QuoteDeps } from './quoting';
import { STALE_AFTER_MS, ScanRun, type RunHost, type SymbolState } from './run';
import { whatIfOfTop } from './what-if';
import { issuesSentence } from '../../transport/issues';

export { STALE_AFTER_MS };

/** Risk-free rate when neither the request nor the settings give one (the settings' default; TWS does not send one). */
export const DEFAULT_RATE = DEFAULT_SCAN_RATE;
/** The next expiry is looked up once fewer quotes than this are outstanding (about the line budget: ≈ 2 s of work). */
const PIPELINE_DEPTH = 100;
/**
 * The first quotes of each symbol go through streaming lines instead of snapshots: TWS sends a streaming line's
 * current quote at once, while a snapshot takes its time (0.5–2 s at the paper exchange, up to 11 s at TWS). Each
 * costs a second message (the cancel), so only a handful per symbol — enough for its first rows.
 */
const FAST_LANE_PER_SYMBOL = 6;
/**
 * Guided mode's first pass per expiry and right: the plan's first strikes (the band centre by model delta) — four for
 * each symbol's nearest expiry (the fast lane quotes them at once, so first rows come early), one for the others.
 * Everything else is quoted only when a live candidate needs it (core/scanner/guided.ts, best-first, bisecting).
 */
const GUIDED_FIRST_NEAREST = 4;
const GUIDED_FIRST_OTHERS = 1;
/**
 * Guided refinement: legs dispatched per decision, and how few may still be in flight before the next decision. Waves
 * of 60 decided once the previous wave has mostly landed: a decision taken while two or three earlier batches were
 * still in flight picked legs their answers would have ruled out (offline replay of the bench's market: 30/45 asked
 * 1,203 quotes, 60/60 1,105, with the same recall), and ~60 in flight still keeps the 45/s pacer fed at 0.5–2 s latency.
 */
// A run of unseen strikes with a quote in flight is left alone until it lands (guided.ts `inFlight`): in the replay,
// 1,138 → 1,085 quotes at the same simulated time.
const GUIDED_BATCH = 60;
/** Live candidates at most for the endgame: all their legs asked at once instead of bisecting (see refineGuided). */
const GUIDED_ENDGAME = 60;
const GUIDED_LOW_WATER = 60;
/** Live candidates per symbol a decision looks at (the most optimistic; many share a leg once bisected). */
const GUIDED_CANDIDATES = 20 * GUIDED_BATCH;
/** Decisions at most (a backstop: each one quotes at least one leg, and the plan is finite). */
const GUIDED_MAX_DECISIONS = 500;
/** A top row's leg quoted longer ago than this is quoted again before the scan completes (rows go stale at 60 s). */
const REQUOTE_AFTER_MS = STALE_AFTER_MS / 2;
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
  /** Requests the run made: snapshots, fast-lane streams, open-interest lines (each line also costs a cancel), what-ifs. */
  requests: { snapshots: number; streams: number; openInterest: number; whatIf: number };
  /**
   * The follow-up a completed scan starts (IBKR's what-if for its best rows, then the rows' results sent again): it
   * settles with the run's requests counted so far. The scan is complete without it — ranking never waits for margin.
   */
  followUp: Promise<ScanOutcome['requests']>;
}

export interface ScannerService {
  start(request: ScanRequest): Promise<ScanHandle>;
  stop(scanId?: string): Promise<boolean>;
  /** Runs one auto-refresh cycle of the completed run now (what the timer does every N s); false when none ran. */
  refreshNow(): Promise<boolean>;
  /**
   * The rows on screen (by fingerprint) for the run `scanId`: auto-refresh re-quotes their legs first. The latest call
   * wins; false (and nothing stored) when `scanId` is not the current run — a grid still showing a replaced scan.
   */
  viewport(scanId: string, fingerprints: readonly string[]): boolean;
  /** The current run's lifecycle facts (for tests and diagnostics): state, listeners on its signal, quotes in flight. */
  runDiagnostics(): { scanId: string; state: ScanProgress['state']; abortListeners: number; outstanding: number; lastRefresh: ScanRun['lastRefresh']; openInterestLines: number } | null;
  latest(): { progress: ScanProgress | null; results: ScanResults | null };
  presets(): ScanPreset[];
  savePreset(preset: ScanPreset): ScanPreset[];
  deletePreset(name: string): ScanPreset[];
  close(): Promise<void>;
}

interface Underlying {
  contract: QualifiedContract;
  params: OptionChainParams[];
}

type DatedExpiry = PlanExpiryInput & { tradingClass: string; multiplier: number };

const legKey = (l: LegRef): string => `${l.expiryIdx}:${l.right}:${l.index}`;
const colsOf = (chain: ChainSnapshot, l: LegRef) => {
  const slice = chain.expiries[l.expiryIdx] as ExpirySlice;
  return l.right === 'C' ? slice.call : slice.put;
};

function errorText(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

export function createScannerService(deps: ScannerDeps): ScannerService {
  const { broker, bus } = deps;
  const log = deps.logger;
  const now = deps.now ?? Date.now;
  const defaultRate = deps.rate ?? DEFAULT_RATE;
  const underlyings = new Map<string, QualifiedContract>();
  let sessionKey: number | null = null;
  let current: ScanRun | null = null;
  const qd: QuoteDeps = { broker, now, log };
  let lastProgress: ScanProgress | null = null;
  let lastResults: ScanResults | null = null;

  const core: RunHost = {
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

  /** The dividend yields the request and the settings give this symbol (IBKR's is used only when neither does). */
  function divOverrides(run: ScanRun, symbol: string): { request: number | undefined; settings: number | undefined } {
    return { request: run.req.divYields?.[symbol] ?? run.req.divYield, settings: deps.settings?.get().ui.scannerModel.divYields[symbol] };
  }

  /**
   * The underlying's first usable price and, if they come quickly, its ATM IV (generic tick 106) and IBKR's dividends
   * (generic tick 456; waited for only when neither the request nor the settings give q), from a streaming line.
   */
  async function underlyingPrice(run: ScanRun, sym: SymbolState, contract: QualifiedContract): Promise<{ spot: number; iv: number | null; dividends: Dividends | null }> {
    const o = divOverrides(run, sym.symbol);
    const wantsDividends = o.request === undefined && o.settings === undefined;
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
    }, { genericTicks: '106,456' });
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
        const dividends = q?.dividends ?? null;
        // Neither is waited for past the grace: without them the plan has no IV and q falls back (and says so).
        if ((iv !== null && (dividends !== null || !wantsDividends)) || now() - pricedAt >= IV_GRACE_MS) return { spot: p, iv, dividends };
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

  async function scanSymbol(run: ScanRun, sym: SymbolState): Promise<void> {
    const contract = await qualifyUnderlying(sym.symbol);
    // The price line, the chain parameters and the first expiry's contracts are requested together.
    const priced = underlyingPrice(run, sym, contract);
    priced.catch(() => undefined);
    const u: Underlying = { contract, params: await chainParams(contract) };
    const expiries = expiriesOf(u, run.asOf);
    const inRange = expiries.filter((e) => e.tYears > 0 && e.dte >= run.req.filters.dte.min && e.dte <= run.req.filters.dte.max);
    const contractsOf = new Map<string, Promise<QualifiedContract[]>>();
    const contractsFor = (expiry: string, tradingClass: string): Promise<QualifiedContract[]> => {
      const key = `${tradingClass}|${expiry}`;
      let p = contractsOf.get(key);
      if (!p) {
        p = broker.optionContracts({ symbol: sym.symbol, expiry, tradingClass });
        p.catch(() => undefined);
        contractsOf.set(key, p);
      }
      return p;
    };
    // The nearest expiry's contracts alone (its quotes make the first rows); every later expiry's come with its whole
    // contract month — one message per month instead of one per weekly expiry (about 20 → 3 per symbol at DTE 0–45).
    const fetchContracts = (e: DatedExpiry): Promise<QualifiedContract[]> =>
      e === inRange[0] ? contractsFor(e.expiry, e.tradingClass) : contractsFor(e.expiry.slice(0, 6), e.tradingClass).then((all) => all.filter((c) => c.expiry === e.expiry));
    if (inRange[0]) void fetchContracts(inRange[0]);
    const multiplier = expiries[0]?.multiplier ?? 100;
    log?.debug({ symbol: sym.symbol, ms: now() - run.startedAt }, 'scan: chain parameters');
    const { spot, iv, dividends } = await priced;
    // r: the request's, else the settings' (ui.scannerModel), else the service's default. q: the request's, else the
    // settings', else IBKR's dividends (tick 456) over spot, else 0 — and the progress says which, per symbol.
    const model = deps.settings?.get().ui.scannerModel;
    const rate = run.req.rate ?? model?.rate ?? defaultRate;
    const { divYield, divSource } = chooseDivYield({ ...divOverrides(run, sym.symbol), ibkr: dividends, spot });
    sym.divYield = divYield;
    sym.divSource = divSource;
    log?.debug({ symbol: sym.symbol, ms: now() - run.startedAt, spot, iv, divYield, divSource }, 'scan: underlying priced');
    sym.chain = createChain({ symbol: sym.symbol, spot, rate, divYield, multiplier, asOf: run.asOf, expiries: [] });
    const planInput = { spot, atmIv: iv, rate, divYield, filters: run.req.filters };
    // An estimate from the chain-parameter grid, corrected expiry by expiry as the real strikes arrive.
    const estimate = planScan({ ...planInput, expiries });
    const guided = run.req.mode === 'guided';
    /** The strikes (of one right of the expiry at `rank`, in the plan's order) that the first pass quotes. */
    const firstPass = (list: readonly number[], rank: number): Set<number> => (guided ? new Set(list.slice(0, rank === 0 ? GUIDED_FIRST_NEAREST : GUIDED_FIRST_OTHERS)) : new Set(list));
    estimate.expiries.forEach((e, rank) => sym.plannedByExpiry.set(e.expiry, firstPass(e.calls, rank).size + firstPass(e.puts, rank).size));
    sym.planned = [...sym.plannedByExpiry.values()].reduce((a, b) => a + b, 0);
    run.emitProgress();
    if (estimate.expiries.length === 0) {
      sym.error = `${sym.symbol}: no expiry in ${run.req.filters.dte.min}–${run.req.filters.dte.max} DTE has strikes in the plan.`;
      return;
    }
    const pending: Promise<void>[] = [];
    for (const [rank, e] of estimate.expiries.entries()) {
      if (run.signal.aborted) break;
      if (rank > 0 && !guided) await run.drained(PIPELINE_DEPTH);
      // Guided mode quotes only a strike or two per expiry before refining, so once the nearest expiry's quotes are
      // queued (first rows), every other expiry's contracts are asked for at once; the exhaustive plan staggers them
      // behind its quotes (they share the pacer's 'quote' priority with the fast lane).
      if (guided && rank === 1) {
        // …after the nearest expiry's quotes are in: the contracts share the fast lane's pacer priority and would
        // otherwise go out ahead of its streams and hold back the first rows.
        await Promise.all(pending);
        for (const x of inRange) void fetchContracts(x);
      }
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
      const callsNow = p ? firstPass(p.calls.filter((k) => byKey.has(`C${k}`)), rank) : new Set<number>();
      const putsNow = p ? firstPass(p.puts.filter((k) => byKey.has(`P${k}`)), rank) : new Set<number>();
      sym.planned += callsNow.size + putsNow.size - (sym.plannedByExpiry.get(e.expiry) ?? 0);
      sym.plannedByExpiry.set(e.expiry, callsNow.size + putsNow.size);
      if (!p || planned.length === 0) continue;
      const used = [...new Set(planned.map(([, k]) => k))].sort((a, b) => a - b);
      const slice = createChain({ symbol: sym.symbol, spot: sym.chain.spot, rate, divYield, multiplier, asOf: run.asOf, expiries: [{ expiry: e.expiry, dte: e.dte, tYears: e.tYears, strikes: used }] }).expiries[0] as ExpirySlice;
      const expiryIdx = sym.chain.expiries.length;
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
          // A known conId marks the leg as planned; guided mode quotes only the first pass's legs now.
          slice[right === 'C' ? 'call' : 'put'].conId[index] = conId;
          if (!(right === 'C' ? callsNow : putsNow).has(k)) continue;
          sym.tried.add(legKey({ expiryIdx, right, index }));
          pending.push(quoteOption(qd, run, conId, { sym, slice, right, index }));
        }
      }
      run.emitProgress();
    }
    // Guided mode does not wait for its first pass here: the refinement starts once most of it has landed (below).
    if (guided) run.firstPass.push(...pending);
    else await Promise.all(pending);
  }

  /**
   * Guided refinement across the watchlist: rank what is quoted, ask core/scanner/guided which legs can still change
   * the top (the overall K-th exact score, or a symbol's quota-th when that is lower), and quote the most promising
   * first — one leg per live candidate, bisecting its unquoted gap — keeping the pacer fed: the next decision is taken
   * once fewer than GUIDED_LOW_WATER quotes are in flight (those count as asked). Stops when no candidate is live.
   * Only real quotes ever reach a row.
   */
  async function refineGuided(run: ScanRun): Promise<void> {
    const { filters, scoring, topPerSymbol, top, drift, minPerSymbol } = run.req;
    const k = Math.min(top, topPerSymbol);
    const inFlight: Promise<void>[] = [...run.firstPass];
    // Legs this refinement asked for that have not landed: a run of unseen strikes holding one waits for its answer.
    const due = new Map<SymbolState, Set<string>>();
    // The first decision waits until the first pass is mostly in (no barrier on its slowest quotes).
    await run.drained(GUIDED_LOW_WATER);
    for (let decision = 0; decision < GUIDED_MAX_DECISIONS && !run.signal.aborted; decision++) {
      const t0 = now();
      const ranked = run.symbols.map((sym) => (sym.chain ? run.engine.scanChain(sym.chain, { filters, scoring, topPerSymbol: k, drift, now: now(), staleAfterMs: Infinity }).rows : []));
      // The top is each symbol's best `quota` rows (reserved) plus the best of the rest by score: a candidate enters
      // if it beats its symbol's quota-th row, or the last of the rest that make the top.
      const withRows = ranked.filter((r) => r.length > 0).length;
      const quota = withRows === 0 ? 0 : Math.min(minPerSymbol, Math.max(1, Math.floor(top / withRows)));
      const rest = ranked.flatMap((r) => r.slice(quota).map((x) => x.score)).sort((a, b) => b - a);
      const free = top - ranked.reduce((n, r) => n + Math.min(quota, r.length), 0);
      const overall = free <= 0 ? Infinity : rest.length >= free ? (rest[free - 1] as number) : -Infinity;
      const liveOf = (bisect: boolean): Array<{ sym: SymbolState; opt: number; legs: LegRef[] }> => {
        const out: Array<{ sym: SymbolState; opt: number; legs: LegRef[] }> = [];
        run.symbols.forEach((sym, i) => {
          const chain = sym.chain;
          if (!chain) return;
          const rows = ranked[i] ?? [];
          // A candidate matters if it can enter the overall top, or this symbol's quota while that is not yet full.
          const own = minPerSymbol > 0 ? (rows.length >= Math.max(1, quota) ? (rows[Math.max(1, quota) - 1]?.score ?? -Infinity) : -Infinity) : Infinity;
          const needs = guidedNeeds({
            chain, filters, scoring, k: Number.MAX_SAFE_INTEGER, floor: Math.min(overall, own), bisect, limit: GUIDED_CANDIDATES,
            exactScores: [],
            planned: (l) => Number.isFinite(colsOf(chain, l).conId[l.index]),
            tried: (l) => sym.tried.has(legKey(l)),
            inFlight: (l) => due.get(sym)?.has(legKey(l)) ?? false,
          });
          for (const c of needs.live) out.push({ sym, opt: c.opt, legs: c.legs });
        });
        return out.sort((a, b) => b.opt - a.opt);
      };
      let live = liveOf(true);
      // The endgame: once the live candidates fit in one wave, each round trip of bisection costs a snapshot's latency
      // (0.5–2 s) for a handful of legs — so every leg they still need is asked at once, in one last wave.
      const endgame = live.length > 0 && live.length <= GUIDED_ENDGAME;
      if (endgame) live = liveOf(false);
      let sent = 0;
      for (const c of live) {
        if (!endgame && sent >= GUIDED_BATCH) break;
        for (const l of endgame ? c.legs : c.legs.slice(0, 1)) {
          if (c.sym.tried.has(legKey(l)) || !c.sym.chain) continue;
          c.sym.tried.add(legKey(l));
          c.sym.planned++;
          sent++;
          const slice = c.sym.chain.expiries[l.expiryIdx] as ExpirySlice;
          const pending = due.get(c.sym) ?? new Set<string>();
          due.set(c.sym, pending);
          pending.add(legKey(l));
          const job = quoteOption(qd, run, colsOf(c.sym.chain, l).conId[l.index] as number, { sym: c.sym, slice, right: l.right, index: l.index }).finally(() => pending.delete(legKey(l)));
          inFlight.push(job);
        }
      }
      log?.debug({ decision, endgame, sent, live: live.length, overall, outstanding: run.outstanding, ms: now() - t0 }, 'scan: guided decision');
      if (sent === 0 && run.outstanding === 0) return;
      if (sent > 0) run.emitProgress();
      // Decide again once the pipeline runs low (or, with nothing new to send, once what is in flight has landed).
      await run.drained(sent === 0 ? 1 : GUIDED_LOW_WATER);
    }
    await Promise.all(inFlight);
  }

  /**
   * No stale row in the final top: before completing, the legs of the rows that make the top and were quoted more than
   * REQUOTE_AFTER_MS ago are quoted again and everything is re-ranked — twice at most, since fresh prices can move a
   * row with older legs into the top.
   */
  async function requoteAgeingTop(run: ScanRun): Promise<void> {
    // One cutoff for both passes: the second only catches rows that entered the top with older legs.
    const cutoff = now() - REQUOTE_AFTER_MS;
    for (let pass = 0; pass < 2 && !run.signal.aborted; pass++) {
      run.flush(false);
      const old = new Set<number>();
      for (const row of run.lastResults?.rows ?? []) {
        for (const l of [row.short, row.long]) if (l.conId !== null && (l.quoteTime === null || l.quoteTime < cutoff)) old.add(l.conId);
      }
      if (old.size === 0) return;
      log?.debug({ pass, legs: old.size }, 'scan: re-quoting the top rows’ older legs');
      const jobs: Promise<void>[] = [];
      for (const conId of old) {
        const slot = run.slots.get(conId);
        if (!slot) continue;
        const link = run.child();
        jobs.push(quoteOption(qd, run, conId, slot, link.signal).finally(() => link.dispose()));
      }
      await Promise.all(jobs);
    }
  }

  /**
   * Open interest TWS has sent this session, by option, with the New York date it was sent for: OI is published once a
   * day, so a leg is asked for once per trading day — scrolling back, an auto-refresh or the next scan cost nothing.
   */
  const oiKnown = new Map<number, { oi: number; day: string }>();

  /** Writes the OI known for today into every quoted leg of the run (no request). */
  function applyKnownOi(run: ScanRun): void {
    const today = nyDate(now());
    for (const [conId, slot] of run.slots) {
      const k = oiKnown.get(conId);
      if (k && k.day === today) (slot.right === 'C' ? slot.slice.call : slot.slice.put).openInterest[slot.index] = k.oi;
    }
  }

  /**
   * Open interest for the rows on screen of a completed run (scan.viewport), from short tick-101 lines
   * (open-interest.ts) — snapshots cannot carry OI. Only what the trader sees is asked for, once per leg per day: the
   * whole top's legs would cost two messages each (line and cancel), as much as a tenth of a guided scan. Single-flight:
   * a viewport that arrives meanwhile is served by one more pass when the running one ends. Aborted with the
   * auto-refresh (run.followUp).
   */
  function openInterestOnScreen(run: ScanRun): Promise<void> {
    if (run.oiTask) {
      run.oiAgain = true;
      return run.oiTask;
    }
    const task = (async () => {
      const signal = run.followUp.signal;
      do {
        run.oiAgain = false;
        const today = nyDate(now());
        const legs = new Map<number, OiLeg>();
        for (const row of run.lastResults?.rows ?? []) {
          if (!run.viewport.has(row.fingerprint)) continue;
          for (const l of [row.short, row.long]) {
            if (l.conId === null || !run.slots.has(l.conId) || run.oiMissing.has(l.conId) || oiKnown.get(l.conId)?.day === today) continue;
            legs.set(l.conId, { conId: l.conId, symbol: row.symbol, right: l.right });
          }
        }
        if (legs.size === 0 || signal.aborted) continue;
        const { found, asked } = await openInterestOf(broker, [...legs.values()], signal);
        run.requests.openInterest += asked;
        if (signal.aborted) return;
        for (const conId of legs.keys()) {
          const oi = found.get(conId);
          if (oi === undefined) run.oiMissing.add(conId);
          else oiKnown.set(conId, { oi, day: today });
        }
        applyKnownOi(run);
        if (found.size > 0) run.flush(true);
        log?.debug({ legs: legs.size, withOi: found.size }, 'scan: open interest of the rows on screen');
      } while (run.oiAgain && !signal.aborted);
    })()
      .catch((e: unknown) => log?.warn({ err: e }, 'scan: open interest of the rows on screen failed'))
      .finally(() => {
        run.oiTask = null;
      });
    run.oiTask = task;
    return task;
  }

  async function execute(run: ScanRun): Promise<void> {
    run.begin();
    await Promise.all(
      run.symbols.map((sym) =>
        scanSymbol(run, sym).catch((e: unknown) => {
          if (isAbort(e, run.signal)) return;
          sym.error = errorText(e);
          log?.warn({ err: e, symbol: sym.symbol }, 'scanning a symbol failed');
        }),
      ),
    );
    if (run.req.mode === 'guided' && !run.signal.aborted) await refineGuided(run);
    if (!run.signal.aborted) await requoteAgeingTop(run);
    if (run.signal.aborted) return;
    applyKnownOi(run);
    if (run.symbols.every((s) => s.error !== null)) run.finish('failed', 'No symbol could be scanned.');
    else {
      run.finish('complete');
      // Now the top is settled: IBKR's what-if for its best rows, and the OI of the rows on screen (the grid reported
      // them while the scan ran) — both after completion, aborted with the auto-refresh (run.followUp).
      run.followUpDone = Promise.all([whatIfOfTop(run, qd), openInterestOnScreen(run)]).then(() => undefined);
    }
  }

  /** Re-quotes the legs of the rows on screen every N seconds and re-ranks, until stopped or replaced. */
  function scheduleRefresh(run: ScanRun): void {
    const every = run.req.autoRefreshSec;
    if (!every || run.state !== 'complete' || run.cancelled) return;
    run.refreshTimer = setTimeout(() => {
      run.refreshTimer = null;
      const cycle = new AbortController();
      run.refreshAbort = cycle;
      void refreshOnce(run, cycle.signal).finally(() => {
        if (run.refreshAbort === cycle) run.refreshAbort = null;
        if (current === run && !cycle.signal.aborted) scheduleRefresh(run);
      });
    }, every * 1000);
  }

  /**
   * Share of the refresh interval's pacer capacity one cycle may use: at 45 msg/s a 15 s interval allows 337
   * snapshots, not the ~800 legs of a top 400 — the rest of the pacer stays free for the ticket and positions.
   */
  const REFRESH_PACER_SHARE = 0.5;
  /** Of a cycle's legs, this share at least goes to rows off screen while there are any, so every kept row comes round. */
  const REFRESH_OFFSCREEN_SHARE = 0.1;
  /** The interval a cycle's budget assumes when the run has none (refreshNow without auto-refresh): the shortest allowed. */
  const REFRESH_FALLBACK_SEC = 5;

  /** Snapshots one refresh cycle may ask for: REFRESH_PACER_SHARE of what the pacer sends in the interval (≥ 1). */
  function refreshBudget(run: ScanRun): number {
    const every = run.req.autoRefreshSec ?? REFRESH_FALLBACK_SEC;
    return Math.max(1, Math.floor(REFRESH_PACER_SHARE * every * core.pacerRate()));
  }

  /**
   * The legs one refresh cycle re-quotes, within `slots` snapshots: the visible rows' legs first, then the other kept
   * rows' — each group least recently refreshed first (ties in rank order), so a group larger than its share rotates
   * over later cycles. Off-screen rows keep REFRESH_OFFSCREEN_SHARE of the legs so none waits forever.
   */
  function refreshLegs(run: ScanRun, slots: number): { visible: number[]; rest: number[] } {
    const rows = run.lastResults?.rows ?? [];
    const seen = new Set<number>();
    const collect = (onScreen: boolean): number[] => {
      const out: number[] = [];
      for (const row of rows) {
        if (run.viewport.has(row.fingerprint) !== onScreen) continue;
        for (const l of [row.short, row.long]) {
          if (l.conId === null || seen.has(l.conId) || !run.slots.has(l.conId)) continue;
          seen.add(l.conId);
          out.push(l.conId);
        }
      }
      // Stable sort: never-refreshed legs (-1) first, then by the cycle that last refreshed them.
      return out.sort((a, b) => (run.refreshedIn.get(a) ?? -1) - (run.refreshedIn.get(b) ?? -1));
    };
    const visible = collect(true);
    const rest = collect(false);
    const reserve = rest.length > 0 ? Math.min(rest.length, Math.max(1, Math.floor(slots * REFRESH_OFFSCREEN_SHARE))) : 0;
    const shown = visible.slice(0, Math.max(0, slots - reserve));
    return { visible: shown, rest: rest.slice(0, Math.max(0, slots - shown.length)) };
  }

  /**
   * One auto-refresh cycle: each symbol's spot, then the legs refreshLegs picks within the cycle's budget (the spots
   * count toward it); every quote linked to `cycle` through its own child signal, unlinked when it settles.
   */
  async function refreshOnce(run: ScanRun, cycle: AbortSignal): Promise<void> {
    const budget = refreshBudget(run);
    const cycleNo = ++run.refreshCycles;
    const jobs: Promise<void>[] = [];
    let spots = 0;
    for (const sym of run.symbols) {
      if (!sym.chain || sym.underlyingConId === null) continue;
      const chain = sym.chain;
      const link = run.child(cycle);
      spots++;
      jobs.push(
        broker
          .snapshotQuote({ conId: sym.underlyingConId, symbol: sym.symbol }, { priority: 'scan', signal: link.signal })
          .then(
            (q) => {
              const p = q.bid !== null && q.ask !== null && q.bid > 0 ? (q.bid + q.ask) / 2 : firstOf(q.last, q.close);
              if (p !== null) chain.spot = p;
            },
            () => undefined,
          )
          .finally(() => link.dispose()),
      );
    }
    const { visible, rest } = refreshLegs(run, Math.max(0, budget - spots));
    const legs = [...visible, ...rest];
    run.lastRefresh = { budget, visible: visible.length, legs };
    log?.debug({ cycle: cycleNo, budget, spots, visible: visible.length, rest: rest.length }, 'scan: refresh cycle');
    for (const conId of legs) {
      const slot = run.slots.get(conId);
      if (!slot) continue;
      // Counted as refreshed when asked, so a leg whose quote keeps failing still rotates behind the others.
      run.refreshedIn.set(conId, cycleNo);
      jobs.push(quoteOption(qd, run, conId, slot, cycle));
    }
    await Promise.all(jobs);
    if (!cycle.aborted) run.flush(true);
  }

  /** Stops a run: ends it if it is still going, and stops its auto-refresh. True when anything was running. */
  function stopRun(run: ScanRun): boolean {
    const refreshing = run.stopRefresh();
    // A completed run's follow-up said what it was doing; stopped, it says nothing more.
    if (run.state === 'complete' && run.message !== null) {
      run.message = null;
      run.emitProgress();
    }
    const ended = run.finish('stopped', 'Stopped.');
    return ended || refreshing;
  }

  /** Serialises scan.start: each start waits for the previous one to have replaced `current`. */
  let startChain: Promise<unknown> = Promise.resolve();

  async function startNow(request: ScanRequest): Promise<ScanHandle> {
    const parsed = ScanRequestSchema.safeParse(request);
    if (!parsed.success) throw new ContractFailure('VALIDATION', issuesSentence(parsed.error.issues, request));
    if (broker.status().state !== 'connected') throw new ContractFailure('UNAVAILABLE', 'Connect to a profile before scanning.');
    if (current) stopRun(current);
    const req: ScanRequestParsed = { ...parsed.data, symbols: [...new Set(parsed.data.symbols)] };
    const run = new ScanRun(req, core, FAST_LANE_PER_SYMBOL);
    current = run;
    run.emitProgress();
    const done = execute(run)
      .catch((e: unknown) => {
        if (isAbort(e, run.signal)) return;
        log?.error({ err: e }, 'scan failed');
        run.finish('failed', errorText(e));
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
          requests: { ...run.requests },
          followUp: run.followUpDone.then(() => ({ ...run.requests })),
        };
      });
    return { scanId: run.id, done };
  }

  const service: ScannerService = {
    start(request) {
      const next = startChain.then(() => startNow(request));
      startChain = next.catch(() => undefined);
      return next;
    },
    async stop(scanId) {
      const run = current;
      if (!run || (scanId !== undefined && scanId !== run.id)) return false;
      return stopRun(run);
    },
    async refreshNow() {
      const run = current;
      if (!run || run.state !== 'complete' || run.cancelled) return false;
      const cycle = new AbortController();
      run.refreshAbort ??= cycle;
      try {
        await refreshOnce(run, cycle.signal);
      } finally {
        if (run.refreshAbort === cycle) run.refreshAbort = null;
      }
      return !cycle.signal.aborted;
    },
    viewport(scanId, fingerprints) {
      const run = current;
      if (!run || run.id !== scanId) return false;
      run.viewport = new Set(fingerprints);
      if (run.state === 'complete' && !run.cancelled) void openInterestOnScreen(run);
      return true;
    },
    runDiagnostics() {
      return current ? { scanId: current.id, state: current.state, abortListeners: current.listenerCount(), outstanding: current.outstanding, lastRefresh: current.lastRefresh, openInterestLines: current.requests.openInterest } : null;
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
      await startChain;
      if (current) stopRun(current);
      current = null;
    },
  };
  return service;
}

/** The scanner's contract handlers. */
export type ScanMethod = 'scan.start' | 'scan.stop' | 'scan.latest' | 'scan.viewport' | 'scan.presets' | 'scan.savePreset' | 'scan.deletePreset';

export function scannerHandlers(svc: ScannerService): Pick<HandlerMap, ScanMethod> {
  return {
    'scan.start': async (args) => {
      const h = await svc.start(args);
      return { scanId: h.scanId, planned: 0 };
    },
    'scan.stop': async ({ scanId }) => ({ stopped: await svc.stop(scanId) }),
    'scan.latest': () => svc.latest(),
    'scan.viewport': ({ scanId, fingerprints }) => ({ applied: svc.viewport(scanId, fingerprints) }),
    'scan.presets': () => svc.presets(),
    'scan.savePreset': ({ preset }) => svc.savePreset(preset),
    'scan.deletePreset': ({ name }) => svc.deletePreset(name),
  };
}
