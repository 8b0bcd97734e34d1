// Paper exchange part 2, acceptance 1 and 3: a scripted SPY bull put credit spread session via @stoqey/ib,
// every number checked against a hand calculation.
import { EventName, SecType, type CommissionReport, type Contract, type Execution, type Order, type OrderState } from '@stoqey/ib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/sim/clock';
import type { OptionContract } from '../../src/core/sim/universe';
import { startPaperExchange, type PaperExchangeHandle } from '../../src/main/paper/index';
import { collect, connectClient, decodeErrors, sleep, type TestClient, waitFor } from '../support/paper';

const wall = new ManualClock(Date.parse('2026-03-10T15:00:00Z')); // 11:00 ET, Tuesday
let ex: PaperExchangeHandle;
let c: TestClient;
let shortPut: OptionContract;
let longPut: OptionContract;

const r2 = (x: number): number => Math.round(x * 100) / 100;

beforeAll(async () => {
  // One contract per fill makes the partial fill certain; a manual clock makes every quote known in advance.
  ex = await startPaperExchange({ port: 0, seed: 42, wallClock: wall, manualPublish: true, fills: { maxQtyPerFill: 1 }, snapshotLatencyMs: { min: 1, max: 2 } });
  c = await connectClient(ex.port, 5);
  const t = ex.now();
  const spy = ex.model.underlying('SPY');
  if (!spy) throw new Error('SPY');
  const spot = ex.model.spot(spy, t);
  const puts = ex.model.findOptions({ symbol: 'SPY', expiry: '20260320', right: 'P' }, t);
  const s = puts.filter((p) => p.strike <= spot * 0.97).at(-1);
  const l = puts.find((p) => s && p.strike === s.strike - 5);
  if (!s || !l) throw new Error('strikes');
  shortPut = s;
  longPut = l;
});

afterAll(async () => {
  c.close();
  await ex.close();
});

/** Bid/ask of a contract as seen over the wire (snapshot). */
async function quote(reqId: number, conId: number): Promise<{ bid: number; ask: number }> {
  const prices = collect<[number, number, number]>(c.ib, EventName.tickPrice);
  c.ib.reqMktData(reqId, { conId, exchange: 'SMART' }, '', true, false);
  await waitFor(c.ib, EventName.tickSnapshotEnd, (id) => id === reqId);
  const bid = prices.find((p) => p[0] === reqId && p[1] === 1)?.[2];
  const ask = prices.find((p) => p[0] === reqId && p[1] === 2)?.[2];
  if (bid === undefined || ask === undefined) throw new Error('no quote');
  return { bid, ask };
}

/** The bull put spread as we hold it: BUY the low put, SELL the high put (the core/spreads convention). */
function bullPut(): Contract {
  return {
    symbol: 'SPY', secType: SecType.BAG, exchange: 'SMART', currency: 'USD',
    comboLegs: [
      { conId: longPut.conId, ratio: 1, action: 'BUY' as never, exchange: 'SMART' },
      { conId: shortPut.conId, ratio: 1, action: 'SELL' as never, exchange: 'SMART' },
    ],
  };
}

const accountTags = 'NetLiquidation,TotalCashValue,EquityWithLoanValue,InitMarginReq,MaintMarginReq,AvailableFunds,ExcessLiquidity,BuyingPower,GrossPositionValue,RealizedPnL';

async function summary(reqId: number): Promise<Record<string, number>> {
  const rows = collect<[number, string, string, string, string]>(c.ib, EventName.accountSummary);
  c.ib.reqAccountSummary(reqId, 'All', accountTags);
  await waitFor(c.ib, EventName.accountSummaryEnd, (id) => id === reqId);
  c.ib.cancelAccountSummary(reqId);
  return Object.fromEntries(rows.filter((r) => r[0] === reqId).map((r) => [r[2], Number(r[3])]));
}

/** Commission of each execution of one order, with IBKR's $1 minimum applied once per order. */
function handCommissions(legContractsPerExec: number[]): number[] {
  let charged = 0;
  let units = 0;
  return legContractsPerExec.map((n) => {
    units += n;
    const total = Math.max(1, r2(0.65 * units));
    const owe = r2(total - charged);
    charged = r2(charged + owe);
    return owe;
  });
}

