// Inbound validation and mapping: raw @stoqey/ib callback arguments → the journal's typed broker events and our types.
//
// @stoqey's decoder hands us loosely typed objects (fields may be undefined, "unset" sentinels, NaN). Every
// mapper here checks what it reads and returns null for a message it cannot trust; the adapter counts those
// as decode errors and carries on — bad input never reaches the journal and never throws out of a listener.
import {
  AccountValueEvent,
  CommissionReportEvent,
  ExecutionEvent,
  OpenOrderEvent,
  OrderStatusEvent,
  PnlEvent,
  PositionEvent,
  type ContractRef,
} from '../../../core/broker/events';
import { num } from './quotes';
import type { OptionChainParams, OptionRight, QualifiedContract, WhatIfResult } from './types';

type Loose = Record<string, unknown>;

const isObj = (v: unknown): v is Loose => typeof v === 'object' && v !== null;
const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const int = (v: unknown): number | undefined => (typeof v === 'number' && Number.isSafeInteger(v) && v !== 2_147_483_647 ? v : undefined);
const dbl = (v: unknown): number | undefined => num(v) ?? undefined;
const nonEmpty = (v: unknown): string | undefined => {
  const s = str(v);
  return s && s.length > 0 ? s : undefined;
};

export function rightOf(v: unknown): OptionRight | null {
  const s = typeof v === 'string' ? v.toUpperCase() : '';
  return s === 'C' || s === 'CALL' ? 'C' : s === 'P' || s === 'PUT' ? 'P' : null;
}

/** The journal's contract reference from a @stoqey Contract. */
export function contractRef(c: unknown): ContractRef | null {
  if (!isObj(c)) return null;
  const legs = Array.isArray(c.comboLegs)
    ? c.comboLegs.flatMap((l: unknown) => {
        if (!isObj(l)) return [];
        const conId = int(l.conId);
        const ratio = int(l.ratio);
        const action: 'BUY' | 'SELL' | undefined = l.action === 'BUY' || l.action === 'SELL' ? l.action : undefined;
        return conId !== undefined && ratio !== undefined && ratio > 0 && action ? [{ conId, ratio, action, exchange: nonEmpty(l.exchange) }] : [];
      })
    : undefined;
  const ref: ContractRef = {
    conId: int(c.conId) ?? 0,
    symbol: str(c.symbol) ?? '',
    secType: str(c.secType) ?? '',
    lastTradeDateOrContractMonth: nonEmpty(c.lastTradeDateOrContractMonth),
    strike: dbl(c.strike),
    right: nonEmpty(c.right),
    multiplier: typeof c.multiplier === 'number' || typeof c.multiplier === 'string' ? (num(Number(c.multiplier)) ?? undefined) : undefined,
    exchange: nonEmpty(c.exchange),
    currency: nonEmpty(c.currency),
    localSymbol: nonEmpty(c.localSymbol),
    tradingClass: nonEmpty(c.tradingClass),
    comboLegs: legs && legs.length ? legs : undefined,
  };
  return ref;
}

function parsed<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false } }, value: unknown): T | null {
  const r = schema.safeParse(value);
  return r.success ? r.data : null;
}

export function orderStatusEvent(a: { orderId: unknown; status: unknown; filled: unknown; remaining: unknown; avgFillPrice: unknown; permId: unknown; parentId: unknown; lastFillPrice: unknown; clientId: unknown; whyHeld: unknown; mktCapPrice: unknown }, fallbackClientId: number, receivedAt: number): OrderStatusEvent | null {
  return parsed(OrderStatusEvent, {
    type: 'orderStatus',
    receivedAt,
    orderId: int(a.orderId),
    status: str(a.status),
    filled: dbl(a.filled) ?? 0,
    remaining: dbl(a.remaining) ?? 0,
    avgFillPrice: dbl(a.avgFillPrice) ?? 0,
    permId: int(a.permId) ?? 0,
    parentId: int(a.parentId),
    lastFillPrice: dbl(a.lastFillPrice),
    clientId: int(a.clientId) ?? fallbackClientId,
    whyHeld: nonEmpty(a.whyHeld),
    mktCapPrice: dbl(a.mktCapPrice),
  });
}

