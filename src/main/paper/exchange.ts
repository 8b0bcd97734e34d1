// The paper exchange: TCP server, client registry, request routing, clocks, faults and statistics.
// Length (~775 lines): the hub every session, the order engine and the market data reach through; the engines live in
// orders.ts, account.ts, marketdata.ts and assignment.ts, and what stays here is the routing and the state they share.
import { createServer, type Server, type Socket } from 'node:net';
import { dayToYmd, formatEt, utcToEt } from '../../core/sim/calendar';
import { type Clock, defaultOpenStart, type SessionMode, SimClock } from '../../core/sim/clock';
import { parseSimConfig, type SimConfig } from '../../core/sim/config';
import { MarketModel } from '../../core/sim/model';
import { DEFAULT_COMMISSION, type CommissionConfig } from '../../core/sim/commission';
import { DEFAULT_FILL_MODEL, type FillModel } from '../../core/sim/matching';
import { AccountStreams, valuation } from './account';
import { details, findContracts, MARKET_RULES, NO_SECDEF } from './contracts';
import { Ledger } from './ledger';
import { OrderEngine } from './orders';
import { BooksStore } from './store';
import { DEFAULT_PACING, type PacingOptions } from './limiter';
import { MarketDataHub } from './marketdata';
import { readRecording, SessionRecorder, SessionReplayer } from './replay';
import { Session, type SessionHost } from './session';
import * as enc from './wire/encode';
import type { Request } from './wire/decode';
import type { SimScenario, SimStatus } from '../../core/contract/sim';

/** A control request for the simulated market (the app's sim.* methods, the CLI, tests). */
export type SimCommand =
  | { op: 'status' }
  | { op: 'setSpeed'; speed: number }
  | { op: 'pause' }
  | { op: 'resume' }
  | { op: 'jump'; to?: number; by?: number }
  | { op: 'scenario'; scenario: SimScenario };

export interface PaperExchangeOptions {
  /** TCP port; 0 picks a free one. */
  port?: number;
  /** Interface to listen on; loopback unless set explicitly. */
  host?: string;
  seed?: number;
  /** Simulated ms per wall ms (1 real time, 60 = one minute per second). */
  speed?: number;
  /** Simulator configuration (JSON-shaped, merged over the defaults). */
  config?: unknown;
  /** 'open' (default): always inside a regular session; 'nyse': follow real NYSE hours. */
  sessionMode?: SessionMode;
  /** Simulated start instant (epoch ms, or ISO text); default: now, moved into a session in 'open' mode. */
  startAt?: number | string;
  /** Wall clock (tests inject a manual one). */
  wallClock?: Clock;
  /** Clock for the message-rate limiter (tests inject a manual one). */
  limiterClock?: Clock;
  /** Wall ms between market-data publishing rounds. */
  publishIntervalMs?: number;
  /** No timer: the owner calls publishNow() (deterministic tests). */
  manualPublish?: boolean;
  pacing?: Partial<PacingOptions>;
  /** Concurrent market-data lines for the account (TWS default 100). */
  lineBudget?: number;
  /** Wall-clock latency before a snapshot completes (uniform in [min, max]). */
  snapshotLatencyMs?: { min: number; max: number };
  /** The paper account id. */
  accountId?: string;
  /** Send the 2104/2106/2158 farm notices after connect (as TWS does). */
  farmNotices?: boolean;
  /** A daily restart like TWS/IB Gateway's auto-restart: at this Eastern wall time, all clients drop and connections are refused for a while. */
  restartWindow?: { atEt: string; durationSec: number } | null;
  /** SQLite file for the account's books (orders, executions, positions, cash); in memory when unset. */
  db?: string;
  /** Starting cash of a new paper account (default $100,000). */
  startingCash?: number;
  commission?: Partial<CommissionConfig>;
  /** Fill model: partial fills by displayed size, a cap per fill, the resting fill rate inside the spread. */
  fills?: Partial<FillModel>;
  /** Orders placed while the market is closed ('nyse' mode): held until the open (default) or rejected. */
  closedMarketOrders?: 'queue' | 'reject';
  /** Wall ms between periodic account summary / account update pushes (TWS: 3 minutes). */
  accountUpdateIntervalMs?: number;
  /** Wall ms between P&L messages (TWS: about a second). */
  pnlIntervalMs?: number;
  /** Log sink (one line per call); silent by default. */
  log?: (line: string) => void;
  /** Start with simulated time frozen (comparable runs: nothing moves until resumed). */
  paused?: boolean;
  /** Called when lines in use or the set of clients change (the worker pushes its statistics then). */
  onStatsChanged?: () => void;
  /** Records the session's market path (seed, start, every control, price marks) to this file (replay.ts). */
  record?: string;
  /** Replays a recorded session: its seed, configuration, mode, speed and start replace these options, and its controls come back on time. */
  replay?: string;
}