describe('acceptance 3: what-if for a credit spread', () => {
  it('returns the Reg-T margin change and the commission a hand calculation gives, and keeps nothing', async () => {
    const qs = await quote(900, shortPut.conId);
    const ql = await quote(901, longPut.conId);
    const credit = r2(qs.bid - ql.ask);
    expect(credit).toBeGreaterThan(0);
    const id = c.nextValidId;
    const open = collect<[number, Contract, Order, OrderState]>(c.ib, EventName.openOrder);
    const statuses = collect<[number, string]>(c.ib, EventName.orderStatus);
    c.ib.placeOrder(id, bullPut(), { action: 'BUY' as never, orderType: 'LMT' as never, lmtPrice: -credit, totalQuantity: 3, transmit: true, whatIf: true });
    await waitFor(c.ib, EventName.openOrder, (oid) => oid === id);
    const state = open.find((o) => o[0] === id)?.[3];
    // Hand calculation: width 5 × 100 × 3 = 1,500 of Reg-T requirement; equity with loan rises by the credit
    // received (credit × 100 × 3) less the commission (6 contracts × $0.65 = $3.90).
    expect(state?.initMarginChange).toBe(1500);
    expect(state?.maintMarginChange).toBe(1500);
    expect(state?.commission).toBe(3.9);
    expect(state?.equityWithLoanChange).toBeCloseTo(r2(credit * 300 - 3.9), 6);
    expect(state?.initMarginBefore).toBe(0);
    expect(state?.equityWithLoanBefore).toBe(100_000);
    expect(state?.initMarginAfter).toBe(1500);
    expect(state?.status).toBe('PreSubmitted');
    expect(open.find((o) => o[0] === id)?.[2].whatIf).toBe(true);
    await sleep(100);
    expect(statuses.filter((s) => s[0] === id)).toEqual([]);
    const end = waitFor(c.ib, EventName.openOrderEnd);
    const before = open.length;
    c.ib.reqAllOpenOrders();
    await end;
    expect(open.length).toBe(before);
    expect(ex.account()).toMatchObject({ cash: 100_000, openOrders: 0, executions: 0, positions: [] });
    // Without transmit, a what-if is refused with 413.
    c.ib.placeOrder(id + 1, bullPut(), { action: 'BUY' as never, orderType: 'LMT' as never, lmtPrice: -credit, totalQuantity: 1, whatIf: true });
    await waitFor(c.ib, EventName.error, (_e, code, rid) => code === 413 && rid === id + 1);
    c.errors.length = 0;
  });
});

