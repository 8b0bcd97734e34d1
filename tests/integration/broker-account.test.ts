// Account requests against the paper exchange: summary, positions, P&L and P&L-single streams (restored after a
// reconnect), and the broker view the journal reconciles with.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrokerEvent, PnlEvent } from '../../src/core/broker/events';
import { startPaperExchange, type PaperExchangeHandle } from '../../src/main/paper';
import type { IbBroker } from '../../src/main/services/broker/ib-broker';
import { localTarget, newBroker, waitFor } from '../support/broker';
import type { PnlSingle, QualifiedContract } from '../../src/main/services/broker/types';

const CLIENT = 95;

describe('account streams and requests', () => {
  let ex: PaperExchangeHandle;
  let broker: IbBroker;
  let option: QualifiedContract;
  const events: BrokerEvent[] = [];

  beforeAll(async () => {
    ex = await startPaperExchange({ seed: 31, publishIntervalMs: 100, pnlIntervalMs: 200 });
    broker = newBroker();
    broker.onEvent((e) => events.push(e));
    await broker.connect(localTarget(ex.port, CLIENT));
    const [spy] = await broker.qualify({ secType: 'STK', symbol: 'SPY' });
    const [chain] = await broker.optionChainParams({ symbol: 'SPY', secType: 'STK', conId: spy?.conId ?? 0 });
    const calls = await broker.optionContracts({ symbol: 'SPY', expiry: chain?.expirations[3] ?? '', tradingClass: chain?.tradingClass, right: 'C' });
    option = calls[Math.floor(calls.length / 2)] as QualifiedContract;
    const q = await broker.snapshotQuote({ conId: option.conId }, { priority: 'quote' });
    const placed = await broker.placeOrder({ ticketId: 'T-acct', action: 'BUY', quantity: 2, orderType: 'LMT', contract: { kind: 'single', conId: option.conId, symbol: 'SPY' }, limitPrice: Math.round(((q.ask ?? 1) + 0.1) * 100) / 100, minTick: 0.01 });
    await waitFor(() => broker.trackedOrders().find((o) => o.orderId === placed.orderId)?.status === 'Filled', 10_000, 'the fill');
  });
  afterAll(async () => {
    await broker?.close();
    await ex?.close();
  });

  it('account summary: the standard tags, as journal account-value events', async () => {
    const rows = await broker.accountSummary();
    const tags = new Set(rows.map((r) => r.key));
    for (const t of ['NetLiquidation', 'TotalCashValue', 'BuyingPower', 'InitMarginReq']) expect(tags.has(t)).toBe(true);
    expect(rows.every((r) => r.account === ex.accountId)).toBe(true);
    expect(events.some((e) => e.type === 'accountValue' && e.key === 'NetLiquidation')).toBe(true);
    // One-shot: the subscription is cancelled, so the two-summary limit at TWS is never used up.
    expect(await broker.accountSummary(['NetLiquidation'])).toHaveLength(1);
    expect(await broker.accountSummary(['TotalCashValue'])).toHaveLength(1);
  });

  it('positions and the broker view for reconciliation', async () => {
    const positions = await broker.positions();
    expect(positions.find((p) => p.contract.conId === option.conId)).toMatchObject({ position: 2, account: ex.accountId });
    const view = await broker.brokerView();
    expect(view.positions.some((p) => p.contract.conId === option.conId)).toBe(true);
    expect(view.executions.filter((e) => e.orderRef === 'T-acct').reduce((a, e) => a + e.shares, 0)).toBe(2);
    expect(view.commissions.length).toBeGreaterThan(0);
    expect(view.openOrders).toEqual([]);
  });

  it('P&L and P&L-single stream, and come back after a reconnect', async () => {
    const pnl: PnlEvent[] = [];
    const single: PnlSingle[] = [];
    const a = broker.subscribePnl(ex.accountId, (p) => pnl.push(p));
    const b = broker.subscribePnlSingle(ex.accountId, option.conId, (p) => single.push(p));
    await waitFor(() => pnl.length > 0 && single.length > 0, 5_000, 'P&L messages');
    expect(single.at(-1)).toMatchObject({ account: ex.accountId, conId: option.conId, position: 2 });
    expect(events.some((e) => e.type === 'pnl')).toBe(true);
    ex.faults.dropClient(CLIENT);
    await waitFor(() => broker.diagnostics().reconnects === 1 && broker.status().state === 'connected', 5_000, 'the reconnect');
    const back = Date.now();
    await waitFor(() => (pnl.at(-1)?.receivedAt ?? 0) > back && (single.at(-1)?.receivedAt ?? 0) > back, 5_000, 'P&L after the reconnect');
    a.release();
    b.release();
    const n = pnl.length;
    await new Promise((r) => setTimeout(r, 600));
    expect(pnl.length).toBe(n); // released: nothing more is delivered
  });
});
