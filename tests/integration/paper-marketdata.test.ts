// Paper exchange part 1, over a real socket with @stoqey/ib: contract details, option chains, market data.
import { EventName, SecType, type Contract, type ContractDetails } from '@stoqey/ib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPaperExchange, type PaperExchangeHandle } from '../../src/main/paper/index';
import { collect, connectClient, decodeErrors, sleep, type TestClient, waitFor } from '../support/paper';

let ex: PaperExchangeHandle;
let c: TestClient;

beforeAll(async () => {
  ex = await startPaperExchange({ port: 0, seed: 42, snapshotLatencyMs: { min: 5, max: 20 }, manualPublish: true, startAt: '2026-03-10T15:00:00Z' });
  c = await connectClient(ex.port, 7);
});

afterAll(async () => {
  c.close();
  await ex.close();
});

async function details(reqId: number, contract: Contract): Promise<ContractDetails[]> {
  const out: ContractDetails[] = [];
  const on = (id: number, d: ContractDetails): void => {
    if (id === reqId) out.push(d);
  };
  c.ib.on(EventName.contractDetails, on);
  const done = waitFor(c.ib, EventName.contractDetailsEnd, (id) => id === reqId, 20_000);
  c.ib.reqContractDetails(reqId, contract);
  await done;
  c.ib.off(EventName.contractDetails, on);
  return out;
}

describe('acceptance 1: SPY contract details, chain parameters and a full expiry of snapshots with greeks at v193', () => {
  it('connects at server version 193', () => {
    expect(c.ib.serverVersion).toBe(193);
    expect(c.nextValidId).toBeGreaterThan(0);
    expect(c.infos.map((i) => i.code)).toEqual(expect.arrayContaining([2104, 2106, 2158]));
  });

  it('answers the whole sequence with zero decode errors', async () => {
    const [spy] = await details(1, { symbol: 'SPY', secType: SecType.STK, exchange: 'SMART', currency: 'USD' });
    expect(spy?.contract).toMatchObject({ conId: 756733, symbol: 'SPY', secType: 'STK', primaryExch: 'ARCA', currency: 'USD' });
    expect(spy?.longName).toBe('SPDR S&P 500 ETF TRUST');

    const params = collect<[number, string, number, string, number, string[], number[]]>(c.ib, EventName.securityDefinitionOptionParameter);
    const end = waitFor(c.ib, EventName.securityDefinitionOptionParameterEnd, (id) => id === 2);
    c.ib.reqSecDefOptParams(2, 'SPY', '', SecType.STK, 756733);
    await end;
    const smart = params.find((p) => p[1] === 'SMART');
    expect(smart?.[2]).toBe(756733);
    expect(smart?.[3]).toBe('SPY');
    expect(smart?.[4]).toBe(100);
    expect(smart?.[5].length).toBeGreaterThan(30);
    expect(smart?.[5][0]).toBe('20260310');
    expect(params.map((p) => p[1])).toEqual(expect.arrayContaining(['SMART', 'CBOE']));

    const expiry = smart?.[5][0] ?? '';
    const chain = await details(3, { symbol: 'SPY', secType: SecType.OPT, lastTradeDateOrContractMonth: expiry, exchange: 'SMART', currency: 'USD' });
    expect(chain.length).toBeGreaterThan(40);
    expect(chain.every((d) => d.contract.lastTradeDateOrContractMonth === expiry && d.contract.multiplier === 100 && d.underConId === 756733)).toBe(true);

    // Snapshots for every contract of the expiry, never more than 90 in flight (the line budget is 100).
    const models = new Map<number, unknown[]>();
    const bids = new Map<number, number>();
    const asks = new Map<number, number>();
    c.ib.on(EventName.tickOptionComputation, (id: number, type: number, ...rest: unknown[]) => {
      if (type === 13) models.set(id, rest);
    });
    c.ib.on(EventName.tickPrice, (id: number, type: number, price: number) => {
      if (type === 1) bids.set(id, price);
      if (type === 2) asks.set(id, price);
    });
    const ended = new Set<number>();
    c.ib.on(EventName.tickSnapshotEnd, (id: number) => ended.add(id));
    let next = 0;
    const base = 1000;
    while (ended.size < chain.length) {
      while (next < chain.length && next - ended.size < 90) {
        const con = chain[next]?.contract;
        if (con) c.ib.reqMktData(base + next, { conId: con.conId, exchange: 'SMART' }, '', true, false);
        next++;
      }
      await sleep(20);
      if (c.errors.length > 0) break;
    }
    expect(c.errors).toEqual([]);
    expect(ended.size).toBe(chain.length);
    for (let i = 0; i < chain.length; i++) {
      const m = models.get(base + i) as [number, number, number, number, number, number, number, number] | undefined;
      expect(m, `model greeks for ${chain[i]?.contract.localSymbol}`).toBeDefined();
      if (!m) continue;
      const [, iv, delta, price, , gamma, vega, theta] = m;
      expect(iv).toBeGreaterThan(0);
      expect(Math.abs(delta)).toBeLessThanOrEqual(1);
      expect(price).toBeGreaterThanOrEqual(0);
      expect(gamma).toBeGreaterThanOrEqual(0);
      expect(vega).toBeGreaterThanOrEqual(0);
      expect(Number.isFinite(theta)).toBe(true);
      const bid = bids.get(base + i) ?? -1;
      const ask = asks.get(base + i) ?? -1;
      expect(ask).toBeGreaterThan(bid);
    }
    expect(decodeErrors(c)).toEqual([]);
    expect(ex.stats().linesInUse).toBe(0);
  }, 40_000);
});

