// Issue 12: the kill switch against the paper exchange over a real socket — cancels this session's orders, an earlier
// session's and another client's (global cancel), flattens every open spread as ONE closing BAG each, HALTs, and two
// concurrent presses share one run.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KillReport, SpreadKind, Ticket, TicketPreview } from '../../src/core/contract';
import type { PaperExchangeHandle } from '../../src/main/paper';
import { createServices, type Services } from '../../src/main/services/app';
import type { IbBroker } from '../../src/main/services/broker/ib-broker';
import { silentLogger } from '../../src/main/services/logging';
import { localTarget, nearMoneySpyCalls, newBroker, waitFor } from '../support/broker';

const ctx = { transport: 'direct' } as const;
const dataDir = mkdtempSync(join(tmpdir(), 'sd-kill-'));
const start = () => createServices({ mode: 'headless', dataDir, version: '0.0.0-test', logger: silentLogger(), strictContract: true, brokerOptions: { orderAckTimeoutMs: 8_000 }, paperInProcess: true });

async function call<T>(services: Services, method: string, args: unknown): Promise<T> {
  const r = await services.dispatcher.dispatch(method as never, args as never, ctx);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.value as T;
}

describe('kill switch against the paper exchange', () => {
  let services: Services;
  let paper: PaperExchangeHandle;
  let other: IbBroker | undefined;
  let expiry = '';
  let strikes: number[] = [];

  beforeAll(async () => {
    services = await start();
    await call(services, 'connection.connect', {});
    await services.trading.settled();
    paper = services.broker.paper() as unknown as PaperExchangeHandle;
    // Liquidity filters off: the simulated chain's far strikes are wide; this test is about the kill switch.
    await call(services, 'risk.update', { limits: { maxLegSpreadPctOfMid: null, minOpenInterest: null, minLegBidUsd: null, duplicateWindowSec: null, maxLossPerTradePctOfNetLiq: null, maxTicksBeyondNatural: null } });
    ({ expiry, strikes } = await nearMoneySpyCalls(services.broker.broker, 5, 0.04));
  }, 90_000);
  afterAll(async () => {
    await other?.close();
    await services?.close();
  });

  const ticketFor = (kind: SpreadKind, offset: number): Ticket => {
    const i = Math.floor(strikes.length / 2) + offset;
    const lo = strikes[i - 1]!;
    const hi = strikes[i + 1]!;
    const legs = kind === 'bull-call' || kind === 'bull-put' ? { longStrike: lo, shortStrike: hi } : { longStrike: hi, shortStrike: lo };
    return { symbol: 'SPY', expiry, kind, ...legs, quantity: 1, limit: { amount: 0, kind: kind === 'bull-put' || kind === 'bear-call' ? 'credit' : 'debit' } };
  };
  /**
   * Opens a spread ten cents through its natural price and waits until the journal holds it open. The simulated
   * market keeps moving between the preview and the submit, so a limit exactly at the previewed natural can rest.
   */
  const throughNatural = (n: { amount: number; kind: 'credit' | 'debit' }) =>
    n.kind === 'debit' ? { amount: Math.round((n.amount + 0.1) * 100) / 100, kind: n.kind } : { amount: Math.max(0.01, Math.round((n.amount - 0.1) * 100) / 100), kind: n.kind };
  const openAtNatural = async (kind: SpreadKind, offset: number, ticketId: string): Promise<number> => {
    const t = ticketFor(kind, offset);
    const p = await call<TicketPreview>(services, 'ticket.preview', { ticket: t });
    expect(p.netNatural).not.toBeNull();
    const r = await call<{ orderId: number }>(services, 'order.submit', { ticketId, ticket: { ...t, limit: throughNatural(p.netNatural!) } });
    await waitFor(() => services.journal.journal?.trades().some((x) => x.status === 'open' && x.underlying === 'SPY' && x.kind === kind) ?? false, 30_000, `${kind} to be open in the journal`, 50);
    return r.orderId;
  };

  it('cancels every working order (ours, and another client’s by global cancel), flattens each spread as one BAG, HALTs; two presses share one run', async () => {
    await openAtNatural('bull-call', -3, 'kill-open-bull-call');
    await openAtNatural('bull-put', 3, 'kill-open-bull-put');
    const spreadsBefore = services.journal.journal!.trades().filter((t) => t.status === 'open');
    expect(spreadsBefore).toHaveLength(2);

    // Two resting orders of this session (far below the market)…
    const resting: number[] = [];
    for (const [i, off] of [-6, 6].entries()) {
      const t = ticketFor('bear-put', off);
      const r = await call<{ orderId: number }>(services, 'order.submit', { ticketId: `kill-rest-000${i}`, ticket: { ...t, limit: { amount: 0.01, kind: 'debit' } } });
      resting.push(r.orderId);
    }
    // …and one of another API client (as if entered elsewhere), which only a global cancel can reach.
    other = newBroker({ dataDir: mkdtempSync(join(tmpdir(), 'sd-kill-other-')) });
    await other.connect(localTarget(paper.port, 77));
    const [optLeg] = await other.optionContracts({ symbol: 'SPY', expiry, right: 'P' });
    await other.placeOrder({ ticketId: 'elsewhere-1', action: 'BUY', quantity: 1, orderType: 'LMT', contract: { kind: 'single', conId: optLeg!.conId, symbol: 'SPY' }, limitPrice: 0.01, minTick: 0.01 });
    const ledger = () => [...paper.exchange.ledger.orders.values()];
    expect(ledger().filter((o) => ['Submitted', 'PreSubmitted'].includes(o.status))).toHaveLength(3);

    const [a, b] = await Promise.all([call<KillReport>(services, 'trading.kill', { flatten: true }), call<KillReport>(services, 'trading.kill', { flatten: true })]);
    expect(b).toEqual(a);
    const report = a;
    const cancels = report.actions.filter((x) => x.kind === 'cancel');
    for (const id of resting) expect(cancels).toContainEqual(expect.objectContaining({ orderId: id, ok: true }));
    expect(cancels.some((c) => c.orderId === null && c.ok && /Global cancel/.test(c.message))).toBe(true);
    // Nothing of anybody's is left working at the exchange (the flatten closes are marketable and fill).
    await waitFor(() => ledger().every((o) => !['Submitted', 'PreSubmitted', 'PendingSubmit'].includes(o.status)), 30_000, 'every order to end', 50);
    expect(ledger().find((o) => o.clientId === 77)?.status).toBe('Cancelled');

    // Each open spread closed as ONE combo: a BAG SELL of the held legs, no single-leg orders.
    const closes = report.actions.filter((x) => x.kind === 'close');
    expect(closes).toHaveLength(2);
    expect(closes.every((c) => c.ok && c.orderId !== null)).toBe(true);
    for (const c of closes) {
      const o = ledger().find((x) => x.clientId !== 77 && x.orderId === c.orderId)!;
      expect(o.contract.secType).toBe('BAG');
      expect(o.contract.comboLegs).toHaveLength(2);
      expect(o.order.action).toBe('SELL');
      expect(o.status).toBe('Filled');
    }
    const sinceKill = ledger().filter((o) => o.createdAt >= report.pressedAt - 5_000 && o.clientId !== 77);
    expect(sinceKill.every((o) => o.contract.secType === 'BAG')).toBe(true);
    await waitFor(() => paper.account().positions.every((p) => p.qty === 0), 30_000, 'the account to be flat', 50);
    // The two opened spreads are closed in the journal (the cancelled resting tickets never opened anything).
    await waitFor(() => services.journal.journal!.trades().filter((t) => t.quantity > 0).every((t) => t.status === 'closed'), 30_000, 'the journal to show the spreads closed', 50);

    expect(report.trading).toMatchObject({ state: 'HALTED', code: 'KILL_SWITCH' });
    expect(report.actions.at(-1)).toMatchObject({ kind: 'halt' });
    expect(services.trading.status().state).toBe('HALTED');
    console.log(`[figure] kill switch (flatten): press → every cancel confirmed/sent in ${report.cancelsSentAt - report.pressedAt} ms; ${closes.length} spreads closed as combos; report at ${report.finishedAt - report.pressedAt} ms`);
  }, 180_000);

  it('after the kill, HALTED refuses a new ticket before anything reaches the exchange', async () => {
    const before = paper.account().openOrders;
    const r = await services.dispatcher.dispatch('order.submit', { ticketId: 'after-kill-0001', ticket: ticketFor('bull-call', 0) }, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'RISK_DENIED' } });
    expect(paper.account().openOrders).toBe(before);
  }, 60_000);
});
