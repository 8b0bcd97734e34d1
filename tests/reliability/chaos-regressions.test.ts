// What the disconnect chaos found or checks, pinned as plain tests against the paper exchange over a real socket.
//
// 1. (chaos seed 3, episode 2) An order that filled while the app was disconnected stayed "PreSubmitted" in the app
//    and its walk kept walking: after the reconnect TWS reports that fill only as executions (reqExecutions), with no
//    orderStatus for an order that is no longer open, and the execution service folded only orderStatus messages.
// 2. (a guard, not a bug) A walk must not journal a price as submitted while trading is HALTED by TWS's link loss
//    (1100, socket up): the broker would refuse the modify. It holds — its legs' quotes stop with the link — and goes
//    on, on its own clock, after 1102.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderRow, Ticket, TicketPreview } from '../../src/core/contract';
import type { PaperExchangeHandle } from '../../src/main/paper';
import { createServices, type Services } from '../../src/main/services/app';
import { silentLogger } from '../../src/main/services/logging';
import { dispatchOrThrow, nearMoneySpyCalls, waitFor } from '../support/broker';


describe('chaos regressions', () => {
  let services: Services;
  let paper: PaperExchangeHandle;
  let expiry = '';
  let strikes: number[] = [];
  const call = <T,>(method: string, args: unknown): Promise<T> => dispatchOrThrow<T>(services, method, args);

  beforeAll(async () => {
    services = await createServices({ mode: 'headless', dataDir: mkdtempSync(join(tmpdir(), 'sd-chaosreg-')), version: '0.0.0-test', logger: silentLogger(), strictContract: true, paperInProcess: true });
    await call('connection.connect', {});
    await services.trading.settled();
    await waitFor(() => services.trading.status().state === 'ACTIVE', 60_000, 'trading to open');
    paper = services.broker.paper() as unknown as PaperExchangeHandle;
    await call('risk.update', { limits: { maxLegSpreadPctOfMid: null, minOpenInterest: null, minLegBidUsd: null, duplicateWindowSec: null, maxLossPerTradePctOfNetLiq: null, maxTicksBeyondNatural: null } });
    ({ expiry, strikes } = await nearMoneySpyCalls(services.broker.broker, 5, 0.03));
  }, 120_000);
  afterAll(async () => {
    await services?.close();
  });

  it('an order that fills while the app is disconnected shows Filled after the reconnect, its walk done', async () => {
    const i = Math.floor(strikes.length / 2);
    const t: Ticket = { symbol: 'SPY', expiry, kind: 'bull-call', longStrike: strikes[i - 1]!, shortStrike: strikes[i + 1]!, quantity: 1, limit: { amount: 0, kind: 'debit' } };
    const p = await call<TicketPreview>('ticket.preview', { ticket: t });
    // Ten cents under the combo's bid: it rests (nothing fills behind the near side) until the market moves through it.
    const bid = 2 * p.netMid!.amount - p.netNatural!.amount;
    const limit = { amount: Math.max(0.01, Math.round((bid - 0.1) * 100) / 100), kind: 'debit' as const };
    // A long walk that never reaches a marketable price on its own: 1 tick a minute.
    const r = await call<{ orderId: number }>('order.submit', { ticketId: 'chaos-reg-fill-while-down', ticket: { ...t, limit, pricing: { mode: 'walk', start: 'limit', stepTicks: 1, intervalSec: 60, capPct: 10, maxSteps: 5, endAction: 'leave' } } });
    const atEx = () => paper.exchange.ledger.byClient.get(services.broker.status().clientId ?? 1)?.get(r.orderId);
    await waitFor(() => atEx()?.status === 'Submitted', 30_000, 'the order to rest at the exchange');

    // Cut off (connections refused), and meanwhile SPY gaps down 2.5 %: the call spread's ask drops through our limit → it fills
    // (not so far that the short call has no bid left to sell into).
    paper.exchange.refuseConnections(4);
    paper.exchange.dropClient(services.broker.status().clientId ?? 1);
    await waitFor(() => services.broker.status().state !== 'connected', 30_000, 'the app to notice the drop');
    paper.exchange.simControl({ op: 'scenario', scenario: { kind: 'gap', symbol: 'SPY', pct: -2.5 } });
    await waitFor(() => atEx()?.status === 'Filled', 30_000, 'the order to fill at the exchange while the app is away');

    await waitFor(() => services.trading.status().state === 'ACTIVE', 60_000, 'the reconnect and reconciliation');
    const row = async () => (await call<OrderRow[]>('orders.list', {})).find((o) => o.orderId === r.orderId);
    await expect.poll(async () => (await row())?.status, { timeout: 30_000 }).toBe('Filled');
    const done = await row();
    expect(done).toMatchObject({ status: 'Filled', filled: 1, done: true, remaining: 0 });
    expect(done?.walk?.state).toBe('done');
    expect(done?.avgFill?.kind).toBe('debit');
    // Its executions (combo and legs) are listed once each, and the journal has the spread open.
    const execs = await call<{ execId: string; level: string }[]>('executions.list', { orderId: r.orderId });
    expect(execs.filter((x) => x.level === 'combo')).toHaveLength(1);
    expect(new Set(execs.map((x) => x.execId)).size).toBe(execs.length);
    await waitFor(() => services.journal.journal?.trades().some((x) => x.status === 'open' && x.kind === 'bull-call') ?? false, 30_000, 'the journal to hold the spread open');
  }, 180_000);

  it('a walk holds while trading is HALTED by 1100: no price journaled while TWS’s link is lost (1100), the walk goes on after 1102', async () => {
    const i = Math.floor(strikes.length / 2);
    const t: Ticket = { symbol: 'SPY', expiry, kind: 'bear-put', longStrike: strikes[i + 1]!, shortStrike: strikes[i - 1]!, quantity: 1, limit: { amount: 0, kind: 'debit' } };
    const p = await call<TicketPreview>('ticket.preview', { ticket: t });
    // A cent a second from well under the bid: it walks for many seconds before it could fill.
    const bid = 2 * p.netMid!.amount - p.netNatural!.amount;
    const limit = { amount: Math.max(0.01, Math.round((bid - 0.3) * 100) / 100), kind: 'debit' as const };
    const r = await call<{ orderId: number }>('order.submit', { ticketId: 'chaos-reg-walk-held', ticket: { ...t, limit, pricing: { mode: 'walk', start: 'limit', stepTicks: 1, intervalSec: 1, capPct: 10, maxSteps: 100, endAction: 'leave' } } });
    const cid = services.broker.status().clientId ?? 1;
    const journalTicket = paper.exchange.ledger.byClient.get(cid)?.get(r.orderId)?.order.orderRef ?? '';
    expect(journalTicket).not.toBe('');
    const submissionsAt = () => services.journal.journal!.db.prepare('SELECT at FROM order_submissions WHERE ticket_id = ? ORDER BY id').pluck().all(journalTicket) as number[];
    await waitFor(() => submissionsAt().length >= 3, 30_000, 'the walk to take a few steps');

    // TWS loses its link to IBKR for 5 s (1100 … 1102): the socket stays up, market data stops.
    paper.exchange.connectivityLoss(5_000, false);
    await waitFor(() => services.trading.status().state === 'HALTED', 30_000, 'trading to halt');
    const haltedAt = Date.now();
    await waitFor(() => services.trading.status().state === 'ACTIVE', 60_000, 'the reconnect and reconciliation');
    const activeAt = Date.now();
    // Nothing journaled as sent while HALTED (the ms either side of the switch belong to steps already under way).
    expect(submissionsAt().filter((at) => at > haltedAt + 50 && at < activeAt - 50)).toEqual([]);
    // The walk goes on after the reconnect, at the exchange too.
    await waitFor(() => submissionsAt().some((at) => at > activeAt), 30_000, 'the walk to step again');
    const row = (await call<OrderRow[]>('orders.list', {})).find((o) => o.orderId === r.orderId);
    expect(row?.walk?.state).not.toBe('done');
    await call('order.cancel', { orderId: r.orderId });
  }, 180_000);
});
