// Paper exchange fault injection: dropped sockets, refused connections, restarts, 1100 → 1101/1102, latency.
import { EventName, SecType } from '@stoqey/ib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPaperExchange, type PaperExchangeHandle } from '../../src/main/paper/index';
import { canConnect, collect, connectClient, sleep, waitFor } from '../support/paper';

let ex: PaperExchangeHandle;

beforeAll(async () => {
  ex = await startPaperExchange({ port: 0, publishIntervalMs: 50, snapshotLatencyMs: { min: 5, max: 10 } });
});

afterAll(async () => {
  await ex.close();
});

describe('faults', () => {
  it('drops a client socket on demand', async () => {
    const c = await connectClient(ex.port, 11);
    expect(ex.faults.dropClient(11)).toBe(1);
    await waitFor(c.ib, EventName.disconnected);
    expect(ex.clients().some((s) => s.clientId === 11)).toBe(false);
  });

  it('refuses connections for N seconds, then accepts again on the same port', async () => {
    ex.faults.refuseConnections(1);
    expect(await canConnect(ex.port)).toBe(false);
    await sleep(1300);
    expect(await canConnect(ex.port)).toBe(true);
    const c = await connectClient(ex.port, 12);
    c.close();
  });

  it('a simulated daily restart drops everyone and refuses reconnection for the window', async () => {
    const a = await connectClient(ex.port, 13);
    const b = await connectClient(ex.port, 14);
    ex.faults.restart(1);
    await Promise.all([waitFor(a.ib, EventName.disconnected), waitFor(b.ib, EventName.disconnected)]);
    expect(await canConnect(ex.port)).toBe(false);
    await sleep(1300);
    const again = await connectClient(ex.port, 13);
    again.close();
  });

  it('1100 then 1102: market data pauses and resumes with subscriptions kept', async () => {
    const c = await connectClient(ex.port, 15);
    const prices = collect<[number, number, number]>(c.ib, EventName.tickPrice);
    c.ib.reqMktData(1, { symbol: 'SPY', secType: SecType.STK, exchange: 'SMART', currency: 'USD' }, '', false, false);
    await waitFor(c.ib, EventName.tickPrice);
    ex.faults.connectivityLoss(400, { dataLost: false });
    await waitFor(c.ib, EventName.info, (_m, code) => code === 1100);
    await sleep(50);
    const during = prices.length;
    await sleep(250);
    expect(prices.length).toBe(during);
    await waitFor(c.ib, EventName.info, (_m, code) => code === 1102, 2000);
    expect(c.infos.map((i) => i.code)).toEqual(expect.arrayContaining([1100, 2103, 2105, 1102, 2104, 2106]));
    expect(ex.stats().linesInUse).toBe(1);
    c.close();
    await sleep(50);
  });

  it('1100 then 1101: data lost, subscriptions dropped and lines released', async () => {
    const c = await connectClient(ex.port, 16);
    c.ib.reqMktData(1, { symbol: 'QQQ', secType: SecType.STK, exchange: 'SMART', currency: 'USD' }, '', false, false);
    await waitFor(c.ib, EventName.tickPrice);
    expect(ex.stats().linesInUse).toBe(1);
    ex.faults.connectivityLoss(100, { dataLost: true });
    await waitFor(c.ib, EventName.info, (_m, code) => code === 1101, 2000);
    expect(ex.stats().linesInUse).toBe(0);
    c.close();
  });

  it('adds latency to outbound messages and slows snapshots', async () => {
    const c = await connectClient(ex.port, 17);
    ex.faults.setLatency(300);
    let t0 = Date.now();
    await Promise.all([waitFor(c.ib, EventName.currentTime), Promise.resolve(c.ib.reqCurrentTime())]);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(290);
    ex.faults.setLatency(0);
    ex.faults.setSnapshotLatency(400, 400);
    t0 = Date.now();
    c.ib.reqMktData(2, { symbol: 'SPY', secType: SecType.STK, exchange: 'SMART', currency: 'USD' }, '', true, false);
    await waitFor(c.ib, EventName.tickSnapshotEnd, (id) => id === 2);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(390);
    c.close();
  });
});
