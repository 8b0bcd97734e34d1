// The Broker interface: the typed surface the scanner, execution, portfolio and journal services use. Keep it stable.
// Length (~450 lines): declarations only — the one place other services read the broker's types from.
//
// Everything about TWS — ids, pacing, lines, reconnects, error codes — stays behind this interface. Order,
// execution, commission, position, account-value and P&L events use the journal's broker-event shapes
// (src/core/broker/events.ts) exactly, so the journal ingests them without translation.
import type { ConnectionStatus, ProfileId } from '../../../core/contract';
import type {
  AccountValueEvent,
  BrokerEvent,
  CommissionReportEvent,
  ExecutionEvent,
  OpenOrderEvent,
  OrderStatusEvent,
  PnlEvent,
  PositionEvent,
} from '../../../core/broker/events';
import type { Result } from '../../../core/result';
import type { NetPrice, TickTable } from '../../../core/spreads';
import type { BrokerError } from './errors';
import type { LineStats, StreamStatus } from './lines';
import type { PacerStats } from './pacer';
import type { RequestStats } from './requests';

export type Unsubscribe = () => void;

// ——— connection ———

/** Where to connect. For Local paper the app fills in the port of the exchange it started. */
export interface ConnectTarget {
  profile: ProfileId;
  host: string;
  port: number;
  clientId: number;
  /** The profile trades real money. */
  live: boolean;
  /** The built-in simulated exchange. */
  simulated: boolean;
  /** The profile's liveness probe (settings); absent = the adapter's options, else 5 s + 5 s. */
  probe?: { intervalMs: number; timeoutMs: number };
}

export type AccountMode = 'PAPER' | 'LIVE' | 'SIMULATED';

/** What the handshake told us. */
export interface HandshakeFacts {
  serverVersion: number;
  /** TWS's connection time text, e.g. "20250102 09:30:00 US/Eastern". */
  connectionTime: string;
  accounts: string[];
  /** SIMULATED for the local exchange; otherwise PAPER when every account is a paper one (DU…) or the profile says so. */
  accountMode: AccountMode;
  nextValidId: number;
  clientId: number;
  host: string;
  port: number;
  connectedAt: number;
}

/** A message for the trader (status bar, log, toasts): farm notices, link changes, rejects… */
export interface BrokerNotice {
  level: 'info' | 'warn' | 'error';
  code: number | null;
  message: string;
  at: number;
  /** The request or order id the broker tied it to, when any. */
  id?: number;
}

// ——— contracts ———

export type OptionRight = 'C' | 'P';

/** What to look up; the more fields, the fewer matches (an under-specified option lists a whole chain). */
export interface ContractQuery {
  conId?: number;
  symbol?: string;
  secType: 'STK' | 'IND' | 'OPT' | 'FUT' | 'FOP' | 'BAG' | 'CASH';
  exchange?: string;
  primaryExch?: string;
  currency?: string;
  /** YYYYMMDD (or YYYYMM). */
  expiry?: string;
  strike?: number;
  right?: OptionRight;
  multiplier?: number;
  tradingClass?: string;
  localSymbol?: string;
}

/** A contract TWS confirmed (reqContractDetails), with what pricing and ordering need. */
export interface QualifiedContract {
  conId: number;
  symbol: string;
  secType: string;
  exchange: string;
  primaryExch: string | null;
  currency: string;
  localSymbol: string | null;
  tradingClass: string | null;
  /** YYYYMMDD for options and futures, else null. */
  expiry: string | null;
  strike: number | null;
  right: OptionRight | null;
  multiplier: number;
  minTick: number;
  longName: string | null;
  underConId: number | null;
  timeZoneId: string | null;
  tradingHours: string | null;
  liquidHours: string | null;
  validExchanges: string | null;
  marketRuleIds: string | null;
}

/** One reqSecDefOptParams row: the expiries and strikes one exchange lists for one trading class. */
export interface OptionChainParams {
  exchange: string;
  underlyingConId: number;
  tradingClass: string;
  multiplier: number;
  /** YYYYMMDD, ascending. */
  expirations: string[];
  /** Ascending. The expiry × strike grid may include pairs that do not exist: use optionContracts to list real ones. */
  strikes: number[];
}

// ——— market data ———

/** What a quote line needs: a conId (from qualify) and where to route it. */
export interface QuoteContract {
  conId: number;
  /** SMART unless told otherwise. */
  exchange?: string;
  /** For logs and readable errors. */
  symbol?: string;
  secType?: ContractQuery['secType'];
  currency?: string;
}

