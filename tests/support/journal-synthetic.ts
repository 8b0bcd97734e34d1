// Synthetic broker worlds and trade histories for the journal's property tests, crash test and benchmark.
//
// A world is a handful of orders with their full broker event streams (statuses, leg and BAG
// executions, corrections, commissions) plus the broker's view at the end: the truth that
// reconciliation must reach from any interleaving and any crash point.
import type { BrokerEvent, CommissionReportEvent, ExecutionEvent, OpenOrderEvent, OrderStatusEvent, PositionEvent } from '../../src/core/broker/events';
import type { TicketIntent } from '../../src/core/journal/intent';
import type { BrokerView } from '../../src/core/journal/reconcile';
import type { TradeRecord } from '../../src/core/journal/trades';
import type { SpreadKind } from '../../src/core/contract/scanner';
import { isCreditKind } from '../../src/core/spreads/vertical';
import { seededRandom } from '../../src/core/options/rng';
import { MICROS_PER_DOLLAR, toMicros } from '../../src/core/journal/units';

export interface OrderSpec {
  /** Placed outside the app (TWS window, phone): no ticket, client 0, order id 0. */
  external: boolean;
  /** An app order whose intent was journaled but which never left the process (crash before send). */
  neverSent: boolean;
  qty: number;
  fills: number[];
  ending: 'working' | 'filled' | 'cancelled';
  /** The first leg's first fill is corrected by the broker (…01 → …02, new price). */
  correction: boolean;
  /** Leg contract ids, from a small pool so different orders share contracts. */
  conIds: [number, number];
}

export interface WorldTicket {
  ticketId: string;
  orderId: number;
  clientId: number;
  quantity: number;
  intent: TicketIntent;
}

export interface World {
  tickets: WorldTicket[];
  /** Per order, in the order the broker sends them. */
  streams: BrokerEvent[][];
  broker: BrokerView;
  /** The broker's final word on each order it knows: key = orderKey. */
  finalOrders: Map<string, { status: string; filledU: number; working: boolean; app: boolean; orderId: number; clientId: number; permId: number }>;
}

export const WORLD_ACCOUNT = 'DU1234567';
export const WORLD_CLIENT_ID = 7;
const BAG_CON_ID = 28812380;

function contract(conId: number, strike: number, right: 'C' | 'P' = 'C') {
  return { conId, symbol: 'SPY', secType: 'OPT', lastTradeDateOrContractMonth: '20250321', strike, right, multiplier: '100', exchange: 'SMART', currency: 'USD' };
}

const strikeOf = (conId: number): number => 400 + conId * 5;

export function worldIntent(conIds: [number, number], qty: number, extra: Partial<TicketIntent> = {}): TicketIntent {
  const [a, b] = conIds;
  return {
    purpose: 'open',
    underlying: 'SPY',
    kind: 'bull-call',
    right: 'C',
    expiry: '20250321',
    longStrike: strikeOf(a),
    shortStrike: strikeOf(b),
    multiplier: 100,
    legs: [
      { conId: a, action: 'BUY', ratio: 1, expiry: '20250321', strike: strikeOf(a), right: 'C' },
      { conId: b, action: 'SELL', ratio: 1, expiry: '20250321', strike: strikeOf(b), right: 'C' },
    ],
    action: 'BUY',
    quantity: qty,
    limitPrice: 1.5,
    midPrice: 1.45,
    pricingPolicy: { mode: 'mid', stepTicks: 1, intervalMs: 5000, maxSteps: 3 },
    preview: { maxProfit: 350, maxLoss: 150, pop: 0.42 },
    popAtEntry: 0.42,
    maxLoss: 150,
    maxProfit: 350,
    risk: { verdict: 'allow', reasons: [] },
    createdBy: 'test',
    ...extra,
  };
}

