// The @stoqey/ib adapter: one long-lived TWS connection per profile behind the Broker interface.
//
// Shape: a Session is one TCP connection (a fresh IBApi each time, so nothing queued for a dead socket can
// leak into the next one). Every outbound message goes through the pacer; every request is registered with
// an id, a promise and a timeout; market-data lines go through the line manager; orders through the order
// book. Inbound messages are validated by the mappers; a bad one is counted and skipped, never thrown.
// The connection itself is an explicit state machine (connection-state.ts) driven by the handshake, socket
// closes, the liveness probe and the reconnect timer.
import { EventName, IBApi, type Contract, type ExecutionFilter, type Order } from '@stoqey/ib';
import type { ConnectionStatus } from '../../../core/contract';
import { brokerEventKey, type AccountValueEvent, type BrokerEvent, type CommissionReportEvent, type ExecutionEvent, type OpenOrderEvent, type OrderStatusEvent, type PnlEvent, type PositionEvent } from '../../../core/journal/events';
import type { Logger } from '../logging';
import { Backoff, type BackoffOptions } from './backoff';
import { buildOrder } from './combo';
import { ConnectionMachine } from './connection-state';
import { BrokerError, fromBrokerCode, ours, specFor, ConnectFailedError, ClientIdInUseError, NoSecurityDefinitionError } from './errors';
import { ExecutionBook } from './executions';
import { LineManager, type LineListener, type LinePort, type StreamStatus } from './lines';
import * as map from './mapping';
import { RateMeter } from './metrics';
import { fileOrderIdStore, ORDER_IDS_FILE, OrderIdAllocator, type OrderIdStore } from './order-ids';
import { OrderBook, type OrderLookup } from './orders';
import { Pacer, type PacedJob, type PacerPriority } from './pacer';
import { applyGeneric, applyMarketDataType, applyOptionComputation, applyPrice, applySize, emptyQuote } from './quotes';
import { RequestRegistry } from './requests';
import { realTimers, type TimerHandle, type Timers } from './timers';
import { join } from 'node:path';
import type {
  AccountMode,
  Broker,
  BrokerDiagnostics,
  BrokerNotice,
  BrokerTuning,
  BrokerViewSnapshot,
  ConnectTarget,
  ContractQuery,
  ExecutionQuery,
  ExecutionsResult,
  HandshakeFacts,
  Lease,
  OpenOrdersResult,
  OptionChainParams,
  OptionRight,
  OrderChange,
  OrderNotice,
  PlacedOrder,
  PlaceOrderRequest,
  PnlSingle,
  QualifiedContract,
  Quote,
  QuoteContract,
  QuoteListener,
  QuoteOptions,
  QuoteSubscription,
  SnapshotOptions,
  TrackedOrder,
  Unsubscribe,
  WhatIfResult,
} from './types';

export interface IbBrokerOptions {
  /** Where the order-id high-water mark lives (broker-order-ids.json). */
  dataDir: string;
  logger?: Logger;
  timers?: Timers;
  pacerRate?: number;
  /** Margin added to the pacer's one-second window for delivery jitter (default 50 ms; tests on an accelerated clock scale it). */
  pacerGuardMs?: number;
  lineBudget?: number;
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** A socket quiet for this long is probed with reqCurrentTime. */
  probeIntervalMs?: number;
  /** No message at all this long after the probe = dead. */
  probeTimeoutMs?: number;
  orderAckTimeoutMs?: number;
  snapshotTimeoutMs?: number;
  backoff?: BackoffOptions;
  /** TWS's daily auto-restart (New York time): a disconnect inside it is expected, not alarming. */
  dailyRestart?: { startEt: string; minutes: number } | null;
  /** Override the order-id store (tests). */
  orderIdStore?: (target: ConnectTarget) => OrderIdStore;
  /** Override how the client is built (tests). */
  createApi?: (options: { host: string; port: number; clientId: number; maxReqPerSec: number }) => IBApi;
}

/** What a market-data line asks for. */
interface LineSpec {
  contract: Contract;
  genericTicks: string;
}

interface QuoteLineListener extends LineListener {
  onQuote?(q: Quote): void;
}

interface Session {
  ib: IBApi;
  target: ConnectTarget;
  serverVersion: number | null;
  connectionTime: string;
  accounts: string[];
  nextValidId: number | null;
  ready: boolean;
  ended: boolean;
  clientIdInUse: boolean;
  lastError: BrokerError | null;
  settle: { resolve(f: HandshakeFacts): void; reject(e: unknown): void } | null;
  connectTimer: TimerHandle | null;
  probeTimer: TimerHandle | null;
  probeSentAt: number | null;
  accountsTimer: TimerHandle | null;
}

interface PnlSub {
  key: string;
  account: string;
  conId: number | null;
  reqId: number | null;
  listeners: Set<(v: PnlEvent | PnlSingle) => void>;
}

/** Codes that report something but do not end the request they are tied to. */
function isNonFatal(code: number): boolean {
  return (code >= 2100 && code < 3000) || code === 10167 || code === 10090 || code === 399 || code === 492 || code === 10197;
}

const DEFAULTS = {
  connectTimeoutMs: 10_000,
  requestTimeoutMs: 20_000,
  probeIntervalMs: 10_000,
  probeTimeoutMs: 5_000,
  orderAckTimeoutMs: 10_000,
  snapshotTimeoutMs: 15_000,
};

/** Minutes since midnight in New York for an epoch ms. */
function nyMinutes(at: number): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hour12: false }).formatToParts(new Date(at));
  const h = Number(parts.find((p) => p.type === 'hour')?.value ?? 0) % 24;
  const m = Number(parts.find((p) => p.type === 'minute')?.value ?? 0);
  return h * 60 + m;
}

export function inDailyRestartWindow(at: number, window: { startEt: string; minutes: number } | null): boolean {
  if (!window) return false;
  const match = /^(\d{1,2}):(\d{2})$/.exec(window.startEt);
  if (!match) return false;
  const start = Number(match[1]) * 60 + Number(match[2]);
  const now = nyMinutes(at);
  const since = (now - start + 1440) % 1440;
  return since < window.minutes;
}

export function accountModeOf(target: ConnectTarget, accounts: string[]): AccountMode {
  if (target.simulated) return 'SIMULATED';
  // IBKR paper accounts start with DU (individual) or DF (advisor); a live profile with paper accounts is still paper.
  const allPaper = accounts.length > 0 && accounts.every((a) => /^D[UF]/i.test(a));
  return allPaper || !target.live ? 'PAPER' : 'LIVE';
}

/** Wraps the decoder so a message @stoqey cannot parse is skipped instead of throwing out of the socket handler. */
export function guardDecoder(ib: IBApi, onError: (e: unknown) => void): void {
  const controller = (ib as unknown as { controller?: { processIngressQueue?: () => void; decoder?: { drainQueue?: () => void } } }).controller;
  const original = controller?.processIngressQueue;
  if (!controller || typeof original !== 'function') return;
  controller.processIngressQueue = function guarded(this: unknown) {
    for (let i = 0; i < 10_000; i++) {
      try {
        original.call(controller);
        return;
      } catch (e) {
        onError(e);
        // Drop the rest of the bad message and carry on with the next one.
        controller.decoder?.drainQueue?.();
      }
    }
  };
}

