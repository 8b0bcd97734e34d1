// The @stoqey/ib adapter behind the Broker interface (ib_insync's "IB" facade): it composes the parts and delegates.
//
//   session.ts         Session — one TWS connection at a time: connect (single-flight), handshake, probe, reconnect,
//                      and the paced request path (pacer → registry) every part sends through.
//   inbound.ts         the handler map: one small function per inbound message, registered on each fresh IBApi.
//   reference-data.ts  contract details and chains, cached per session endpoint.
//   market-data.ts     quotes over market-data lines (lines.ts), snapshots, the delayed-data fall-back.
//   account.ts         summary, positions, open orders, executions, P&L streams.
//   order-gateway.ts   order ids, place / modify / cancel / what-if; the order book (orders.ts) keeps the state.
import type { ConnectionStatus } from '../../../core/contract';
import type { Result } from '../../../core/result';
import type { AccountValueEvent, BrokerEvent, PnlEvent, PositionEvent } from '../../../core/broker/events';
import { Account } from './account';
import type { BrokerError } from './errors';
import { inboundHandlers, registerInbound } from './inbound';
import type { LineManager } from './lines';
import { type LineSpec, MarketData } from './market-data';
import type { IbBrokerOptions } from './options';
import { OrderGateway } from './order-gateway';
import { ReferenceData } from './reference-data';
import { Session } from './session';
import type {
  Broker, BrokerDiagnostics, BrokerNotice, BrokerTuning, BrokerViewSnapshot, ConnectTarget, ContractQuery, ExecutionQuery, ExecutionsResult,
  HandshakeFacts, Lease, OpenOrdersResult, OptionChainParams, OptionRight, OrderChange, OrderNotice, PlacedOrder, PlaceOrderRequest, PnlSingle,
  QualifiedContract, Quote, QuoteContract, QuoteListener, QuoteOptions, QuoteSubscription, SnapshotOptions, TrackedOrder, Unsubscribe, WhatIfOptions, WhatIfResult,
} from './types';

export type { IbBrokerOptions } from './options';

export class IbBroker implements Broker {
  private readonly session: Session;
  private readonly reference: ReferenceData;
  private readonly market: MarketData;
  private readonly account: Account;
  private readonly gateway: OrderGateway;

  constructor(options: IbBrokerOptions) {
    // Built on the first connect: the table reads @stoqey/ib's event names, loaded only then (ib-module.ts).
    let handlers: ReturnType<typeof inboundHandlers> | undefined;
    this.session = new Session(
      options,
      {
        targetChanging: (target, store) => {
          this.reference.targetChanging(target);
          this.gateway.targetChanging(store);
        },
        wire: (link) => {
          handlers ??= inboundHandlers({ session: this.session, market: this.market, account: this.account, gateway: this.gateway });
          registerInbound(this.session, link, handlers);
        },
        ready: () => {
          this.market.ready();
          this.account.requestAllPnl();
        },
        reconnected: () => void this.account.resync(),
        dataLost: () => {
          this.market.lines.resubscribeAll();
          this.account.requestAllPnl(true);
        },
        suspend: () => {
          this.account.cancelAllPnlAtTws();
          return this.market.suspend();
        },
        dropped: () => {
          this.market.dropped();
          this.gateway.dropped();
          this.account.dropped();
        },
        closing: () => {
          const flush = this.market.lines.closeAll();
          this.account.closeAll();
          return { flush, afterFlush: () => this.gateway.orders.closeAll() };
        },
      },
      () => this.status(),
    );
    this.reference = new ReferenceData(this.session);
    this.market = new MarketData(this.session, options.lineBudget ?? 100);
    this.account = new Account(this.session);
    this.gateway = new OrderGateway(this.session, this.account);
  }

  // ——————————————————————————— connection ———————————————————————————

