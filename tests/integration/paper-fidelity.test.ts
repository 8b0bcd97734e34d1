// Paper exchange fidelity over a real socket (issue 15): combo fills at the natural price, *Multi account
// requests with their End messages (an ib_async-style connect), one account snapshot per subscription.
import { EventName, type Contract, type Execution } from '@stoqey/ib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/sim/clock';
import { comboNatural } from '../../src/core/sim/matching';
import type { OptionContract } from '../../src/core/sim/universe';
import { startPaperExchange, type PaperExchangeHandle } from '../../src/main/paper/index';
import { collect, connectClient, sleep, type TestClient, waitFor } from '../support/paper';

const r2 = (x: number): number => Math.round(x * 100) / 100;

describe('paper exchange fidelity', () => {
  const wall = new ManualClock(Date.parse('2026-03-10T16:00:00Z')); // 12:00 ET
  let ex: PaperExchangeHandle;
  let c: TestClient;
  let nextId = 0;

  beforeAll(async () => {
    ex = await startPaperExchange({ port: 0, seed: 5, wallClock: wall, manualPublish: true, fills: { partial: 'none' } });
    c = await connectClient(ex.port, 31);
    nextId = c.nextValidId;
  });
  afterAll(async () => {
    c.close();
    await ex.close();
  });

  it('a BUY vertical limited 0.30 through the natural fills at the natural; each leg prints within its own bid/ask', async () => {
    const calls = ex.model.findOptions({ symbol: 'AAPL', expiry: '20260417', right: 'C' }, ex.now()).sort((a, b) => a.strike - b.strike);
    const mid = Math.floor(calls.length / 2);
    const long = calls[mid] as OptionContract;
    const short = calls[mid + 2] as OptionContract;
    const ql = ex.model.optionQuote(long, ex.now());
    const qs = ex.model.optionQuote(short, ex.now());
    const legs = [{ ratio: 1, action: 'BUY' as const }, { ratio: 1, action: 'SELL' as const }];
    const nat = comboNatural(legs, [ql, qs]);
    const execs = collect<[number, Contract, Execution]>(c.ib, EventName.execDetails);
    const id = nextId++;
    const bag: Contract = {
      symbol: 'AAPL', secType: 'BAG' as never, exchange: 'SMART', currency: 'USD',
      comboLegs: [{ conId: long.conId, ratio: 1, action: 'BUY' as never, exchange: 'SMART' }, { conId: short.conId, ratio: 1, action: 'SELL' as never, exchange: 'SMART' }],
    };
    c.ib.placeOrder(id, bag, { action: 'BUY' as never, orderType: 'LMT' as never, lmtPrice: r2(nat.ask + 0.3), totalQuantity: 2, transmit: true, tif: 'DAY' as never });
    await waitFor(c.ib, EventName.orderStatus, (oid, st) => oid === id && st === 'Filled', 10_000);
    await sleep(30);
    const mine = execs.filter((e) => e[0] === -1 && e[2].orderId === id);
    const combo = mine.find((e) => e[1].secType === 'BAG');
    expect(combo?.[2].price).toBe(nat.ask);
    const legLong = mine.find((e) => e[1].conId === long.conId)?.[2];
    const legShort = mine.find((e) => e[1].conId === short.conId)?.[2];
    expect(legLong?.side).toBe('BOT');
    expect(legShort?.side).toBe('SLD');
    expect(legLong?.price).toBeGreaterThanOrEqual(ql.bid);
    expect(legLong?.price).toBeLessThanOrEqual(ql.ask);
    expect(legShort?.price).toBeGreaterThanOrEqual(qs.bid);
    expect(legShort?.price).toBeLessThanOrEqual(qs.ask);
    expect(r2((legLong?.price ?? 0) - (legShort?.price ?? 0))).toBe(nat.ask);
  });

  it('an ib_async-style connect (positions, open orders, accountUpdatesMulti, completed orders, executions) ends every request', async () => {
    const d = await connectClient(ex.port, 32);
    try {
      const positionsEnd = waitFor(d.ib, EventName.positionEnd, () => true, 10_000);
      const openEnd = waitFor(d.ib, EventName.openOrderEnd, () => true, 10_000);
      const values = collect<[number, string, string, string, string, string]>(d.ib, EventName.accountUpdateMulti);
      const multiEnd = waitFor<[number]>(d.ib, EventName.accountUpdateMultiEnd, (rid) => Number(rid) === 9001, 10_000);
      const posMulti = collect<[number, string, string, Contract, number, number]>(d.ib, EventName.positionMulti);
      const posMultiEnd = waitFor<[number]>(d.ib, EventName.positionMultiEnd, (rid) => rid === 9002, 10_000);
      const completedEnd = waitFor(d.ib, EventName.completedOrdersEnd, () => true, 10_000);
      const execEnd = waitFor<[number]>(d.ib, EventName.execDetailsEnd, (rid) => rid === 9003, 10_000);
      d.ib.reqPositions();
      d.ib.reqOpenOrders();
      d.ib.reqAccountUpdatesMulti(9001, ex.accountId, '', false);
      d.ib.reqPositionsMulti(9002, ex.accountId, '');
      d.ib.reqCompletedOrders(false);
      d.ib.reqExecutions(9003, {});
      await Promise.all([positionsEnd, openEnd, multiEnd, posMultiEnd, completedEnd, execEnd]);
      expect(values.some((v) => v[0] === 9001 && v[1] === ex.accountId && v[3] === 'NetLiquidation')).toBe(true);
      // The vertical bought above: two legs on request 9002.
      expect(posMulti.filter((p) => p[0] === 9002).map((p) => p[4]).sort()).toEqual([-2, 2]);
      expect(d.errors.filter((e) => e.code === 321)).toEqual([]);
      expect(d.infos.filter((e) => e.code === 321)).toEqual([]);
    } finally {
      d.close();
    }
  });

  it('one account snapshot per subscription: the periodic push waits a full interval', async () => {
    const d = await connectClient(ex.port, 33);
    try {
      const values = collect<[string, string, string, string]>(d.ib, EventName.updateAccountValue);
      const end = waitFor(d.ib, EventName.accountDownloadEnd, () => true, 10_000);
      d.ib.reqAccountUpdates(true, ex.accountId);
      await end;
      for (let i = 0; i < 5; i++) ex.publishNow();
      await sleep(50);
      const reqCurrent = waitFor(d.ib, EventName.currentTime, () => true, 10_000);
      d.ib.reqCurrentTime(); // a round trip: everything the publishing rounds sent has arrived
      await reqCurrent;
      expect(values.filter((v) => v[0] === 'NetLiquidation').length).toBe(1);
    } finally {
      d.close();
    }
  });

  it('an ITM short put at expiry is assigned over the wire: execDetails (option BOT, shares BOT, order id 0), positions, account values showing the stock, and a notice', async () => {
    const w = new ManualClock(Date.parse('2026-03-20T19:50:00Z')); // 15:50 ET on the March monthly expiry
    const e2 = await startPaperExchange({ port: 0, seed: 12, wallClock: w, manualPublish: true, fills: { partial: 'none' } });
    const d = await connectClient(e2.port, 34);
    try {
      const t = e2.now();
      const spy = e2.model.underlying('SPY');
      if (!spy) throw new Error('SPY');
      const s = e2.model.spot(spy, t);
      const put = e2.model.findOptions({ symbol: 'SPY', expiry: '20260320', right: 'P' }, t).find((x) => x.strike >= s + 10);
      if (!put) throw new Error('no ITM put');
      const filled = waitFor(d.ib, EventName.orderStatus, (oid, st) => oid === d.nextValidId && st === 'Filled', 10_000);
      d.ib.placeOrder(d.nextValidId, { conId: put.conId, exchange: 'SMART' }, { action: 'SELL' as never, orderType: 'MKT' as never, totalQuantity: 1, transmit: true });
      await filled;
      const positions = collect<[string, Contract, number, number]>(d.ib, EventName.position);
      const end = waitFor(d.ib, EventName.positionEnd, () => true, 10_000);
      d.ib.reqPositions();
      await end;
      const downloaded = waitFor(d.ib, EventName.accountDownloadEnd, () => true, 10_000);
      d.ib.reqAccountUpdates(true, e2.accountId);
      await downloaded;
      const portfolio = collect<[Contract, number, number, number]>(d.ib, EventName.updatePortfolio);
      const values = collect<[string, string, string, string]>(d.ib, EventName.updateAccountValue);
      const execs = collect<[number, Contract, Execution]>(d.ib, EventName.execDetails);
      const notices = collect<[string, number]>(d.ib, EventName.info);
      const errors = collect<[Error, number, number]>(d.ib, EventName.error);
      w.advance(11 * 60_000); // past the 16:00 settlement instant
      e2.publishNow();
      const settle = e2.model.settlementSpot(put);
      expect(settle).toBeLessThan(put.strike);
      const acct = e2.account();
      expect(acct.positions.map((p) => [p.conId, p.qty])).toEqual([[spy.conId, 100]]);
      const rt = waitFor(d.ib, EventName.currentTime, () => true, 10_000);
      d.ib.reqCurrentTime(); // a round trip: everything the settlement sent has arrived
      await rt;
      // The position stream hears both changes: the put to 0, the stock to +100.
      const seen = (conId: number): number | undefined => positions.filter((p) => p[1].conId === conId).at(-1)?.[2];
      expect(seen(put.conId)).toBe(0);
      expect(seen(spy.conId)).toBe(100);
      // Executions: the short put leaves (bought back at intrinsic), the shares arrive (bought at the settlement price).
      const assigned = execs.map(([reqId, c, e]) => ({ reqId, conId: c.conId, side: e.side, shares: e.shares, orderId: e.orderId, price: e.price }));
      expect(assigned).toEqual([
        { reqId: -1, conId: put.conId, side: 'BOT', shares: 1, orderId: 0, price: r2(put.strike - settle) },
        { reqId: -1, conId: spy.conId, side: 'BOT', shares: 100, orderId: 0, price: settle },
      ]);
      // Account updates: the portfolio shows the stock, and the account values moved with it.
      expect(portfolio.filter((p) => p[0].conId === spy.conId).at(-1)?.[1]).toBe(100);
      expect(portfolio.filter((p) => p[0].conId === put.conId).at(-1)?.[1]).toBe(0);
      const stockValue = Number(values.filter((v) => v[0] === 'StockMarketValue').at(-1)?.[1]);
      expect(Math.abs(stockValue - 100 * e2.model.spot(spy, e2.now()))).toBeLessThan(1);
      const text = [...notices.map(([m, code]) => `${code} ${m}`), ...errors.map(([e, code]) => `${code} ${e.message}`)].join('\n');
      expect(text).toMatch(/2199 Assignment notice: 1 SPY .* assigned at expiry \(100 shares of SPY bought/);
    } finally {
      d.close();
      await e2.close();
    }
  });

  it('a deep in-the-money short put is assigned early after the close: execDetails (option BOT, shares BOT, order id 0), positions and a notice', async () => {
    const w = new ManualClock(Date.parse('2026-03-10T19:50:00Z')); // 15:50 ET on a Tuesday, weeks before the April expiry
    const e3 = await startPaperExchange({ port: 0, seed: 12, wallClock: w, manualPublish: true, fills: { partial: 'none' } });
    const d = await connectClient(e3.port, 35);
    try {
      const t = e3.now();
      const spy = e3.model.underlying('SPY');
      if (!spy) throw new Error('SPY');
      const close = Date.parse('2026-03-10T20:00:00Z');
      // The holder's rule, from the model at the close: the deepest listed put has no time value left.
      const puts = e3.model.findOptions({ symbol: 'SPY', expiry: '20260417', right: 'P' }, t).sort((a, b) => b.strike - a.strike);
      const put = puts.find((p) => {
        const th = e3.model.theoretical(p, close - 1);
        return th.theo - (p.strike - th.spot) < 0.005 && p.strike - th.spot > 1;
      });
      if (!put) throw new Error('no put in the early-exercise region');
      const filled = waitFor(d.ib, EventName.orderStatus, (oid, st) => oid === d.nextValidId && st === 'Filled', 10_000);
      d.ib.placeOrder(d.nextValidId, { conId: put.conId, exchange: 'SMART' }, { action: 'SELL' as never, orderType: 'MKT' as never, totalQuantity: 1, transmit: true });
      await filled;
      e3.publishNow();
      const execs = collect<[number, Contract, Execution]>(d.ib, EventName.execDetails);
      const notices = collect<[string, number]>(d.ib, EventName.info);
      const errors = collect<[Error, number, number]>(d.ib, EventName.error);
      w.advance(11 * 60_000); // past the 16:00 close
      e3.publishNow();
      const rt = waitFor(d.ib, EventName.currentTime, () => true, 10_000);
      d.ib.reqCurrentTime();
      await rt;
      expect(e3.account().positions.map((p) => [p.conId, p.qty])).toEqual([[spy.conId, 100]]);
      const assigned = execs.map(([, c, e]) => ({ conId: c.conId, side: e.side, shares: e.shares, orderId: e.orderId }));
      expect(assigned).toEqual([
        { conId: put.conId, side: 'BOT', shares: 1, orderId: 0 },
        { conId: spy.conId, side: 'BOT', shares: 100, orderId: 0 },
      ]);
      const text = [...notices.map(([m, code]) => `${code} ${m}`), ...errors.map(([e, code]) => `${code} ${e.message}`)].join('\n');
      expect(text).toMatch(/2199 Assignment notice: 1 SPY .* assigned early/);
      // Once assigned, nothing more happens at the next close.
      w.advance(24 * 3_600_000);
      e3.publishNow();
      expect(e3.account().positions.map((p) => [p.conId, p.qty])).toEqual([[spy.conId, 100]]);
    } finally {
      d.close();
      await e3.close();
    }
  });
});
