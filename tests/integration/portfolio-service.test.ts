// Issue 13: the portfolio service against the paper exchange over a real socket — open a spread through the execution
// service, see it as a spread with live P&L, close it from Positions, realised P&L equal to the journal's, to an
// independent sum over the raw fills and fees, and to the exchange's own cash change; an auto exit fires once as one
// BAG close; a leg bought outside the app is shown as an orphan; concurrent lists share one refresh.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventName, SecType, OrderAction, OrderType, type Contract, type Order } from '@stoqey/ib';
import type { PnlSummary, PositionsSnapshot, PositionSpread } from '../../src/core/contract';
import type { PaperExchangeHandle } from '../../src/main/paper';
import { createServices, type Services } from '../../src/main/services/app';
import type { QualifiedContract } from '../../src/main/services/broker/types';
import { silentLogger } from '../../src/main/services/logging';
import { connectClient, type TestClient } from '../support/paper';

const ctx = { transport: 'direct' } as const;
/** Ten cents through the natural debit: the simulated market moves on, and an order resting at the old natural may never fill. */
const throughNatural = (n: { amount: number; kind: string }) => ({ amount: Math.round((n.amount + 0.1) * 100) / 100, kind: n.kind });
const dataDir = mkdtempSync(join(tmpdir(), 'sd-portfolio-'));

