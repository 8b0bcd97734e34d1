// Broker events: what the @stoqey/ib adapter emits for orders, fills, positions and P&L; the journal consumes them.
//
// Field names follow TWS / @stoqey/ib (orderStatus, openOrder, execDetails, commissionReport,
// position, updateAccountValue/accountSummary, pnl) so the adapter maps them one to one. Each event
// carries `receivedAt` (epoch ms, stamped by the adapter) because core never reads a clock.
// Numbers arrive as the broker's doubles; the journal converts them to exact micro-units on write.
import { z } from 'zod';
import { type Failure, type Result, failure, ok } from '../result';

const int = z.number().int();
/** A broker double; TWS's "unset" sentinel (≈1.8e308) is accepted here and read as absent later. */
const dbl = z.number();
const epochMs = z.number().int().nonnegative();

/** TWS order states (@stoqey OrderStatus), plus anything newer TWS may invent. */
export const OrderStatusName = z.union([
  z.enum(['ApiPending', 'PendingSubmit', 'PreSubmitted', 'Submitted', 'PendingCancel', 'ApiCancelled', 'Cancelled', 'Filled', 'Inactive', 'Unknown']),
  z.string().min(1),
]);
export type OrderStatusName = z.infer<typeof OrderStatusName>;

export const ComboLegRef = z.object({
  conId: int,
  ratio: int.positive(),
  action: z.enum(['BUY', 'SELL']),
  exchange: z.string().optional(),
});
export type ComboLegRef = z.infer<typeof ComboLegRef>;

/** The contract fields the journal keeps (a subset of TWS Contract). */
export const ContractRef = z.object({
  conId: int,
  symbol: z.string(),
  secType: z.string(), // OPT, BAG, STK, …
  lastTradeDateOrContractMonth: z.string().optional(),
  strike: dbl.optional(),
  right: z.string().optional(), // C / P (TWS may also say CALL / PUT)
  multiplier: z.union([dbl, z.string()]).optional(),
  exchange: z.string().optional(),
  currency: z.string().optional(),
  localSymbol: z.string().optional(),
  tradingClass: z.string().optional(),
  comboLegs: z.array(ComboLegRef).optional(),
});
export type ContractRef = z.infer<typeof ContractRef>;

/** In 3 orderStatus: `orderId|status|filled|remaining|avgFillPrice|permId|parentId|lastFillPrice|clientId|whyHeld|mktCapPrice`. */
export const OrderStatusEvent = z.object({
  type: z.literal('orderStatus'),
  receivedAt: epochMs,
  orderId: int,
  status: OrderStatusName,
  filled: dbl,
  remaining: dbl,
  avgFillPrice: dbl,
  permId: int,
  parentId: int.optional(),
  lastFillPrice: dbl.optional(),
  clientId: int,
  whyHeld: z.string().optional(),
  mktCapPrice: dbl.optional(),
});
export type OrderStatusEvent = z.infer<typeof OrderStatusEvent>;

/** In 5 openOrder, reduced to what identifies and prices the order (orderState.status included). */
export const OpenOrderEvent = z.object({
  type: z.literal('openOrder'),
  receivedAt: epochMs,
  orderId: int,
  permId: int,
  clientId: int,
  orderRef: z.string().optional(),
  account: z.string().optional(),
  action: z.enum(['BUY', 'SELL']),
  totalQuantity: dbl,
  orderType: z.string(),
  lmtPrice: dbl.optional(),
  auxPrice: dbl.optional(),
  tif: z.string().optional(),
  contract: ContractRef,
  status: OrderStatusName,
});
export type OpenOrderEvent = z.infer<typeof OpenOrderEvent>;

/** In 11 execDetails: one fill of one contract (a BAG fill yields one per leg plus one for the BAG). */
export const ExecutionEvent = z.object({
  type: z.literal('execution'),
  receivedAt: epochMs,
  reqId: int.optional(), // -1 when unsolicited
  orderId: int,
  clientId: int,
  permId: int,
  orderRef: z.string().optional(),
  contract: ContractRef,
  execId: z.string().min(1),
  time: z.string(),
  acctNumber: z.string(),
  exchange: z.string().optional(),
  side: z.enum(['BOT', 'SLD']),
  shares: dbl,
  price: dbl,
  liquidation: int.optional(),
  cumQty: dbl.optional(),
  avgPrice: dbl.optional(),
  evRule: z.string().optional(),
  evMultiplier: dbl.optional(),
  modelCode: z.string().optional(),
  lastLiquidity: int.optional(),
});
export type ExecutionEvent = z.infer<typeof ExecutionEvent>;

/** In 59 commissionReport: `execId|commission|currency|realizedPNL|yield|yieldRedemptionDate`. */
export const CommissionReportEvent = z.object({
  type: z.literal('commissionReport'),
  receivedAt: epochMs,
  execId: z.string().min(1),
  commission: dbl,
  currency: z.string(),
  realizedPNL: dbl.nullable().optional(),
  yield: dbl.nullable().optional(),
  yieldRedemptionDate: int.nullable().optional(),
});
export type CommissionReportEvent = z.infer<typeof CommissionReportEvent>;