describe('contract details', () => {
  it('serves partial option specs, conId and OCC lookups, index classes, and 200 for unknown', async () => {
    const byStrike = await details(20, { symbol: 'AAPL', secType: SecType.OPT, exchange: 'SMART', currency: 'USD', right: 'C' as never });
    expect(byStrike.length).toBeGreaterThan(100);
    expect(byStrike.every((d) => d.contract.right === 'C')).toBe(true);
    const one = byStrike[10]?.contract;
    const [byConId] = await details(21, { conId: one?.conId ?? 0, exchange: 'SMART' });
    expect(byConId?.contract.localSymbol).toBe(one?.localSymbol);
    const [byLocal] = await details(22, { secType: SecType.OPT, localSymbol: one?.localSymbol ?? '', exchange: 'SMART', currency: 'USD' });
    expect(byLocal?.contract.conId).toBe(one?.conId);
    const [spx] = await details(23, { symbol: 'SPX', secType: SecType.IND, exchange: 'CBOE', currency: 'USD' });
    expect(spx?.contract.conId).toBe(416904);
    const spxAm = await details(24, { symbol: 'SPX', secType: SecType.OPT, tradingClass: 'SPX', exchange: 'SMART', currency: 'USD', lastTradeDateOrContractMonth: '202604' });
    expect(spxAm.length).toBeGreaterThan(0);
    expect(spxAm.every((d) => d.contract.lastTradeDateOrContractMonth === '20260417' && (d.contract.strike ?? 0) % 5 === 0)).toBe(true);
    const err = waitFor<[Error, number, number]>(c.ib, EventName.error, (_e, _code, id) => id === 25);
    c.ib.reqContractDetails(25, { symbol: 'NOPE', secType: SecType.STK, exchange: 'SMART', currency: 'USD' });
    const [, code] = await err;
    expect(code).toBe(200);
    c.errors.length = 0;
  });
});