  status(): ConnectionStatus {
    const s = this.session;
    const t = s.target;
    const facts = s.facts;
    const lines = this.market.lines.stats();
    const pacer = s.pacer.stats();
    return {
      state: s.machine.state,
      profile: t?.profile ?? 'local-paper',
      serverVersion: facts?.serverVersion ?? null,
      accounts: facts?.accounts ?? [],
      isPaper: facts ? facts.accountMode !== 'LIVE' : !(t?.live ?? false),
      isSimulated: t?.simulated ?? false,
      lastError: s.lastError,
      lastMessageAt: s.lastMessageAt,
      since: s.machine.since,
      linkLost: s.linkLost,
      accountMode: facts?.accountMode ?? (t ? (t.simulated ? 'SIMULATED' : t.live ? 'LIVE' : 'PAPER') : undefined),
      clientId: t?.clientId,
      message: s.statusMessage,
      nextRetryAt: s.nextRetryAt,
      reconnects: s.counters.reconnects,
      expectedOutage: s.expectedOutage,
      marketDataType: this.market.marketDataType === 3 ? 'delayed' : 'live',
      lines: { held: lines.held, budget: lines.budget },
      pacer: { depth: pacer.depth, ratePerSecond: pacer.ratePerSecond, sentPerSecond: pacer.sentPerSecond, waitP99Ms: pacer.waitP99Ms },
    };
  }

  onStatus(listener: (s: ConnectionStatus) => void): Unsubscribe {
    return this.session.onStatus(listener);
  }

  onNotice(listener: (n: BrokerNotice) => void): Unsubscribe {
    return this.session.onNotice(listener);
  }

  onEvent(listener: (e: BrokerEvent) => void): Unsubscribe {
    return this.session.onEvent(listener);
  }

  onOrderNotice(listener: (n: OrderNotice) => void): Unsubscribe {
    return this.gateway.onOrderNotice(listener);
  }

  facts(): HandshakeFacts | null {
    return this.session.facts;
  }

  tradingAllowed(): Result<void, BrokerError> {
    return this.session.tradingAllowed();
  }

  connect(target: ConnectTarget): Promise<HandshakeFacts> {
    return this.session.connect(target);
  }

  disconnect(): Promise<void> {
    return this.session.disconnect();
  }

  close(): Promise<void> {
    return this.session.close();
  }

  // ——————————————————————————— reference data ———————————————————————————

  qualify(query: ContractQuery): Promise<QualifiedContract[]> {
    return this.reference.qualify(query);
  }

  optionChainParams(u: { symbol: string; secType: 'STK' | 'IND'; conId: number; exchange?: string }): Promise<OptionChainParams[]> {
    return this.reference.optionChainParams(u);
  }

  optionContracts(q: { symbol: string; expiry: string; tradingClass?: string; right?: OptionRight; exchange?: string; currency?: string }): Promise<QualifiedContract[]> {
    return this.reference.optionContracts(q);
  }

  // ——————————————————————————— market data ———————————————————————————

  subscribeQuote(contract: QuoteContract, listener: QuoteListener = {}, options: QuoteOptions = {}): QuoteSubscription {
    return this.market.subscribeQuote(contract, listener, options);
  }

  snapshotQuote(contract: QuoteContract, options: SnapshotOptions = {}): Promise<Quote> {
    return this.market.snapshotQuote(contract, options);
  }

  // ——————————————————————————— account ———————————————————————————

  accountSummary(tags?: string[]): Promise<AccountValueEvent[]> {
    return this.account.accountSummary(tags);
  }

  positions(): Promise<PositionEvent[]> {
    return this.account.positions();
  }

  openOrders(): Promise<OpenOrdersResult> {
    return this.account.openOrders();
  }

  executions(query: ExecutionQuery = {}): Promise<ExecutionsResult> {
    return this.account.executions(query);
  }

  brokerView(): Promise<BrokerViewSnapshot> {
    return this.account.brokerView();
  }

  subscribePnl(account: string, listener: (pnl: PnlEvent) => void): Lease {
    return this.account.subscribePnl(account, listener);
  }

  subscribePnlSingle(account: string, conId: number, listener: (pnl: PnlSingle) => void): Lease {
    return this.account.subscribePnlSingle(account, conId, listener);
  }