export class IbBroker implements Broker {
  private readonly timers: Timers;
  private readonly log: Logger | undefined;
  private readonly opts: Required<Pick<IbBrokerOptions, 'connectTimeoutMs' | 'requestTimeoutMs' | 'probeIntervalMs' | 'probeTimeoutMs' | 'orderAckTimeoutMs' | 'snapshotTimeoutMs'>>;
  private readonly options: IbBrokerOptions;
  private readonly machine: ConnectionMachine;
  private readonly pacer: Pacer;
  private readonly registry: RequestRegistry;
  private readonly lines: LineManager<LineSpec>;
  private readonly orders: OrderBook;
  private readonly execBook = new ExecutionBook<ExecutionEvent>();
  private readonly backoff: Backoff;
  private orderIds: OrderIdAllocator | null = null;
  private session: Session | null = null;
  private target: ConnectTarget | null = null;
  private wantConnected = false;
  private closed = false;
  private linkLost = false;
  private factsValue: HandshakeFacts | null = null;
  private reconnectTimer: TimerHandle | null = null;
  private nextRetryAt: number | null = null;
  private hadConnection = false;
  private lastMessageAt: number | null = null;
  private lastError: ConnectionStatus['lastError'] = null;
  private lastDisconnectReason: string | null = null;
  private statusMessage = 'Not connected.';
  private expectedOutage = false;
  private marketDataType: 1 | 3 = 1;
  private readonly messagesIn: RateMeter;
  private readonly messagesOut: RateMeter;
  private counters = { connects: 0, reconnects: 0, decodeErrors: 0, probesSent: 0, probesFailed: 0, lastRttMs: null as number | null, replays: 0, corrections: 0 };
  private readonly errorsByCode = new Map<number, number>();
  private readonly streamQuotes = new Map<string, { quote: Quote; subs: number }>();
  private readonly snapshotQuotes = new Map<number, Quote>();
  private readonly pnlSubs = new Map<string, PnlSub>();
  private readonly pnlByReqId = new Map<number, PnlSub>();
  private readonly lastOrderEventKey = new Map<string, string>();
  private openOrdersFlight: { reqId: number; promise: Promise<OpenOrdersResult>; openOrders: OpenOrderEvent[]; statuses: OrderStatusEvent[] } | null = null;
  private positionsFlight: { reqId: number; promise: Promise<PositionEvent[]>; rows: PositionEvent[] } | null = null;
  private readonly execCollectors = new Map<number, { executions: ExecutionEvent[]; execIds: Set<string>; commissions: CommissionReportEvent[] }>();
  private readonly cache = new Map<string, { at: number; value: unknown }>();
  private readonly statusListeners = new Set<(s: ConnectionStatus) => void>();
  private readonly noticeListeners = new Set<(n: BrokerNotice) => void>();
  private readonly eventListeners = new Set<(e: BrokerEvent) => void>();
  private readonly orderNoticeListeners = new Set<(n: OrderNotice) => void>();

  constructor(options: IbBrokerOptions) {
    this.options = options;
    this.timers = options.timers ?? realTimers;
    this.log = options.logger;
    this.opts = {
      connectTimeoutMs: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
      requestTimeoutMs: options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
      probeIntervalMs: options.probeIntervalMs ?? DEFAULTS.probeIntervalMs,
      probeTimeoutMs: options.probeTimeoutMs ?? DEFAULTS.probeTimeoutMs,
      orderAckTimeoutMs: options.orderAckTimeoutMs ?? DEFAULTS.orderAckTimeoutMs,
      snapshotTimeoutMs: options.snapshotTimeoutMs ?? DEFAULTS.snapshotTimeoutMs,
    };
    this.machine = new ConnectionMachine(() => this.timers.now());
    this.pacer = new Pacer({ timers: this.timers, ratePerSecond: options.pacerRate ?? 45, guardMs: options.pacerGuardMs });
    this.pacer.pause();
    this.registry = new RequestRegistry(this.timers);
    this.messagesIn = new RateMeter(this.timers, 10);
    this.messagesOut = new RateMeter(this.timers, 10);
    this.backoff = new Backoff(options.backoff);
    this.lines = new LineManager<LineSpec>({ budget: options.lineBudget ?? 100, port: this.linePort(), timers: this.timers, snapshotTimeoutMs: this.opts.snapshotTimeoutMs });
    this.orders = new OrderBook({
      timers: this.timers,
      ackTimeoutMs: this.opts.orderAckTimeoutMs,
      lookup: (id) => this.lookupOrder(id),
      clientId: () => this.target?.clientId ?? null,
      onNotice: (n) => {
        this.notice({ level: 'error', code: null, message: n.type === 'orderStuck' ? n.message : n.error.userMessage, at: n.at });
        for (const l of this.orderNoticeListeners) safe(() => l(n));
      },
    });
  }

  // ——————————————————————————— connection ———————————————————————————

  status(): ConnectionStatus {
    const t = this.target;
    const lines = this.lines.stats();
    const pacer = this.pacer.stats();
    return {
      state: this.machine.state,
      profile: t?.profile ?? 'local-paper',
      serverVersion: this.factsValue?.serverVersion ?? null,
      accounts: this.factsValue?.accounts ?? [],
      isPaper: this.factsValue ? this.factsValue.accountMode !== 'LIVE' : !(t?.live ?? false),
      isSimulated: t?.simulated ?? false,
      lastError: this.lastError,
      lastMessageAt: this.lastMessageAt,
      since: this.machine.since,
      linkLost: this.linkLost,
      accountMode: this.factsValue?.accountMode ?? (t ? (t.simulated ? 'SIMULATED' : t.live ? 'LIVE' : 'PAPER') : undefined),
      clientId: t?.clientId,
      message: this.statusMessage,
      nextRetryAt: this.nextRetryAt,
      reconnects: this.counters.reconnects,
      expectedOutage: this.expectedOutage,
      marketDataType: this.marketDataType === 3 ? 'delayed' : 'live',
      lines: { held: lines.held, budget: lines.budget },
      pacer: { depth: pacer.depth, ratePerSecond: pacer.ratePerSecond, sentPerSecond: pacer.sentPerSecond, waitP99Ms: pacer.waitP99Ms },
    };
  }