/** Builds the broker's event streams and final view for a list of order specs. */
export function buildWorld(specs: readonly OrderSpec[], startAt = Date.UTC(2025, 2, 3, 15, 0, 0)): World {
  let clock = startAt;
  const tick = () => (clock += 1000);
  const tickets: WorldTicket[] = [];
  const streams: BrokerEvent[][] = [];
  const openOrders: OpenOrderEvent[] = [];
  const orderStatuses: OrderStatusEvent[] = [];
  const executions: ExecutionEvent[] = [];
  const commissions: CommissionReportEvent[] = [];
  const currentLegFills: ExecutionEvent[] = [];
  const finalOrders: World['finalOrders'] = new Map();

  specs.forEach((spec, i) => {
    const app = !spec.external;
    const qty = Math.max(1, Math.min(9, Math.floor(spec.qty)));
    const ticketId = `sd-test-${i}`;
    const orderId = app ? 1000 + i : 0;
    const clientId = app ? WORLD_CLIENT_ID : 0;
    const permId = 900_000 + i;
    const [a, b] = spec.conIds[0] === spec.conIds[1] ? [spec.conIds[0], spec.conIds[0] + 1] : spec.conIds;
    if (app) tickets.push({ ticketId, orderId, clientId, quantity: qty, intent: worldIntent([a, b], qty, { orderId, clientId }) });
    if (app && spec.neverSent) {
      streams.push([]);
      return;
    }

    // Fill sizes: positive, never beyond the order; a filled order tops up to its quantity.
    const fills: number[] = [];
    let cum = 0;
    for (const f of spec.fills) {
      const size = Math.min(Math.max(1, Math.floor(f)), qty - cum);
      if (size <= 0) break;
      fills.push(size);
      cum += size;
    }
    if (spec.ending === 'filled' && cum < qty) {
      fills.push(qty - cum);
      cum = qty;
    }
    const ending = cum === qty ? 'filled' : spec.ending === 'filled' ? 'working' : spec.ending;

    const stream: BrokerEvent[] = [];
    const combo = app; // the app trades spreads as BAG combos; outside orders here are single options
    const orderContract = combo
      ? { conId: BAG_CON_ID, symbol: 'SPY', secType: 'BAG', exchange: 'SMART', currency: 'USD', comboLegs: [{ conId: a, ratio: 1, action: 'BUY' as const }, { conId: b, ratio: 1, action: 'SELL' as const }] }
      : contract(a, strikeOf(a));
    const openOrder = (status: string): OpenOrderEvent => ({
      type: 'openOrder', receivedAt: tick(), orderId, permId, clientId, orderRef: app ? ticketId : undefined, account: WORLD_ACCOUNT,
      action: 'BUY', totalQuantity: qty, orderType: 'LMT', lmtPrice: 1.5, tif: 'DAY', contract: orderContract, status,
    });
    const status = (st: string, filled: number): OrderStatusEvent => ({
      type: 'orderStatus', receivedAt: tick(), orderId, status: st, filled, remaining: qty - filled, avgFillPrice: filled > 0 ? 1.5 : 0,
      permId, parentId: 0, lastFillPrice: filled > 0 ? 1.5 : 0, clientId, whyHeld: '', mktCapPrice: 0,
    });
    stream.push(openOrder('Submitted'), status('Submitted', 0));

    let done = 0;
    fills.forEach((size, k) => {
      done += size;
      const legs: { conId: number; side: 'BOT' | 'SLD'; price: number; secType: string }[] = combo
        ? [
            { conId: a, side: 'BOT', price: 3.2, secType: 'OPT' },
            { conId: b, side: 'SLD', price: 1.7, secType: 'OPT' },
            { conId: BAG_CON_ID, side: 'BOT', price: 1.5, secType: 'BAG' },
          ]
        : [{ conId: a, side: 'BOT', price: 2.35, secType: 'OPT' }];
      legs.forEach((leg, legIndex) => {
        const base = `0000e0d5.${permId.toString(16)}.${k}${legIndex}`;
        const exec = (rev: number, price: number): ExecutionEvent => ({
          type: 'execution', receivedAt: tick(), reqId: -1, orderId, clientId, permId, orderRef: app ? ticketId : undefined,
          contract: leg.secType === 'BAG' ? { ...orderContract } : contract(leg.conId, strikeOf(leg.conId)),
          execId: `${base}.0${rev}`, time: '20250303 10:00:00 US/Eastern', acctNumber: WORLD_ACCOUNT, exchange: 'CBOE',
          side: leg.side, shares: size, price, cumQty: done, avgPrice: price,
        });
        const first = exec(1, leg.price);
        const commission = (e: ExecutionEvent): CommissionReportEvent => ({
          type: 'commissionReport', receivedAt: tick(), execId: e.execId, commission: 0.65 * size, currency: 'USD', realizedPNL: null,
        });
        stream.push(first);
        executions.push(first);
        let current = first;
        if (leg.secType !== 'BAG') {
          const c1 = commission(first);
          stream.push(c1);
          commissions.push(c1);
        }
        if (spec.correction && k === 0 && legIndex === 0) {
          const corrected = exec(2, leg.price + 0.05);
          const c2 = commission(corrected);
          stream.push(corrected, c2);
          executions.push(corrected);
          commissions.push(c2);
          current = corrected;
        }
        if (leg.secType !== 'BAG') currentLegFills.push(current);
      });
      stream.push(status(done === qty ? 'Filled' : 'Submitted', done));
    });
    if (ending === 'cancelled') stream.push(status('Cancelled', done));
    if (ending === 'working') {
      openOrders.push({ ...openOrder('Submitted'), receivedAt: clock });
      orderStatuses.push({ ...status('Submitted', done), receivedAt: clock });
    }
    finalOrders.set(`p${permId}`, {
      status: ending === 'working' ? 'Submitted' : ending === 'filled' ? 'Filled' : 'Cancelled',
      filledU: done * MICROS_PER_DOLLAR,
      working: ending === 'working',
      app,
      orderId,
      clientId,
      permId,
    });
    streams.push(stream);
  });

  const positionsU = new Map<number, number>();
  for (const e of currentLegFills) positionsU.set(e.contract.conId, (positionsU.get(e.contract.conId) ?? 0) + (e.side === 'BOT' ? 1 : -1) * toMicros(e.shares));
  const positions: PositionEvent[] = [...positionsU.entries()]
    .filter(([, u]) => u !== 0)
    .map(([conId, u]) => ({ type: 'position', receivedAt: clock, account: WORLD_ACCOUNT, contract: contract(conId, strikeOf(conId)), position: u / MICROS_PER_DOLLAR, avgCost: 150 }));

  return { tickets, streams, broker: { openOrders, orderStatuses, executions, commissions, positions }, finalOrders };
}