export interface ClientStats {
  connId: number;
  clientId: number | null;
  serverVersion: number;
  remote: string;
  linesInUse: number;
  /** Inbound messages in the last rolling second (limiter clock). */
  msgRate: number;
  /** Inbound messages per whole second of the limiter clock, oldest first (last 60 s). */
  perSecond: { second: number; count: number }[];
  totalIn: number;
  totalOut: number;
  pacingViolations: number;
  /** Messages refused by the limiter (each answered with error 100). */
  refused: number;
  marketDataType: number;
}

const CONNECTIVITY_LOST = 'Connectivity between IB and Trader Workstation has been lost.';

export class PaperExchange implements SessionHost {
  readonly model: MarketModel;
  readonly config: SimConfig;
  readonly seed: number;
  readonly clock: SimClock;
  readonly wall: Clock;
  readonly limiterClock: Clock;
  readonly pacing: PacingOptions;
  readonly accountId: string;
  readonly marketData: MarketDataHub;
  private server: Server | null = null;
  private readonly sessions = new Set<Session>();
  private nextConnId = 1;
  private publishTimer: NodeJS.Timeout | null = null;
  private housekeepingTimer: NodeJS.Timeout | null = null;
  private refuseUntil = 0;
  private reopenTimer: NodeJS.Timeout | null = null;
  private latencyMs = 0;
  private dataPaused = false;
  private connectivityTimer: NodeJS.Timeout | null = null;
  private lastRestartDay = -1;
  /** The restart window set at run time (undefined: the option's). */
  private restartWindowSet: { atEt: string; durationSec: number } | null | undefined = undefined;
  /** Frozen connections and until when (wall ms); frozenAll also freezes connections made meanwhile. */
  private readonly frozen = new Map<Session, number>();
  private frozenAll = 0;
  private thawTimer: NodeJS.Timeout | null = null;
  /** Client ids answered 326 until the given wall ms. */
  private readonly heldClientIds = new Map<number, number>();
  private closed = false;
  private lastSimTimeSaved = 0;
  private heartbeatTimer: NodeJS.Timeout | null = null;
  private beats: [number, number] = [-Infinity, -Infinity];
  listenPort = 0;
  listenHost = '127.0.0.1';
  readonly store: BooksStore;
  readonly ledger: Ledger;
  readonly account: AccountStreams;
  readonly orders: OrderEngine;

  readonly opts: PaperExchangeOptions;
  private readonly recorder: SessionRecorder | null = null;
  private readonly replayer: SessionReplayer | null = null;