  onStatus(listener: (s: ConnectionStatus) => void): Unsubscribe {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  onNotice(listener: (n: BrokerNotice) => void): Unsubscribe {
    this.noticeListeners.add(listener);
    return () => this.noticeListeners.delete(listener);
  }

  onEvent(listener: (e: BrokerEvent) => void): Unsubscribe {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  onOrderNotice(listener: (n: OrderNotice) => void): Unsubscribe {
    this.orderNoticeListeners.add(listener);
    return () => this.orderNoticeListeners.delete(listener);
  }

  facts(): HandshakeFacts | null {
    return this.factsValue;
  }

  tradingAllowed(): { ok: true } | { ok: false; error: BrokerError } {
    if (this.machine.state !== 'connected' || !this.session?.ready) return { ok: false, error: ours.notConnected('Orders need a broker connection; SpreadDesk is not connected.') };
    if (this.linkLost) return { ok: false, error: ours.linkDown() };
    return { ok: true };
  }

  async connect(target: ConnectTarget): Promise<HandshakeFacts> {
    if (this.closed) throw ours.notConnected('The broker layer is shut down.');
    if (this.machine.state === 'connected' && this.factsValue && sameTarget(this.target, target)) return this.factsValue;
    if (this.machine.state !== 'disconnected') await this.disconnect();
    this.target = { ...target };
    this.wantConnected = true;
    this.hadConnection = false;
    this.backoff.reset();
    this.orderIds = new OrderIdAllocator(this.options.orderIdStore ? this.options.orderIdStore(target) : fileOrderIdStore(join(this.options.dataDir, ORDER_IDS_FILE), `${target.profile}:${target.clientId}`));
    this.transition('connecting', `Connecting to ${target.host}:${target.port} as client ${target.clientId}…`);
    return this.attempt();
  }

  async disconnect(): Promise<void> {
    this.wantConnected = false;
    this.clearReconnectTimer();
    const s = this.session;
    if (s?.ready && !s.ended) {
      // Cancel lines and P&L streams at TWS first, so nothing stays subscribed if the socket lingers.
      for (const sub of this.pnlSubs.values()) this.cancelPnlAtTws(sub);
      await withTimeout(this.lines.suspend(), 2_000);
    }
    this.dropSession('You disconnected.', ours.disconnected('the request'), true);
    this.factsValue = null;
    if (this.machine.state !== 'disconnected') this.transition('disconnected', 'Disconnected.');
    else this.emitStatus();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.wantConnected = false;
    this.clearReconnectTimer();
    const s = this.session;
    const closing = this.lines.closeAll();
    for (const sub of this.pnlSubs.values()) this.cancelPnlAtTws(sub);
    this.pnlSubs.clear();
    if (s?.ready && !s.ended) await withTimeout(closing, 2_000);
    this.orders.closeAll();
    this.dropSession('SpreadDesk is shutting down.', ours.disconnected('the request'), true);
    if (this.machine.state !== 'disconnected') this.transition('disconnected', 'Disconnected.');
    this.closed = true;
    this.pacer.close();
  }

  private attempt(): Promise<HandshakeFacts> {
    const target = this.target;
    if (!target) return Promise.reject(ours.notConnected());
    const ib = (this.options.createApi ?? ((o) => new IBApi(o)))({
      host: target.host,
      port: target.port,
      clientId: target.clientId,
      // Our pacer is the only throttle; @stoqey's own limiter (default 40/s) must never queue behind it.
      maxReqPerSec: 100_000,
    });
    const session: Session = {
      ib,
      target,
      serverVersion: null,
      connectionTime: '',
      accounts: [],
      nextValidId: null,
      ready: false,
      ended: false,
      clientIdInUse: false,
      lastError: null,
      settle: null,
      connectTimer: null,
      probeTimer: null,
      probeSentAt: null,
      accountsTimer: null,
    };
    this.session = session;
    guardDecoder(ib, (e) => this.onDecodeError('a message from TWS', e));
    this.wire(session);
    return new Promise<HandshakeFacts>((resolve, reject) => {
      session.settle = { resolve, reject };
      session.connectTimer = this.timers.setTimeout(() => {
        session.connectTimer = null;
        this.attemptFailed(session, new ConnectFailedError('connect-failed', { code: 502, userMessage: `TWS at ${target.host}:${target.port} did not complete the API handshake within ${Math.round(this.opts.connectTimeoutMs / 1000)} s. Is the API enabled, and is another dialog open in TWS?` }));
      }, this.opts.connectTimeoutMs);
      try {
        // The handshake and startApi bypass the queue; they still count against TWS's rate.
        this.pacer.recordExternal(2);
        ib.connect(target.clientId);
      } catch (e) {
        this.attemptFailed(session, new ConnectFailedError('connect-failed', { code: 502, cause: e }));
      }
    });
  }

  private wire(session: Session): void {
    const ib = session.ib;
    const on = (event: EventName, fn: (...args: never[]) => void) => {
      (ib as unknown as { on(e: string, l: (...a: never[]) => void): void }).on(event, ((...args: never[]) => {
        if (this.session !== session || session.ended) return;
        try {
          fn(...args);
        } catch (e) {
          this.onDecodeError(`the ${event} handler`, e);
        }
      }) as never);
    };
    on(EventName.received, () => {
      this.lastMessageAt = this.timers.now();
      this.messagesIn.mark();
    });
    on(EventName.sent, () => this.messagesOut.mark());
    on(EventName.server, (version: number, time: string) => {
      session.serverVersion = typeof version === 'number' && Number.isFinite(version) ? version : null;
      session.connectionTime = typeof time === 'string' ? time : '';
    });
    on(EventName.managedAccounts, (list: string) => {
      session.accounts = typeof list === 'string' ? list.split(',').map((a) => a.trim()).filter(Boolean) : [];
      this.maybeReady(session);
    });
    on(EventName.nextValidId, (id: number) => {
      if (!Number.isSafeInteger(id)) return this.onDecodeError('nextValidId', id);
      session.nextValidId = id;
      this.orderIds?.onNextValidId(id);
      // @stoqey releases its command queue on nextValidId; ours may run from now on too.
      this.pacer.resume();
      if (!session.ready && session.accounts.length === 0 && session.accountsTimer === null) {
        // ib_async waits for both; TWS normally sends the accounts first — ask if it did not.
        session.accountsTimer = this.timers.setTimeout(() => {
          session.accountsTimer = null;
          if (!session.ready && this.session === session) this.send('order', 'reqManagedAccts', (api) => api.reqManagedAccts());
        }, 1_000);
      }
      this.maybeReady(session);
    });
    on(EventName.disconnected, () => this.socketClosed(session));
    on(EventName.info, (message: string, code: number) => this.onBrokerCode(session, code, message, -1));
    on(EventName.error, (error: Error, code: number, reqId: number, advanced?: unknown) =>
      this.onBrokerCode(session, code, error instanceof Error ? error.message : String(error), typeof reqId === 'number' ? reqId : -1, advanced),
    );
    on(EventName.currentTime, () => {
      if (session.probeSentAt !== null) this.counters.lastRttMs = this.timers.now() - session.probeSentAt;
      session.probeSentAt = null;
    });

    // Reference data
    on(EventName.contractDetails, (reqId: number, details: unknown) => {
      const q = map.qualifiedContract(details);
      if (q) this.registry.push(reqId, q);
      else this.onDecodeError('contractDetails', details);
    });
    on(EventName.contractDetailsEnd, (reqId: number) => this.registry.end(reqId));
    on(EventName.securityDefinitionOptionParameter, (reqId: number, exchange: string, underConId: number, tradingClass: string, multiplier: string, expirations: string[], strikes: number[]) => {
      const row = map.chainParams(exchange, underConId, tradingClass, multiplier, expirations, strikes);
      if (row) this.registry.push(reqId, row);
      else this.onDecodeError('securityDefinitionOptionParameter', { exchange, tradingClass });
    });
    on(EventName.securityDefinitionOptionParameterEnd, (reqId: number) => this.registry.end(reqId));

    // Market data
    on(EventName.tickPrice, (reqId: number, field: number, value: number) => this.onTick(reqId, (q, now) => applyPrice(q, field, value, now)));
    on(EventName.tickSize, (reqId: number, field: number, value: number) => this.onTick(reqId, (q, now) => applySize(q, field, value, now)));
    on(EventName.tickGeneric, (reqId: number, field: number, value: number) => this.onTick(reqId, (q, now) => applyGeneric(q, field, value, now)));
    on(EventName.tickOptionComputation, (reqId: number, field: number, _attrib: unknown, impliedVol: unknown, delta: unknown, optPrice: unknown, pvDividend: unknown, gamma: unknown, vega: unknown, theta: unknown, undPrice: unknown) =>
      this.onTick(reqId, (q, now) => applyOptionComputation(q, field, { impliedVol, delta, optPrice, pvDividend, gamma, vega, theta, undPrice }, now)),
    );
    on(EventName.marketDataType, (reqId: number, type: number) => {
      this.onTick(reqId, (q) => applyMarketDataType(q, type));
      if (type === 3 || type === 4) this.lines.markDelayed(reqId, true);
    });
    on(EventName.tickSnapshotEnd, (reqId: number) => this.lines.snapshotEnded(reqId));

    // Orders
    on(EventName.openOrder, (orderId: number, contract: unknown, order: unknown, state: unknown) => this.onOpenOrder(session, orderId, contract, order, state));
    on(EventName.orderStatus, (orderId: number, status: string, filled: number, remaining: number, avgFillPrice: number, permId?: number, parentId?: number, lastFillPrice?: number, clientId?: number, whyHeld?: string, mktCapPrice?: number) => {
      const ev = map.orderStatusEvent({ orderId, status, filled, remaining, avgFillPrice, permId, parentId, lastFillPrice, clientId, whyHeld, mktCapPrice }, session.target.clientId, this.timers.now());
      if (!ev) return this.onDecodeError('orderStatus', { orderId, status });
      this.orderIds?.observe(ev.orderId);
      this.openOrdersFlight?.statuses.push(ev);
      if (this.orders.isWhatIf(ev.orderId)) return;
      this.orders.onOrderStatus(ev);
      this.emitOrderEvent(ev);
    });
    on(EventName.openOrderEnd, () => {
      if (this.openOrdersFlight) this.registry.end(this.openOrdersFlight.reqId);
    });
    on(EventName.execDetails, (reqId: number, contract: unknown, execution: unknown) => {
      const ev = map.executionEvent(reqId, contract, execution, this.timers.now());
      if (!ev) return this.onDecodeError('execDetails', execution);
      const collector = this.execCollectors.get(reqId);
      if (collector) {
        collector.executions.push(ev);
        collector.execIds.add(ev.execId);
      }
      const verdict = this.execBook.apply(ev.execId, ev);
      if (verdict === 'replay' || verdict === 'stale') {
        this.counters.replays++;
        return;
      }
      if (verdict === 'correction') this.counters.corrections++;
      this.emitEvent(ev);
    });
    on(EventName.execDetailsEnd, (reqId: number) => this.registry.end(reqId));
    on(EventName.commissionReport, (report: unknown) => {
      const ev = map.commissionEvent(report, this.timers.now());
      if (!ev) return this.onDecodeError('commissionReport', report);
      for (const c of this.execCollectors.values()) if (c.execIds.has(ev.execId)) c.commissions.push(ev);
      if (this.execBook.applyCommission(ev.execId)) this.emitEvent(ev);
    });

    // Account
    on(EventName.position, (account: string, contract: unknown, pos: number, avgCost?: number) => {
      const ev = map.positionEvent(account, contract, pos, avgCost, this.timers.now());
      if (!ev) return this.onDecodeError('position', { account });
      this.positionsFlight?.rows.push(ev);
      this.emitEvent(ev);
    });
    on(EventName.positionEnd, () => {
      if (this.positionsFlight) this.registry.end(this.positionsFlight.reqId);
    });
    on(EventName.accountSummary, (reqId: number, account: string, tag: string, value: string, currency: string) => {
      const ev = map.accountValueEvent(account, tag, value, currency, this.timers.now());
      if (!ev) return this.onDecodeError('accountSummary', { account, tag });
      if (this.registry.push(reqId, ev)) this.emitEvent(ev);
    });
    on(EventName.accountSummaryEnd, (reqId: number) => this.registry.end(reqId));
    on(EventName.pnl, (reqId: number, daily: number, unrealized?: number, realized?: number) => {
      const sub = this.pnlByReqId.get(reqId);
      if (!sub || sub.conId !== null) return;
      const ev = map.pnlEvent(sub.account, daily, unrealized, realized, this.timers.now());
      if (!ev) return;
      for (const l of sub.listeners) safe(() => l(ev));
      this.emitEvent(ev);
    });
    on(EventName.pnlSingle, (reqId: number, pos: number, daily: number, unrealized: number | undefined, realized: number | undefined, value: number) => {
      const sub = this.pnlByReqId.get(reqId);
      if (!sub || sub.conId === null) return;
      const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && Math.abs(v) < 1e300 ? v : null);
      const row: PnlSingle = { account: sub.account, conId: sub.conId, position: n(pos), dailyPnL: n(daily), unrealizedPnL: n(unrealized), realizedPnL: n(realized), value: n(value), receivedAt: this.timers.now() };
      for (const l of sub.listeners) safe(() => l(row));
    });
  }

  private maybeReady(session: Session): void {
    if (session.ready || session.ended || session.nextValidId === null || session.accounts.length === 0) return;
    const target = session.target;
    session.ready = true;
    if (session.connectTimer !== null) this.timers.clearTimeout(session.connectTimer);
    if (session.accountsTimer !== null) this.timers.clearTimeout(session.accountsTimer);
    session.connectTimer = session.accountsTimer = null;
    const reconnect = this.hadConnection;
    this.hadConnection = true;
    this.counters.connects++;
    if (reconnect) this.counters.reconnects++;
    this.backoff.reset();
    this.linkLost = false;
    this.expectedOutage = false;
    const facts: HandshakeFacts = {
      serverVersion: session.serverVersion ?? session.ib.serverVersion,
      connectionTime: session.connectionTime,
      accounts: session.accounts,
      accountMode: accountModeOf(target, session.accounts),
      nextValidId: session.nextValidId,
      clientId: target.clientId,
      host: target.host,
      port: target.port,
      connectedAt: this.timers.now(),
    };
    this.factsValue = facts;
    const label = `${facts.accountMode} ${facts.accounts.join(', ')}`;
    this.transition('connected', `Connected to ${target.host}:${target.port} (API ${facts.serverVersion}, ${label}).`);
    this.pacer.resume();
    if (this.marketDataType !== 1) this.send('order', 'reqMarketDataType', (api) => api.reqMarketDataType(this.marketDataType));
    this.lines.connectedAgain();
    for (const sub of this.pnlSubs.values()) this.requestPnl(sub);
    this.startProbe(session);
    this.notice({ level: 'info', code: null, message: reconnect ? `Reconnected to ${target.host}:${target.port}; subscriptions restored.` : this.statusMessage, at: this.timers.now() });
    if (reconnect) void this.resync();
    const settle = session.settle;
    session.settle = null;
    settle?.resolve(facts);
  }

  /** After a reconnect: ask for open orders and today's executions, so nothing that happened meanwhile is missed. */
  private async resync(): Promise<void> {
    try {
      await Promise.all([this.openOrders(), this.executions({})]);
    } catch (e) {
      this.log?.warn({ err: e }, 'resync after reconnect failed');
    }
  }

  private attemptFailed(session: Session, error: BrokerError): void {
    if (this.session !== session || session.ended) return;
    if (session.ready) {
      this.connectionLost(session, error.userMessage);
      return;
    }
    const err = session.clientIdInUse ? fromBrokerCode(326, 'client id is already in use') : error;
    this.recordError(err);
    const settle = session.settle;
    session.settle = null;
    this.endSession(session);
    this.session = null;
    this.pacer.pause();
    if (this.wantConnected) {
      this.transition('reconnecting', `${err.userMessage} Retrying…`);
      this.scheduleReconnect();
    } else if (this.machine.state !== 'disconnected') this.transition('disconnected', err.userMessage);
    settle?.reject(err);
  }

  private socketClosed(session: Session): void {
    if (session.ready) this.connectionLost(session, 'TWS closed the connection.');
    else
      this.attemptFailed(
        session,
        session.clientIdInUse
          ? new ClientIdInUseError('client-id-in-use', { code: 326 })
          : (session.lastError ?? new ConnectFailedError('connect-failed', { code: 502, userMessage: `Could not connect to TWS at ${session.target.host}:${session.target.port}: the connection was refused or closed. Is TWS / IB Gateway running with the API enabled on this port?` })),
      );
  }

  /** A working connection died (socket closed, probe unanswered): clean up and reconnect. */
  private connectionLost(session: Session, reason: string): void {
    if (this.session !== session || session.ended) return;
    this.lastDisconnectReason = reason;
    this.expectedOutage = inDailyRestartWindow(this.timers.now(), this.options.dailyRestart === undefined ? { startEt: '23:45', minutes: 20 } : this.options.dailyRestart);
    this.dropSession(reason, ours.disconnected('the request'), false);
    const message = this.expectedOutage
      ? `TWS is in its daily restart window; SpreadDesk reconnects automatically when it is back. (${reason})`
      : `Connection to TWS lost: ${reason} Reconnecting…`;
    this.notice({ level: this.expectedOutage ? 'info' : 'warn', code: null, message, at: this.timers.now() });
    if (this.wantConnected) {
      this.transition('reconnecting', message);
      this.scheduleReconnect();
    } else if (this.machine.state !== 'disconnected') this.transition('disconnected', 'Disconnected.');
  }

  /** Ends the current session and resets everything that lived on it. */
  private dropSession(reason: string, error: BrokerError, deliberate: boolean): void {
    const s = this.session;
    this.session = null;
    if (s) {
      const settle = s.settle;
      s.settle = null;
      this.endSession(s);
      settle?.reject(deliberate ? ours.disconnected('connecting') : error);
    }
    this.pacer.pause();
    this.pacer.clear(error);
    this.registry.failAll((what) => ours.disconnected(what));
    this.lines.disconnected();
    this.orders.onDisconnect();
    this.orderIds?.reset();
    this.linkLost = false;
    this.snapshotQuotes.clear();
    this.execCollectors.clear();
    this.openOrdersFlight = null;
    this.positionsFlight = null;
    for (const sub of this.pnlSubs.values()) sub.reqId = null;
    this.pnlByReqId.clear();
    this.log?.info({ reason, deliberate }, 'broker session ended');
  }

  private endSession(s: Session): void {
    s.ended = true;
    for (const t of [s.connectTimer, s.probeTimer, s.accountsTimer]) if (t !== null) this.timers.clearTimeout(t);
    s.connectTimer = s.probeTimer = s.accountsTimer = null;
    try {
      s.ib.removeAllListeners();
      s.ib.disconnect();
    } catch {
      // The socket may already be gone.
    }
  }

  private scheduleReconnect(): void {
    this.clearReconnectTimer();
    const delay = this.backoff.next();
    this.nextRetryAt = this.timers.now() + delay;
    this.emitStatus();
    this.reconnectTimer = this.timers.setTimeout(() => {
      this.reconnectTimer = null;
      this.nextRetryAt = null;
      if (!this.wantConnected || this.closed) return;
      this.transition('connecting', `Reconnecting to ${this.target?.host}:${this.target?.port} (attempt ${this.backoff.attempts})…`);
      this.attempt().catch(() => undefined);
    }, delay);
  }

  private clearReconnectTimer(): void {
    if (this.reconnectTimer !== null) this.timers.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.nextRetryAt = null;
  }

  private startProbe(session: Session): void {
    const check = Math.max(50, Math.min(1_000, this.opts.probeIntervalMs / 2, this.opts.probeTimeoutMs / 2));
    const tick = () => {
      session.probeTimer = null;
      if (this.session !== session || session.ended) return;
      const now = this.timers.now();
      const last = this.lastMessageAt ?? 0;
      if (session.probeSentAt !== null) {
        if (last > session.probeSentAt) session.probeSentAt = null; // anything heard back is proof of life
        else if (now - session.probeSentAt >= this.opts.probeTimeoutMs) {
          this.counters.probesFailed++;
          this.connectionLost(session, `TWS did not answer the liveness probe within ${Math.round(this.opts.probeTimeoutMs / 1000)} s.`);
          return;
        }
      } else if (now - last >= this.opts.probeIntervalMs) {
        session.probeSentAt = now;
        this.counters.probesSent++;
        this.send('order', 'reqCurrentTime', (api) => api.reqCurrentTime());
      }
      session.probeTimer = this.timers.setTimeout(tick, check);
    };
    session.probeTimer = this.timers.setTimeout(tick, check);
  }

  /** Every TWS error/info code: connection-level codes drive the state; id-bound ones fail their request or order. */
  private onBrokerCode(session: Session, rawCode: unknown, rawMessage: unknown, id: number, advanced?: unknown): void {
    const code = typeof rawCode === 'number' && Number.isFinite(rawCode) ? rawCode : 0;
    const message = typeof rawMessage === 'string' ? rawMessage : '';
    this.errorsByCode.set(code, (this.errorsByCode.get(code) ?? 0) + 1);
    const err = fromBrokerCode(code, message, id >= 0 ? id : null);
    const now = this.timers.now();
    if (id < 0) {
      switch (code) {
        case 1100:
        case 2110:
          this.linkLost = true;
          this.recordError(err);
          this.statusMessage = err.userMessage;
          this.notice({ level: 'warn', code, message: err.userMessage, at: now });
          this.emitStatus();
          return;
        case 1101:
          this.linkLost = false;
          this.statusMessage = err.userMessage;
          this.lines.resubscribeAll();
          for (const sub of this.pnlSubs.values()) this.requestPnl(sub, true);
          this.notice({ level: 'info', code, message: err.userMessage, at: now });
          this.emitStatus();
          return;
        case 1102:
          this.linkLost = false;
          this.statusMessage = err.userMessage;
          this.notice({ level: 'info', code, message: err.userMessage, at: now });
          this.emitStatus();
          return;
        case 326:
          session.clientIdInUse = true;
          session.lastError = err;
          this.recordError(err);
          this.notice({ level: 'error', code, message: err.userMessage, at: now });
          return;
        case 502:
          session.lastError = new ConnectFailedError('connect-failed', { code: 502, brokerMessage: message });
          if (!session.ready) this.attemptFailed(session, session.lastError);
          return;
        case 501:
        case 504:
          // @stoqey's own "already connected" / "cannot send while disconnected": the state machine already knows.
          return;
        default: {
          const spec = specFor(code);
          if (spec.severity === 'error') this.recordError(err);
          this.notice({ level: spec.severity === 'warning' ? 'warn' : spec.severity, code, message: err.userMessage, at: now });
          return;
        }
      }
    }
    // Bound to a request, a line or an order.
    if (this.lines.ownerOf(id)) {
      if (code === 10167 || code === 10090) {
        this.lines.markDelayed(id, true);
        return;
      }
      if (code === 354 && this.marketDataType === 1) {
        this.useDelayedData();
        this.lines.requeue(id, err);
        return;
      }
      if (code === 300 || isNonFatal(code)) return;
      this.lines.failed(id, err);
      return;
    }
    if (this.registry.has(id)) {
      if (!isNonFatal(code)) this.registry.fail(id, err);
      return;
    }
    if (this.orders.has(id)) {
      if (!this.orders.isWhatIf(id)) {
        const ev = { type: 'orderError' as const, receivedAt: now, orderId: id, clientId: session.target.clientId, code, message, advancedOrderReject: advanced === undefined || advanced === null ? undefined : typeof advanced === 'string' ? advanced : safeJson(advanced) };
        this.emitEvent(ev);
        if (code !== 202 && !isNonFatal(code)) this.notice({ level: 'error', code, message: `Order ${id}: ${err.userMessage}`, at: now, id });
      }
      this.orders.onError(id, err);
      return;
    }
    if (this.pnlByReqId.has(id) || code === 300) return;
    const spec = specFor(code);
    this.notice({ level: spec.severity === 'warning' ? 'warn' : spec.severity, code, message: err.userMessage, at: now, id });
  }

  private useDelayedData(): void {
    if (this.marketDataType === 3) return;
    this.marketDataType = 3;
    // Type 3 = delayed where there is no subscription, live where there is: safe to set for the whole session.
    this.send('order', 'reqMarketDataType', (api) => api.reqMarketDataType(3));
    this.notice({ level: 'warn', code: 354, message: 'No real-time market-data subscription for some contracts: SpreadDesk now asks for delayed data where live is unavailable (marked "delayed").', at: this.timers.now() });
    this.emitStatus();
  }

  // ——————————————————————————— requests ———————————————————————————

  private send(priority: PacerPriority, label: string, fn: (ib: IBApi) => void): PacedJob {
    return this.pacer.enqueue(
      priority,
      () => {
        const s = this.session;
        if (!s || s.ended) throw ours.notConnected();
        fn(s.ib);
      },
      label,
    );
  }

  private requireConnected(): void {
    if (this.machine.state !== 'connected' || !this.session?.ready) throw ours.notConnected('Not connected to the broker; the request was not sent.');
  }

  /** The one shape of every request: id, promise, paced send, End or error, timeout. */
  private request<I, T>(kind: string, priority: PacerPriority, what: string, sendFn: (ib: IBApi, reqId: number) => void, finish: (items: I[]) => T, opts: { reqId?: number; timeoutMs?: number; onTimeout?: (reqId: number) => void } = {}): Promise<T> {
    this.requireConnected();
    const { reqId, promise } = this.registry.begin<I, T>({ kind, what, timeoutMs: opts.timeoutMs ?? this.opts.requestTimeoutMs, finish, onTimeout: opts.onTimeout }, opts.reqId);
    const job = this.send(priority, kind, (api) => {
      sendFn(api, reqId);
      this.registry.sent(reqId);
    });
    job.promise.catch((e: unknown) => this.registry.fail(reqId, e instanceof BrokerError ? e : ours.disconnected(what)));
    return promise;
  }

  private cached<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
    const hit = this.cache.get(key);
    if (hit && this.timers.now() - hit.at < ttlMs) return Promise.resolve(hit.value as T);
    return load().then((value) => {
      this.cache.set(key, { at: this.timers.now(), value });
      return value;
    });
  }