  // ——————————————————————————— orders ———————————————————————————

  reserveOrderId(): number {
    return this.gateway.reserveOrderId();
  }

  placeOrder(request: PlaceOrderRequest): Promise<PlacedOrder> {
    return this.gateway.placeOrder(request);
  }

  modifyOrder(orderId: number, change: OrderChange): Promise<PlacedOrder> {
    return this.gateway.modifyOrder(orderId, change);
  }

  cancelOrder(orderId: number): Promise<void> {
    return this.gateway.cancelOrder(orderId);
  }

  cancelAllOrders(): Promise<void> {
    return this.gateway.cancelAllOrders();
  }

  whatIf(request: PlaceOrderRequest, options: WhatIfOptions = {}): Promise<WhatIfResult> {
    return this.gateway.whatIf(request, options);
  }

  trackedOrders(): TrackedOrder[] {
    return this.gateway.trackedOrders();
  }

  /** After a restart: the journaled request of an earlier session's order, so it can be modified (a walk resumes). */
  restoreOrderRequest(orderId: number, request: PlaceOrderRequest): boolean {
    return this.gateway.restoreOrderRequest(orderId, request);
  }

  // ——————————————————————————— tuning and diagnostics ———————————————————————————

  tune(tuning: BrokerTuning): void {
    if (tuning.pacerRate !== undefined) this.session.pacer.setRate(tuning.pacerRate);
    if (tuning.lineBudget !== undefined) this.market.lines.setBudget(tuning.lineBudget);
    this.session.emitStatus();
  }

  diagnostics(): BrokerDiagnostics {
    const s = this.session;
    const now = s.timers.now();
    return {
      at: now,
      state: s.machine.state,
      linkLost: s.linkLost,
      profile: s.target?.profile ?? null,
      serverVersion: s.facts?.serverVersion ?? null,
      accountMode: s.facts?.accountMode ?? null,
      clientId: s.target?.clientId ?? null,
      uptimeMs: s.machine.state === 'connected' && s.facts ? now - s.facts.connectedAt : null,
      messagesIn: { total: s.messagesIn.count, perSecond: s.messagesIn.rate(), peakPerSecond: s.messagesIn.peak() },
      messagesOut: { total: s.messagesOut.count, perSecond: s.messagesOut.rate(), peakPerSecond: s.messagesOut.peak() },
      pacer: s.pacer.stats(),
      lines: this.market.lines.stats(),
      requests: s.registry.stats(),
      connects: s.counters.connects,
      reconnects: s.counters.reconnects,
      lastDisconnectReason: s.lastDisconnectReason,
      nextRetryAt: s.nextRetryAt,
      errorsByCode: Object.fromEntries([...s.errorsByCode].sort((a, b) => a[0] - b[0]).map(([k, v]) => [String(k), v])),
      orders: this.gateway.orders.counts(),
      executions: { unique: this.account.execBook.size, replaysIgnored: s.counters.replays, corrections: s.counters.corrections },
      decodeErrors: s.counters.decodeErrors,
      probe: { sent: s.counters.probesSent, failed: s.counters.probesFailed, lastRttMs: s.counters.lastRttMs },
      marketDataType: this.market.marketDataType,
    };
  }

  /** Messages received from / sent to TWS so far, cheaply (diagnostics() computes percentiles). */
  messageCounts(): { in: number; out: number } {
    return { in: this.session.messagesIn.count, out: this.session.messagesOut.count };
  }

  /** Line counts only (cheap). */
  lineStats(): ReturnType<LineManager<LineSpec>['stats']> {
    return this.market.lines.stats();
  }

  /** Request ids of live streaming lines (tests compare them with the exchange's view). */
  liveLineIds(): number[] {
    return this.market.lines.liveStreamIds();
  }

  /** Reference-data entries cached for the current endpoint (tests check a profile switch clears them). */
  referenceCacheSize(): number {
    return this.reference.cacheSize();
  }
}
