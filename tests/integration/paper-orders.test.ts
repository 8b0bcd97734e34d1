// Paper exchange part 2: order lifecycles over @stoqey/ib — modify, cancel, rejects, OCA, parent/child,
// stops, market orders, resting fills, account streams and expiry settlement.
import { EventName, SecType, type CommissionReport, type Contract, type Execution, type Order, type OrderState } from '@stoqey/ib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/sim/clock';
import type { OptionContract } from '../../src/core/sim/universe';
import { startPaperExchange, type PaperExchangeHandle } from '../../src/main/paper/index';
import { collect, connectClient, decodeErrors, sleep, type TestClient, waitFor } from '../support/paper';

const r2 = (x: number): number => Math.round(x * 100) / 100;

describe('order lifecycles', () => {
  const wall = new ManualClock(Date.parse('2026-03-10T16:00:00Z')); // 12:00 ET
  let ex: PaperExchangeHandle;
  let c: TestClient;
  let nextId = 0;
  const opt = (symbol: string, expiry: string, right: 'C' | 'P', pick: (list: OptionContract[]) => OptionContract | undefined): OptionContract => {
    const found = pick(ex.model.findOptions({ symbol, expiry, right }, ex.now()));
    if (!found) throw new Error('no option');
    return found;
  };
  const q = (o: OptionContract) => ex.model.optionQuote(o, ex.now());
  const con = (o: OptionContract): Contract => ({ conId: o.conId, exchange: 'SMART' });
  let statuses: [number, string, number, number, number][];
  let errors: () => { code: number; reqId: number; message: string }[];

  beforeAll(async () => {
    ex = await startPaperExchange({ port: 0, seed: 3, wallClock: wall, manualPublish: true, fills: { restingFillRatePerMin: 1000 }, pnlIntervalMs: 900, accountUpdateIntervalMs: 60_000 });
    c = await connectClient(ex.port, 21);
    nextId = c.nextValidId;
    statuses = collect(c.ib, EventName.orderStatus);
    errors = () => c.errors;
  });
  afterAll(async () => {
    c.close();
    await ex.close();
  });
  const statusOf = (id: number) => statuses.filter((s) => s[0] === id).map((s) => s[1]);

  it('a resting limit is Submitted, a modify makes it marketable, it fills at the ask; cancels answer 202/10147/10148', async () => {
    const call = opt('AAPL', '20260417', 'C', (l) => l[Math.floor(l.length / 2)]);
    const quote = q(call);
    const id = nextId++;
    c.ib.placeOrder(id, con(call), { action: 'BUY' as never, orderType: 'LMT' as never, lmtPrice: r2(Math.max(0.05, quote.bid - 1)), totalQuantity: 1, transmit: true, tif: 'GTC' as never });
    await waitFor(c.ib, EventName.orderStatus, (oid, st) => oid === id && st === 'Submitted');
    const execs = collect<[number, Contract, Execution]>(c.ib, EventName.execDetails);
    const reports = collect<[CommissionReport]>(c.ib, EventName.commissionReport);
    c.ib.placeOrder(id, con(call), { action: 'BUY' as never, orderType: 'LMT' as never, lmtPrice: quote.ask + 0.05 * 2, totalQuantity: 1, transmit: true, tif: 'GTC' as never });
    await waitFor(c.ib, EventName.orderStatus, (oid, st) => oid === id && st === 'Filled');
    await sleep(30);
    expect(execs[0]?.[2]).toMatchObject({ side: 'BOT', shares: 1, price: quote.ask, orderId: id, clientId: 21 });
    expect(reports[0]?.[0].commission).toBe(1);
    c.ib.cancelOrder(id, {});
    await waitFor(c.ib, EventName.error, (_e, code, rid) => code === 10148 && rid === id);
    c.ib.cancelOrder(999_999, {});
    await waitFor(c.ib, EventName.error, (_e, code, rid) => code === 10147 && rid === 999_999);
    const id2 = nextId++;
    c.ib.placeOrder(id2, con(call), { action: 'SELL' as never, orderType: 'LMT' as never, lmtPrice: r2(quote.ask + 5), totalQuantity: 1, transmit: true });
    await waitFor(c.ib, EventName.orderStatus, (oid, st) => oid === id2 && st === 'Submitted');
    c.ib.cancelOrder(id2, {});
    await waitFor(c.ib, EventName.error, (_e, code, rid) => code === 202 && rid === id2);
    expect(statusOf(id2).at(-1)).toBe('Cancelled');
    c.errors.length = 0;
  });

  it('refuses duplicate or lower ids (103), rejects bad orders with 201 and a reason, a bad price increment with 110', async () => {
    const call = opt('AAPL', '20260417', 'C', (l) => l[Math.floor(l.length / 2)]);
    // An id above the last one is accepted; an unused id below it is a duplicate (103); a used id is a modify.
    const skipped = nextId;
    nextId += 5;
    const high = nextId++;
    c.ib.placeOrder(high, con(call), { action: 'BUY' as never, orderType: 'LMT' as never, lmtPrice: 0.05, totalQuantity: 1, transmit: true });
    await waitFor(c.ib, EventName.orderStatus, (oid, st) => oid === high && st === 'Submitted');
    c.ib.placeOrder(skipped, con(call), { action: 'BUY' as never, orderType: 'LMT' as never, lmtPrice: 1, totalQuantity: 1, transmit: true });
    await waitFor(c.ib, EventName.error, (_e, code, rid) => code === 103 && rid === skipped);
    c.ib.cancelOrder(high, {});
    await waitFor(c.ib, EventName.orderStatus, (oid, st) => oid === high && st === 'Cancelled');
    // TWS reports PendingCancel before Cancelled for a cancel the client asked for.
    expect(statusOf(high).slice(-2)).toEqual(['PendingCancel', 'Cancelled']);
    const reject = async (order: Partial<Order>, contract: Contract, pattern: RegExp, expectCode = 201): Promise<void> => {
      const id = nextId++;
      const err = waitFor<[Error, number, number]>(c.ib, EventName.error, (_e, code, rid) => code === expectCode && rid === id);
      const inactive = waitFor(c.ib, EventName.orderStatus, (oid, st) => oid === id && st === 'Inactive');
      c.ib.placeOrder(id, contract, { action: 'BUY' as never, orderType: 'LMT' as never, totalQuantity: 1, transmit: true, ...order } as Order);
      const [e] = await err;
      expect(e.message).toMatch(pattern);
      await inactive;
    };
    const aapl = q(call);
    const offTick = aapl.ask >= 3 ? r2(aapl.ask + 0.02) : 2.999;
    await reject({ lmtPrice: offTick }, con(call), /minimum price variation/, 110);
    await reject({ lmtPrice: 1 }, { conId: 12345, exchange: 'SMART' }, /No security definition/);
    await reject({ orderType: 'TRAIL' as never, auxPrice: 1 }, con(call), /not supported/);
    await reject({ tif: 'IOC' as never, lmtPrice: 1 }, con(call), /Time in force IOC/);
    const spxPut = opt('SPX', '20260320', 'P', (l) => l.filter((x) => x.tradingClass === 'SPXW').at(-20));
    await reject({ action: 'SELL' as never, lmtPrice: q(spxPut).bid > 0 ? q(spxPut).bid : 0.05, totalQuantity: 200 }, con(spxPut), /EQUITY WITH LOAN VALUE .* MUST EXCEED THE INITIAL MARGIN/);
    ex.faults.rejectNextOrders(1, 'simulated reject');
    await reject({ lmtPrice: 1 }, con(call), /simulated reject/);
    c.errors.length = 0;
  });

  it('market and stop orders; a resting limit inside the spread fills at its limit as time passes', async () => {
    const put = opt('QQQ', '20260320', 'P', (l) => l[Math.floor(l.length * 0.45)]);
    const quote = q(put);
    const execs = collect<[number, Contract, Execution]>(c.ib, EventName.execDetails);
    const mkt = nextId++;
    c.ib.placeOrder(mkt, con(put), { action: 'BUY' as never, orderType: 'MKT' as never, totalQuantity: 2, transmit: true });
    await waitFor(c.ib, EventName.orderStatus, (oid, st) => oid === mkt && st === 'Filled');
    expect(execs.filter((e) => e[2].orderId === mkt).every((e) => e[2].price === quote.ask)).toBe(true);
    const stp = nextId++;
    c.ib.placeOrder(stp, con(put), { action: 'SELL' as never, orderType: 'STP' as never, auxPrice: r2(quote.bid + 0.5), totalQuantity: 1, transmit: true });
    await waitFor(c.ib, EventName.orderStatus, (oid, st) => oid === stp && st === 'Filled');
    expect(execs.find((e) => e[2].orderId === stp)?.[2].price).toBe(quote.bid);
    const mid = r2((quote.bid + quote.ask) / 2);
    if (mid > quote.bid && mid < quote.ask) {
      const rest = nextId++;
      c.ib.placeOrder(rest, con(put), { action: 'SELL' as never, orderType: 'LMT' as never, lmtPrice: mid, totalQuantity: 1, transmit: true });
      await waitFor(c.ib, EventName.orderStatus, (oid, st) => oid === rest && st === 'Submitted');
      for (let i = 0; i < 10 && statusOf(rest).at(-1) !== 'Filled'; i++) {
        wall.advance(1000);
        ex.publishNow();
        await sleep(20);
      }
      expect(statusOf(rest).at(-1)).toBe('Filled');
      const e = execs.find((x) => x[2].orderId === rest)?.[2];
      expect(e?.price).toBe(mid);
      expect(e?.lastLiquidity).toBe(1);
    }
  });

  it('OCA: a fill in the group cancels the others; parent/child: the child waits for the parent', async () => {
    const call = opt('MSFT', '20260417', 'C', (l) => l[Math.floor(l.length / 2)]);
    const quote = q(call);
    const a = nextId++;
    const b = nextId++;
    for (const id of [a, b]) c.ib.placeOrder(id, con(call), { action: 'BUY' as never, orderType: 'LMT' as never, lmtPrice: r2(Math.max(0.05, quote.bid - 2)), totalQuantity: 1, transmit: true, ocaGroup: 'grp1', ocaType: 1 });
    await waitFor(c.ib, EventName.orderStatus, (oid, st) => oid === b && st === 'Submitted');
    c.ib.placeOrder(a, con(call), { action: 'BUY' as never, orderType: 'LMT' as never, lmtPrice: r2(quote.ask + 0.1), totalQuantity: 1, transmit: true, ocaGroup: 'grp1', ocaType: 1 });
    await waitFor(c.ib, EventName.orderStatus, (oid, st) => oid === b && st === 'Cancelled');
    expect(statusOf(a).at(-1)).toBe('Filled');

    const parent = nextId++;
    const child = nextId++;
    c.ib.placeOrder(parent, con(call), { action: 'BUY' as never, orderType: 'LMT' as never, lmtPrice: r2(Math.max(0.05, quote.bid - 2)), totalQuantity: 1, transmit: false });
    await waitFor(c.ib, EventName.orderStatus, (oid, st) => oid === parent && st === 'PendingSubmit');
    c.ib.placeOrder(child, con(call), { action: 'SELL' as never, orderType: 'LMT' as never, lmtPrice: r2(quote.ask + 10), totalQuantity: 1, transmit: true, parentId: parent });
    await waitFor(c.ib, EventName.orderStatus, (oid, st) => oid === parent && st === 'Submitted');
    await sleep(30);
    expect(statusOf(child).at(-1)).toBe('PreSubmitted');
    c.ib.placeOrder(parent, con(call), { action: 'BUY' as never, orderType: 'LMT' as never, lmtPrice: r2(quote.ask + 0.1), totalQuantity: 1, transmit: true });
    await waitFor(c.ib, EventName.orderStatus, (oid, st) => oid === child && st === 'Submitted');
    expect(statusOf(parent).at(-1)).toBe('Filled');
    // Cancelling the parent of a working child is no longer possible (filled); cancel the child directly.
    c.ib.reqGlobalCancel();
    await waitFor(c.ib, EventName.orderStatus, (oid, st) => oid === child && st === 'Cancelled');
  });

  it('open orders per client and across clients; order ids keep increasing per client', async () => {
    const other = await connectClient(ex.port, 22);
    const call = opt('GOOGL', '20260417', 'C', (l) => l[Math.floor(l.length / 2)]);
    const mine = nextId++;
    c.ib.placeOrder(mine, con(call), { action: 'BUY' as never, orderType: 'LMT' as never, lmtPrice: 0.05, totalQuantity: 1, transmit: true, orderRef: 'mine' });
    await waitFor(c.ib, EventName.orderStatus, (oid, st) => oid === mine && st === 'Submitted');
    const seen = collect<[number, Contract, Order, OrderState]>(other.ib, EventName.openOrder);
    other.ib.reqOpenOrders();
    await waitFor(other.ib, EventName.openOrderEnd);
    expect(seen.length).toBe(0);
    other.ib.reqAllOpenOrders();
    await waitFor(other.ib, EventName.openOrderEnd);
    expect(seen.map((o) => [o[0], o[2].clientId, o[2].orderRef])).toEqual([[mine, 21, 'mine']]);
    const [[id]] = await Promise.all([waitFor<[number]>(c.ib, EventName.nextValidId), Promise.resolve(c.ib.reqIds(1))]);
    expect(id).toBe(nextId);
    expect(other.nextValidId).toBe(1);
    other.close();
    c.ib.cancelOrder(mine, {});
    await waitFor(c.ib, EventName.orderStatus, (oid, st) => oid === mine && st === 'Cancelled');
  });

  it('streams P&L about once a second and serves account updates and P&L per position', async () => {
    c.errors.length = 0;
    const stock: Contract = { symbol: 'SPY', secType: SecType.STK, exchange: 'SMART', currency: 'USD' };
    const id = nextId++;
    c.ib.placeOrder(id, stock, { action: 'BUY' as never, orderType: 'MKT' as never, totalQuantity: 100, transmit: true });
    await waitFor(c.ib, EventName.orderStatus, (oid, st) => oid === id && st === 'Filled');
    const pnl = collect<[number, number, number, number]>(c.ib, EventName.pnl);
    const single = collect<[number, number, number, number, number, number]>(c.ib, EventName.pnlSingle);
    c.ib.reqPnL(70, ex.accountId, '');
    c.ib.reqPnLSingle(71, ex.accountId, '', 756733);
    await waitFor(c.ib, EventName.pnlSingle, (rid) => rid === 71);
    for (let i = 0; i < 3; i++) {
      wall.advance(1000);
      ex.publishNow();
      await sleep(20);
    }
    expect(pnl.filter((p) => p[0] === 70).length).toBeGreaterThanOrEqual(4);
    const last = single.filter((p) => p[0] === 71).at(-1);
    expect(last?.[1]).toBe(100);
    const spot = ex.model.underlyingQuote(ex.model.underlying('SPY') as never, ex.now()).last;
    expect(last?.[5]).toBeCloseTo(spot * 100, 6);
    c.ib.cancelPnL(70);
    c.ib.cancelPnLSingle(71);
    const values = collect<[string, string, string, string]>(c.ib, EventName.updateAccountValue);
    const portfolio = collect<[Contract, number, number, number, number, number, number, string]>(c.ib, EventName.updatePortfolio);
    c.ib.reqAccountUpdates(true, ex.accountId);
    await waitFor(c.ib, EventName.accountDownloadEnd);
    expect(values.find((v) => v[0] === 'NetLiquidation')?.[2]).toBe('USD');
    const row = portfolio.find((p) => p[0].conId === 756733);
    expect(row?.[1]).toBe(100);
    expect(row?.[3]).toBeCloseTo(row ? row[2] * 100 : NaN, 6);
    c.ib.reqAccountUpdates(false, ex.accountId);
    expect(decodeErrors(c), JSON.stringify(c.errors)).toEqual([]);
    expect(errors().filter((e) => e.code !== 202)).toEqual([]);
  });
});