  qualify(query: ContractQuery): Promise<QualifiedContract[]> {
    const contract = toWireContract(query);
    // "No security definition" (200) answers the question — nothing matches — so it is an empty list, not a failure.
    return this.request<QualifiedContract, QualifiedContract[]>('contractDetails', 'quote', `the contract details for ${describe(query)}`, (api, reqId) => api.reqContractDetails(reqId, contract), (items) => items).catch((e: unknown) => {
      if (e instanceof NoSecurityDefinitionError) return [];
      throw e;
    });
  }

  optionChainParams(u: { symbol: string; secType: 'STK' | 'IND'; conId: number; exchange?: string }): Promise<OptionChainParams[]> {
    return this.cached(`chain|${u.symbol}|${u.secType}|${u.conId}|${u.exchange ?? ''}`, 3_600_000, () =>
      this.request<OptionChainParams, OptionChainParams[]>(
        'secDefOptParams',
        'quote',
        `the option chain of ${u.symbol}`,
        (api, reqId) => api.reqSecDefOptParams(reqId, u.symbol, u.exchange ?? '', u.secType as never, u.conId),
        (rows) => rows,
      ),
    );
  }

  optionContracts(q: { symbol: string; expiry: string; tradingClass?: string; right?: OptionRight; exchange?: string; currency?: string }): Promise<QualifiedContract[]> {
    if (!/^\d{8}$/.test(q.expiry)) return Promise.reject(ours.invalidOrder(`Expiry must be YYYYMMDD, got "${q.expiry}".`));
    return this.cached(`optc|${q.symbol}|${q.expiry}|${q.tradingClass ?? ''}|${q.right ?? ''}|${q.exchange ?? ''}`, 3_600_000, () =>
      this.qualify({ secType: 'OPT', symbol: q.symbol, expiry: q.expiry, tradingClass: q.tradingClass, right: q.right, exchange: q.exchange ?? 'SMART', currency: q.currency ?? 'USD' }).then((list) =>
        list
          .filter((c) => c.secType === 'OPT' && c.expiry === q.expiry && c.strike !== null && c.right !== null)
          .sort((a, b) => (a.right ?? '').localeCompare(b.right ?? '') || (a.strike ?? 0) - (b.strike ?? 0)),
      ),
    );
  }