/** Model or bid/ask option computation; null fields were not computed by TWS. */
export interface OptionGreeks {
  impliedVol: number | null;
  delta: number | null;
  gamma: number | null;
  vega: number | null;
  theta: number | null;
  optPrice: number | null;
  pvDividend: number | null;
  undPrice: number | null;
}

/**
 * IBKR's dividend facts for an underlying (generic tick 456 → tick 59, "past12,next12,nextDate,nextAmount"): dividends
 * per share paid over the past 12 months and expected over the next 12, and the next one's date and amount.
 */
export interface Dividends {
  past12: number | null;
  next12: number | null;
  /** YYYYMMDD, as TWS sends it. */
  nextDate: string | null;
  nextAmount: number | null;
}

export interface Quote {
  conId: number;
  bid: number | null;
  ask: number | null;
  last: number | null;
  bidSize: number | null;
  askSize: number | null;
  lastSize: number | null;
  high: number | null;
  low: number | null;
  close: number | null;
  open: number | null;
  volume: number | null;
  /** TWS's model computation (tick 13): IV and greeks. */
  model: OptionGreeks | null;
  bidGreeks: OptionGreeks | null;
  askGreeks: OptionGreeks | null;
  /** Underlying-only generic ticks (100/101/104/106). */
  callVolume: number | null;
  putVolume: number | null;
  callOpenInterest: number | null;
  putOpenInterest: number | null;
  impliedVol: number | null;
  histVol: number | null;
  /** Underlying-only generic tick 456: the dividends (null until tick 59 arrives; TWS sends none for a non-payer). */
  dividends: Dividends | null;
  /** 1 live, 2 frozen, 3 delayed, 4 delayed-frozen. */
  marketDataType: 1 | 2 | 3 | 4;
  /** Data is delayed (types 3/4, or delayed tick ids): label it so. */
  delayed: boolean;
  /** Epoch ms of the last tick applied. */
  updatedAt: number | null;
}

export interface QuoteOptions {
  /** Generic ticks for streaming only (e.g. "100,101,106" on an underlying); snapshots cannot take them (321). */
  genericTicks?: string;
}

export interface QuoteSubscription {
  readonly conId: number;
  /** waiting (no free line yet, or reconnecting), live, or failed (see `error`). */
  readonly status: StreamStatus;
  readonly error: BrokerError | null;
  /** The latest merged quote, or null before the first tick. */
  latest(): Quote | null;
  /** Releases this subscriber's share; the line is cancelled when the last one is released. Idempotent. */
  release(): void;
}

export interface QuoteListener {
  onQuote?(quote: Quote): void;
  onStatus?(status: StreamStatus, error: BrokerError | null): void;
}

export interface SnapshotOptions {
  /** 'quote' = the trader is waiting for it; 'scan' = background work (default). */
  priority?: 'quote' | 'scan';
  signal?: AbortSignal;
}

export interface WhatIfOptions {
  /**
   * 'order' (default) = the trader is waiting for it (the ticket's preview); 'scan' = background work (the scanner's
   * broker-verified rows): paced behind every order and every quote the trader asked for.
   */
  priority?: 'order' | 'scan';
  /** Withdraws it: not sent if still queued, and the call rejects at once (an answer already on its way is dropped). */
  signal?: AbortSignal;
}

// ——— account ———

export interface PnlSingle {
  account: string;
  conId: number;
  position: number | null;
  dailyPnL: number | null;
  unrealizedPnL: number | null;
  realizedPnL: number | null;
  value: number | null;
  receivedAt: number;
}

export interface Lease {
  release(): void;
}

export interface ExecutionQuery {
  account?: string;
  symbol?: string;
  secType?: string;
  side?: 'BUY' | 'SELL';
  /** "yyyymmdd-hh:mm:ss" (UTC) — executions after this time. */
  time?: string;
  /** Only this client's executions (default: all clients). */
  onlyThisClient?: boolean;
}

export interface ExecutionsResult {
  executions: ExecutionEvent[];
  commissions: CommissionReportEvent[];
}

export interface OpenOrdersResult {
  openOrders: OpenOrderEvent[];
  orderStatuses: OrderStatusEvent[];
}

/** What the journal's reconciliation compares (src/core/journal/reconcile.ts BrokerView). */
export interface BrokerViewSnapshot extends OpenOrdersResult, ExecutionsResult {
  positions: PositionEvent[];
}

