import { describe, expect, it } from 'vitest';
import { type BrokerEvent, brokerEventKey, normaliseMultiplier, normaliseRight, orderKey, parseBrokerEvent, parseExecId } from './events';
import { type OrderFillState, mergeOpenOrderStatus, mergeOrderStatus } from '../journal/orderState';

const status = (s: string, filled: number): OrderFillState => ({ status: s, filledU: filled, remainingU: null, avgFillU: null });

describe('broker events', () => {
  it('validates at the boundary and names the bad field', () => {
    const bad = parseBrokerEvent({ type: 'execution', receivedAt: 1, orderId: 1 });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error.message).toContain('execId');
    const good = parseBrokerEvent({ type: 'commissionReport', receivedAt: 1, execId: 'a.01', commission: 0.65, currency: 'USD', realizedPNL: 1.7976931348623157e308 });
    expect(good.ok).toBe(true);
  });

  it('splits execution ids into base and correction number', () => {
    expect(parseExecId('0000e0d5.6581f1b4.01.01')).toEqual({ base: '0000e0d5.6581f1b4.01', revision: 1 });
    expect(parseExecId('0000e0d5.6581f1b4.01.02')).toEqual({ base: '0000e0d5.6581f1b4.01', revision: 2 });
    expect(parseExecId('plain')).toEqual({ base: 'plain', revision: 0 });
  });

  it('gives a repeated message the same key and a real update a new one', () => {
    const e: BrokerEvent = { type: 'orderStatus', receivedAt: 1, orderId: 5, status: 'Submitted', filled: 0, remaining: 2, avgFillPrice: 0, permId: 9, clientId: 7 };
    expect(brokerEventKey({ ...e, receivedAt: 99 })).toBe(brokerEventKey(e));
    expect(brokerEventKey({ ...e, filled: 1, remaining: 1 })).not.toBe(brokerEventKey(e));
    expect(brokerEventKey({ type: 'pnl', receivedAt: 1, account: 'A', dailyPnL: 1 })).toBeNull();
  });

  it('names orders by permId once known', () => {
    expect(orderKey({ permId: 12, clientId: 7, orderId: 5 })).toBe('p12');
    expect(orderKey({ permId: 0, clientId: 7, orderId: 5 })).toBe('c7:o5');
  });

  it('normalises rights and multipliers', () => {
    expect(normaliseRight('CALL')).toBe('C');
    expect(normaliseRight('p')).toBe('P');
    expect(normaliseRight('')).toBeNull();
    expect(normaliseMultiplier('100')).toBe(100);
    expect(normaliseMultiplier('')).toBe(1);
  });
});

describe('order state merging', () => {
  it('ignores a late message with fewer fills', () => {
    expect(mergeOrderStatus(status('Submitted', 2), status('PreSubmitted', 0))).toEqual(status('Submitted', 2));
  });
  it('never reopens a finished order', () => {
    expect(mergeOrderStatus(status('Cancelled', 1), status('Submitted', 1)).status).toBe('Cancelled');
    expect(mergeOpenOrderStatus(status('Filled', 2), 'Submitted').status).toBe('Filled');
  });
  it('lets fills grow and the final state arrive in any order', () => {
    const a = [status('Submitted', 0), status('Submitted', 1), status('Filled', 2)];
    const orders = [[0, 1, 2], [2, 1, 0], [1, 2, 0], [2, 0, 1]];
    for (const o of orders) expect(o.reduce<OrderFillState | null>((s, i) => mergeOrderStatus(s, a[i]!), null)).toEqual(status('Filled', 2));
  });
});