  // ——————————————————————————— market data ———————————————————————————

  private linePort(): LinePort<LineSpec> {
    return {
      nextId: () => this.registry.nextId(),
      request: (reqId, spec, snapshot, priority) => {
        if (snapshot) this.snapshotQuotes.set(reqId, emptyQuote(spec.contract.conId ?? 0));
        const job = this.send(priority, snapshot ? 'snapshot' : 'reqMktData', (api) => api.reqMktData(reqId, spec.contract, snapshot ? '' : spec.genericTicks, snapshot, false));
        // A request dropped by the pacer (disconnect) is handled by the line manager's own disconnect path.
        job.promise.catch(() => undefined);
        return { dropIfQueued: () => job.cancel(), sent: job.promise };
      },
      cancel: (reqId) => this.send('order', 'cancelMktData', (api) => api.cancelMktData(reqId)).promise,
      retired: (reqId) => {
        this.snapshotQuotes.delete(reqId);
      },
    };
  }

  private onTick(reqId: number, apply: (q: Quote, now: number) => boolean): void {
    const now = this.timers.now();
    const snap = this.snapshotQuotes.get(reqId);
    if (snap) {
      apply(snap, now);
      return;
    }
    const owner = this.lines.ownerOf(reqId);
    if (owner?.kind !== 'stream') return;
    const state = this.streamQuotes.get(owner.key);
    if (!state || !apply(state.quote, now)) return;
    const copy = { ...state.quote };
    for (const l of this.lines.listenersFor(reqId) as QuoteLineListener[]) safe(() => l.onQuote?.(copy));
  }