// ——— orders ———

export type OrderAction = 'BUY' | 'SELL';

export interface ComboLeg {
  conId: number;
  action: OrderAction;
  /** Contracts of this leg per spread unit; verticals use 1. */
  ratio: number;
  exchange?: string;
}

/** A single option (or stock) order. `limitPrice` is the per-share price. */
export interface SingleOrderContract {
  kind: 'single';
  conId: number;
  symbol: string;
  secType?: 'OPT' | 'STK';
  exchange?: string;
  currency?: string;
}

/**
 * A two-leg BAG combo, legs written as the spread is held (long leg BUY, short leg SELL — core/spreads/bag.ts).
 * The price is the net per spread unit in our words (core/spreads NetPrice: amount + debit|credit); the adapter
 * writes IBKR's signed limit with core/spreads' toBagOrder (BUY = open, SELL = close).
 */
export interface ComboOrderContract {
  kind: 'combo';
  symbol: string;
  currency?: string;
  exchange?: string;
  /** A vertical's two legs, or a roll's four (close the old vertical and open the new one in one order). */
  legs: [ComboLeg, ComboLeg] | [ComboLeg, ComboLeg, ComboLeg, ComboLeg];
  /** Legs may fill separately (only for SMART); verticals are guaranteed combos, so default false. */
  nonGuaranteed?: boolean;
}

export interface PlaceOrderRequest {
  /** Our ticket id; sent as orderRef and echoed on every execution. */
  ticketId: string;
  /** A pre-reserved id (reserveOrderId), so the journal can record intent with it first. */
  orderId?: number;
  account?: string;
  action: OrderAction;
  quantity: number;
  orderType: 'LMT' | 'MKT';
  tif?: 'DAY' | 'GTC';
  contract: SingleOrderContract | ComboOrderContract;
  /** Single orders: the limit price in dollars (must be on the tick grid). */
  limitPrice?: number;
  /** Combo orders: the net price (core/spreads NetPrice, exact micros); must be on the tick grid. */
  net?: NetPrice;
  /** The tick grid the limit must sit on (core/spreads tick tables). Combos default to TICKS_COMBO. */
  ticks?: TickTable;
  /** Or a single price increment (e.g. contract details' minTick) when no table is at hand. */
  minTick?: number;
}

export interface OrderChange {
  quantity?: number;
  limitPrice?: number;
  net?: NetPrice;
}

export interface PlacedOrder {
  orderId: number;
  permId: number | null;
  status: string;
}

export interface TrackedOrder {
  orderId: number;
  ticketId: string;
  permId: number | null;
  status: string;
  filled: number;
  remaining: number;
  avgFillPrice: number | null;
  /** TWS has acknowledged the order (openOrder or orderStatus seen). */
  acknowledged: boolean;
  /** Sent but never acknowledged, and TWS did not list it when asked: not known to be working. */
  stuck: boolean;
  /** The signed limit price sent to TWS. */
  lmtPrice: number | null;
  updatedAt: number;
  /** The API client that placed it (ours, an earlier session of ours, or another client / TWS); null when unknown. */
  clientId?: number | null;
}

export interface WhatIfResult {
  initMarginBefore: number | null;
  initMarginChange: number | null;
  initMarginAfter: number | null;
  maintMarginBefore: number | null;
  maintMarginChange: number | null;
  maintMarginAfter: number | null;
  equityWithLoanBefore: number | null;
  equityWithLoanChange: number | null;
  equityWithLoanAfter: number | null;
  commission: number | null;
  minCommission: number | null;
  maxCommission: number | null;
  commissionCurrency: string | null;
  warningText: string | null;
}

/** Adapter-level order notices that have no journal shape (no TWS message carries them). */
export type OrderNotice =
  | { type: 'orderStuck'; orderId: number; ticketId: string; at: number; message: string }
  | { type: 'orderRefused'; ticketId: string; at: number; error: BrokerError };

// ——— diagnostics ———