export function openOrderEvent(orderId: unknown, contract: unknown, order: unknown, state: unknown, fallbackClientId: number, receivedAt: number): OpenOrderEvent | null {
  if (!isObj(order) || !isObj(state)) return null;
  const ref = contractRef(contract);
  if (!ref) return null;
  return parsed(OpenOrderEvent, {
    type: 'openOrder',
    receivedAt,
    orderId: int(orderId) ?? int(order.orderId),
    permId: int(order.permId) ?? 0,
    clientId: int(order.clientId) ?? fallbackClientId,
    orderRef: nonEmpty(order.orderRef),
    account: nonEmpty(order.account),
    action: order.action,
    totalQuantity: dbl(order.totalQuantity),
    orderType: str(order.orderType),
    lmtPrice: dbl(order.lmtPrice),
    auxPrice: dbl(order.auxPrice),
    tif: nonEmpty(order.tif),
    contract: ref,
    status: str(state.status) ?? 'Unknown',
  });
}

export function executionEvent(reqId: unknown, contract: unknown, exec: unknown, receivedAt: number): ExecutionEvent | null {
  if (!isObj(exec)) return null;
  const ref = contractRef(contract);
  if (!ref) return null;
  return parsed(ExecutionEvent, {
    type: 'execution',
    receivedAt,
    reqId: int(reqId),
    orderId: int(exec.orderId),
    clientId: int(exec.clientId),
    permId: int(exec.permId) ?? 0,
    orderRef: nonEmpty(exec.orderRef),
    contract: ref,
    execId: str(exec.execId),
    time: str(exec.time),
    acctNumber: str(exec.acctNumber),
    exchange: nonEmpty(exec.exchange),
    side: exec.side,
    shares: dbl(exec.shares),
    price: dbl(exec.price),
    liquidation: int(exec.liquidation),
    cumQty: dbl(exec.cumQty),
    avgPrice: dbl(exec.avgPrice),
    evRule: nonEmpty(exec.evRule),
    evMultiplier: dbl(exec.evMultiplier),
    modelCode: nonEmpty(exec.modelCode),
    lastLiquidity: int(exec.lastLiquidity),
  });
}

export function commissionEvent(report: unknown, receivedAt: number): CommissionReportEvent | null {
  if (!isObj(report)) return null;
  return parsed(CommissionReportEvent, {
    type: 'commissionReport',
    receivedAt,
    execId: str(report.execId),
    commission: dbl(report.commission) ?? 0,
    currency: str(report.currency) ?? '',
    realizedPNL: dbl(report.realizedPNL) ?? null,
    yield: dbl(report.yield) ?? null,
    yieldRedemptionDate: int(report.yieldRedemptionDate) || null,
  });
}

export function positionEvent(account: unknown, contract: unknown, pos: unknown, avgCost: unknown, receivedAt: number): PositionEvent | null {
  const ref = contractRef(contract);
  if (!ref) return null;
  return parsed(PositionEvent, { type: 'position', receivedAt, account: str(account), contract: ref, position: dbl(pos), avgCost: dbl(avgCost) });
}

export function accountValueEvent(account: unknown, key: unknown, value: unknown, currency: unknown, receivedAt: number): AccountValueEvent | null {
  return parsed(AccountValueEvent, { type: 'accountValue', receivedAt, account: str(account), key: str(key), value: str(value), currency: str(currency) ?? '' });
}

export function pnlEvent(account: string, daily: unknown, unrealized: unknown, realized: unknown, receivedAt: number): PnlEvent | null {
  const d = dbl(daily);
  if (d === undefined) return null;
  return parsed(PnlEvent, { type: 'pnl', receivedAt, account, dailyPnL: d, unrealizedPnL: dbl(unrealized) ?? null, realizedPnL: dbl(realized) ?? null });
}

