// Integration: the risk service against the paper exchange — daily-loss and reject breakers, the kill switch, arming, and a HALT that survives a restart.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KillReport } from '../../src/core/contract';
import type { RiskOrder } from '../../src/core/risk';
import type { PaperExchangeHandle } from '../../src/main/paper';
import { createServices, type Services } from '../../src/main/services/app';
import type { PlaceOrderRequest, QualifiedContract } from '../../src/main/services/broker/types';
import { silentLogger } from '../../src/main/services/logging';

const ctx = { transport: 'direct' } as const;
const dataDir = mkdtempSync(join(tmpdir(), 'sd-risk-'));
const start = () => createServices({ mode: 'headless', dataDir, version: '0.0.0-test', logger: silentLogger(), strictContract: true, brokerOptions: { orderAckTimeoutMs: 5_000 }, paperInProcess: true });

function riskEvents(): Array<{ kind: string; code: string; message: string }> {
  const db = new Database(join(dataDir, 'journal.sqlite'), { readonly: true });
  try {
    return db.prepare('SELECT kind, code, message FROM risk_events ORDER BY id').all() as Array<{ kind: string; code: string; message: string }>;
  } finally {
    db.close();
  }
}

describe('risk service against the paper exchange', () => {
  let services: Services;
  let paper: PaperExchangeHandle;
  let option: QualifiedContract;
  let spreadLegs: [QualifiedContract, QualifiedContract];
  const single = (limitPrice: number, ticketId: string): PlaceOrderRequest => ({ ticketId, action: 'BUY', quantity: 1, orderType: 'LMT', contract: { kind: 'single', conId: option.conId, symbol: 'SPY' }, limitPrice, minTick: 0.01 });

  beforeAll(async () => {
    services = await start();
    const res = await services.dispatcher.dispatch('connection.connect', {}, ctx);
    expect(res.ok).toBe(true);
    await services.trading.settled();
    expect(services.trading.status().state).toBe('ACTIVE');
    paper = services.broker.paper() as unknown as PaperExchangeHandle;
    const b = services.broker.broker;
    const [spy] = await b.qualify({ secType: 'STK', symbol: 'SPY' });
    const spot = (await b.snapshotQuote({ conId: spy!.conId }, { priority: 'quote' })).last ?? 500;
    const [chain] = await b.optionChainParams({ symbol: 'SPY', secType: 'STK', conId: spy!.conId });
    const calls = await b.optionContracts({ symbol: 'SPY', expiry: chain!.expirations[5]!, tradingClass: chain!.tradingClass, right: 'C' });
    const byStrike = new Map(calls.map((c) => [c.strike, c]));
    const k = [...byStrike.keys()].filter((s): s is number => s !== null && s >= spot && byStrike.has(s + 5)).sort((a, c) => a - c)[0]!;
    option = byStrike.get(k)!;
    spreadLegs = [byStrike.get(k)!, byStrike.get(k + 5)!];
  }, 60_000);
  afterAll(async () => {
    await services?.close();
  });

  it('an order.submit the risk checks block never reaches the exchange; the ticket error lists the reasons and the denial is journaled', async () => {
    await services.dispatcher.dispatch('risk.update', { limits: { maxContractsPerOrder: 2 } }, ctx);
    const before = paper.account();
    const [lo, hi] = spreadLegs;
    const res = await services.dispatcher.dispatch('order.submit', {
      ticketId: 'T-too-big',
      ticket: { symbol: 'SPY', expiry: lo.expiry!, kind: 'bull-call', longStrike: lo.strike!, shortStrike: hi.strike!, quantity: 3, limit: { amount: 1, kind: 'debit' } },
    }, ctx);
    expect(res).toMatchObject({ ok: false, error: { code: 'RISK_DENIED' } });
    if (res.ok) throw new Error('submitted');
    expect(res.error.message).toContain('3 spreads is more than the 2 allowed per order.');
    const after = paper.account();
    expect([after.openOrders, after.executions]).toEqual([before.openOrders, before.executions]);
    expect(riskEvents()).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'denied', code: 'MAX_CONTRACTS' })]));
    await services.dispatcher.dispatch('risk.update', { limits: { maxContractsPerOrder: 20 } }, ctx);
  }, 60_000);

  it('a scripted losing session trips the daily-loss breaker (REDUCING), journaled with its reason', async () => {
    await services.dispatcher.dispatch('risk.update', { limits: { dailyLossLimitUsd: 1, dailyLossAction: 'REDUCING', dailyLossBasis: 'mid' } }, ctx);
    // Buy at the ask and mark at mid: every fill loses half the spread plus commission.
    const q = await services.broker.broker.snapshotQuote({ conId: option.conId }, { priority: 'quote' });
    for (let i = 0; i < 3; i++) await services.broker.broker.placeOrder(single(Math.round(((q.ask ?? 1) + 0.5) * 100) / 100, `T-lose-${i}`));
    await expect.poll(() => services.risk.status().breaker?.code, { timeout: 20_000 }).toBe('DAILY_LOSS');
    expect(services.trading.status()).toMatchObject({ state: 'REDUCING', code: 'DAILY_LOSS' });
    expect(services.risk.status().dailyPnl?.realized).toBeDefined();
    expect(riskEvents()).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'breaker', code: 'DAILY_LOSS' })]));
    const wrong = await services.dispatcher.dispatch('trading.reset', { confirm: 'reset please' }, ctx);
    expect(wrong).toMatchObject({ ok: false, error: { code: 'VALIDATION', message: 'Type RESET to clear the halt.' } });
    await services.dispatcher.dispatch('risk.update', { limits: { dailyLossLimitUsd: null } }, ctx);
    const reset = await services.dispatcher.dispatch('trading.reset', { confirm: 'RESET' }, ctx);
    expect(reset).toMatchObject({ ok: true, value: { breaker: null, trading: { state: 'ACTIVE' } } });
  }, 60_000);

  it('the daily-loss breaker at natural: held legs are marked at their bid/ask, and the trip names the basis', async () => {
    // The options bought above are still held: at natural they are worth their bid, below the broker's mid mark.
    await services.dispatcher.dispatch('risk.update', { limits: { dailyLossLimitUsd: 1_000_000, dailyLossAction: 'REDUCING', dailyLossBasis: 'natural' } }, ctx);
    await expect.poll(() => services.risk.status().dailyPnl?.unrealizedNatural ?? null, { timeout: 20_000 }).not.toBeNull();
    const p = services.risk.status().dailyPnl!;
    expect(p.unrealizedNatural!).toBeLessThan(p.unrealizedMid!);
    await services.dispatcher.dispatch('risk.update', { limits: { dailyLossLimitUsd: 1 } }, ctx);
    await expect.poll(() => services.risk.status().breaker?.code, { timeout: 20_000 }).toBe('DAILY_LOSS');
    expect(services.risk.status().breaker?.reason).toContain('unrealised at natural');
    await services.dispatcher.dispatch('risk.update', { limits: { dailyLossLimitUsd: null, dailyLossBasis: 'mid' } }, ctx);
    await services.dispatcher.dispatch('trading.reset', { confirm: 'RESET' }, ctx);
    expect(services.trading.status().state).toBe('ACTIVE');
  }, 60_000);

  it('three forced rejects in a row trip the reject breaker (HALTED)', async () => {
    await services.dispatcher.dispatch('risk.update', { limits: { maxConsecutiveRejects: 3 } }, ctx);
    paper.faults.rejectNextOrders(3, 'injected by the test');
    for (let i = 0; i < 3; i++) await expect(services.broker.broker.placeOrder(single(0.05, `T-rej-${i}`))).rejects.toThrow();
    await expect.poll(() => services.trading.status(), { timeout: 10_000 }).toMatchObject({ state: 'HALTED', code: 'REJECT_STREAK' });
    expect(riskEvents()).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'breaker', code: 'REJECT_STREAK' })]));
    // HALTED: the gate denies a submit and passes a cancel, and the denial is journaled.
    const [lo, hi] = spreadLegs;
    const leg = (c: QualifiedContract, side: 1 | -1) => ({ symbol: 'SPY', expiry: c.expiry!, strike: c.strike!, right: 'C' as const, side, ratio: 1, conId: c.conId });
    const order: RiskOrder = {
      ticketId: 'T-halted', symbol: 'SPY', kind: 'bull-call', expiry: lo.expiry!, longStrike: lo.strike!, shortStrike: hi.strike!, intent: 'open', quantity: 1,
      limit: { amount: 1, kind: 'debit' }, mid: null, natural: null, multiplier: 100, maxLoss: 100, maxProfit: 400, margin: 100, commission: 1.3,
      legs: [leg(lo, 1), leg(hi, -1)], quoteAgeMs: null, pop: null, at: Date.now(),
    };
    const denied = await services.risk.check(order);
    expect(denied.allowed).toBe(false);
    expect(denied.verdicts.find((v) => v.code === 'HALTED')?.message).toContain('rejected by the broker');
    expect((await services.risk.check({ ...order, action: 'cancel' })).allowed).toBe(true);
    expect(riskEvents()).toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'denied', code: 'HALTED' })]));
    await services.dispatcher.dispatch('trading.reset', { confirm: 'RESET' }, ctx);
    expect(services.trading.status().state).toBe('ACTIVE');
  }, 60_000);

  it('a preview is checked like a submit but not remembered as sent: the send after it is no duplicate, a preview after the send warns of it', async () => {
    await services.dispatcher.dispatch('risk.update', { limits: { duplicateWindowSec: 60 } }, ctx);
    const [lo, hi] = spreadLegs;
    const leg = (c: QualifiedContract, side: 1 | -1) => ({ symbol: 'SPY', expiry: c.expiry!, strike: c.strike!, right: 'C' as const, side, ratio: 1 });
    const order: RiskOrder = {
      ticketId: 'T-dup', symbol: 'SPY', kind: 'bull-call', expiry: lo.expiry!, longStrike: lo.strike!, shortStrike: hi.strike!, intent: 'open', quantity: 1,
      limit: { amount: 1, kind: 'debit' }, mid: null, natural: null, multiplier: 100, maxLoss: 100, maxProfit: 400, margin: 100, commission: 1.3,
      legs: [leg(lo, 1), leg(hi, -1)], quoteAgeMs: 0, pop: null, at: Date.now(),
    };
    const dup = (r: { verdicts: { code: string; level: string }[] }) => r.verdicts.find((v) => v.code === 'DUPLICATE')?.level;
    expect(dup(await services.risk.check({ ...order, action: 'preview' }))).toBe('pass');
    expect(dup(await services.risk.check({ ...order, action: 'preview' }))).toBe('pass');
    const sent = await services.risk.check(order);
    expect(sent.allowed).toBe(true);
    expect(dup(await services.risk.check({ ...order, action: 'preview' }))).toBe('block');
    await services.dispatcher.dispatch('risk.update', { limits: { duplicateWindowSec: 10 } }, ctx);
  }, 60_000);

  it('arming: paper and simulated accounts need none, and cannot be armed', async () => {
    expect(services.risk.status()).toMatchObject({ armRequired: false, armed: false });
    const r = await services.dispatcher.dispatch('trading.arm', { confirm: 'DU123' }, ctx);
    expect(r).toMatchObject({ ok: false, error: { code: 'CONFLICT' } });
  });

  it('kill switch: N working orders are cancelled before the report, concurrent presses share one run, state HALTED', async () => {
    const N = 5;
    for (let i = 0; i < N; i++) await services.broker.broker.placeOrder(single(0.01 * (i + 1), `T-rest-${i}`));
    expect(paper.account().openOrders).toBe(N);
    const [a, b] = await Promise.all([
      services.dispatcher.dispatch('trading.kill', { flatten: false }, ctx),
      services.dispatcher.dispatch('trading.kill', { flatten: false }, ctx),
    ]);
    if (!a.ok || !b.ok) throw new Error('kill failed');
    expect(b.value).toEqual(a.value);
    const report = a.value as KillReport;
    // One action per order (placed directly, so found as this client's earlier orders), plus the global cancel.
    const cancels = report.actions.filter((x) => x.kind === 'cancel' && x.orderId !== null);
    expect(cancels).toHaveLength(N);
    expect(report.actions.filter((x) => x.kind === 'cancel' && x.orderId === null)).toEqual([expect.objectContaining({ ok: true, message: expect.stringContaining('Global cancel') })]);
    expect(cancels.every((c) => c.ok)).toBe(true);
    expect(report.cancelsSentAt).toBeGreaterThanOrEqual(report.pressedAt);
    expect(cancels.every((c) => c.at <= report.cancelsSentAt)).toBe(true);
    expect(paper.account().openOrders).toBe(0);
    expect(report.trading).toMatchObject({ state: 'HALTED', code: 'KILL_SWITCH' });
    expect(report.actions.at(-1)).toMatchObject({ kind: 'halt' });
    console.log(`[figure] kill switch: press → all ${N} cancels confirmed by the exchange in ${report.cancelsSentAt - report.pressedAt} ms`);
  }, 60_000);

  it('concurrent limit updates are applied one at a time: the saved file equals the limits in memory', async () => {
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => services.dispatcher.dispatch('risk.update', { limits: { maxContractsPerOrder: i + 1, maxOpenSpreads: i + 1 } }, ctx)));
    expect(results.every((r) => r.ok)).toBe(true);
    const mem = services.risk.limits();
    expect(mem.maxContractsPerOrder).toBe(mem.maxOpenSpreads);
    const onDisk = JSON.parse(readFileSync(join(dataDir, 'risk.json'), 'utf8')) as { limits: unknown };
    expect(onDisk.limits).toEqual(mem);
  });

  it('a HALT survives an app restart until the trader resets it', async () => {
    await services.close();
    services = await start();
    expect(services.trading.status()).toMatchObject({ state: 'HALTED', code: 'KILL_SWITCH' });
    await services.dispatcher.dispatch('connection.connect', {}, ctx);
    await services.trading.settled();
    await new Promise((r) => setTimeout(r, 300));
    expect(services.trading.status()).toMatchObject({ state: 'HALTED', code: 'KILL_SWITCH' });
    await services.dispatcher.dispatch('trading.reset', { confirm: 'RESET' }, ctx);
    await expect.poll(() => services.trading.status().state, { timeout: 10_000 }).toBe('ACTIVE');
  }, 60_000);
});
