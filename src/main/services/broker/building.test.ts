// Unit tests of order building (sign convention, ticks, transmit), quote assembly and inbound mapping/validation.
import { describe, expect, it } from 'vitest';
import { credit, debit, toMicros, TICKS_NICKEL_DIME } from '../../../core/spreads';
import { buildOrder, comboLimitPrice } from './combo';
import { InvalidOrderError } from './errors';
import * as map from './mapping';
import { applyMarketDataType, applyOptionComputation, applyPrice, applySize, applyString, emptyQuote, parseDividends } from './quotes';
import type { PlaceOrderRequest } from './types';

const combo = (action: 'BUY' | 'SELL', net: ReturnType<typeof debit>): PlaceOrderRequest => ({
  ticketId: 'T-1',
  action,
  quantity: 2,
  orderType: 'LMT',
  contract: { kind: 'combo', symbol: 'SPY', legs: [{ conId: 11, action: 'BUY', ratio: 1 }, { conId: 12, action: 'SELL', ratio: 1 }] },
  net,
});

describe('combo price sign (IBKR convention via core/spreads)', () => {
  it('BUY debit +, BUY credit −, SELL credit +, SELL debit −', () => {
    expect(comboLimitPrice('BUY', debit(toMicros(1.25)))).toBe(1.25);
    expect(comboLimitPrice('BUY', credit(toMicros(0.8)))).toBe(-0.8);
    expect(comboLimitPrice('SELL', credit(toMicros(0.8)))).toBe(0.8);
    expect(comboLimitPrice('SELL', debit(toMicros(0.35)))).toBe(-0.35);
    expect(Object.is(comboLimitPrice('BUY', credit(toMicros(0))), 0)).toBe(true);
  });

  it('builds a BAG with legs, transmit:true, orderRef = ticket id, signed exact price', () => {
    const { contract, order, lmtPrice } = buildOrder(combo('BUY', credit(toMicros(0.3))));
    expect(contract).toMatchObject({ secType: 'BAG', symbol: 'SPY', exchange: 'SMART', currency: 'USD' });
    expect(contract.comboLegs).toEqual([
      { conId: 11, ratio: 1, action: 'BUY', exchange: 'SMART' },
      { conId: 12, ratio: 1, action: 'SELL', exchange: 'SMART' },
    ]);
    expect(order).toMatchObject({ action: 'BUY', totalQuantity: 2, orderType: 'LMT', lmtPrice: -0.3, transmit: true, orderRef: 'T-1', tif: 'DAY' });
    expect(lmtPrice).toBe(-0.3);
    expect(order.smartComboRoutingParams).toBeUndefined();
  });

  it('refuses prices off the grid, bad quantities, same-leg combos and missing ticks — with trader sentences', () => {
    const single = (p: number, extra: Partial<PlaceOrderRequest> = {}): PlaceOrderRequest => ({ ticketId: 'T', action: 'BUY', quantity: 1, orderType: 'LMT', contract: { kind: 'single', conId: 5, symbol: 'XYZ' }, limitPrice: p, ...extra });
    expect(() => buildOrder(single(3.07, { ticks: TICKS_NICKEL_DIME }))).toThrow(InvalidOrderError);
    expect(buildOrder(single(3.1, { ticks: TICKS_NICKEL_DIME })).order.lmtPrice).toBe(3.1);
    expect(buildOrder(single(0.1 + 0.2, { minTick: 0.01 })).order.lmtPrice).toBe(0.3);
    expect(() => buildOrder(single(1.0))).toThrow(/price grid/);
    expect(() => buildOrder({ ...single(1, { minTick: 0.01 }), quantity: 1.5 })).toThrow(/whole number/);
    expect(() => buildOrder({ ...combo('BUY', debit(toMicros(1))), contract: { kind: 'combo', symbol: 'SPY', legs: [{ conId: 1, action: 'BUY', ratio: 1 }, { conId: 1, action: 'SELL', ratio: 1 }] } })).toThrow(/different contracts/);
    expect(() => buildOrder({ ...combo('BUY', debit(toMicros(1.005))) })).toThrow(/price grid/);
    // A roll is one 4-leg BAG; three legs are neither a vertical nor a roll.
    const leg = (conId: number, action: 'BUY' | 'SELL') => ({ conId, action, ratio: 1 });
    const roll = buildOrder({ ...combo('BUY', debit(toMicros(0.35))), contract: { kind: 'combo', symbol: 'SPY', legs: [leg(1, 'SELL'), leg(2, 'BUY'), leg(3, 'BUY'), leg(4, 'SELL')] } });
    expect(roll.contract.comboLegs?.map((l) => [l.conId, l.action])).toEqual([[1, 'SELL'], [2, 'BUY'], [3, 'BUY'], [4, 'SELL']]);
    expect(roll.order.lmtPrice).toBe(0.35);
    expect(() => buildOrder({ ...combo('BUY', debit(toMicros(1))), contract: { kind: 'combo', symbol: 'SPY', legs: [leg(1, 'SELL'), leg(2, 'BUY'), leg(3, 'BUY')] as never } })).toThrow(/two legs .* or four/);
    expect(buildOrder({ ...single(1, { minTick: 0.01 }), orderType: 'MKT', limitPrice: undefined }).order.lmtPrice).toBeUndefined();
    expect(buildOrder(single(1, { minTick: 0.01 }), true).order.whatIf).toBe(true);
  });
});

