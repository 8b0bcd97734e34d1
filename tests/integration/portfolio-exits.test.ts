// Issue 13, acceptance 2: price exits against the paper exchange — the market is moved with the exchange's scenario
// controls (sim.scenario gap), and a trailing stop, a profit target and a stop each fire once, are journaled with the
// quote that fired them, and close their spread as one BAG order through the execution service.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExitRulesArg, PositionsSnapshot, PositionSpread } from '../../src/core/contract';
import { createServices, type Services } from '../../src/main/services/app';
import type { QualifiedContract } from '../../src/main/services/broker/types';
import { silentLogger } from '../../src/main/services/logging';

const ctx = { transport: 'direct' } as const;
/** Ten cents through the natural debit: the simulated market moves on, and an order resting at the old natural may never fill. */
const throughNatural = (n: { amount: number; kind: string }) => ({ amount: Math.round((n.amount + 0.1) * 100) / 100, kind: n.kind });

describe('price exits against the paper exchange (scenario gaps move the market)', () => {
  let services: Services;
  let calls: QualifiedContract[] = [];

  const call = async <T,>(method: string, args: unknown): Promise<T> => {
    const r = await services.dispatcher.dispatch(method as never, args as never, ctx);
    if (!r.ok) throw new Error(`${method}: ${r.error.code} ${r.error.message}`);
    return r.value as T;
  };
  const list = () => call<PositionsSnapshot>('positions.list', {});
  const orders = () => call<{ orderId: number; status: string; intent: string; secType?: string }[]>('orders.list', { includeDone: true, limit: 200 });
  const spot = async () => {
    const [spy] = await services.broker.broker.qualify({ secType: 'STK', symbol: 'SPY' });
    return (await services.broker.broker.snapshotQuote({ conId: spy!.conId }, { priority: 'quote' })).last ?? 500;
  };
  const gap = (pct: number) => call('sim.scenario', { scenario: { kind: 'gap', symbol: 'SPY', pct } });
  const db = () => services.journal.journal!.db;

  /** Opens a 5-wide bull call spread with its long strike at or just above spot, at its natural price, through order.submit. */
  const openSpread = async (ticketId: string): Promise<PositionSpread> => {
    const s = await spot();
    const ks = calls.map((c) => c.strike!).filter((k) => k >= s).sort((a, b) => a - b);
    const lo = ks[0]!;
    const hi = ks.find((k) => k >= lo + 5)!;
    const ticket = { symbol: 'SPY', expiry: calls[0]!.expiry!, kind: 'bull-call', longStrike: lo, shortStrike: hi, quantity: 1, limit: { amount: 0.01, kind: 'debit' } };
    const preview = await call<{ netNatural: { amount: number; kind: string } | null }>('ticket.preview', { ticket });
    const sent = await call<{ orderId: number }>('order.submit', { ticketId, ticket: { ...ticket, limit: throughNatural(preview.netNatural!) } });
    await expect.poll(async () => (await orders()).find((o) => o.orderId === sent.orderId)?.status, { timeout: 30_000, interval: 200 }).toBe('Filled');
    let found: PositionSpread | undefined;
    await expect
      .poll(async () => {
        found = (await list()).spreads.find((x) => x.longStrike === lo && x.shortStrike === hi);
        return found ? `${found.broker} ${found.unrealised === null ? 'unmarked' : 'marked'}` : 'missing';
      }, { timeout: 30_000, interval: 300 })
      .toBe('matched marked');
    return found!;
  };

  /** Waits for the spread's exit to fire and its close to fill; returns the journaled event (one, with its quote and order). */
  const firedClose = async (spreadId: number) => {
    await expect.poll(async () => (await list()).spreads.some((s) => s.spreadId === spreadId), { timeout: 60_000, interval: 300 }).toBe(false);
    const byOrder = () => db().prepare('SELECT order_id FROM exit_events WHERE spread_id = ?').all(spreadId) as { order_id: number | null }[];
    await expect.poll(() => byOrder().map((r) => r.order_id !== null), { timeout: 15_000 }).toEqual([true]);
    const ev = db().prepare('SELECT kind, message, quote, order_id FROM exit_events WHERE spread_id = ?').get(spreadId) as { kind: string; message: string; quote: string; order_id: number };
    const quote = JSON.parse(ev.quote) as { bid: number; ask: number; at: number };
    expect(quote.ask).toBeGreaterThanOrEqual(quote.bid);
    expect(quote.at).toBeGreaterThan(0);
    // One closing order for the spread: a BAG, sent by the execution service, filled; the journal's trade is closed.
    const closes = (await orders()).filter((o) => o.orderId === ev.order_id);
    expect(closes).toMatchObject([{ intent: 'close', status: 'Filled' }]);
    const bag = db().prepare("SELECT count(*) AS n FROM executions WHERE order_id = ? AND sec_type = 'BAG'").get(ev.order_id) as { n: number };
    expect(bag.n).toBeGreaterThanOrEqual(1);
    expect(services.journal.journal!.trade(spreadId)!.status).toBe('closed');
    return ev;
  };

  const setExit = (spreadId: number, rules: ExitRulesArg) => call<{ state: string }>('exit.set', { spreadId, rules });

  beforeAll(async () => {
    services = await createServices({ mode: 'headless', dataDir: mkdtempSync(join(tmpdir(), 'sd-exits-')), version: '0.0.0-test', logger: silentLogger(), strictContract: true, brokerOptions: { orderAckTimeoutMs: 8_000 }, paperInProcess: true });
    expect((await services.dispatcher.dispatch('connection.connect', {}, ctx)).ok).toBe(true);
    await services.trading.settled();
    expect(services.trading.status().state).toBe('ACTIVE');
    // As in portfolio-service.test.ts: a preview followed by its submit is not a duplicate here, and quote age is not what this tests.
    await call('risk.update', { limits: { maxQuoteAgeSec: null, duplicateWindowSec: null, maxTicksBeyondNatural: null } });
    const b = services.broker.broker;
    const [spy] = await b.qualify({ secType: 'STK', symbol: 'SPY' });
    const [chain] = await b.optionChainParams({ symbol: 'SPY', secType: 'STK', conId: spy!.conId });
    calls = await b.optionContracts({ symbol: 'SPY', expiry: chain!.expirations[5]!, tradingClass: chain!.tradingClass, right: 'C' });
  }, 90_000);
  afterAll(async () => {
    await services?.close();
  });

  it('a trailing stop keeps the best value (journaled), and fires once as one BAG close when the value falls back by the trail', async () => {
    const held = await openSpread('ex-trail-00001');
    await setExit(held.spreadId, { trailingStop: 40, auto: true });
    const peak = () => (db().prepare('SELECT peak_u FROM exit_rules WHERE spread_id = ?').get(held.spreadId) as { peak_u: number | null }).peak_u;
    await expect.poll(peak, { timeout: 20_000, interval: 200 }).not.toBeNull();
    const first = peak()!;
    // Up 2%: a bull call gains; the high-water mark follows it (kept in the journal, so a restart keeps it).
    await gap(2);
    await expect.poll(() => peak()! - first, { timeout: 20_000, interval: 200 }).toBeGreaterThan(40e6);
    expect((await list()).spreads.find((s) => s.spreadId === held.spreadId)?.exit?.state).not.toBe('fired');
    // Down 4%: the value falls far below its best.
    await gap(-4);
    const ev = await firedClose(held.spreadId);
    expect(ev.kind).toBe('trailing');
    expect(ev.message).toMatch(/fell .* from its best .* \(trail \$40\.00\)/);
    // It does not fire again.
    await new Promise((r) => setTimeout(r, 1500));
    expect((db().prepare('SELECT count(*) AS n FROM exit_events WHERE spread_id = ?').get(held.spreadId) as { n: number }).n).toBe(1);
  }, 180_000);

  it('a profit target fires once as one BAG close after the market moves up', async () => {
    const held = await openSpread('ex-target-0001');
    await setExit(held.spreadId, { profitTargetPct: 25, auto: true });
    await gap(4);
    const ev = await firedClose(held.spreadId);
    expect(ev.kind).toBe('target');
    expect(ev.message).toMatch(/reached 25% of max profit/);
  }, 180_000);

  it('a stop (% of max loss) fires once as one BAG close after the market moves down', async () => {
    const held = await openSpread('ex-stop-000001');
    await setExit(held.spreadId, { stopMaxLossPct: 30, auto: true });
    await gap(-4);
    const ev = await firedClose(held.spreadId);
    expect(ev.kind).toBe('stop');
    expect(ev.message).toMatch(/reached 30% of max loss/);
  }, 180_000);
});
