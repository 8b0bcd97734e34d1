// Paper exchange pacing (acceptance 2): 50 messages/s per client, error 100, and a 45/s client that never trips it.
import { EventName } from '@stoqey/ib';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/sim/clock';
import { startPaperExchange, type PaperExchangeHandle } from '../../src/main/paper/index';
import { connectClient, sleep, type TestClient, waitFor } from '../support/paper';

let ex: PaperExchangeHandle | null = null;
let clients: TestClient[] = [];

afterEach(async () => {
  for (const c of clients) c.close();
  clients = [];
  await ex?.close();
  ex = null;
});

describe('message pacing', () => {
  it('1,000 requests in one second get error 100, then the client is disconnected', async () => {
    ex = await startPaperExchange({ port: 0 });
    const c = await connectClient(ex.port, 1, { maxReqPerSec: 5000 });
    clients.push(c);
    const bystander = await connectClient(ex.port, 2);
    clients.push(bystander);
    const t0 = Date.now();
    for (let i = 0; i < 1000; i++) c.ib.reqCurrentTime();
    await waitFor(c.ib, EventName.info, (_m, code) => code === 100, 5000);
    expect(Date.now() - t0).toBeLessThan(1500);
    const err = c.infos.find((i) => i.code === 100);
    expect(err?.message).toMatch(/^Max rate of messages per second has been exceeded:max=50 rec=\d+ \(1\)$/);
    await waitFor(c.ib, EventName.disconnected, () => true, 5000);
    expect(c.disconnected).toBe(true);
    // Another client on the same exchange is not affected.
    c.ib.removeAllListeners();
    const [time] = await Promise.all([waitFor<[number]>(bystander.ib, EventName.currentTime), Promise.resolve(bystander.ib.reqCurrentTime())]);
    expect(time[0]).toBeGreaterThan(0);
    expect(bystander.infos.some((i) => i.code === 100)).toBe(false);
  });

  it('a client pacing itself at 45/s for 60 simulated seconds gets no error 100', async () => {
    const limiterClock = new ManualClock(5_000_000);
    ex = await startPaperExchange({ port: 0, limiterClock });
    const c = await connectClient(ex.port, 3, { maxReqPerSec: 10_000 });
    clients.push(c);
    let replies = 0;
    c.ib.on(EventName.currentTime, () => replies++);
    for (let second = 0; second < 60; second++) {
      limiterClock.advance(1000);
      for (let i = 0; i < 45; i++) c.ib.reqCurrentTime();
      const target = (second + 1) * 45;
      for (let spin = 0; replies < target && spin < 500; spin++) await sleep(2);
      expect(replies).toBe(target);
    }
    expect(c.infos.filter((i) => i.code === 100)).toEqual([]);
    expect(c.errors).toEqual([]);
    const stats = ex.clients().find((s) => s.clientId === 3);
    const counts = (stats?.perSecond ?? []).map((p) => p.count);
    expect(counts.length).toBe(60);
    expect(counts.every((n) => n === 45)).toBe(true);
    expect(stats?.pacingViolations).toBe(0);

    // The same client bursting 55 messages inside one simulated second is told off.
    limiterClock.advance(1000);
    for (let i = 0; i < 55; i++) c.ib.reqCurrentTime();
    await waitFor(c.ib, EventName.info, (_m, code) => code === 100);
    expect(ex.clients().find((s) => s.clientId === 3)?.pacingViolations).toBe(1);
  }, 30_000);
});