describe('quote assembly', () => {
  it('merges ticks, drops sentinels and -1 prices, marks delayed ticks', () => {
    const q = emptyQuote(1);
    applyPrice(q, 1, 1.05, 10);
    applyPrice(q, 2, 1.1, 11);
    applySize(q, 0, 12, 12);
    applyPrice(q, 4, Number.MAX_VALUE, 13);
    applySize(q, 3, Number.NaN, 14);
    expect(q).toMatchObject({ bid: 1.05, ask: 1.1, bidSize: 12, last: null, askSize: null, updatedAt: 14, delayed: false });
    applyPrice(q, 1, -1, 15);
    expect(q.bid).toBeNull();
    applyPrice(q, 66, 1.0, 16);
    expect(q).toMatchObject({ bid: 1.0, delayed: true });
    expect(applyPrice(q, 999, 1, 17)).toBe(false);
    applyOptionComputation(q, 13, { impliedVol: 0.2, delta: 0.5, gamma: -2, vega: 0.1, theta: -0.05, optPrice: 1.07, pvDividend: -1, undPrice: 500 }, 18);
    expect(q.model).toEqual({ impliedVol: 0.2, delta: 0.5, gamma: null, vega: 0.1, theta: -0.05, optPrice: 1.07, pvDividend: null, undPrice: 500 });
    applyOptionComputation(q, 10, { delta: 7 }, 19);
    expect(q.bidGreeks?.delta).toBeNull();
    expect(applyMarketDataType(q, 3)).toBe(true);
    expect(q.marketDataType).toBe(3);
    expect(applyMarketDataType(q, 9)).toBe(false);
  });
});

describe('dividends (generic tick 456 → tick 59)', () => {
  it('reads "past12,next12,nextDate,nextAmount" with any field missing', () => {
    expect(parseDividends('0.83,0.92,20130219,0.23')).toEqual({ past12: 0.83, next12: 0.92, nextDate: '20130219', nextAmount: 0.23 });
    expect(parseDividends('6.60,6.60,,1.65')).toEqual({ past12: 6.6, next12: 6.6, nextDate: null, nextAmount: 1.65 });
    expect(parseDividends('1.5,,,')).toEqual({ past12: 1.5, next12: null, nextDate: null, nextAmount: null });
    expect(parseDividends('0,0,,')).toEqual({ past12: 0, next12: 0, nextDate: null, nextAmount: null });
    expect(parseDividends(',,,')).toBeNull();
    expect(parseDividends('')).toBeNull();
    expect(parseDividends('1,2,3')).toBeNull();
    expect(parseDividends('abc,-1,2013-02-19,1e400')).toBeNull();
    expect(parseDividends(42)).toBeNull();
  });

  it('tick 59 lands on the quote; other strings and unreadable dividends leave it alone', () => {
    const q = emptyQuote(1);
    expect(applyString(q, 45, '1700000000', 5)).toBe(false);
    expect(applyString(q, 59, 'garbage', 6)).toBe(false);
    expect(q.dividends).toBeNull();
    expect(applyString(q, 59, '6.40,7.20,20261215,1.80', 7)).toBe(true);
    expect(q).toMatchObject({ dividends: { past12: 6.4, next12: 7.2, nextDate: '20261215', nextAmount: 1.8 }, updatedAt: 7 });
  });
});