  subscribeQuote(contract: QuoteContract, listener: QuoteListener = {}, options: QuoteOptions = {}): QuoteSubscription {
    if (!Number.isSafeInteger(contract.conId) || contract.conId <= 0) throw ours.invalidOrder('A quote needs the contract\'s conId; qualify it first.');
    const generic = (options.genericTicks ?? '').replace(/\s+/g, '');
    const key = `${contract.conId}|${contract.exchange ?? 'SMART'}|${generic}`;
    let state = this.streamQuotes.get(key);
    if (!state) {
      state = { quote: emptyQuote(contract.conId), subs: 0 };
      this.streamQuotes.set(key, state);
    }
    state.subs++;
    const holder = state;
    let status: StreamStatus = 'waiting';
    let error: BrokerError | null = null;
    const lineListener: QuoteLineListener = {
      onStatus: (s, d) => {
        status = s;
        error = d.error ?? null;
        if (d.delayed) holder.quote.delayed = true;
        safe(() => listener.onStatus?.(s, error));
      },
      onQuote: (q) => listener.onQuote?.(q),
    };
    const lease = this.lines.acquire(key, { contract: toQuoteWire(contract), genericTicks: generic }, lineListener);
    let released = false;
    return {
      conId: contract.conId,
      get status() {
        return status;
      },
      get error() {
        return error;
      },
      latest: () => (holder.quote.updatedAt === null ? null : { ...holder.quote }),
      release: () => {
        if (released) return;
        released = true;
        lease.release();
        holder.subs--;
        if (holder.subs <= 0 && this.streamQuotes.get(key) === holder) this.streamQuotes.delete(key);
      },
    };
  }

  async snapshotQuote(contract: QuoteContract, options: SnapshotOptions = {}): Promise<Quote> {
    this.requireConnected();
    if (!Number.isSafeInteger(contract.conId) || contract.conId <= 0) throw ours.invalidOrder('A quote needs the contract\'s conId; qualify it first.');
    const reqId = await this.lines.snapshot({ contract: toQuoteWire(contract), genericTicks: '' }, options.priority ?? 'scan', options.signal);
    const quote = this.snapshotQuotes.get(reqId) ?? emptyQuote(contract.conId);
    this.snapshotQuotes.delete(reqId);
    return quote;
  }

  // ——————————————————————————— account ———————————————————————————

  accountSummary(tags: string[] = ['NetLiquidation', 'TotalCashValue', 'BuyingPower', 'AvailableFunds', 'ExcessLiquidity', 'InitMarginReq', 'MaintMarginReq', 'GrossPositionValue', 'EquityWithLoanValue']): Promise<AccountValueEvent[]> {
    let id = -1;
    return this.request<AccountValueEvent, AccountValueEvent[]>(
      'accountSummary',
      'quote',
      'the account summary',
      (api, reqId) => {
        id = reqId;
        api.reqAccountSummary(reqId, 'All', tags.join(','));
      },
      (rows) => {
        // One-shot: TWS allows two summary subscriptions at a time, so ours never stays open.
        if (id >= 0) this.send('quote', 'cancelAccountSummary', (api) => api.cancelAccountSummary(id)).promise.catch(() => undefined);
        return rows;
      },
    );
  }

  positions(): Promise<PositionEvent[]> {
    if (this.positionsFlight) return this.positionsFlight.promise;
    this.requireConnected();
    const reqId = this.registry.nextId();
    const flight = { reqId, rows: [] as PositionEvent[], promise: null as unknown as Promise<PositionEvent[]> };
    flight.promise = this.request<never, PositionEvent[]>(
      'positions',
      'quote',
      'the positions',
      (api) => api.reqPositions(),
      () => {
        this.send('quote', 'cancelPositions', (api) => api.cancelPositions()).promise.catch(() => undefined);
        return flight.rows;
      },
      { reqId },
    ).finally(() => {
      if (this.positionsFlight === flight) this.positionsFlight = null;
    });
    this.positionsFlight = flight;
    return flight.promise;
  }

  openOrders(): Promise<OpenOrdersResult> {
    if (this.openOrdersFlight) return this.openOrdersFlight.promise;
    this.requireConnected();
    const reqId = this.registry.nextId();
    const flight = { reqId, openOrders: [] as OpenOrderEvent[], statuses: [] as OrderStatusEvent[], promise: null as unknown as Promise<OpenOrdersResult> };
    flight.promise = this.request<never, OpenOrdersResult>('openOrders', 'quote', 'the open orders', (api) => api.reqOpenOrders(), () => ({ openOrders: flight.openOrders, orderStatuses: flight.statuses }), { reqId }).finally(() => {
      if (this.openOrdersFlight === flight) this.openOrdersFlight = null;
    });
    this.openOrdersFlight = flight;
    return flight.promise;
  }