/** Interleaves per-order streams by a list of sort keys (one per event), keeping nothing else. */
export function interleave(streams: readonly BrokerEvent[][], keys: readonly number[]): BrokerEvent[] {
  const all = streams.flat();
  return all
    .map((e, i) => ({ e, k: keys[i % Math.max(1, keys.length)] ?? 0, i }))
    .sort((x, y) => x.k - y.k || x.i - y.i)
    .map((x) => x.e);
}

/** Closed and open spread trades with plausible distributions, for analytics tests and the benchmark. */
// The draw order the seeded histories were generated with; fixed so a seed keeps giving the same trades.
const SYNTHETIC_KIND_ORDER: readonly SpreadKind[] = ['bull-call', 'bear-put', 'bull-put', 'bear-call'];

export function syntheticTrades(count: number, seed = 42, startAt = Date.UTC(2021, 0, 4, 15)): TradeRecord[] {
  const rnd = seededRandom(seed);
  const underlyings = ['SPY', 'QQQ', 'IWM', 'AAPL', 'MSFT', 'NVDA', 'TSLA', 'AMZN'];
  const out: TradeRecord[] = new Array<TradeRecord>(count);
  let t = startAt;
  for (let i = 0; i < count; i++) {
    t += Math.floor(rnd() * 3_600_000 * 4);
    const kind = SYNTHETIC_KIND_ORDER[Math.floor(rnd() * 4)] as SpreadKind;
    const qty = 1 + Math.floor(rnd() * 5);
    const widthU = (1 + Math.floor(rnd() * 5)) * MICROS_PER_DOLLAR;
    const credit = isCreditKind(kind);
    const entryPerUnitU = Math.round((widthU * (0.2 + rnd() * 0.5)) / 10_000) * 10_000;
    const entryCashU = (credit ? 1 : -1) * entryPerUnitU * 100 * qty;
    const maxRiskU = credit ? widthU * 100 * qty - entryCashU : -entryCashU;
    const pop = 0.2 + rnd() * 0.7;
    const win = rnd() < pop;
    const exitCashU = win ? Math.round(-entryCashU + maxRiskU * rnd() * 0.8) : Math.round(-entryCashU - maxRiskU * rnd());
    const commissionsU = 4 * 650_000 * qty;
    const open = i >= count - Math.ceil(count * 0.02);
    const holdingMs = Math.floor(rnd() * 20 * 86_400_000);
    const grossPnlU = entryCashU + (open ? 0 : exitCashU);
    const netPnlU = grossPnlU - commissionsU;
    const dte = Math.floor(rnd() * 60);
    out[i] = {
      id: i + 1,
      underlying: underlyings[Math.floor(rnd() * underlyings.length)]!,
      kind,
      expiry: '20250321',
      multiplier: 100,
      status: open ? 'open' : 'closed',
      openedAt: t,
      closedAt: open ? null : t + holdingMs,
      quantity: qty,
      openQuantity: open ? qty : 0,
      closedQuantity: open ? 0 : qty,
      entryCashU,
      exitCashU: open ? 0 : exitCashU,
      grossPnlU,
      commissionsU,
      netPnlU,
      maxRiskU,
      returnOnRisk: open || maxRiskU <= 0 ? null : netPnlU / maxRiskU,
      holdingMs: open ? null : holdingMs,
      slippageU: Math.round((rnd() - 0.3) * 5 * 10_000) * 100 * qty,
      priceSteps: Math.floor(rnd() * 4),
      popAtEntry: pop,
      dteAtEntry: dte,
      weekday: 1 + Math.floor(rnd() * 5),
      note: '',
      tags: rnd() < 0.1 ? ['earnings'] : [],
    };
  }
  return out;
}