  constructor(options: PaperExchangeOptions = {}) {
    const recording = options.replay ? readRecording(options.replay) : null;
    const h = recording?.header;
    const opts: PaperExchangeOptions = h ? { ...options, seed: h.seed, config: h.config, sessionMode: h.mode, speed: h.speed, startAt: h.start, paused: h.paused } : options;
    this.opts = opts;
    this.config = parseSimConfig(opts.config ?? {});
    this.seed = opts.seed ?? 42;
    this.model = new MarketModel(this.config, this.seed);
    this.wall = opts.wallClock ?? { now: () => Date.now() };
    this.limiterClock = opts.limiterClock ?? this.wall;
    this.pacing = { ...DEFAULT_PACING, ...opts.pacing };
    this.accountId = opts.accountId ?? 'DU1234567';
    this.store = new BooksStore(opts.db ?? ':memory:');
    this.ledger = new Ledger(this.store, this.accountId, opts.startingCash ?? 100_000);
    const mode = opts.sessionMode ?? 'open';
    const startAt = typeof opts.startAt === 'string' ? Date.parse(opts.startAt) : opts.startAt;
    // After a restart the market continues from where it was: simulated time never runs backwards over the books.
    const saved = Number(this.ledger.meta.get('sim_time') ?? 0);
    const start = startAt ?? Math.max(mode === 'open' ? defaultOpenStart(this.wall.now()) : this.wall.now(), saved);
    if (!Number.isFinite(start)) throw new Error(`Invalid startAt ${String(opts.startAt)}`);
    this.clock = new SimClock({ wall: this.wall, speed: opts.speed ?? 1, mode, start });
    if (opts.paused) this.clock.pause();
    this.marketData = new MarketDataHub(
      { model: this.model, seed: this.seed, simNow: () => this.clock.now(), dataFlowing: () => !this.dataPaused, linesChanged: () => this.opts.onStatsChanged?.() },
      { lineBudget: opts.lineBudget ?? 100, snapshotLatencyMs: opts.snapshotLatencyMs ?? { min: 500, max: 2000 } },
    );
    this.account = new AccountStreams({
      model: this.model, ledger: this.ledger, accountId: this.accountId, simNow: () => this.clock.now(), wallNow: () => this.wall.now(),
      accountUpdateIntervalMs: opts.accountUpdateIntervalMs ?? 180_000, pnlIntervalMs: opts.pnlIntervalMs ?? 1000,
    });
    this.orders = new OrderEngine(this, this.ledger, this.account, {
      commission: { ...DEFAULT_COMMISSION, ...opts.commission },
      fills: { ...DEFAULT_FILL_MODEL, ...opts.fills },
      closedMarketOrders: opts.closedMarketOrders ?? 'queue',
    });
    const wall0 = this.wall.now();
    if (recording) this.replayer = new SessionReplayer(recording, wall0, (cmd, at) => this.applyControl(cmd, at), (line) => this.log(line));
    if (opts.record) {
      this.recorder = new SessionRecorder(opts.record, { kind: 'session', version: 1, seed: this.seed, config: opts.config ?? {}, mode, speed: opts.speed ?? 1, start: this.clock.now(), paused: opts.paused === true }, wall0);
    }
  }

  log(line: string): void {
    this.opts.log?.(line);
  }

  simNow(): number {
    return this.clock.now();
  }

  connectionTime(): string {
    return formatEt(this.clock.now());
  }

  arrivalFloor(now: number): number {
    return this.heartbeatTimer ? Math.min(now, this.beats[0]) : now;
  }

  outboundLatencyMs(session: Session): number {
    return Math.max(this.latencyMs, this.frozenFor(session));
  }

  async listen(): Promise<{ port: number; host: string }> {
    const host = this.opts.host ?? '127.0.0.1';
    await this.openListener(host, this.opts.port ?? 0);
    if (!this.opts.manualPublish) {
      this.publishTimer = setInterval(() => this.tick(), this.opts.publishIntervalMs ?? 250);
      this.publishTimer.unref?.();
    }
    this.housekeepingTimer = setInterval(() => this.housekeeping(), 1000);
    this.housekeepingTimer.unref?.();
    if (!this.opts.limiterClock) {
      // Heartbeats bound how long a read may have waited behind a stall of this event loop (see limiter.ts).
      const beat = (): void => {
        this.beats = [this.beats[1], this.limiterClock.now()];
      };
      const t0 = this.limiterClock.now();
      this.beats = [t0, t0];
      this.heartbeatTimer = setInterval(beat, 10);
      this.heartbeatTimer.unref?.();
    }
    return { port: this.listenPort, host: this.listenHost };
  }