describe('expiry settlement', () => {
  it('exercises ITM equity options into stock, expires OTM ones, cash-settles SPXW, with the cash a broker would book', async () => {
    const wall = new ManualClock(Date.parse('2026-03-20T19:50:00Z')); // 15:50 ET on the March monthly expiry
    const ex = await startPaperExchange({ port: 0, seed: 11, wallClock: wall, manualPublish: true, fills: { partial: 'none' } });
    const c = await connectClient(ex.port, 31);
    try {
      const t = ex.now();
      const spy = ex.model.underlying('SPY');
      const spx = ex.model.underlying('SPX');
      if (!spy || !spx) throw new Error('underlyings');
      const s = ex.model.spot(spy, t);
      const calls = ex.model.findOptions({ symbol: 'SPY', expiry: '20260320', right: 'C' }, t);
      const puts = ex.model.findOptions({ symbol: 'SPY', expiry: '20260320', right: 'P' }, t);
      const itmCall = calls.filter((x) => x.strike <= s - 8).at(-1);
      const otmPut = puts.filter((x) => x.strike <= s && ex.model.optionQuote(x, t).bid > 0).at(-1) ?? puts.find((x) => x.strike > s && ex.model.optionQuote(x, t).bid > 0);
      const x = ex.model.spot(spx, t);
      const spxwPut = ex.model.findOptions({ symbol: 'SPX', tradingClass: 'SPXW', expiry: '20260320', right: 'P' }, t).find((p) => p.strike >= x + 50);
      if (!itmCall || !otmPut || !spxwPut) throw new Error('contracts');
      let id = c.nextValidId;
      const done: number[] = [];
      c.ib.on(EventName.orderStatus, (oid: number, st: string) => st === 'Filled' && done.push(oid));
      c.ib.placeOrder(id++, { conId: itmCall.conId, exchange: 'SMART' }, { action: 'BUY' as never, orderType: 'MKT' as never, totalQuantity: 1, transmit: true });
      c.ib.placeOrder(id++, { conId: otmPut.conId, exchange: 'SMART' }, { action: 'SELL' as never, orderType: 'MKT' as never, totalQuantity: 1, transmit: true });
      c.ib.placeOrder(id++, { conId: spxwPut.conId, exchange: 'SMART' }, { action: 'BUY' as never, orderType: 'MKT' as never, totalQuantity: 1, transmit: true });
      for (let i = 0; i < 100 && done.length < 3; i++) await sleep(10);
      expect(done.length).toBe(3);
      const before = ex.account();
      wall.advance(11 * 60_000); // past the 16:00 close: the clock moves to the next session
      ex.publishNow();
      const after = ex.account();
      const sSpy = ex.model.settlementSpot(itmCall);
      const sSpx = ex.model.settlementSpot(spxwPut);
      // Hand calculation. Long ITM call: exercised, 100 SPY bought at the strike. Short put: assigned (100 SPY
      // bought at the strike) if the settlement is below its strike, else it expires. Long SPXW put: intrinsic × 100 in cash.
      const putAssigned = sSpy < otmPut.strike - 0.005;
      const shares = 100 + (putAssigned ? 100 : 0);
      const cashChange = -itmCall.strike * 100 - (putAssigned ? otmPut.strike * 100 : 0) + Math.max(0, spxwPut.strike - sSpx) * 100;
      expect(after.cash - before.cash).toBeCloseTo(cashChange, 6);
      expect(after.positions.map((p) => [p.conId, p.qty])).toEqual([[spy.conId, shares]]);
      const positions = collect<[string, Contract, number, number]>(c.ib, EventName.position);
      c.ib.reqPositions();
      await waitFor(c.ib, EventName.positionEnd);
      expect(positions.map((p) => [p[1].conId, p[2]])).toEqual([[spy.conId, shares]]);
      expect(c.errors).toEqual([]);
    } finally {
      c.close();
      await ex.close();
    }
  });
});