export interface BrokerDiagnostics {
  at: number;
  state: ConnectionStatus['state'];
  linkLost: boolean;
  profile: ProfileId | null;
  serverVersion: number | null;
  accountMode: AccountMode | null;
  clientId: number | null;
  uptimeMs: number | null;
  messagesIn: { total: number; perSecond: number; peakPerSecond: number };
  messagesOut: { total: number; perSecond: number; peakPerSecond: number };
  pacer: PacerStats;
  lines: LineStats;
  requests: RequestStats;
  connects: number;
  reconnects: number;
  lastDisconnectReason: string | null;
  nextRetryAt: number | null;
  errorsByCode: Record<string, number>;
  orders: { tracked: number; working: number; stuck: number };
  executions: { unique: number; replaysIgnored: number; corrections: number };
  decodeErrors: number;
  probe: { sent: number; failed: number; lastRttMs: number | null };
  marketDataType: 1 | 2 | 3 | 4;
}

export interface BrokerTuning {
  /** Outbound messages per second (default 45; TWS allows 50). */
  pacerRate?: number;
  /** Market-data lines this app may hold (default 100). */
  lineBudget?: number;
}

/** The broker layer as the other services see it. */
export interface Broker {
  // connection
  status(): ConnectionStatus;
  onStatus(listener: (status: ConnectionStatus) => void): Unsubscribe;
  onNotice(listener: (notice: BrokerNotice) => void): Unsubscribe;
  connect(target: ConnectTarget): Promise<HandshakeFacts>;
  disconnect(): Promise<void>;
  facts(): HandshakeFacts | null;
  /** Whether a new order may be sent now (connected and TWS's link to IBKR is up), with the reason if not. */
  tradingAllowed(): Result<void, BrokerError>;

  // reference data
  /** Contract details matching the query; an unknown contract (TWS 200) gives an empty list. */
  qualify(query: ContractQuery): Promise<QualifiedContract[]>;
  optionChainParams(underlying: { symbol: string; secType: 'STK' | 'IND'; conId: number; exchange?: string }): Promise<OptionChainParams[]>;
  /** Options that really exist for one expiry, YYYYMMDD, or a whole month, YYYYMM (guards against reqSecDefOptParams' expiry × strike grid). */
  optionContracts(query: { symbol: string; expiry: string; tradingClass?: string; right?: OptionRight; exchange?: string; currency?: string }): Promise<QualifiedContract[]>;

  // market data
  subscribeQuote(contract: QuoteContract, listener?: QuoteListener, options?: QuoteOptions): QuoteSubscription;
  snapshotQuote(contract: QuoteContract, options?: SnapshotOptions): Promise<Quote>;

  // account
  accountSummary(tags?: string[]): Promise<AccountValueEvent[]>;
  positions(): Promise<PositionEvent[]>;
  subscribePnl(account: string, listener: (pnl: PnlEvent) => void): Lease;
  subscribePnlSingle(account: string, conId: number, listener: (pnl: PnlSingle) => void): Lease;
  openOrders(): Promise<OpenOrdersResult>;
  executions(query?: ExecutionQuery): Promise<ExecutionsResult>;
  /** Open orders, executions with commissions, and positions: what startup reconciliation needs. */
  brokerView(): Promise<BrokerViewSnapshot>;

  // orders
  /** A fresh order id, durably recorded (never reused, even across restarts). */
  reserveOrderId(): number;
  /** Sends the order (transmit: true) and resolves when TWS acknowledges it; rejects with a typed error. */
  placeOrder(request: PlaceOrderRequest): Promise<PlacedOrder>;
  /** Re-sends the order under the same id with the changes. */
  modifyOrder(orderId: number, change: OrderChange): Promise<PlacedOrder>;
  /** Resolves when TWS reports the order cancelled. */
  cancelOrder(orderId: number): Promise<void>;
  /** reqGlobalCancel: every open order of this account, from every client. */
  cancelAllOrders(): Promise<void>;
  /** IBKR's margin and commission preview; the order is not kept. */
  whatIf(request: PlaceOrderRequest, options?: WhatIfOptions): Promise<WhatIfResult>;
  trackedOrders(): TrackedOrder[];
  /** After a restart: re-attach the journaled request of an earlier session's order so it can be modified again. */
  restoreOrderRequest(orderId: number, request: PlaceOrderRequest): boolean;

  // event streams
  /** Order, execution (de-duplicated), commission, position, account-value and P&L events in the journal's shapes. */
  onEvent(listener: (event: BrokerEvent) => void): Unsubscribe;
  onOrderNotice(listener: (notice: OrderNotice) => void): Unsubscribe;

  // operations
  diagnostics(): BrokerDiagnostics;
  tune(tuning: BrokerTuning): void;
  /** Cancels every line and subscription, then disconnects. */
  close(): Promise<void>;
}