  executions(query: ExecutionQuery = {}): Promise<ExecutionsResult> {
    const filter: ExecutionFilter = {};
    if (query.onlyThisClient && this.target) filter.clientId = String(this.target.clientId);
    if (query.account) filter.acctCode = query.account;
    if (query.time) filter.time = query.time;
    if (query.symbol) filter.symbol = query.symbol;
    if (query.secType) filter.secType = query.secType as never;
    if (query.side) filter.side = query.side;
    this.requireConnected();
    const reqId = this.registry.nextId();
    const collector = { executions: [] as ExecutionEvent[], execIds: new Set<string>(), commissions: [] as CommissionReportEvent[] };
    this.execCollectors.set(reqId, collector);
    return this.request<never, ExecutionsResult>('executions', 'quote', 'the executions', (api, id) => api.reqExecutions(id, filter), () => ({ executions: collector.executions, commissions: collector.commissions }), { reqId }).finally(() =>
      this.execCollectors.delete(reqId),
    );
  }

  async brokerView(): Promise<BrokerViewSnapshot> {
    const [orders, execs, positions] = await Promise.all([this.openOrders(), this.executions({}), this.positions()]);
    return { ...orders, ...execs, positions };
  }

  subscribePnl(account: string, listener: (pnl: PnlEvent) => void): Lease {
    return this.pnlLease(`pnl|${account}`, account, null, listener as (v: PnlEvent | PnlSingle) => void);
  }

  subscribePnlSingle(account: string, conId: number, listener: (pnl: PnlSingle) => void): Lease {
    return this.pnlLease(`pnls|${account}|${conId}`, account, conId, listener as (v: PnlEvent | PnlSingle) => void);
  }

  private pnlLease(key: string, account: string, conId: number | null, listener: (v: PnlEvent | PnlSingle) => void): Lease {
    let sub = this.pnlSubs.get(key);
    if (!sub) {
      sub = { key, account, conId, reqId: null, listeners: new Set() };
      this.pnlSubs.set(key, sub);
      if (this.machine.state === 'connected' && this.session?.ready) this.requestPnl(sub);
    }
    const s = sub;
    s.listeners.add(listener);
    let released = false;
    return {
      release: () => {
        if (released) return;
        released = true;
        s.listeners.delete(listener);
        if (s.listeners.size === 0 && this.pnlSubs.get(key) === s) {
          this.pnlSubs.delete(key);
          this.cancelPnlAtTws(s);
        }
      },
    };
  }

  private requestPnl(sub: PnlSub, again = false): void {
    if (again) this.cancelPnlAtTws(sub);
    const reqId = this.registry.nextId();
    sub.reqId = reqId;
    this.pnlByReqId.set(reqId, sub);
    const job = sub.conId === null ? this.send('quote', 'reqPnL', (api) => api.reqPnL(reqId, sub.account, '')) : this.send('quote', 'reqPnLSingle', (api) => api.reqPnLSingle(reqId, sub.account, '', sub.conId as number));
    job.promise.catch(() => undefined);
  }

  private cancelPnlAtTws(sub: PnlSub): void {
    const id = sub.reqId;
    if (id === null) return;
    sub.reqId = null;
    this.pnlByReqId.delete(id);
    const job = sub.conId === null ? this.send('order', 'cancelPnL', (api) => api.cancelPnL(id)) : this.send('order', 'cancelPnLSingle', (api) => api.cancelPnLSingle(id));
    job.promise.catch(() => undefined);
  }

  // ——————————————————————————— orders ———————————————————————————

  reserveOrderId(): number {
    if (!this.orderIds) throw ours.notConnected('Order ids are available once connected.');
    return this.orderIds.allocate();
  }

  /** The id of a new placement: a reserved one (refused if the caller made it up or reuses it), or a fresh one. */
  private claimOrderId(requested: number | undefined): number {
    if (!this.orderIds) throw ours.notConnected('Order ids are available once connected.');
    return this.orderIds.claim(requested ?? this.orderIds.allocate());
  }

  /** An order refused before it left the process: tell the order-notice listeners, return the error to throw. */
  private refused(ticketId: string, error: BrokerError): BrokerError {
    for (const l of this.orderNoticeListeners) safe(() => l({ type: 'orderRefused', ticketId, at: this.timers.now(), error }));
    return error;
  }

  placeOrder(request: PlaceOrderRequest): Promise<PlacedOrder> {
    const allowed = this.tradingAllowed();
    if (!allowed.ok) return Promise.reject(this.refused(request.ticketId, allowed.error));
    let built: ReturnType<typeof buildOrder>;
    let orderId: number;
    try {
      built = buildOrder(request);
      orderId = this.claimOrderId(request.orderId);
    } catch (e) {
      return Promise.reject(e instanceof BrokerError ? this.refused(request.ticketId, e) : e);
    }
    this.orders.track(orderId, request, built.lmtPrice);
    const acked = this.orders.expect<PlacedOrder>(orderId, 'place');
    this.sendOrder(orderId, built.contract, built.order, 'place');
    return acked;
  }

  modifyOrder(orderId: number, change: OrderChange): Promise<PlacedOrder> {
    const allowed = this.tradingAllowed();
    if (!allowed.ok) return Promise.reject(allowed.error);
    const original = this.orders.requestOf(orderId);
    if (!original) return Promise.reject(ours.invalidOrder(`Order ${orderId} was not placed by this session, so SpreadDesk cannot modify it.`));
    const request: PlaceOrderRequest = { ...original, orderId, quantity: change.quantity ?? original.quantity, limitPrice: change.limitPrice ?? original.limitPrice, net: change.net ?? original.net };
    let built: ReturnType<typeof buildOrder>;
    try {
      built = buildOrder(request);
    } catch (e) {
      return Promise.reject(e);
    }
    this.orders.track(orderId, request, built.lmtPrice);
    const acked = this.orders.expect<PlacedOrder>(orderId, 'modify');
    this.sendOrder(orderId, built.contract, built.order, 'modify');
    return acked;
  }

  cancelOrder(orderId: number): Promise<void> {
    // Cancels are allowed while the link is lost: TWS queues them, and they only reduce risk.
    if (this.machine.state !== 'connected' || !this.session?.ready) return Promise.reject(ours.notConnected('Cannot cancel: not connected to the broker.'));
    if (!this.orders.has(orderId)) return Promise.reject(ours.invalidOrder(`Order ${orderId} is not known to SpreadDesk.`));
    const done = this.orders.expect<void>(orderId, 'cancel');
    const job = this.send('order', 'cancelOrder', (api) => {
      api.cancelOrder(orderId);
      this.orders.sent(orderId, 'cancel');
    });
    job.promise.catch((e: unknown) => this.orders.notSent(orderId, 'cancel', e));
    return done;
  }

  async cancelAllOrders(): Promise<void> {
    if (this.machine.state !== 'connected' || !this.session?.ready) throw ours.notConnected('Cannot cancel: not connected to the broker.');
    await this.send('order', 'reqGlobalCancel', (api) => api.reqGlobalCancel()).promise;
  }

  whatIf(request: PlaceOrderRequest): Promise<WhatIfResult> {
    const allowed = this.tradingAllowed();
    if (!allowed.ok) return Promise.reject(allowed.error);
    let built: ReturnType<typeof buildOrder>;
    let orderId: number;
    try {
      built = buildOrder(request, true);
      // A what-if uses an order id at TWS like any order; it is never reused.
      orderId = this.claimOrderId(undefined);
    } catch (e) {
      return Promise.reject(e);
    }
    this.orders.track(orderId, request, built.lmtPrice, true);
    const result = this.orders.expect<WhatIfResult>(orderId, 'whatIf');
    this.sendOrder(orderId, built.contract, built.order, 'whatIf');
    return result;
  }

  trackedOrders(): TrackedOrder[] {
    return this.orders.list();
  }

  private sendOrder(orderId: number, contract: object, order: object, kind: 'place' | 'modify' | 'whatIf'): void {
    const job = this.send('order', kind === 'whatIf' ? 'whatIf' : 'placeOrder', (api) => {
      api.placeOrder(orderId, contract as Contract, order as Order);
      this.orders.sent(orderId, kind);
    });
    job.promise.catch((e: unknown) => this.orders.notSent(orderId, kind, e instanceof BrokerError ? e : ours.disconnected('sending the order')));
  }