/** In 4 errMsg with an order id (201 rejected, 202 cancelled, 10147/10148 cancel failures, …). */
export const OrderErrorEvent = z.object({
  type: z.literal('orderError'),
  receivedAt: epochMs,
  orderId: int,
  clientId: int,
  code: int,
  message: z.string(),
  advancedOrderReject: z.string().optional(),
});
export type OrderErrorEvent = z.infer<typeof OrderErrorEvent>;

/** In 61 position: `account|contract…|position|avgCost`. */
export const PositionEvent = z.object({
  type: z.literal('position'),
  receivedAt: epochMs,
  account: z.string(),
  contract: ContractRef,
  position: dbl,
  avgCost: dbl.optional(),
});
export type PositionEvent = z.infer<typeof PositionEvent>;

/** In 6 updateAccountValue / 63 accountSummary: a tagged value, kept as the broker's text. */
export const AccountValueEvent = z.object({
  type: z.literal('accountValue'),
  receivedAt: epochMs,
  account: z.string(),
  key: z.string(),
  value: z.string(),
  currency: z.string(),
});
export type AccountValueEvent = z.infer<typeof AccountValueEvent>;

/** In 94 pnl: the adapter resolves reqId to the account it asked about. */
export const PnlEvent = z.object({
  type: z.literal('pnl'),
  receivedAt: epochMs,
  account: z.string(),
  dailyPnL: dbl,
  unrealizedPnL: dbl.nullable().optional(),
  realizedPnL: dbl.nullable().optional(),
});
export type PnlEvent = z.infer<typeof PnlEvent>;

export const BrokerEvent = z.discriminatedUnion('type', [
  OrderStatusEvent,
  OpenOrderEvent,
  ExecutionEvent,
  CommissionReportEvent,
  OrderErrorEvent,
  PositionEvent,
  AccountValueEvent,
  PnlEvent,
]);
export type BrokerEvent = z.infer<typeof BrokerEvent>;
export type BrokerEventType = BrokerEvent['type'];

/** Validates an event at a trust boundary (adapter output, test fixture, replay file). */
export function parseBrokerEvent(input: unknown): Result<BrokerEvent, Failure<'INVALID_EVENT'>> {
  const parsed = BrokerEvent.safeParse(input);
  return parsed.success ? ok(parsed.data) : failure('INVALID_EVENT', parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
}

/** Order states after which TWS sends nothing more for the order. */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set(['Filled', 'Cancelled', 'ApiCancelled', 'Inactive']);
export const isTerminalStatus = (status: string): boolean => TERMINAL_STATUSES.has(status);

/**
 * How the journal names an order across sources: TWS's permId once known (unique per account,
 * stable across sessions), otherwise the (clientId, orderId) pair the app assigned.
 */
export function orderKey(o: { permId?: number | null; clientId: number; orderId: number }): string {
  return o.permId ? `p${o.permId}` : `c${o.clientId}:o${o.orderId}`;
}

/** TWS execution ids end in a correction counter: `…01.01` is replaced by `…01.02`. */
export function parseExecId(execId: string): { base: string; revision: number } {
  const dot = execId.lastIndexOf('.');
  if (dot > 0) {
    const tail = execId.slice(dot + 1);
    if (/^\d{1,4}$/.test(tail)) return { base: execId.slice(0, dot), revision: Number(tail) };
  }
  return { base: execId, revision: 0 };
}

/**
 * The identity of an order-stream event: the same broker message delivered twice has the same key,
 * so it is stored once. Status keys include the fields that change between real updates (TWS
 * repeats identical orderStatus messages often). Snapshot events (position, account value, P&L)
 * have no key: they are upserts of the latest value.
 */
export function brokerEventKey(e: BrokerEvent): string | null {
  switch (e.type) {
    case 'orderStatus':
      return `os|${e.clientId}|${e.orderId}|${e.permId}|${e.status}|${e.filled}|${e.remaining}|${e.avgFillPrice}|${e.lastFillPrice ?? ''}|${e.whyHeld ?? ''}`;
    case 'openOrder':
      return `oo|${e.clientId}|${e.orderId}|${e.permId}|${e.status}|${e.totalQuantity}|${e.lmtPrice ?? ''}|${e.auxPrice ?? ''}|${e.orderType}`;
    case 'execution':
      return `ex|${e.execId}`;
    case 'commissionReport':
      return `cr|${e.execId}`;
    case 'orderError':
      return `er|${e.clientId}|${e.orderId}|${e.code}|${e.message}`;
    case 'position':
    case 'accountValue':
    case 'pnl':
      return null;
  }
}

/** The option right as C/P, or null for non-options. */
export function normaliseRight(right: string | undefined): 'C' | 'P' | null {
  if (!right) return null;
  const r = right.toUpperCase();
  if (r === 'C' || r === 'CALL') return 'C';
  if (r === 'P' || r === 'PUT') return 'P';
  return null;
}

/** Contract multiplier as a whole number (TWS sends "100" for US options, "" for stock). */
export function normaliseMultiplier(m: number | string | undefined): number {
  const n = typeof m === 'string' ? Number(m) : m;
  return n !== undefined && Number.isFinite(n) && n >= 1 ? Math.round(n) : 1;
}