describe('acceptance 1: sell 2 SPY bull put spreads, watch the fills, the account, then close for a realized P&L', () => {
  it('runs the whole session with numbers matching hand calculations', async () => {
    const qs = await quote(1, shortPut.conId);
    const ql = await quote(2, longPut.conId);
    // Natural credit of the spread = short put's bid − long put's ask; we ask exactly that (negative BUY limit).
    const credit = r2(qs.bid - ql.ask);
    await sleep(50);
    const statuses = collect<[number, string, number, number, number]>(c.ib, EventName.orderStatus);
    const execs = collect<[number, Contract, Execution]>(c.ib, EventName.execDetails);
    const reports = collect<[CommissionReport]>(c.ib, EventName.commissionReport);
    const [[openId]] = await Promise.all([waitFor<[number]>(c.ib, EventName.nextValidId), Promise.resolve(c.ib.reqIds(1))]);
    c.ib.placeOrder(openId, bullPut(), { action: 'BUY' as never, orderType: 'LMT' as never, lmtPrice: -credit, totalQuantity: 2, transmit: true, orderRef: 'bps-open', tif: 'DAY' as never });
    await waitFor(c.ib, EventName.orderStatus, (id, _s, filled) => id === openId && filled === 1);
    ex.publishNow(); // the next matching round fills the second spread
    await waitFor(c.ib, EventName.orderStatus, (id, st) => id === openId && st === 'Filled');
    await sleep(50);
    const mine = statuses.filter((s) => s[0] === openId);
    expect(mine.map((s) => `${s[1]}:${s[2]}/${s[3]}`)).toEqual(['PreSubmitted:0/2', 'Submitted:0/2', 'Submitted:1/1', 'Filled:2/0']);
    expect(mine.at(-1)?.[4]).toBeCloseTo(-credit, 9); // average fill price = the net limit

    // Executions: per fill one per leg plus one for the combo; legs at the natural prices.
    const openExecs = execs.filter((e) => e[2].orderId === openId);
    expect(openExecs.length).toBe(6);
    const legExecs = openExecs.filter((e) => e[1].secType === 'OPT');
    const comboExecs = openExecs.filter((e) => e[1].secType === 'BAG');
    expect(comboExecs.map((e) => [e[2].side, e[2].shares, e[2].price, e[2].cumQty])).toEqual([['BOT', 1, -credit, 1], ['BOT', 1, -credit, 2]]);
    for (const e of legExecs) {
      if (e[1].conId === shortPut.conId) expect([e[2].side, e[2].price]).toEqual(['SLD', qs.bid]);
      else expect([e[2].side, e[2].price]).toEqual(['BOT', ql.ask]);
      expect(e[2].orderRef).toBe('bps-open');
      expect(e[2].execId).toMatch(/^[0-9a-f]{8}\.[0-9a-f]{8}\.01\.01$/);
    }
    // Commissions: 4 contracts × $0.65 = $2.60 with the $1 minimum taken by the first execution.
    const commissionOf = (execId: string | undefined) => reports.find((r) => r[0].execId === execId)?.[0].commission;
    const legComms = legExecs.map((e) => commissionOf(e[2].execId));
    expect(legComms).toEqual(handCommissions([1, 1, 1, 1]));
    expect(r2(legComms.reduce<number>((a, x) => a + (x ?? 0), 0))).toBe(2.6);
    for (const e of comboExecs) expect(commissionOf(e[2].execId)).toBe(0);

    // Position and Reg-T margin in the account summary.
    const cashAfterOpen = r2(100_000 + credit * 200 - 2.6);
    const s1 = await summary(10);
    expect(s1['TotalCashValue']).toBe(cashAfterOpen);
    expect(s1['InitMarginReq']).toBe(1000); // width 5 × 100 × 2
    expect(s1['MaintMarginReq']).toBe(1000);
    expect(s1['EquityWithLoanValue']).toBe(cashAfterOpen);
    expect(s1['AvailableFunds']).toBe(r2(cashAfterOpen - 1000));
    const markShort = (qs.bid + qs.ask) / 2;
    const markLong = (ql.bid + ql.ask) / 2;
    expect(s1['NetLiquidation']).toBe(r2(cashAfterOpen + (markLong - markShort) * 200));
    const positions = collect<[string, Contract, number, number]>(c.ib, EventName.position);
    c.ib.reqPositions();
    await waitFor(c.ib, EventName.positionEnd);
    const shortComm = legExecs.filter((e) => e[1].conId === shortPut.conId).reduce((a, e) => a + (commissionOf(e[2].execId) ?? 0), 0);
    const longComm = legExecs.filter((e) => e[1].conId === longPut.conId).reduce((a, e) => a + (commissionOf(e[2].execId) ?? 0), 0);
    const pShort = positions.find((p) => p[1].conId === shortPut.conId);
    const pLong = positions.find((p) => p[1].conId === longPut.conId);
    expect(pShort?.[2]).toBe(-2);
    expect(pLong?.[2]).toBe(2);
    expect(pShort?.[3]).toBeCloseTo((qs.bid * 100 * 2 - shortComm) / 2, 9); // IBKR average cost includes commission
    expect(pLong?.[3]).toBeCloseTo((ql.ask * 100 * 2 + longComm) / 2, 9);
    c.ib.cancelPositions();

    // Time passes; close the spread at its natural debit (SELL the combo, negative limit = we pay).
    wall.advance(20 * 60_000);
    const qs2 = await quote(3, shortPut.conId);
    const ql2 = await quote(4, longPut.conId);
    const debit = r2(qs2.ask - ql2.bid);
    const closeId = openId + 1;
    c.ib.placeOrder(closeId, bullPut(), { action: 'SELL' as never, orderType: 'LMT' as never, lmtPrice: -debit, totalQuantity: 2, transmit: true, orderRef: 'bps-close', tif: 'DAY' as never });
    await waitFor(c.ib, EventName.orderStatus, (id, _s, filled) => id === closeId && filled === 1);
    ex.publishNow();
    await waitFor(c.ib, EventName.orderStatus, (id, st) => id === closeId && st === 'Filled');
    await sleep(50);
    const closeLegs = execs.filter((e) => e[2].orderId === closeId && e[1].secType === 'OPT');
    expect(closeLegs.length).toBe(4);
    for (const e of closeLegs) {
      if (e[1].conId === shortPut.conId) expect([e[2].side, e[2].price]).toEqual(['BOT', qs2.ask]);
      else expect([e[2].side, e[2].price]).toEqual(['SLD', ql2.bid]);
    }
    // Realized P&L = (credit received − debit paid) × 100 × 2 − all commissions (open 2.60 + close 2.60).
    const handRealized = r2((credit - debit) * 200 - 5.2);
    const realized = closeLegs.reduce((a, e) => a + (reports.find((r) => r[0].execId === e[2].execId)?.[0].realizedPNL ?? 0), 0);
    expect(r2(realized)).toBe(handRealized);
    const s2 = await summary(11);
    expect(s2['RealizedPnL']).toBe(handRealized);
    expect(s2['InitMarginReq']).toBe(0);
    expect(s2['TotalCashValue']).toBe(r2(100_000 + handRealized));
    expect(s2['NetLiquidation']).toBe(r2(100_000 + handRealized));
    const [pnl] = await Promise.all([waitFor<[number, number, number, number]>(c.ib, EventName.pnl, (id) => id === 12), Promise.resolve(c.ib.reqPnL(12, ex.accountId, ''))]);
    expect(pnl[3]).toBe(handRealized);
    expect(pnl[1]).toBe(handRealized); // nothing held overnight: the day's P&L is what was realized
    c.ib.cancelPnL(12);
    expect(ex.account().positions).toEqual([]);

    // reqExecutions returns the day's executions with their commission reports.
    const listed = collect<[number, Contract, Execution]>(c.ib, EventName.execDetails);
    c.ib.reqExecutions(13, {} as never);
    await waitFor(c.ib, EventName.execDetailsEnd, (id) => id === 13);
    expect(listed.filter((e) => e[0] === 13).length).toBe(12);
    expect(decodeErrors(c)).toEqual([]);
    expect(c.errors).toEqual([]);
  });
});