  private onOpenOrder(session: Session, orderId: unknown, contract: unknown, order: unknown, state: unknown): void {
    const ev = map.openOrderEvent(orderId, contract, order, state, session.target.clientId, this.timers.now());
    if (!ev) return this.onDecodeError('openOrder', { orderId });
    this.orderIds?.observe(ev.orderId);
    const isWhatIf = this.orders.isWhatIf(ev.orderId) || (typeof order === 'object' && order !== null && (order as { whatIf?: unknown }).whatIf === true);
    if (isWhatIf) {
      this.orders.onOpenOrder(ev, map.whatIfResult(state));
      return;
    }
    this.openOrdersFlight?.openOrders.push(ev);
    if (this.orders.has(ev.orderId)) this.orders.onOpenOrder(ev, null);
    else this.orders.adopt(ev);
    this.emitOrderEvent(ev);
  }

  /** Asks TWS about an order whose acknowledgement did not come. */
  private async lookupOrder(orderId: number): Promise<OrderLookup> {
    // A reconnect in progress will bring the order's state with it: give it a chance before judging.
    if (this.machine.state !== 'connected' && this.wantConnected) await this.untilConnected(this.opts.orderAckTimeoutMs);
    if (this.machine.state !== 'connected') return { found: 'unknown', reason: 'not connected' };
    const [open, execs] = await Promise.all([this.openOrders(), this.executions({})]);
    const statuses = open.orderStatuses.filter((s) => s.orderId === orderId);
    const oo = open.openOrders.find((o) => o.orderId === orderId);
    const last = statuses.at(-1);
    if (oo || last) return { found: 'open', status: last?.status ?? oo?.status ?? 'Submitted', permId: last?.permId ?? oo?.permId ?? null };
    const fill = execs.executions.find((e) => e.orderId === orderId && e.clientId === this.target?.clientId);
    if (fill) return { found: 'filled', permId: fill.permId || null };
    return { found: 'absent' };
  }

  /** Resolves when connected or after `ms` (whichever comes first). */
  private untilConnected(ms: number): Promise<void> {
    return new Promise((resolve) => {
      let timer: TimerHandle | null = null;
      const off = this.onStatus((st) => {
        if (st.state !== 'connected') return;
        off();
        if (timer !== null) this.timers.clearTimeout(timer);
        resolve();
      });
      timer = this.timers.setTimeout(() => {
        off();
        resolve();
      }, ms);
    });
  }

  // ——————————————————————————— events and diagnostics ———————————————————————————

  private emitOrderEvent(ev: OpenOrderEvent | OrderStatusEvent): void {
    // TWS repeats identical order messages; pass each distinct state on once.
    const key = brokerEventKey(ev);
    const slot = `${ev.type}|${ev.clientId}|${ev.orderId}`;
    if (key !== null && this.lastOrderEventKey.get(slot) === key) return;
    if (key !== null) this.lastOrderEventKey.set(slot, key);
    this.emitEvent(ev);
  }

  private emitEvent(ev: BrokerEvent): void {
    for (const l of this.eventListeners) safe(() => l(ev));
  }

  private notice(n: BrokerNotice): void {
    this.log?.[n.level === 'error' ? 'error' : n.level === 'warn' ? 'warn' : 'info']({ code: n.code, id: n.id }, n.message);
    for (const l of this.noticeListeners) safe(() => l(n));
  }

  private recordError(err: BrokerError): void {
    this.lastError = { code: err.code, message: err.userMessage, at: this.timers.now() };
  }

  private onDecodeError(what: string, detail: unknown): void {
    this.counters.decodeErrors++;
    this.log?.warn({ what, detail: detail instanceof Error ? detail.message : safeJson(detail) }, 'skipped an unreadable broker message');
  }

  private transition(to: ConnectionStatus['state'], message: string): void {
    this.machine.to(to, message);
    this.statusMessage = message;
    this.emitStatus();
  }

  private emitStatus(): void {
    const s = this.status();
    for (const l of this.statusListeners) safe(() => l(s));
  }

  tune(tuning: BrokerTuning): void {
    if (tuning.pacerRate !== undefined) this.pacer.setRate(tuning.pacerRate);
    if (tuning.lineBudget !== undefined) this.lines.setBudget(tuning.lineBudget);
    this.emitStatus();
  }

  diagnostics(): BrokerDiagnostics {
    const now = this.timers.now();
    return {
      at: now,
      state: this.machine.state,
      linkLost: this.linkLost,
      profile: this.target?.profile ?? null,
      serverVersion: this.factsValue?.serverVersion ?? null,
      accountMode: this.factsValue?.accountMode ?? null,
      clientId: this.target?.clientId ?? null,
      uptimeMs: this.machine.state === 'connected' && this.factsValue ? now - this.factsValue.connectedAt : null,
      messagesIn: { total: this.messagesIn.count, perSecond: this.messagesIn.rate(), peakPerSecond: this.messagesIn.peak() },
      messagesOut: { total: this.messagesOut.count, perSecond: this.messagesOut.rate(), peakPerSecond: this.messagesOut.peak() },
      pacer: this.pacer.stats(),
      lines: this.lines.stats(),
      requests: this.registry.stats(),
      connects: this.counters.connects,
      reconnects: this.counters.reconnects,
      lastDisconnectReason: this.lastDisconnectReason,
      nextRetryAt: this.nextRetryAt,
      errorsByCode: Object.fromEntries([...this.errorsByCode].sort((a, b) => a[0] - b[0]).map(([k, v]) => [String(k), v])),
      orders: this.orders.counts(),
      executions: { unique: this.execBook.size, replaysIgnored: this.counters.replays, corrections: this.counters.corrections },
      decodeErrors: this.counters.decodeErrors,
      probe: { sent: this.counters.probesSent, failed: this.counters.probesFailed, lastRttMs: this.counters.lastRttMs },
      marketDataType: this.marketDataType,
    };
  }

  /** Messages received from / sent to TWS so far, cheaply (diagnostics() computes percentiles). */
  messageCounts(): { in: number; out: number } {
    return { in: this.messagesIn.count, out: this.messagesOut.count };
  }

  /** Line counts only (cheap). */
  lineStats(): ReturnType<LineManager<LineSpec>['stats']> {
    return this.lines.stats();
  }

  /** Request ids of live streaming lines (tests compare them with the exchange's view). */
  liveLineIds(): number[] {
    return this.lines.liveStreamIds();
  }
}

function sameTarget(a: ConnectTarget | null, b: ConnectTarget): boolean {
  return !!a && a.profile === b.profile && a.host === b.host && a.port === b.port && a.clientId === b.clientId;
}

function describe(q: ContractQuery): string {
  return [q.symbol ?? `conId ${q.conId}`, q.secType, q.expiry, q.strike, q.right].filter((x) => x !== undefined && x !== '').join(' ');
}

function toWireContract(q: ContractQuery): Contract {
  const c: Record<string, unknown> = { secType: q.secType, exchange: q.exchange ?? 'SMART', currency: q.currency ?? 'USD' };
  if (q.conId) c.conId = q.conId;
  if (q.symbol) c.symbol = q.symbol;
  if (q.primaryExch) c.primaryExch = q.primaryExch;
  if (q.expiry) c.lastTradeDateOrContractMonth = q.expiry;
  if (q.strike !== undefined) c.strike = q.strike;
  if (q.right) c.right = q.right;
  if (q.multiplier !== undefined) c.multiplier = q.multiplier;
  if (q.tradingClass) c.tradingClass = q.tradingClass;
  if (q.localSymbol) c.localSymbol = q.localSymbol;
  return c as Contract;
}

function toQuoteWire(c: QuoteContract): Contract {
  const w: Record<string, unknown> = { conId: c.conId, exchange: c.exchange ?? 'SMART' };
  if (c.symbol) w.symbol = c.symbol;
  if (c.secType) w.secType = c.secType;
  if (c.currency) w.currency = c.currency;
  return w as Contract;
}

function safe(fn: () => void): void {
  try {
    fn();
  } catch {
    // A listener's bug must not break the broker loop.
  }
}

function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

async function withTimeout(p: Promise<unknown>, ms: number): Promise<void> {
  let t: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([p.catch(() => undefined), new Promise<void>((r) => (t = setTimeout(r, ms)))]);
  if (t) clearTimeout(t);
}