describe('inbound mapping', () => {
  it('maps a BAG openOrder and an execution to the journal shapes, and rejects garbage', () => {
    const ev = map.openOrderEvent(7, { conId: 0, symbol: 'SPY', secType: 'BAG', comboLegs: [{ conId: 11, ratio: 1, action: 'BUY', exchange: 'SMART' }, { conId: 12, ratio: 1, action: 'SELL' }] }, { action: 'BUY', totalQuantity: 2, orderType: 'LMT', lmtPrice: -0.3, orderRef: 'T-1', permId: 99, clientId: 3, tif: 'DAY' }, { status: 'Submitted' }, 3, 1000);
    expect(ev).toMatchObject({ type: 'openOrder', orderId: 7, permId: 99, orderRef: 'T-1', lmtPrice: -0.3, status: 'Submitted', contract: { secType: 'BAG', comboLegs: [{ conId: 11 }, { conId: 12 }] } });
    expect(map.openOrderEvent(7, null, {}, {}, 3, 1)).toBeNull();
    expect(map.openOrderEvent(7, { symbol: 'X' }, { action: 'HOLD', totalQuantity: 1, orderType: 'LMT' }, { status: 'Submitted' }, 3, 1)).toBeNull();
    const ex = map.executionEvent(-1, { conId: 11, symbol: 'SPY', secType: 'OPT', right: 'P', strike: 500 }, { orderId: 7, clientId: 3, execId: 'a.01', time: '20250102 10:00:00', acctNumber: 'DU1', side: 'BOT', shares: 2, price: 1.2, permId: 99, orderRef: 'T-1', cumQty: 2, avgPrice: 1.2, lastLiquidity: 1 }, 5);
    expect(ex).toMatchObject({ type: 'execution', execId: 'a.01', side: 'BOT', shares: 2, reqId: -1 });
    expect(map.executionEvent(-1, {}, { execId: '' }, 5)).toBeNull();
    expect(map.commissionEvent({ execId: 'a.01', commission: 1.3, currency: 'USD', realizedPNL: undefined, yield: undefined, yieldRedemptionDate: 0 }, 6)).toMatchObject({ commission: 1.3, realizedPNL: null });
    expect(map.orderStatusEvent({ orderId: 7, status: 'Filled', filled: 2, remaining: 0, avgFillPrice: 1.2, permId: undefined, parentId: 0, lastFillPrice: 1.2, clientId: undefined, whyHeld: '', mktCapPrice: 0 }, 3, 7)).toMatchObject({ clientId: 3, permId: 0 });
  });

  it('reads contract details and chain rows defensively', () => {
    const q = map.qualifiedContract({ contract: { conId: 5, symbol: 'SPY', secType: 'OPT', lastTradeDateOrContractMonth: '20250117', strike: 500, right: 'P', multiplier: '100', exchange: 'SMART', currency: 'USD', tradingClass: 'SPY' }, minTick: 0.01 });
    expect(q).toMatchObject({ conId: 5, expiry: '20250117', strike: 500, right: 'P', multiplier: 100, minTick: 0.01 });
    expect(map.qualifiedContract({ contract: { symbol: 'SPY' } })).toBeNull();
    const row = map.chainParams('SMART', 756733, 'SPY', '100', ['20250117', 'junk', '20250110', '20250110'], [500, 'x', 499, -1]);
    expect(row).toEqual({ exchange: 'SMART', underlyingConId: 756733, tradingClass: 'SPY', multiplier: 100, expirations: ['20250110', '20250117'], strikes: [499, 500] });
    expect(map.whatIfResult({ initMarginChange: '1000.5', commission: 1.3, maintMarginAfter: '' })).toMatchObject({ initMarginChange: 1000.5, commission: 1.3, maintMarginAfter: null });
  });
});