export function qualifiedContract(details: unknown): QualifiedContract | null {
  if (!isObj(details) || !isObj(details.contract)) return null;
  const c = details.contract;
  const conId = int(c.conId);
  const symbol = nonEmpty(c.symbol);
  const secType = nonEmpty(c.secType);
  if (!conId || conId <= 0 || !symbol || !secType) return null;
  const minTick = num(details.minTick);
  const mult = num(typeof c.multiplier === 'string' ? Number(c.multiplier) : c.multiplier);
  const expiry = nonEmpty(c.lastTradeDateOrContractMonth);
  return {
    conId,
    symbol,
    secType,
    exchange: nonEmpty(c.exchange) ?? 'SMART',
    primaryExch: nonEmpty(c.primaryExch) ?? null,
    currency: nonEmpty(c.currency) ?? 'USD',
    localSymbol: nonEmpty(c.localSymbol) ?? null,
    tradingClass: nonEmpty(c.tradingClass) ?? null,
    expiry: expiry ? expiry.slice(0, 8) : null,
    strike: secType === 'OPT' || secType === 'FOP' ? (num(c.strike) ?? null) : null,
    right: rightOf(c.right),
    multiplier: mult && mult > 0 ? mult : 1,
    minTick: minTick && minTick > 0 ? minTick : 0.01,
    longName: nonEmpty(details.longName) ?? null,
    underConId: int(details.underConId) || null,
    timeZoneId: nonEmpty(details.timeZoneId) ?? null,
    tradingHours: nonEmpty(details.tradingHours) ?? null,
    liquidHours: nonEmpty(details.liquidHours) ?? null,
    validExchanges: nonEmpty(details.validExchanges) ?? null,
    marketRuleIds: nonEmpty(details.marketRuleIds) ?? null,
  };
}

export function chainParams(exchange: unknown, underlyingConId: unknown, tradingClass: unknown, multiplier: unknown, expirations: unknown, strikes: unknown): OptionChainParams | null {
  const ex = nonEmpty(exchange);
  const under = int(underlyingConId);
  const tc = nonEmpty(tradingClass);
  if (!ex || under === undefined || !tc || !Array.isArray(expirations) || !Array.isArray(strikes)) return null;
  const mult = num(Number(multiplier));
  const exps = [...new Set(expirations.filter((e): e is string => typeof e === 'string' && /^\d{8}$/.test(e)))].sort();
  const ks = [...new Set(strikes.map((k) => num(typeof k === 'string' ? Number(k) : k)).filter((k): k is number => k !== null && k > 0))].sort((a, b) => a - b);
  return { exchange: ex, underlyingConId: under, tradingClass: tc, multiplier: mult && mult > 0 ? mult : 100, expirations: exps, strikes: ks };
}

export function whatIfResult(state: unknown): WhatIfResult | null {
  if (!isObj(state)) return null;
  const n = (v: unknown) => num(typeof v === 'string' ? (v.trim() === '' ? NaN : Number(v)) : v);
  return {
    initMarginBefore: n(state.initMarginBefore),
    initMarginChange: n(state.initMarginChange),
    initMarginAfter: n(state.initMarginAfter),
    maintMarginBefore: n(state.maintMarginBefore),
    maintMarginChange: n(state.maintMarginChange),
    maintMarginAfter: n(state.maintMarginAfter),
    equityWithLoanBefore: n(state.equityWithLoanBefore),
    equityWithLoanChange: n(state.equityWithLoanChange),
    equityWithLoanAfter: n(state.equityWithLoanAfter),
    commission: n(state.commission),
    minCommission: n(state.minCommission),
    maxCommission: n(state.maxCommission),
    commissionCurrency: nonEmpty(state.commissionCurrency) ?? null,
    warningText: nonEmpty(state.warningText) ?? null,
  };
}
