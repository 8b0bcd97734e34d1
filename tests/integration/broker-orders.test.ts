// Acceptance 6.4: place, modify, partial fill, fill, cancel and reject for single options and BAG combos; a
// replayed execution after reconnect is not double-counted; order ids keep increasing across an app restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseBrokerEvent, type BrokerEvent, type ExecutionEvent, type OrderStatusEvent } from '../../src/core/broker/events';
import { credit, toMicros } from '../../src/core/spreads';
import { startPaperExchange, type PaperExchangeHandle } from '../../src/main/paper';
import { OrderRejectedError } from '../../src/main/services/broker/errors';
import type { IbBroker } from '../../src/main/services/broker/ib-broker';
import { localTarget, newBroker, tempDir, waitFor } from '../support/broker';
import type { PlaceOrderRequest, QualifiedContract, Quote } from '../../src/main/services/broker/types';

const CLIENT = 81;
const cents = (x: number) => Math.round(x * 100) / 100;

describe('orders against the paper exchange (single options and BAG combos)', () => {
  let ex: PaperExchangeHandle;
  let broker: IbBroker;
  const dataDir = tempDir('sd-orders-');
  const events: BrokerEvent[] = [];
  let low: QualifiedContract; // long leg of the bull put (lower strike)
  let high: QualifiedContract; // short leg (higher strike)
  let lowQ: Quote;
  let highQ: Quote;
  const usedIds: number[] = [];

  const statusesOf = (orderId: number) => events.filter((e): e is OrderStatusEvent => e.type === 'orderStatus' && e.orderId === orderId);
  const execsOf = (orderId: number) => events.filter((e): e is ExecutionEvent => e.type === 'execution' && e.orderId === orderId);
  const commissionsFor = (execIds: string[]) => events.filter((e) => e.type === 'commissionReport' && execIds.includes(e.execId));
  const bullPut = (extra: Partial<PlaceOrderRequest>): PlaceOrderRequest => ({
    ticketId: 'T-bag',
    action: 'BUY',
    quantity: 2,
    orderType: 'LMT',
    contract: { kind: 'combo', symbol: 'SPY', legs: [{ conId: low.conId, action: 'BUY', ratio: 1 }, { conId: high.conId, action: 'SELL', ratio: 1 }] },
    ...extra,
  });
  const single = (extra: Partial<PlaceOrderRequest>): PlaceOrderRequest => ({ ticketId: 'T-single', action: 'BUY', quantity: 1, orderType: 'LMT', contract: { kind: 'single', conId: high.conId, symbol: 'SPY' }, minTick: 0.01, ...extra });

  beforeAll(async () => {
    ex = await startPaperExchange({ seed: 21, publishIntervalMs: 100, fills: { maxQtyPerFill: 1, restingFillRatePerMin: 0 } });
    broker = newBroker({ dataDir, orderAckTimeoutMs: 5_000 });
    broker.onEvent((e) => events.push(e));
    await broker.connect(localTarget(ex.port, CLIENT));
    const [spy] = await broker.qualify({ secType: 'STK', symbol: 'SPY' });
    const spot = (await broker.snapshotQuote({ conId: spy?.conId ?? 0 }, { priority: 'quote' })).last ?? 500;
    const [chain] = await broker.optionChainParams({ symbol: 'SPY', secType: 'STK', conId: spy?.conId ?? 0 });
    const puts = await broker.optionContracts({ symbol: 'SPY', expiry: chain?.expirations[5] ?? '', tradingClass: chain?.tradingClass, right: 'P' });
    const byStrike = new Map(puts.map((p) => [p.strike, p]));
    const k2 = [...byStrike.keys()].filter((k): k is number => k !== null && k <= spot - 2 && byStrike.has(k - 5)).sort((a, b) => b - a)[0] ?? 0;
    high = byStrike.get(k2) as QualifiedContract;
    low = byStrike.get(k2 - 5) as QualifiedContract;
    [highQ, lowQ] = await Promise.all([broker.snapshotQuote({ conId: high.conId }, { priority: 'quote' }), broker.snapshotQuote({ conId: low.conId }, { priority: 'quote' })]);
  });
  afterAll(async () => {
    await broker?.close();
    await ex?.close();
  });

  it('single option: a marketable order partially fills, then fills, with executions and commissions', async () => {
    const ask = highQ.ask ?? 1;
    const placed = await broker.placeOrder(single({ ticketId: 'T-fill', quantity: 3, limitPrice: cents(ask + 0.05) }));
    usedIds.push(placed.orderId);
    expect(placed.status).toMatch(/Submitted|PreSubmitted|Filled/);
    await waitFor(() => broker.trackedOrders().find((o) => o.orderId === placed.orderId)?.status === 'Filled', 10_000, 'the fill');
    const fills = statusesOf(placed.orderId).map((s) => s.filled);
    expect(fills).toContain(1); // partial fills (one contract per fill on this exchange) before the last
    expect(fills.at(-1)).toBe(3);
    const execs = execsOf(placed.orderId);
    expect(execs).toHaveLength(3);
    expect(execs.every((e) => e.orderRef === 'T-fill' && e.side === 'BOT' && e.price <= ask + 0.05)).toBe(true);
    await waitFor(() => commissionsFor(execs.map((e) => e.execId)).length === 3, 3_000, 'commission reports');
    expect(broker.trackedOrders().find((o) => o.orderId === placed.orderId)).toMatchObject({ filled: 3, remaining: 0, acknowledged: true, stuck: false });
  });

  it('single option: a resting order is modified under the same id, then cancelled', async () => {
    const placed = await broker.placeOrder(single({ ticketId: 'T-rest', limitPrice: 0.05 }));
    usedIds.push(placed.orderId);
    expect(placed.status).toMatch(/Submitted/);
    const modified = await broker.modifyOrder(placed.orderId, { limitPrice: 0.06 });
    expect(modified.orderId).toBe(placed.orderId);
    await waitFor(() => events.some((e) => e.type === 'openOrder' && e.orderId === placed.orderId && e.lmtPrice === 0.06), 3_000, 'the modified openOrder');
    await broker.cancelOrder(placed.orderId);
    expect(broker.trackedOrders().find((o) => o.orderId === placed.orderId)?.status).toBe('Cancelled');
    expect(events.some((e) => e.type === 'orderError' && e.orderId === placed.orderId && e.code === 202)).toBe(true);
    expect(execsOf(placed.orderId)).toEqual([]);
  });

  it('single option: a reject (201) fails the placement with the trader-readable reason', async () => {
    ex.faults.rejectNextOrders(1, 'Simulated reject: price too far from the market');
    const err = await broker.placeOrder(single({ ticketId: 'T-reject', limitPrice: 0.05 })).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(OrderRejectedError);
    expect((err as OrderRejectedError).userMessage).toContain('IBKR rejected the order:');
    expect((err as OrderRejectedError).userMessage).toContain('Simulated reject');
    const rejected = broker.trackedOrders().find((o) => o.ticketId === 'T-reject');
    usedIds.push(rejected?.orderId ?? 0);
    expect(rejected?.status).toBe('Inactive');
    expect(events.some((e) => e.type === 'orderError' && e.orderId === rejected?.orderId && e.code === 201)).toBe(true);
  });

  it('BAG bull put for a credit: negative BUY limit, partial then full fill, executions per leg and for the combo', async () => {
    const naturalCredit = (highQ.bid ?? 0) - (lowQ.ask ?? 0);
    const net = Math.max(0.01, cents(naturalCredit - 0.1));
    const placed = await broker.placeOrder(bullPut({ ticketId: 'T-bag-fill', net: credit(toMicros(net)) }));
    usedIds.push(placed.orderId);
    const echo = events.find((e) => e.type === 'openOrder' && e.orderId === placed.orderId);
    expect(echo).toMatchObject({ action: 'BUY', lmtPrice: -net, contract: { secType: 'BAG' } });
    await waitFor(() => broker.trackedOrders().find((o) => o.orderId === placed.orderId)?.status === 'Filled', 10_000, 'the combo fill');
    expect(statusesOf(placed.orderId).map((s) => s.filled)).toEqual(expect.arrayContaining([1, 2]));
    const execs = execsOf(placed.orderId);
    const legs = execs.filter((e) => e.contract.secType === 'OPT');
    const combos = execs.filter((e) => e.contract.secType === 'BAG');
    expect(legs).toHaveLength(4); // 2 fills × 2 legs
    expect(combos).toHaveLength(2);
    expect(legs.filter((e) => e.contract.conId === low.conId).every((e) => e.side === 'BOT')).toBe(true);
    expect(legs.filter((e) => e.contract.conId === high.conId).every((e) => e.side === 'SLD')).toBe(true);
    console.log(`[acceptance 4] bull put ${low.strike}/${high.strike} for ${net} credit: statuses ${statusesOf(placed.orderId).map((x) => `${x.status}:${x.filled}`).join(' → ')}; combo fills at ${combos.map((e) => e.price).join(', ')}`);
    expect(execs.every((e) => e.orderRef === 'T-bag-fill')).toBe(true);
  });

  it('BAG: a resting credit order is modified (same id), then cancelled; a rejected BAG fails with 201', async () => {
    const placed = await broker.placeOrder(bullPut({ ticketId: 'T-bag-rest', quantity: 1, net: credit(toMicros(4.5)) }));
    usedIds.push(placed.orderId);
    expect(placed.status).toMatch(/Submitted/);
    await broker.modifyOrder(placed.orderId, { net: credit(toMicros(4.4)) });
    await waitFor(() => events.some((e) => e.type === 'openOrder' && e.orderId === placed.orderId && e.lmtPrice === -4.4), 3_000, 'the modified combo');
    await broker.cancelOrder(placed.orderId);
    expect(broker.trackedOrders().find((o) => o.orderId === placed.orderId)?.status).toBe('Cancelled');

    ex.faults.rejectNextOrders(1, 'Simulated reject for the combo');
    await expect(broker.placeOrder(bullPut({ ticketId: 'T-bag-reject', quantity: 1, net: credit(toMicros(0.5)) }))).rejects.toBeInstanceOf(OrderRejectedError);
    usedIds.push(broker.trackedOrders().find((o) => o.ticketId === 'T-bag-reject')?.orderId ?? 0);
  });

  it('global cancel cancels every working order', async () => {
    const a = await broker.placeOrder(single({ ticketId: 'T-gc-1', limitPrice: 0.05 }));
    const b = await broker.placeOrder(bullPut({ ticketId: 'T-gc-2', quantity: 1, net: credit(toMicros(4.5)) }));
    usedIds.push(a.orderId, b.orderId);
    await broker.cancelAllOrders();
    await waitFor(() => [a.orderId, b.orderId].every((id) => broker.trackedOrders().find((o) => o.orderId === id)?.status === 'Cancelled'), 5_000, 'both cancelled');
    expect(ex.account().openOrders).toBe(0);
  });

  it('a what-if returns margin and commission and leaves no order behind', async () => {
    const before = ex.account().openOrders;
    const w = await broker.whatIf(bullPut({ ticketId: 'T-whatif', quantity: 1, net: credit(toMicros(0.5)) }));
    expect(w.initMarginChange).not.toBeNull();
    expect(w.commission).not.toBeNull();
    expect(ex.account().openOrders).toBe(before);
    expect(broker.trackedOrders().some((o) => o.ticketId === 'T-whatif')).toBe(false);
  });

  it('a background what-if waits behind orders in the pacer; withdrawn while queued, it never leaves', async () => {
    const before = ex.account().openOrders;
    // At 1 message/s the pacer's window starts full, so what is asked now stays queued long enough to look at.
    broker.tune({ pacerRate: 1 });
    try {
      const withdraw = new AbortController();
      const background = broker.whatIf(bullPut({ ticketId: 'T-whatif-bg', quantity: 1, net: credit(toMicros(0.5)) }), { priority: 'scan', signal: withdraw.signal });
      expect(broker.diagnostics().pacer.depthByPriority).toEqual({ order: 0, quote: 0, scan: 1 });
      const trader = broker.whatIf(bullPut({ ticketId: 'T-whatif-fg', quantity: 1, net: credit(toMicros(0.5)) }));
      expect(broker.diagnostics().pacer.depthByPriority).toEqual({ order: 1, quote: 0, scan: 1 });
      withdraw.abort();
      expect(broker.diagnostics().pacer.depthByPriority).toEqual({ order: 1, quote: 0, scan: 0 });
      await expect(background).rejects.toMatchObject({ name: 'AbortError' });
      expect((await trader).initMarginChange).not.toBeNull();
    } finally {
      broker.tune({ pacerRate: 45 });
    }
    expect(broker.diagnostics().pacer.depth).toBe(0);
    expect(ex.account().openOrders).toBe(before);
  });

  it('every order event is in the journal\'s exact shape', () => {
    expect(events.length).toBeGreaterThan(20);
    for (const e of events) expect(parseBrokerEvent(e)).toMatchObject({ ok: true });
  });

  it('executions replayed after a reconnect are not counted twice', async () => {
    const execIds = events.filter((e) => e.type === 'execution').map((e) => (e as ExecutionEvent).execId);
    expect(new Set(execIds).size).toBe(execIds.length);
    const replaysBefore = broker.diagnostics().executions.replaysIgnored;
    ex.faults.dropClient(CLIENT);
    await waitFor(() => broker.diagnostics().reconnects === 1 && broker.status().state === 'connected', 5_000, 'the reconnect');
    // After a reconnect the adapter asks for today's executions: the exchange sends every one of them again.
    await waitFor(() => broker.diagnostics().executions.replaysIgnored >= replaysBefore + execIds.length, 5_000, 'the replay');
    const again = events.filter((e) => e.type === 'execution').map((e) => (e as ExecutionEvent).execId);
    expect(again).toEqual(execIds); // nothing new passed to the journal
    console.log(`[acceptance 4] ${execIds.length} executions; after the reconnect ${broker.diagnostics().executions.replaysIgnored - replaysBefore} replays ignored, 0 passed on`);
    const view = await broker.executions({});
    expect(view.executions.map((e) => e.execId).sort()).toEqual([...execIds].sort()); // the full list is still returned to callers
    expect(broker.diagnostics().executions.unique).toBe(execIds.length);
  });

  it('order ids keep increasing across an app restart, even against a broker that forgot them', async () => {
    const highest = Math.max(...usedIds);
    expect(usedIds).toEqual([...usedIds].sort((a, b) => a - b));
    await broker.close();
    // The app restarts (same data directory) and connects to the same exchange.
    const restarted = newBroker({ dataDir });
    await restarted.connect(localTarget(ex.port, CLIENT));
    const next = restarted.reserveOrderId();
    expect(next).toBeGreaterThan(highest);
    await restarted.close();
    // A fresh exchange (new books: its nextValidId starts at 1): ids still never go back.
    const fresh = await startPaperExchange({ seed: 22 });
    const again = newBroker({ dataDir });
    try {
      await again.connect(localTarget(fresh.port, CLIENT));
      expect(again.facts()?.nextValidId).toBeLessThan(highest);
      const placed = await again.placeOrder(single({ ticketId: 'T-after-restart', limitPrice: 0.05 }));
      expect(placed.orderId).toBeGreaterThan(next);
      console.log(`[acceptance 4] order ids this session ${usedIds.join(', ')}; after restart ${next}; against a fresh exchange (nextValidId ${again.facts()?.nextValidId}) ${placed.orderId}`);
      await again.cancelOrder(placed.orderId);
    } finally {
      await again.close();
      await fresh.close();
    }
  });
});