describe('market data', () => {
  it('streams underlying ticks with generic ticks 100/101/106 and only sends changes', async () => {
    const prices = collect<[number, number, number]>(c.ib, EventName.tickPrice);
    const sizes = collect<[number, number, number]>(c.ib, EventName.tickSize);
    const generics = collect<[number, number, number]>(c.ib, EventName.tickGeneric);
    const types = collect<[number, number]>(c.ib, EventName.marketDataType);
    c.ib.reqMktData(40, { symbol: 'SPY', secType: SecType.STK, exchange: 'SMART', currency: 'USD' }, '100,101,106', false, false);
    await waitFor(c.ib, EventName.tickGeneric, (id) => id === 40);
    await sleep(50);
    expect(types).toContainEqual([40, 1]);
    const mine = (xs: [number, number, number][], type: number) => xs.filter((x) => x[0] === 40 && x[1] === type);
    for (const t of [1, 2, 4, 6, 7, 9, 14]) expect(mine(prices, t).length, `tick ${t}`).toBe(1);
    for (const t of [0, 3, 8, 27, 28, 29, 30]) expect(mine(sizes, t).length, `size ${t}`).toBeGreaterThanOrEqual(1);
    expect(mine(generics, 24)[0]?.[2]).toBeGreaterThan(0.05);
    const bid = mine(prices, 1)[0]?.[2] ?? 0;
    const ask = mine(prices, 2)[0]?.[2] ?? 0;
    expect(ask).toBeGreaterThan(bid);
    expect(ex.clients()[0]?.linesInUse).toBe(1);
    const before = prices.length;
    ex.publishNow(); // same simulated instant: nothing changed, nothing sent
    await sleep(50);
    expect(prices.length).toBe(before);
    ex.clock.setSpeed(1);
    c.ib.cancelMktData(40);
    await sleep(50);
    expect(ex.stats().linesInUse).toBe(0);
  });

  it('streams option computations for bid, ask, last and model, plus OI and IV on the option', async () => {
    const chain = await details(50, { symbol: 'QQQ', secType: SecType.OPT, exchange: 'SMART', currency: 'USD', right: 'P' as never });
    const mid = chain[Math.floor(chain.length / 40)]?.contract;
    const comps = collect<[number, number, number, number | undefined, number | undefined]>(c.ib, EventName.tickOptionComputation);
    const sizes = collect<[number, number, number]>(c.ib, EventName.tickSize);
    c.ib.reqMktData(51, { conId: mid?.conId ?? 0, exchange: 'SMART' }, '100,101,106', false, false);
    await waitFor(c.ib, EventName.tickGeneric, (id) => id === 51);
    expect(comps.filter((x) => x[0] === 51).map((x) => x[1]).sort()).toEqual([10, 11, 12, 13]);
    const model = comps.find((x) => x[0] === 51 && x[1] === 13);
    expect(model?.[4]).toBeLessThan(0); // a put's delta
    expect(sizes.some((s) => s[0] === 51 && s[1] === 28)).toBe(true); // put open interest
    c.ib.cancelMktData(51);
  });

  it('serves delayed data with delayed tick ids after reqMarketDataType(3)', async () => {
    const prices = collect<[number, number, number]>(c.ib, EventName.tickPrice);
    c.ib.reqMarketDataType(3);
    c.ib.reqMktData(60, { symbol: 'AAPL', secType: SecType.STK, exchange: 'SMART', currency: 'USD' }, '', false, false);
    const [, type] = await waitFor<[number, number]>(c.ib, EventName.marketDataType, (id) => id === 60);
    expect(type).toBe(3);
    await sleep(50);
    const ids = new Set(prices.filter((p) => p[0] === 60).map((p) => p[1]));
    expect([...ids].sort((a, b) => a - b)).toEqual([66, 67, 68, 72, 73, 75, 76]);
    c.ib.cancelMktData(60);
    c.ib.reqMarketDataType(1);
  });

  it('quotes a BAG at the natural combo price and an index with last only', async () => {
    const chain = await details(70, { symbol: 'SPY', secType: SecType.OPT, exchange: 'SMART', currency: 'USD', lastTradeDateOrContractMonth: '20260320', right: 'P' as never });
    const [low, high] = [chain[20]?.contract, chain[22]?.contract];
    const prices = collect<[number, number, number]>(c.ib, EventName.tickPrice);
    for (const [i, con] of [low, high].entries()) {
      c.ib.reqMktData(71 + i, { conId: con?.conId ?? 0, exchange: 'SMART' }, '', true, false);
      await waitFor(c.ib, EventName.tickSnapshotEnd, (id) => id === 71 + i);
    }
    c.ib.reqMktData(73, { symbol: 'SPY', secType: SecType.BAG, exchange: 'SMART', currency: 'USD', comboLegs: [{ conId: high?.conId ?? 0, ratio: 1, action: 'SELL' as never, exchange: 'SMART' }, { conId: low?.conId ?? 0, ratio: 1, action: 'BUY' as never, exchange: 'SMART' }] }, '', true, false);
    await waitFor(c.ib, EventName.tickSnapshotEnd, (id) => id === 73);
    const px = (id: number, t: number) => prices.find((p) => p[0] === id && p[1] === t)?.[2] ?? NaN;
    // Bull put credit spread bought: bid = long's bid − short's ask; ask = long's ask − short's bid.
    expect(px(73, 1)).toBeCloseTo(px(71, 1) - px(72, 2), 6);
    expect(px(73, 2)).toBeCloseTo(px(71, 2) - px(72, 1), 6);
    expect(px(73, 1)).toBeLessThan(0);
    c.ib.reqMktData(74, { symbol: 'SPX', secType: SecType.IND, exchange: 'CBOE', currency: 'USD' }, '', true, false);
    await waitFor(c.ib, EventName.tickSnapshotEnd, (id) => id === 74);
    expect(prices.filter((p) => p[0] === 74).map((p) => p[1]).sort((a, b) => a - b)).toEqual([4, 6, 7, 9, 14]);
  });

  it('enforces the line budget (101), duplicate ids (102), unknown cancels (300), snapshot rules (321) and unknown contracts (200)', async () => {
    c.errors.length = 0;
    const chain = await details(80, { symbol: 'IWM', secType: SecType.OPT, exchange: 'SMART', currency: 'USD', right: 'C' as never });
    for (let i = 0; i < 101; i++) c.ib.reqMktData(2000 + i, { conId: chain[i]?.contract.conId ?? 0, exchange: 'SMART' }, '', false, false);
    await waitFor(c.ib, EventName.error, (_e, code) => code === 101, 10_000);
    expect(c.errors.filter((e) => e.code === 101).map((e) => e.reqId)).toEqual([2100]);
    expect(ex.stats().linesInUse).toBe(100);
    expect(ex.clients().find((x) => x.clientId === 7)?.linesInUse).toBe(100);
    c.ib.reqMktData(2000, { symbol: 'SPY', secType: SecType.STK, exchange: 'SMART', currency: 'USD' }, '', false, false);
    await waitFor(c.ib, EventName.error, (_e, code) => code === 102);
    for (let i = 0; i < 100; i++) c.ib.cancelMktData(2000 + i);
    c.ib.cancelMktData(9999);
    await waitFor(c.ib, EventName.error, (_e, code) => code === 300);
    expect(ex.stats().linesInUse).toBe(0);
    c.ib.reqMktData(3000, { symbol: 'SPY', secType: SecType.STK, exchange: 'SMART', currency: 'USD' }, '100', true, false);
    await waitFor(c.ib, EventName.error, (_e, code, id) => code === 321 && id === 3000);
    c.ib.reqMktData(3001, { symbol: 'ZZZZ', secType: SecType.STK, exchange: 'SMART', currency: 'USD' }, '', false, false);
    await waitFor(c.ib, EventName.error, (_e, code, id) => code === 200 && id === 3001);
    c.ib.reqMktData(3002, { symbol: 'SPY', secType: SecType.STK, exchange: 'SMART', currency: 'USD' }, '999', false, false);
    await waitFor(c.ib, EventName.error, (_e, code, id) => code === 321 && id === 3002);
    expect(ex.stats().linesInUse).toBe(0);
    expect(decodeErrors(c)).toEqual([]);
  }, 20_000);
});