  private openListener(host: string, port: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const server = createServer((socket) => this.onConnection(socket));
      server.on('error', (err) => {
        if (!this.server) reject(err);
        else this.log(`listener error: ${err.message}`);
      });
      server.listen(port, host, () => {
        const addr = server.address();
        if (addr && typeof addr === 'object') {
          this.listenPort = addr.port;
          this.listenHost = addr.address;
        }
        this.server = server;
        resolve();
      });
    });
  }

  private onConnection(socket: Socket): void {
    if (this.closed || this.wall.now() < this.refuseUntil) {
      socket.destroy();
      return;
    }
    const session = new Session(socket, this.nextConnId++, this);
    this.sessions.add(session);
    this.freezeIfFrozen(session);
  }

  onStartApi(session: Session, clientId: number): boolean {
    if (this.clientIdHeld(clientId)) {
      session.error(-1, 326, 'Unable to connect as the client id is already in use. Retry with a unique client id.');
      session.end();
      return false;
    }
    for (const s of this.sessions) {
      if (s !== session && s.isReady && s.clientId === clientId) {
        session.error(-1, 326, 'Unable to connect as the client id is already in use. Retry with a unique client id.');
        session.end();
        return false;
      }
    }
    session.clientId = clientId;
    this.opts.onStatsChanged?.();
    session.send(enc.managedAccounts(this.accountId));
    session.send(enc.nextValidId(this.nextOrderId(clientId)));
    if (this.opts.farmNotices !== false) {
      session.error(-1, 2104, 'Market data farm connection is OK:usfarm');
      session.error(-1, 2106, 'HMDS data farm connection is OK:ushmds');
      session.error(-1, 2158, 'Sec-def data farm connection is OK:secdefnj');
    }
    this.log(`client ${clientId} connected (conn ${session.connId}, v${session.serverVersion}, ${session.remote})`);
    this.orders.onSessionReady(session);
    return true;
  }

  onClosed(session: Session): void {
    if (!this.sessions.delete(session)) return;
    this.marketData.dropSession(session);
    this.account.dropSession(session);
    this.opts.onStatsChanged?.();
    if (session.clientId !== null) this.log(`client ${session.clientId} disconnected (conn ${session.connId})`);
  }

  /** Next order id for a client: above every id it has used, across restarts. */
  nextOrderId(clientId: number): number {
    return this.ledger.nextValidId(clientId);
  }

  onRequest(session: Session, req: Request): void {
    if (this.orders.handle(session, req)) return;
    const now = this.clock.now();
    switch (req.type) {
      case 'reqCurrentTime':
        session.send(enc.currentTime(Math.floor(now / 1000)));
        return;
      case 'reqIds':
        session.send(enc.nextValidId(this.nextOrderId(session.clientId ?? 0)));
        return;
      case 'reqManagedAccts':
        session.send(enc.managedAccounts(this.accountId));
        return;
      case 'reqMarketDataType':
        if (req.marketDataType < 1 || req.marketDataType > 4) {
          session.error(-1, 321, `Error validating request.-'bY' : cause - Invalid market data type ${req.marketDataType}`);
          return;
        }
        session.marketDataType = req.marketDataType;
        return;
      case 'reqContractDetails':
        this.contractDetails(session, req.reqId, req.contract, now);
        return;
      case 'reqSecDefOptParams':
        this.secDefOptParams(session, req.reqId, req.underlyingSymbol, req.futFopExchange, req.underlyingSecType, req.underlyingConId, now);
        return;
      case 'reqMktData':
        this.marketData.request(session, req.reqId, req.contract, req.genericTicks, req.snapshot, req.regulatorySnapshot);
        return;
      case 'cancelMktData':
        this.marketData.cancel(session, req.reqId);
        return;
      case 'reqPositions':
        this.account.reqPositions(session);
        return;
      case 'cancelPositions':
        this.account.cancelPositions(session);
        return;
      case 'reqAccountSummary':
        this.account.reqAccountSummary(session, req.reqId, req.group, req.tags);
        return;
      case 'cancelAccountSummary':
        this.account.cancelAccountSummary(session, req.reqId);
        return;
      case 'reqAccountUpdates':
        this.account.reqAccountUpdates(session, req.subscribe, req.account);
        return;
      case 'reqPositionsMulti':
        this.account.reqPositionsMulti(session, req.reqId, req.account, req.modelCode);
        return;
      case 'cancelPositionsMulti':
        this.account.cancelPositionsMulti(session, req.reqId);
        return;
      case 'reqAccountUpdatesMulti':
        this.account.reqAccountUpdatesMulti(session, req.reqId, req.account, req.modelCode);
        return;
      case 'cancelAccountUpdatesMulti':
        this.account.cancelAccountUpdatesMulti(session, req.reqId);
        return;
      case 'reqPnL':
        this.account.reqPnL(session, req.reqId);
        return;
      case 'cancelPnL':
        this.account.cancelPnL(session, req.reqId);
        return;
      case 'reqPnLSingle':
        this.account.reqPnLSingle(session, req.reqId, req.conId);
        return;
      case 'cancelPnLSingle':
        this.account.cancelPnLSingle(session, req.reqId);
        return;
      case 'reqMarketRule': {
        const rule = MARKET_RULES[req.marketRuleId];
        if (rule) session.send(enc.marketRule(req.marketRuleId, rule));
        else session.error(-1, 321, `Error validating request.-'bS' : cause - Unknown market rule ${req.marketRuleId}`);
        return;
      }
      case 'unsupported':
        session.error(req.reqId, 321, `Error validating request.-'${req.name}' : cause - not supported by the SpreadDesk paper exchange`);
        return;
      default:
        session.error('reqId' in req ? req.reqId : 'orderId' in req ? req.orderId : -1, 321, `Error validating request.-'${req.type}' : cause - not supported by the SpreadDesk paper exchange`);
    }
  }

  private contractDetails(session: Session, reqId: number, contract: Parameters<typeof findContracts>[1], now: number): void {
    const found = findContracts(this.model, contract, now);
    if (found.length === 0) {
      session.error(reqId, 200, NO_SECDEF);
      return;
    }
    // Large chains go out in slices so one request never blocks the event loop.
    const sv = session.serverVersion;
    let i = 0;
    const step = (): void => {
      if (!session.isReady) return;
      try {
        const end = Math.min(found.length, i + 500);
        for (; i < end; i++) session.send(enc.contractData(sv, reqId, details(found[i] as (typeof found)[number], now)));
      } catch (e) {
        session.error(reqId, 322, `Error processing request.-'contractDetails' : cause - ${e instanceof Error ? e.message : String(e)}`);
        return;
      }
      if (i < found.length) setImmediate(step);
      else session.send(enc.contractDataEnd(reqId));
    };
    step();
  }

  private secDefOptParams(session: Session, reqId: number, symbol: string, futFopExchange: string, secType: string, conId: number, now: number): void {
    const u = this.model.underlying(symbol);
    if (!u || (secType !== '' && secType !== u.secType) || (conId > 0 && conId !== u.conId)) {
      session.error(reqId, 200, NO_SECDEF);
      return;
    }
    const day = this.model.listingDay(now);
    for (const info of this.model.classesOf(u.symbol)) {
      const expiries = this.model.expiries(info, day);
      const strikes = new Set<number>();
      for (const e of expiries) for (const k of this.model.strikes(info, e, day)) strikes.add(k);
      const exps = expiries.map(dayToYmd);
      const sortedStrikes = [...strikes].sort((a, b) => a - b);
      for (const ex of info.cfg.exchanges) {
        if (futFopExchange !== '' && futFopExchange !== ex) continue;
        session.send(enc.secDefOptParams(reqId, ex, u.conId, info.cfg.tradingClass, info.cfg.multiplier, exps, sortedStrikes));
      }
    }
    session.send(enc.secDefOptParamsEnd(reqId));
  }

  /** The order and account engine's periodic work: matching, expiries, account streams, the saved clock. */
  private booksTick(): void {
    if (this.replayer) this.replayer.due(() => this.clock.now(), this.wall.now(), this.model);
    this.recorder?.mark(this.model, this.clock.now(), this.wall.now());
    this.orders.tick();
    this.account.tick();
    const wall = this.wall.now();
    if (wall - this.lastSimTimeSaved >= 5000) {
      this.lastSimTimeSaved = wall;
      this.store.setMeta('sim_time', String(this.clock.now()));
    }
  }

  /** One publishing round plus the books' periodic work. */
  tick(): void {
    if (this.closed) return;
    try {
      this.booksTick();
      this.marketData.publish(false);
    } catch (e) {
      this.log(`tick error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
    }
  }

  /** Runs the books' work and a whole publishing round now (manual mode and tests). */
  publishNow(): number {
    this.booksTick();
    return this.marketData.publish();
  }

  /** The account as it stands: cash, positions, margin and values. */
  accountSnapshot(): ReturnType<typeof valuation> {
    return valuation(this.model, this.ledger, this.clock.now());
  }

  private housekeeping(): void {
    this.restartWindowTick();
  }

  // ---- faults -------------------------------------------------------------------------------------

  /** The daily-restart window in force: set at run time by setRestartWindow, else the option. */
  private restartWindowNow(): { atEt: string; durationSec: number } | null {
    return this.restartWindowSet === undefined ? (this.opts.restartWindow ?? null) : this.restartWindowSet;
  }

  /**
   * Moves (or clears) the daily-restart window at run time: at `atEt` (Eastern wall time, HH:MM) every client drops
   * and connections are refused for `durationSec`, once per day, as TWS's and IB Gateway's auto-restart does.
   */
  setRestartWindow(w: { atEt: string; durationSec: number } | null): void {
    if (w && !/^(\d{1,2}):(\d{2})$/.test(w.atEt)) throw new RangeError(`A restart time is HH:MM Eastern, not ${w.atEt}.`);
    this.restartWindowSet = w;
    this.lastRestartDay = -1;
  }

  /** Housekeeping's check of the window: the restart runs once, in the window's first minute. */
  private restartWindowTick(): void {
    const w = this.restartWindowNow();
    if (!w) return;
    const m = /^(\d{1,2}):(\d{2})$/.exec(w.atEt);
    if (!m) return;
    const { day, msOfDay } = utcToEt(this.wall.now());
    const at = (Number(m[1]) * 60 + Number(m[2])) * 60_000;
    if (day !== this.lastRestartDay && msOfDay >= at && msOfDay < at + 60_000) {
      this.lastRestartDay = day;
      this.log(`daily restart window ${w.atEt} ET`);
      this.restart(w.durationSec);
    }
  }

  /**
   * A frozen TWS (a hung Java process, a modal dialog): the exchange stops reading and answering for `durationMs`
   * but keeps every TCP connection open, so a client sees no error and no close — only silence. Connections made
   * meanwhile hang at the handshake too (when the whole exchange is frozen). Output queued during the freeze is
   * written at the thaw, and requests sent meanwhile are read then, as a TWS that wakes up would. `clientId`
   * freezes only that client's connections. Returns how many connections froze.
   */
  freeze(durationMs: number, clientId: number | null = null): number {
    const until = Date.now() + Math.max(0, durationMs);
    if (clientId === null) this.frozenAll = Math.max(this.frozenAll, until);
    let n = 0;
    for (const s of this.sessions) {
      if (clientId !== null && s.clientId !== clientId) continue;
      this.freezeSession(s, until);
      n++;
    }
    if (this.thawTimer) clearTimeout(this.thawTimer);
    const next = Math.max(this.frozenAll, ...this.frozen.values());
    this.thawTimer = setTimeout(() => this.thaw(), Math.max(0, next - Date.now()));
    this.log(`frozen for ${durationMs} ms (${n} connection(s)${clientId === null ? ', whole exchange' : `, client ${clientId}`})`);
    return n;
  }

  private freezeSession(s: Session, until: number): void {
    this.frozen.set(s, Math.max(until, this.frozen.get(s) ?? 0));
    s.socket.pause();
  }

  private freezeIfFrozen(s: Session): void {
    if (this.frozenAll > Date.now()) this.freezeSession(s, this.frozenAll);
  }

  /** Wall ms a session's output is still held by a freeze (0 when it is not frozen). */
  private frozenFor(s: Session): number {
    const until = this.frozen.get(s);
    return until === undefined ? 0 : Math.max(0, until - Date.now());
  }

  /** Ends every freeze that is due: reading resumes (queued output leaves on its own timer). */
  private thaw(): void {
    this.thawTimer = null;
    const now = Date.now();
    for (const [s, until] of [...this.frozen]) {
      if (until > now) continue;
      this.frozen.delete(s);
      if (!this.closed) s.socket.resume();
    }
    if (this.frozenAll <= now) this.frozenAll = 0;
    const next = Math.max(this.frozenAll, ...this.frozen.values());
    if (next > now) this.thawTimer = setTimeout(() => this.thaw(), next - now);
  }

  /**
   * Error 326 on reconnect: the client's connections drop and, for `seconds`, its client id stays in use (as when TWS
   * still holds a half-closed session of it), so every startApi with it is answered 326 and closed.
   */
  holdClientId(clientId: number, seconds: number): number {
    this.heldClientIds.set(clientId, Date.now() + seconds * 1000);
    this.log(`client id ${clientId} held in use for ${seconds}s`);
    return this.dropClient(clientId);
  }

  /** holdClientId for every client connected now (the practice control: "your app's id is in use"). */
  holdConnectedClientIds(seconds: number): number {
    let n = 0;
    for (const id of new Set(this.sessionsList().map((x) => x.clientId))) if (id !== null) n += this.holdClientId(id, seconds);
    return n;
  }

  private clientIdHeld(clientId: number): boolean {
    const until = this.heldClientIds.get(clientId);
    if (until === undefined) return false;
    if (until > Date.now()) return true;
    this.heldClientIds.delete(clientId);
    return false;
  }

  /** Drops every connection of a client id (or one connection by connId). */
  dropClient(clientId: number): number {
    let n = 0;
    for (const s of [...this.sessions]) {
      if (s.clientId === clientId) {
        s.destroy();
        n++;
      }
    }
    return n;
  }

  /** Refuses new connections for a while (the listener closes, so clients see ECONNREFUSED). */
  refuseConnections(seconds: number): void {
    this.refuseUntil = this.wall.now() + seconds * 1000;
    const host = this.listenHost;
    const port = this.listenPort;
    const server = this.server;
    this.server = null;
    server?.close();
    if (this.reopenTimer) clearTimeout(this.reopenTimer);
    this.reopenTimer = setTimeout(() => {
      this.reopenTimer = null;
      if (this.closed) return;
      this.openListener(host, port).catch((e: unknown) => this.log(`could not reopen listener: ${String(e)}`));
    }, seconds * 1000);
  }

  /** A TWS-style restart: every client is dropped and connections are refused for the duration. */
  restart(durationSec: number): void {
    this.log(`simulated restart for ${durationSec}s`);
    for (const s of [...this.sessions]) s.destroy();
    this.refuseConnections(durationSec);
  }

  /**
   * The connectivity-loss sequence: 1100 (and farm-broken notices) now; market data stops; after the
   * outage 1102 "data maintained" (subscriptions resume) or 1101 "data lost" (subscriptions are dropped and
   * must be re-requested).
   */
  connectivityLoss(durationMs: number, dataLost: boolean): void {
    this.dataPaused = true;
    for (const s of this.sessions) {
      if (!s.isReady) continue;
      s.error(-1, 1100, CONNECTIVITY_LOST);
      s.error(-1, 2103, 'Market data farm connection is broken:usfarm');
      s.error(-1, 2105, 'HMDS data farm connection is broken:ushmds');
    }
    if (this.connectivityTimer) clearTimeout(this.connectivityTimer);
    this.connectivityTimer = setTimeout(() => {
      this.connectivityTimer = null;
      this.dataPaused = false;
      if (dataLost) this.marketData.dropAll();
      for (const s of this.sessions) {
        if (!s.isReady) continue;
        if (dataLost) s.error(-1, 1101, 'Connectivity between IB and Trader Workstation has been restored - data lost.');
        else s.error(-1, 1102, 'Connectivity between IB and Trader Workstation has been restored - data maintained.');
        s.error(-1, 2104, 'Market data farm connection is OK:usfarm');
        s.error(-1, 2106, 'HMDS data farm connection is OK:ushmds');
      }
    }, durationMs);
  }

  setLatency(ms: number): void {
    this.latencyMs = Math.max(0, ms);
  }

  setSnapshotLatency(min: number, max: number): void {
    this.marketData.opts.snapshotLatencyMs = { min: Math.max(0, min), max: Math.max(min, max) };
  }

  // ---- practice controls --------------------------------------------------------------------------

  /** The simulated clock and scenario as the app shows them. */
  simStatus(): SimStatus {
    const now = this.clock.now();
    const wall = this.wall.now();
    const speed = this.clock.runSpeed;
    return {
      active: true,
      now,
      sampledAt: wall,
      speed,
      paused: this.clock.paused,
      mode: this.clock.mode,
      simulatedTime: this.clock.mode === 'open' || this.clock.paused || speed !== 1 || Math.abs(now - wall) > 2_000,
      seed: this.seed,
      scenario: this.model.scenario.state(),
    };
  }

  /**
   * Applies one control; throws RangeError with a trader-readable sentence when it cannot (a jump backwards).
   * A change of time or market runs the books at once (expiries, DAY orders, fills) and saves the clock.
   */
  simControl(cmd: SimCommand): SimStatus {
    return this.applyControl(cmd, this.clock.now());
  }

  /** simControl with the instant a gap takes effect given (a replay passes the recorded one; else it is now). */
  private applyControl(cmd: SimCommand, gapAt: number): SimStatus {
    const sc = this.model.scenario;
    const now = this.clock.now();
    const at = Math.min(gapAt, now);
    switch (cmd.op) {
      case 'status':
        return this.simStatus();
      case 'setSpeed':
        this.clock.setSpeed(cmd.speed);
        break;
      case 'pause':
        this.clock.pause();
        break;
      case 'resume':
        this.clock.resume();
        break;
      case 'jump':
        this.clock.jumpTo(cmd.to ?? now + (cmd.by ?? 0));
        break;
      case 'scenario': {
        const x = cmd.scenario;
        if (x.kind === 'gap') {
          if (!this.model.underlying(x.symbol)) throw new RangeError(`${x.symbol} is not an underlying of the simulated market.`);
          sc.gap(x.symbol, x.pct, at);
        } else if (x.kind === 'volShock') sc.setVolShift(x.points / 100);
        else if (x.kind === 'widen') sc.setWiden(x.factor);
        else if (x.kind === 'ivNoise') sc.setIvNoise(x.points / 100);
        else if (x.kind === 'halt') {
          if (!this.model.underlying(x.symbol)) throw new RangeError(`${x.symbol} is not an underlying of the simulated market.`);
          sc.setHalted(x.symbol, x.halted);
        } else if (x.kind === 'connectionLoss') this.connectivityLoss(x.seconds * 1000, x.dataLost);
        else if (x.kind === 'freeze') this.freeze(x.seconds * 1000);
        else if (x.kind === 'clientIdInUse') this.holdConnectedClientIds(x.seconds);
        else if (x.kind === 'dailyRestart') this.restart(x.seconds);
        else sc.reset();
        this.log(`scenario ${JSON.stringify(x)}`);
        break;
      }
    }
    this.recorder?.control(cmd, at, this.wall.now());
    if (cmd.op === 'jump' || cmd.op === 'scenario') this.tick();
    this.store.setMeta('sim_time', String(this.clock.now()));
    return this.simStatus();
  }

  // ---- inspection ---------------------------------------------------------------------------------

  clients(): ClientStats[] {
    const nowSec = Math.floor(this.limiterClock.now() / 1000);
    return [...this.sessions].map((s) => ({
      connId: s.connId,
      clientId: s.clientId,
      serverVersion: s.serverVersion,
      remote: s.remote,
      linesInUse: this.marketData.linesOf(s),
      msgRate: s.limiter.rate(),
      perSecond: [...s.limiter.perSecond.entries()].filter(([sec]) => sec > nowSec - 60).sort((a, b) => a[0] - b[0]).map(([second, count]) => ({ second, count })),
      totalIn: s.limiter.total,
      totalOut: s.outMessages,
      pacingViolations: s.limiter.violations,
      refused: s.limiter.refused,
      marketDataType: s.marketDataType,
    }));
  }

  sessionsList(): Session[] {
    return [...this.sessions];
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.publishTimer) clearInterval(this.publishTimer);
    if (this.housekeepingTimer) clearInterval(this.housekeepingTimer);
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    if (this.reopenTimer) clearTimeout(this.reopenTimer);
    if (this.connectivityTimer) clearTimeout(this.connectivityTimer);
    if (this.thawTimer) clearTimeout(this.thawTimer);
    this.frozen.clear();
    this.marketData.dropAll();
    for (const s of [...this.sessions]) s.destroy();
    const server = this.server;
    this.server = null;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
    try {
      this.recorder?.flush(this.model);
      this.store.setMeta('sim_time', String(this.clock.now()));
    } finally {
      this.store.close();
    }
  }
}
