import { describe, expect, it } from 'vitest';
import type { ExecutionRow, OrderRow } from '../../../core/contract';
import { executionOrder } from '../executions/ExecutionsPanel';
import { alertFor, upsertExecution, upsertOrder } from './orders-store';

function order(over: Partial<OrderRow> = {}): OrderRow {
  return {
    orderId: 7, ticketId: 't-1', permId: null, symbol: 'SPY', kind: 'bull-put', expiry: '20261218', longStrike: 555, shortStrike: 560,
    intent: 'open', action: 'BUY', quantity: 2, filled: 0, remaining: 2, limit: { amount: 1.2, kind: 'credit' }, avgFill: null,
    midAtSubmit: { amount: 1.21, kind: 'credit' }, slippage: null, commission: 0, tif: 'DAY', status: 'Submitted', done: false, walk: null,
    message: null, ocaGroup: null, parentTicketId: null, submittedAt: 1000, updatedAt: 1000, sentence: 'SELL 2 SPY …', ...over,
  };
}

function exec(over: Partial<ExecutionRow> = {}): ExecutionRow {
  return { execId: 'e1', orderId: 7, ticketId: 't-1', level: 'combo', symbol: 'SPY', conId: null, strike: null, right: null, expiry: null, side: 'BOT', quantity: 1, price: -1.2, net: { amount: 1.2, kind: 'credit' }, commission: null, time: 2000, ...over };
}

describe('orders store', () => {
  it('keeps one row per order id, newest first, replacing in place', () => {
    let list = upsertOrder([], order());
    list = upsertOrder(list, order({ orderId: 8, submittedAt: 2000 }));
    list = upsertOrder(list, order({ status: 'Filled', filled: 2, remaining: 0 }));
    expect(list.map((o) => o.orderId)).toEqual([8, 7]);
    expect(list[1]?.status).toBe('Filled');
  });

  it('keeps one row per execution id; the combo row leads its legs, newest order first', () => {
    let list = upsertExecution([], exec());
    list = upsertExecution(list, exec({ execId: 'e2', level: 'leg', time: 1999, strike: 560, right: 'P' }));
    list = upsertExecution(list, exec({ execId: 'e1', commission: 1.3 }));
    list = upsertExecution(list, exec({ execId: 'e9', orderId: 9, time: 3000 }));
    expect(list.filter((e) => e.execId === 'e1')).toHaveLength(1);
    expect(executionOrder(list).map((e) => e.execId)).toEqual(['e9', 'e1', 'e2']);
  });

  it('alerts once on a fill and on a reject, with a sentence; quiet on repeats and plain status moves', () => {
    const filled = order({ status: 'Filled', filled: 2, remaining: 0, avgFill: { amount: 1.19, kind: 'credit' } });
    expect(alertFor(order(), filled)).toEqual({ level: 'info', message: 'Filled #7 SPY 560/555: 2 spreads at 1.19 cr.' });
    expect(alertFor(filled, filled)).toBeNull();
    expect(alertFor(order({ status: 'PreSubmitted' }), order())).toBeNull();
    const rejected = alertFor(order(), order({ status: 'Rejected', done: true, message: 'Order price is outside the allowed band' }));
    expect(rejected).toEqual({ level: 'error', message: 'Order #7 SPY 560/555 was rejected: Order price is outside the allowed band' });
    expect(alertFor(order(), order({ filled: 1, remaining: 1 }))?.message).toBe('Partly filled #7 SPY 560/555: 1 of 2.');
  });
});