describe('portfolio service against the paper exchange', () => {
  let services: Services;
  let paper: PaperExchangeHandle;
  let calls: QualifiedContract[] = [];
  let spot = 0;
  let outside: TestClient | null = null;
  const events: { positions: PositionsSnapshot[]; pnl: PnlSummary[] } = { positions: [], pnl: [] };
  let off: (() => void) | null = null;

  const call = async <T,>(method: string, args: unknown): Promise<T> => {
    const r = await services.dispatcher.dispatch(method as never, args as never, ctx);
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.value as T;
  };
  const list = () => call<PositionsSnapshot>('positions.list', {});
  const orderStatus = async (orderId: number) => (await call<{ orderId: number; status: string }[]>('orders.list', { includeDone: true, limit: 200 })).find((o) => o.orderId === orderId)?.status;

  /** Opens a bull call spread at its natural price through order.submit (the execution service), waits for the fill. */
  const openSpread = async (ticketId: string, lo: number, hi: number): Promise<PositionSpread> => {
    const expiry = calls[0]!.expiry!;
    const ticket = { symbol: 'SPY', expiry, kind: 'bull-call', longStrike: lo, shortStrike: hi, quantity: 1, limit: { amount: 0.01, kind: 'debit' } };
    const preview = await call<{ netNatural: { amount: number; kind: string } | null }>('ticket.preview', { ticket });
    expect(preview.netNatural?.kind).toBe('debit');
    const sent = await call<{ orderId: number }>('order.submit', { ticketId, ticket: { ...ticket, limit: throughNatural(preview.netNatural!) } });
    await expect.poll(() => orderStatus(sent.orderId), { timeout: 30_000, interval: 200 }).toBe('Filled');
    let found: PositionSpread | undefined;
    await expect
      .poll(async () => {
        found = (await list()).spreads.find((s) => s.longStrike === lo && s.shortStrike === hi && s.quantity === 1);
        return found ? `${found.broker} ${found.unrealised === null ? 'unmarked' : 'marked'}` : 'missing';
      }, { timeout: 30_000, interval: 300 })
      .toBe('matched marked');
    return found!;
  };

  /** The journal's fills and fees of one spread, summed independently of trade building (cash: SLD +, BOT −; BAG lines carry no cash). */
  const rawNet = (spreadId: number): number => {
    const j = services.journal.journal!;
    const fills = j.db
      .prepare(`SELECT e.side, e.shares_u, e.price_u, e.multiplier, e.sec_type, COALESCE(c.commission_u, 0) AS fee FROM spread_executions se
                JOIN executions e ON e.exec_id = se.exec_id AND e.replaced_by IS NULL LEFT JOIN commissions c ON c.exec_id = e.exec_id WHERE se.spread_id = ?`)
      .all(spreadId) as { side: string; shares_u: number; price_u: number; multiplier: number; sec_type: string; fee: number }[];
    let cents = 0;
    let legFees = 0;
    let bagFees = 0;
    for (const f of fills) {
      if (f.sec_type === 'BAG') {
        bagFees += f.fee;
        continue;
      }
      legFees += f.fee;
      cents += ((f.side === 'SLD' ? 1 : -1) * Math.round((f.price_u * f.shares_u * f.multiplier) / 1e6)) / 1e4;
    }
    return Math.round(cents - (legFees !== 0 ? legFees : bagFees) / 1e4) / 100;
  };

  beforeAll(async () => {
    services = await createServices({ mode: 'headless', dataDir, version: '0.0.0-test', logger: silentLogger(), strictContract: true, brokerOptions: { orderAckTimeoutMs: 8_000 }, paperInProcess: true });
    off = services.bus.subscribe((name, payload) => {
      if (name === 'positions.updated') events.positions.push(payload as PositionsSnapshot);
      if (name === 'pnl.updated') events.pnl.push(payload as PnlSummary);
    });
    const res = await services.dispatcher.dispatch('connection.connect', {}, ctx);
    expect(res.ok).toBe(true);
    await services.trading.settled();
    expect(services.trading.status().state).toBe('ACTIVE');
    // The risk gate's quote-age check reads the legs by conId, which this base's execution service does not pass yet
    // (orders2 is adding it); and a preview followed by its submit counts as a repeat. Neither is what this tests.
    await call('risk.update', { limits: { maxQuoteAgeSec: null, duplicateWindowSec: null, maxTicksBeyondNatural: null } });
    paper = services.broker.paper() as unknown as PaperExchangeHandle;
    const b = services.broker.broker;
    const [spy] = await b.qualify({ secType: 'STK', symbol: 'SPY' });
    spot = (await b.snapshotQuote({ conId: spy!.conId }, { priority: 'quote' })).last ?? 500;
    const [chain] = await b.optionChainParams({ symbol: 'SPY', secType: 'STK', conId: spy!.conId });
    calls = await b.optionContracts({ symbol: 'SPY', expiry: chain!.expirations[5]!, tradingClass: chain!.tradingClass, right: 'C' });
  }, 60_000);
  afterAll(async () => {
    off?.();
    outside?.close();
    await services?.close();
  });

  const strikesNear = (offset: number): [number, number] => {
    const ks = calls.map((c) => c.strike!).filter((k) => k >= spot).sort((a, b) => a - b);
    const lo = ks[offset]!;
    const hi = ks.find((k) => k >= lo + 5) ?? ks[offset + 5]!;
    return [lo, hi];
  };

  it('a spread opened through the execution service shows as one spread with live P&L, closes from Positions, and its realised P&L equals the journal, the raw fills and the exchange cash', async () => {
    const cashBefore = paper.account().cash;
    const [lo, hi] = strikesNear(0);
    const held = await openSpread('pf-open-000001', lo, hi);
    expect(held).toMatchObject({ symbol: 'SPY', kind: 'bull-call', quantity: 1, status: 'open', broker: 'matched' });
    expect(held.entry.kind).toBe('debit');
    expect(held.legs.map((l) => [l.role, l.journalQty, l.brokerQty])).toEqual([['long', 1, 1], ['short', -1, -1]]);
    // Unrealised at mid is the entry plus the close at mid, per share × 100; max profit + max loss = the width.
    const cash = (p: { amount: number; kind: string }) => (p.kind === 'credit' ? p.amount : -p.amount);
    expect(held.unrealised).toBeCloseTo((cash(held.entry) + cash(held.closeMid!)) * 100, 6);
    expect(held.maxProfit + held.maxLoss).toBeCloseTo((hi - lo) * 100, 6);
    expect(held.realised).toBeLessThanOrEqual(0); // only the opening commission so far
    // Streamed as events (the service publishes; each payload passed the contract schema: strictContract).
    await expect.poll(() => events.positions.some((p) => p.spreads.some((s) => s.spreadId === held.spreadId)), { timeout: 15_000 }).toBe(true);
    await expect.poll(() => events.pnl.at(-1)?.openSpreads ?? 0, { timeout: 15_000 }).toBeGreaterThanOrEqual(1);

    const closed = await call<{ orderId: number }>('positions.close', { spreadId: held.spreadId, ticketId: 'pf-close-00001' });
    await expect.poll(() => orderStatus(closed.orderId), { timeout: 30_000, interval: 200 }).toBe('Filled');
    await expect.poll(async () => (await list()).spreads.some((s) => s.spreadId === held.spreadId), { timeout: 30_000, interval: 300 }).toBe(false);

    const journalNet = () => services.journal.journal!.trade(held.spreadId)!.netPnlU / 1e6;
    // Commissions may arrive after the fills: wait until the exchange's cash change is fully booked in the journal.
    await expect.poll(() => Math.round((paper.account().cash - cashBefore) * 100) / 100 === journalNet(), { timeout: 20_000, interval: 200 }).toBe(true);
    expect(services.journal.journal!.trade(held.spreadId)!.status).toBe('closed');
    expect(rawNet(held.spreadId)).toBe(journalNet());
    const summary = await call<PnlSummary>('pnl.summary', {});
    // Realised today covers this closed spread (and nothing else has been traded yet).
    expect(summary.realisedToday).toBeCloseTo(journalNet(), 9);
    expect(summary.openSpreads).toBe(0);
    expect(summary.account?.netLiquidation).toBeGreaterThan(0);
  }, 120_000);

  it('concurrent positions.list calls share the refresh and agree', async () => {
    const [lo, hi] = strikesNear(2);
    const held = await openSpread('pf-open-000002', lo, hi);
    // Count the broker position requests the six concurrent lists cause: a run under way is joined, one more follows
    // (a background refresh after a late commission may add one: never six).
    const b = services.broker.broker;
    const original = b.positions.bind(b);
    let asked = 0;
    b.positions = () => {
      asked++;
      return original();
    };
    let all: PositionsSnapshot[];
    try {
      all = await Promise.all(Array.from({ length: 6 }, () => list()));
    } finally {
      b.positions = original;
    }
    expect(asked).toBeGreaterThanOrEqual(1);
    expect(asked).toBeLessThanOrEqual(3);
    for (const s of all) expect(s.spreads.map((x) => [x.spreadId, x.quantity, x.broker])).toEqual([[held.spreadId, 1, 'matched']]);
  }, 90_000);

  it('an auto exit fires once, is journaled with its quote, and closes the spread as one BAG order through the execution service', async () => {
    const [held] = (await list()).spreads;
    expect(held).toBeDefined();
    // A 365-day time stop is already hit: it fires on the next mark.
    const view = await call<{ state: string }>('exit.set', { spreadId: held!.spreadId, rules: { dteDays: 365, auto: true } });
    expect(view.state).toBe('holding');
    await expect.poll(async () => (await list()).spreads.some((s) => s.spreadId === held!.spreadId), { timeout: 40_000, interval: 300 }).toBe(false);
    const j = services.journal.journal!;
    await expect.poll(() => (j.db.prepare('SELECT order_id FROM exit_events WHERE spread_id = ?').all(held!.spreadId) as { order_id: number | null }[]).map((r) => r.order_id !== null), { timeout: 10_000 }).toEqual([true]);
    const fired = j.db.prepare('SELECT kind, message, quote, order_id FROM exit_events WHERE spread_id = ?').get(held!.spreadId) as { kind: string; message: string; quote: string; order_id: number };
    expect(fired.kind).toBe('time');
    expect(fired.message).toMatch(/days to expiry \(rule: close at 365\)/);
    // One closing order for the spread, sent by the execution service (intent close, journaled ticket).
    const closes = (await call<{ orderId: number; intent: string; status: string }[]>('orders.list', { includeDone: true, limit: 200 })).filter((o) => o.orderId === fired.order_id);
    expect(closes).toMatchObject([{ intent: 'close', status: 'Filled' }]);
    expect(services.journal.journal!.trade(held!.spreadId)!.status).toBe('closed');
    // It does not fire again.
    await new Promise((r) => setTimeout(r, 1500));
    expect((j.db.prepare('SELECT count(*) AS n FROM exit_events WHERE spread_id = ?').get(held!.spreadId) as { n: number }).n).toBe(1);
  }, 90_000);

  it('open spreads and their exit rules survive an app restart (journal + broker positions, no order sent)', async () => {
    const [lo, hi] = strikesNear(6);
    const held = await openSpread('pf-open-000003', lo, hi);
    await call('exit.set', { spreadId: held.spreadId, rules: { profitTargetPct: 90, auto: false } });
    const ordersBefore = paper.account().executions;
    off?.();
    await services.close();
    services = await createServices({ mode: 'headless', dataDir, version: '0.0.0-test', logger: silentLogger(), strictContract: true, brokerOptions: { orderAckTimeoutMs: 8_000 }, paperInProcess: true });
    expect((await services.dispatcher.dispatch('connection.connect', {}, ctx)).ok).toBe(true);
    await services.trading.settled();
    paper = services.broker.paper() as unknown as PaperExchangeHandle;
    let again: PositionSpread | undefined;
    await expect
      .poll(async () => {
        again = (await list()).spreads.find((s) => s.spreadId === held.spreadId);
        return again ? `${again.broker} ${again.quantity} ${again.unrealised === null ? 'unmarked' : 'marked'}` : 'missing';
      }, { timeout: 30_000, interval: 300 })
      .toBe('matched 1 marked');
    expect(again!.entry).toEqual(held.entry);
    expect(again!.exit?.rules).toEqual({ profitTargetPct: 90, auto: false });
    expect(paper.account().executions).toBe(ordersBefore);
  }, 120_000);

  it('a leg bought outside the app is shown as an orphan leg, never hidden', async () => {
    outside = await connectClient(paper.port, 77);
    const c = calls.find((x) => x.strike === strikesNear(4)[0])!;
    const contract: Contract = { conId: c.conId, symbol: 'SPY', secType: SecType.OPT, exchange: 'SMART', currency: 'USD' };
    const q = await services.broker.broker.snapshotQuote({ conId: c.conId }, { priority: 'quote' });
    const order: Order = { action: OrderAction.BUY, totalQuantity: 2, orderType: OrderType.LMT, lmtPrice: Math.round(((q.ask ?? 5) + 0.5) * 100) / 100, transmit: true, tif: 'DAY' };
    const filled = new Promise<void>((res) => outside!.ib.on(EventName.orderStatus, (_id: number, status: string) => status === 'Filled' && res()));
    outside.ib.placeOrder(outside.nextValidId, contract, order);
    await filled;
    await expect.poll(async () => (await list()).orphans.map((o) => [o.conId, o.quantity, o.right, o.strike]), { timeout: 20_000, interval: 300 }).toEqual([[c.conId, 2, 'C', c.strike]]);
    const summary = await call<PnlSummary>('pnl.summary', {});
    expect(summary.orphanLegs).toBe(1);
  }, 60_000);
});
