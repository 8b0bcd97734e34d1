// Issue 11: the execution service against the paper exchange over a real socket — submit → walk → fill per kind
// (modifies observed at the exchange), duplicate ticket → one order, cancel mid-walk, reject paths, restart mid-walk.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SpreadKind, Ticket } from '../../src/core/contract';
import { ContractFailure } from '../../src/core/contract';
import type { RiskGate } from '../../src/core/risk/types';
import { PaperExchange } from '../../src/main/paper/exchange';
import type { IbBroker } from '../../src/main/services/broker/ib-broker';
import { localTarget, newBroker, tempDir, waitFor } from '../support/broker';
import { previewTicket } from '../../src/main/services/execution/preview';
import { createLegQuoteCache, type LegQuoteCache } from '../../src/main/services/execution/quotes';
import { createExecutionService, type ExecutionService } from '../../src/main/services/execution/service';
import { type Journal, openJournal } from '../../src/main/services/journal';

const CLIENT = 91;
const allow: RiskGate = { check: async () => ({ allowed: true, verdicts: [{ code: 'OK', level: 'pass', message: 'ok' }] }) };

describe('execution service on the paper exchange', () => {
  let ex: PaperExchange;
  let port: number;
  let broker: IbBroker;
  let journal: Journal;
  let exec: ExecutionService;
  let quotes: LegQuoteCache | undefined;
  const dataDir = tempDir('sd-exec-');
  let symbol = 'SPY';
  let expiry = '';
  let strikes: number[] = [];
  const ordersAtExchange = (orderRef?: string) => [...ex.ledger.orders.values()].filter((o) => o.clientId === CLIENT && (orderRef === undefined || o.order.orderRef === orderRef));
  const journalTicketOf = (orderId: number) => [...ex.ledger.orders.values()].find((o) => o.clientId === CLIENT && o.orderId === orderId)?.order.orderRef ?? '';

  const start = async (gate: RiskGate = allow) => {
    broker = newBroker({ dataDir, orderAckTimeoutMs: 8_000 });
    await broker.connect(localTarget(port, CLIENT));
    quotes?.dispose();
    quotes = createLegQuoteCache(broker);
    exec = createExecutionService({ broker, quotes, journal: () => journal, gate, clientId: () => CLIENT, exitPollMs: 300 });
  };

  beforeAll(async () => {
    ex = new PaperExchange({ seed: 33, publishIntervalMs: 100, fills: { restingFillRatePerMin: 0 } });
    port = (await ex.listen()).port;
    const opened = openJournal({ dataDir });
    if (!opened.ok) throw new Error(opened.error.message);
    journal = opened.value.journal;
    journal.startSession({ appVersion: 'test', profile: 'local-paper', account: ex.accountId, clientId: CLIENT, simulated: true });
    await start();
    const [und] = await broker.qualify({ secType: 'STK', symbol });
    const spot = (await broker.snapshotQuote({ conId: und?.conId ?? 0 }, { priority: 'quote' })).last ?? 500;
    const [chain] = await broker.optionChainParams({ symbol, secType: 'STK', conId: und?.conId ?? 0 });
    expiry = chain?.expirations[4] ?? '';
    const calls = await broker.optionContracts({ symbol, expiry, right: 'C' });
    strikes = calls.map((c) => c.strike ?? 0).filter((k) => Math.abs(k - spot) < spot * 0.05).sort((a, b) => a - b);
    symbol = und?.symbol ?? symbol;
  }, 60_000);
  afterAll(async () => {
    exec?.dispose();
    quotes?.dispose();
    await broker?.close();
    await ex?.close();
    journal?.close();
  });

  const mid = () => strikes[Math.floor(strikes.length / 2)] as number;
  const legsFor = (kind: SpreadKind): { longStrike: number; shortStrike: number } => {
    const i = Math.floor(strikes.length / 2);
    const lo = strikes[i - 2] as number;
    const hi = strikes[i + 2] as number;
    return kind === 'bull-call' || kind === 'bull-put' ? { longStrike: lo, shortStrike: hi } : { longStrike: hi, shortStrike: lo };
  };
  const ticket = (kind: SpreadKind, extra: Partial<Ticket> = {}): Ticket => ({
    symbol, expiry, kind, ...legsFor(kind), quantity: 1,
    limit: { amount: 0, kind: kind === 'bull-put' || kind === 'bear-call' ? 'credit' : 'debit' },
    pricing: { mode: 'walk', start: 'mid', stepTicks: 2, intervalSec: 1, capPct: 100, maxSteps: 30, endAction: 'leave' },
    ...extra,
  });

  it.each(['bull-call', 'bear-put', 'bull-put', 'bear-call'] as const)('%s: submit → walk (each step seen at the exchange) → fill', async (kind) => {
    expect(mid()).toBeGreaterThan(0);
    const r = await exec.submit(`walk-${kind}-0001`, ticket(kind));
    const seen: number[] = [];
    const poll = setInterval(() => {
      const o = ordersAtExchange().find((x) => x.orderId === r.orderId);
      const p = o?.order.lmtPrice;
      if (typeof p === 'number' && seen.at(-1) !== p) seen.push(p);
    }, 20);
    try {
      await waitFor(() => exec.list().find((o) => o.orderId === r.orderId)?.status === 'Filled', 60_000, `${kind} to fill`);
    } finally {
      clearInterval(poll);
    }
    const row = exec.list().find((o) => o.orderId === r.orderId);
    expect(row).toMatchObject({ status: 'Filled', done: true, filled: 1, action: 'BUY' });
    expect(row?.avgFill?.kind).toBe(kind === 'bull-put' || kind === 'bear-call' ? 'credit' : 'debit');
    // Every price the exchange saw is on a whole cent and was journaled before it was sent (write-ahead).
    const journaled = (journal.db.prepare('SELECT limit_u FROM order_submissions WHERE ticket_id = ? ORDER BY id').all(journalTicketOf(r.orderId)) as { limit_u: number }[]).map((x) => x.limit_u);
    expect(seen.length).toBeGreaterThanOrEqual(1);
    for (const p of seen) {
      expect(Math.abs(Math.round(p * 100) - p * 100)).toBeLessThan(1e-6);
      expect(journaled).toContain(Math.round(p * 1_000_000));
    }
    expect(ordersAtExchange(journalTicketOf(r.orderId))).toHaveLength(1);
  }, 90_000);

  it('ticket.preview: leg quotes, net mid/natural, risk/reward, margin, IBKR what-if, verdicts and the sentence', async () => {
    const p = await previewTicket({ broker, quotes: quotes as LegQuoteCache, gate: allow }, ticket('bull-put'));
    expect(p.legs).toHaveLength(2);
    expect(p.netMid?.kind).toBe('credit');
    expect(p.netNatural?.kind).toBe('credit');
    expect(p.limit.kind).toBe('credit');
    expect(p.maxProfit).toBeGreaterThan(0);
    expect(p.maxLoss).toBeGreaterThan(0);
    expect(p.regTMargin).toBeGreaterThan(0);
    // Odds and greeks from the legs' model IVs (core/options + core/spreads), not left empty.
    expect(p.pop).toBeGreaterThan(0);
    expect(p.pop).toBeLessThan(1);
    expect(p.pMaxProfit).toBeLessThanOrEqual(p.pop as number);
    expect(typeof p.ev).toBe('number');
    expect(p.greeks.delta).toBeGreaterThan(0); // a bull put gains as the underlying rises
    expect(p.greeks.thetaPerDay).not.toBeNull();
    expect(p.greeks.vega).not.toBeNull();
    expect(p.whatIf !== null || typeof p.whatIfUnavailable === 'string').toBe(true);
    expect(p.allowed).toBe(true);
    expect(p.sentence).toMatch(/^SELL 1 SPY .* put spread for a \d+\.\d\d credit/);
  }, 30_000);

  it('attached exits: after the fill the profit target works at the exchange (GTC BAG close), the app’s stop cancels it and closes at natural', async () => {
    const natural = (await previewTicket({ broker, quotes: quotes as LegQuoteCache, gate: allow }, ticket('bull-put'))).netNatural!;
    // Entry at natural (fills at once); the stop at 1 % of max loss fires on the first mark (entry gave up half the spread).
    const r = await exec.submit('exits-entry-0001', ticket('bull-put', { pricing: { mode: 'fixed' }, limit: natural, exits: { profitTargetPct: 50, stop: { basis: 'maxLossPct', value: 1 } } }));
    await waitFor(() => exec.list().filter((o) => o.parentTicketId === 'exits-entry-0001').length === 2, 30_000, 'the target and the stop close');
    const entry = exec.list().find((o) => o.orderId === r.orderId)!;
    expect(entry).toMatchObject({ status: 'Filled', ocaGroup: `oca-${r.orderId}` });
    const target = exec.list().find((o) => o.parentTicketId === 'exits-entry-0001' && o.intent === 'exit-target')!;
    const stop = exec.list().find((o) => o.parentTicketId === 'exits-entry-0001' && o.intent === 'exit-stop')!;
    expect(target.ocaGroup).toBe(`oca-${r.orderId}`);
    // Target: buy back at half the credit received, as a GTC BAG at the exchange; cancelled before the stop was sent.
    const credit = entry.avgFill!.amount;
    expect(target.limit.kind).toBe('debit');
    expect(target.limit.amount).toBeLessThanOrEqual(credit / 2 + 1e-9);
    const atEx = (id: number) => ordersAtExchange().find((o) => o.orderId === id)!;
    expect(atEx(target.orderId)).toMatchObject({ contract: { secType: 'BAG' }, order: { tif: 'GTC', action: 'SELL' } });
    await waitFor(() => /Cancelled/.test(atEx(target.orderId).status), 20_000, 'the target to be cancelled');
    await waitFor(() => exec.list().find((o) => o.orderId === stop.orderId)?.status === 'Filled', 30_000, 'the stop close to fill');
    expect(atEx(stop.orderId)).toMatchObject({ contract: { secType: 'BAG' }, order: { action: 'SELL' } });
  }, 90_000);

  it('roll: one 4-leg BAG closes the held spread and opens the new expiry; the exchange fills it as one order, the journal links both', async () => {
    // The journal folds this broker's fills (the app's journal service does this; here the test wires it).
    const offIngest = broker.onEvent((e) => void journal.ingest(e));
    try {
      await rollScenario();
    } finally {
      offIngest();
    }
  }, 90_000);

  async function rollScenario(): Promise<void> {
    const cash = (n: { amount: number; kind: 'credit' | 'debit' }) => (n.kind === 'credit' ? n.amount : -n.amount);
    const natural = (await previewTicket({ broker, quotes: quotes as LegQuoteCache, gate: allow }, ticket('bull-call'))).netNatural!;
    await exec.submit('roll-open-0001', ticket('bull-call', { pricing: { mode: 'fixed' }, limit: natural }));
    await waitFor(() => journal.trades().some((x) => x.status === 'open' && x.kind === 'bull-call'), 30_000, 'the spread to be open in the journal');
    const held = journal.trades().filter((x) => x.status === 'open' && x.kind === 'bull-call').at(-1)!;
    const [und] = await broker.qualify({ secType: 'STK', symbol });
    const [chain] = await broker.optionChainParams({ symbol, secType: 'STK', conId: und?.conId ?? 0 });
    const later = chain!.expirations.find((e) => e > expiry)!;
    const to = { symbol, expiry: later, kind: 'bull-call' as const, ...legsFor('bull-call') };
    // Price: what closing the old and opening the new would each get at natural, a few cents more to be marketable.
    const closeNat = (await previewTicket({ broker, quotes: quotes as LegQuoteCache, gate: allow }, { ...ticket('bull-call'), intent: 'close', spreadId: held.id })).netNatural!;
    const openNat = (await previewTicket({ broker, quotes: quotes as LegQuoteCache, gate: allow }, { ...ticket('bull-call'), expiry: later })).netNatural!;
    const net = Math.round((cash(closeNat) + cash(openNat) - 0.05) * 100) / 100;
    const r = await exec.submit('roll-0001', ticket('bull-call', { intent: 'roll', spreadId: held.id, rollTo: to, pricing: { mode: 'fixed' }, limit: { amount: Math.abs(net), kind: net >= 0 ? 'credit' : 'debit' } }));
    expect(r.sentence).toMatch(/^ROLL 1 SPY/);
    await waitFor(() => exec.list().find((o) => o.orderId === r.orderId)?.status === 'Filled', 30_000, 'the roll to fill');
    // The Orders row names both spreads: the one it closes (its own fields) and the one it opens.
    const row = exec.list().find((o) => o.orderId === r.orderId)!;
    expect(row).toMatchObject({ intent: 'roll', expiry: ticket('bull-call').expiry, rollTo: { kind: to.kind, expiry: later, longStrike: to.longStrike, shortStrike: to.shortStrike } });
    const atEx = ordersAtExchange().find((o) => o.orderId === r.orderId)!;
    expect(atEx.contract.secType).toBe('BAG');
    expect(atEx.contract.comboLegs).toHaveLength(4);
    expect(atEx.status).toBe('Filled');
    // The journal: the old spread closed, a new one (rolled from this ticket) open at the later expiry.
    await waitFor(() => journal.trade(held.id)?.status === 'closed', 20_000, 'the old spread to close in the journal');
    await waitFor(() => journal.trades().some((x) => x.status === 'open' && x.expiry === later && x.kind === 'bull-call'), 20_000, 'the new spread to open in the journal');
  }

  it('attached exits survive a restart: re-armed from the journal, the stop fires and closes the spread', async () => {
    const offs: Array<() => void> = [];
    try {
      // Before the restart the exits never get a look (a 10-minute poll), so all of it happens after it.
      exec.dispose();
      exec = createExecutionService({ broker, quotes: quotes as LegQuoteCache, journal: () => journal, gate: allow, clientId: () => CLIENT, exitPollMs: 600_000 });
      offs.push(broker.onEvent((e) => void journal.ingest(e)));
      const natural = (await previewTicket({ broker, quotes: quotes as LegQuoteCache, gate: allow }, ticket('bear-call'))).netNatural!;
      const r = await exec.submit('exits-restart-0001', ticket('bear-call', { pricing: { mode: 'fixed' }, limit: natural, exits: { profitTargetPct: 50, stop: { basis: 'maxLossPct', value: 1 } } }));
      await waitFor(() => exec.list().find((o) => o.orderId === r.orderId)?.status === 'Filled', 30_000, 'the entry to fill');
      await waitFor(() => journal.trades().some((x) => x.status === 'open' && x.kind === 'bear-call'), 30_000, 'the spread to be open in the journal');
      const spreadId = journal.trades().filter((x) => x.status === 'open' && x.kind === 'bear-call').at(-1)!.id;
      expect(exec.list().filter((o) => o.parentTicketId === 'exits-restart-0001')).toHaveLength(0);
      exec.dispose();
      offs.pop()?.();
      await broker.close();
      await start();
      offs.push(broker.onEvent((e) => void journal.ingest(e)));
      const rec = await exec.recoverWorking('resume');
      expect(rec.exitsRearmed).toContain(spreadId);
      await waitFor(() => exec.list().some((o) => o.parentTicketId === 'exits-restart-0001' && o.intent === 'exit-stop' && o.status === 'Filled'), 30_000, 'the re-armed stop to close the spread');
      const target = exec.list().find((o) => o.parentTicketId === 'exits-restart-0001' && o.intent === 'exit-target');
      if (target) await waitFor(() => /Cancelled/.test(ordersAtExchange().find((o) => o.orderId === target.orderId)?.status ?? ''), 20_000, 'the target to be cancelled');
      await waitFor(() => journal.trade(spreadId)?.status === 'closed', 20_000, 'the spread to close in the journal');
    } finally {
      for (const off of offs) off();
    }
  }, 120_000);

  it('the same ticket id submitted twice (concurrently) yields one order', async () => {
    const t = ticket('bull-call', { pricing: { mode: 'fixed' }, limit: { amount: 0.01, kind: 'debit' } });
    const [a, b] = await Promise.all([exec.submit('dup-ticket-0001', t), exec.submit('dup-ticket-0001', t)]);
    expect(a.orderId).toBe(b.orderId);
    expect([a.duplicate, b.duplicate].sort()).toEqual([false, true]);
    expect(ordersAtExchange(journalTicketOf(a.orderId))).toHaveLength(1);
    await exec.cancel(a.orderId);
  }, 30_000);

  it('cancel mid-walk stops the walk and the order at the exchange', async () => {
    const r = await exec.submit('cancel-walk-0001', ticket('bear-put', { pricing: { mode: 'walk', start: 'mid', stepTicks: 1, intervalSec: 1, capPct: 10, maxSteps: 50, endAction: 'leave' } }));
    const row = await exec.cancel(r.orderId);
    expect(['Cancelled', 'ApiCancelled']).toContain(row.status);
    const o = ordersAtExchange().find((x) => x.orderId === r.orderId);
    expect(o?.status).toMatch(/Cancelled/);
    const priceAfter = o?.order.lmtPrice;
    await new Promise((res) => setTimeout(res, 1500));
    expect(ordersAtExchange().find((x) => x.orderId === r.orderId)?.order.lmtPrice).toBe(priceAfter);
  }, 30_000);

  it('concurrent modify and cancel on one order run one after the other and end cancelled', async () => {
    const r = await exec.submit('concurrent-0001', ticket('bull-call', { pricing: { mode: 'fixed' }, limit: { amount: 0.01, kind: 'debit' } }));
    const [m, c] = await Promise.allSettled([exec.modify(r.orderId, { limit: { amount: 0.02, kind: 'debit' } }), exec.cancel(r.orderId)]);
    expect(m.status).toBe('fulfilled');
    expect(c.status).toBe('fulfilled');
    if (m.status === 'fulfilled') expect(m.value.limit).toEqual({ amount: 0.02, kind: 'debit' });
    const o = ordersAtExchange().find((x) => x.orderId === r.orderId);
    expect(o?.order.lmtPrice).toBeCloseTo(0.02, 9);
    expect(o?.status).toMatch(/Cancelled/);
    await expect(exec.modify(r.orderId, { limit: { amount: 0.03, kind: 'debit' } })).rejects.toMatchObject({ code: 'CONFLICT' });
  }, 30_000);

  it('reject paths: a wrong credit/debit label and a risk block never reach the exchange', async () => {
    const before = ordersAtExchange().length;
    const wrong = exec.submit('wrong-sign-0001', ticket('bull-put', { pricing: { mode: 'fixed' }, limit: { amount: 1.2, kind: 'debit' } }));
    await expect(wrong).rejects.toBeInstanceOf(ContractFailure);
    await expect(wrong).rejects.toMatchObject({ code: 'VALIDATION' });
    await expect(exec.submit('exits-0001', ticket('bull-put', { exits: { stop: { basis: 'maxLossPct', value: 50 }, stopVenue: 'broker' } }))).rejects.toMatchObject({ code: 'UNAVAILABLE' });
    await expect(exec.submit('exits-0002', ticket('bull-call', { exits: { stop: { basis: 'creditMultiple', value: 2 } } }))).rejects.toMatchObject({ code: 'VALIDATION' });
    const blocked = createExecutionService({ broker, quotes: quotes as LegQuoteCache, journal: () => journal, gate: { check: async () => ({ allowed: false, verdicts: [{ code: 'MAX_LOSS', level: 'block', message: 'Max loss $900 exceeds the $500 limit.' }] }) }, clientId: () => CLIENT });
    try {
      await expect(blocked.submit('blocked-0001', ticket('bull-call'))).rejects.toMatchObject({ code: 'RISK_DENIED', message: expect.stringContaining('Max loss $900') });
    } finally {
      blocked.dispose();
    }
    expect(ordersAtExchange().length).toBe(before);
  }, 30_000);

  it('restart mid-walk with resume: the walk continues from its journaled start (steps seen at the exchange, each quote journaled), never sent twice', async () => {
    const walk = { mode: 'walk' as const, start: 'mid' as const, stepTicks: 1, intervalSec: 1, capPct: 100, maxSteps: 40, endAction: 'leave' as const };
    const r = await exec.submit('resume-walk-0001', ticket('bear-put', { pricing: walk }));
    const ref = journalTicketOf(r.orderId);
    // The app goes away before the walk's first step.
    exec.dispose();
    await broker.close();
    const firstPrice = ordersAtExchange(ref)[0]?.order.lmtPrice;
    await start();
    await waitFor(() => broker.trackedOrders().some((o) => o.orderId === r.orderId), 10_000, 'the working order to be reported');
    const rec = await exec.recoverWorking('resume');
    expect(rec.resumed).toContain(r.orderId);
    // The resumed walk modifies the same order at the exchange and ends filled; the ticket id still maps to it.
    await waitFor(() => ordersAtExchange(ref)[0]?.order.lmtPrice !== firstPrice, 20_000, 'a walk step after the restart');
    await waitFor(() => exec.list().find((o) => o.orderId === r.orderId)?.status === 'Filled', 60_000, 'the resumed walk to fill');
    expect(ordersAtExchange(ref)).toHaveLength(1);
    const again = await exec.submit('resume-walk-0001', ticket('bear-put', { pricing: walk }));
    expect(again).toMatchObject({ orderId: r.orderId, duplicate: true });
    const steps = journal.db.prepare("SELECT details FROM risk_events WHERE kind = 'walk' AND ticket_id = ?").all(ref) as { details: string }[];
    expect(steps.length).toBeGreaterThanOrEqual(1);
    for (const st of steps) expect(JSON.parse(st.details)).toMatchObject({ orderId: r.orderId, price: expect.any(Number), bid: expect.any(Number), ask: expect.any(Number) });
  }, 90_000);

  it('restart past the walk’s last step: the resumed order ends by its end action (cancel)', async () => {
    const walk = { mode: 'walk' as const, start: 'mid' as const, stepTicks: 1, intervalSec: 1, capPct: 5, maxSteps: 1, endAction: 'cancel' as const };
    const r = await exec.submit('resume-end-0001', ticket('bull-call', { pricing: walk }));
    exec.dispose();
    await broker.close();
    await new Promise((res) => setTimeout(res, 2_500));
    await start();
    await waitFor(() => broker.trackedOrders().some((o) => o.orderId === r.orderId), 10_000, 'the working order to be reported');
    expect((await exec.recoverWorking('resume')).resumed).toContain(r.orderId);
    await waitFor(() => /Cancelled/.test(ordersAtExchange().find((o) => o.orderId === r.orderId)?.status ?? ''), 20_000, 'the end action to cancel it');
    expect(ordersAtExchange(journalTicketOf(r.orderId))).toHaveLength(1);
  }, 60_000);

  it('restart mid-walk: the working order is found and left or cancelled by policy, never sent twice', async () => {
    const slow = { mode: 'walk' as const, start: 'mid' as const, stepTicks: 1, intervalSec: 600, capPct: 10, maxSteps: 5, endAction: 'leave' as const };
    const a = await exec.submit('restart-a-0001', ticket('bull-call', { pricing: slow }));
    const b = await exec.submit('restart-b-0001', ticket('bear-call', { pricing: slow }));
    // The app goes away with the orders working.
    exec.dispose();
    await broker.close();
    await start();
    await waitFor(() => broker.trackedOrders().some((o) => o.orderId === a.orderId), 10_000, 'the working orders to be reported');
    const left = await exec.recoverWorking('leave');
    expect(left.adopted).toEqual(expect.arrayContaining([a.orderId, b.orderId]));
    expect(ordersAtExchange().find((o) => o.orderId === a.orderId)?.status).toMatch(/Submitted/);
    // Another restart, now with the policy "cancel": both are cancelled, neither is re-sent.
    exec.dispose();
    await broker.close();
    await start();
    await waitFor(() => broker.trackedOrders().some((o) => o.orderId === b.orderId), 10_000, 'the working orders to be reported');
    const c = await exec.recoverWorking('cancel');
    expect(c.cancelled).toEqual(expect.arrayContaining([a.orderId, b.orderId]));
    for (const id of [a.orderId, b.orderId]) {
      expect(ordersAtExchange(journalTicketOf(id))).toHaveLength(1);
      expect(ordersAtExchange().find((o) => o.orderId === id)?.status).toMatch(/Cancelled/);
    }
  }, 60_000);
});
