// Paper exchange pacing (acceptance 2): 50 messages/s per client, error 100, and a 45/s client that never trips it.
import { EventName } from '@stoqey/ib';
import { afterEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/sim/clock';
import { startPaperExchange, type PaperExchangeHandle } from '../../src/main/paper/index';
import { connectClient, connectRaw, type RawClient, sleep, type TestClient, waitFor } from '../support/paper';
import { startPaperThread, type PaperThread } from '../../src/main/paper/thread';

let ex: PaperExchangeHandle | null = null;
let clients: TestClient[] = [];
let raws: RawClient[] = [];
let thread: PaperThread | null = null;

afterEach(async () => {
  for (const c of clients) c.close();
  for (const r of raws) r.close();
  clients = [];
  raws = [];
  await ex?.close();
  ex = null;
  await thread?.close();
  thread = null;
});

const REQ_CURRENT_TIME = [49, 1];
const answers = (frames: string[][]): number => frames.filter((f) => f[0] === '49').length;
const refusals = (frames: string[][]): number => frames.filter((f) => f[0] === '4' && f[3] === '100').length;

describe('message pacing', () => {
  it('1,000 requests in one second get error 100, then the client is disconnected', async () => {
    ex = await startPaperExchange({ port: 0 });
    const c = await connectClient(ex.port, 1, { maxReqPerSec: 5000 });
    clients.push(c);
    const bystander = await connectClient(ex.port, 2);
    clients.push(bystander);
    // Written in one synchronous loop, so they reach the exchange as one burst however busy the machine is.
    for (let i = 0; i < 1000; i++) c.ib.reqCurrentTime();
    await waitFor(c.ib, EventName.info, (_m, code) => code === 100, 30_000);
    const err = c.infos.find((i) => i.code === 100);
    expect(err?.message).toMatch(/^Max rate of messages per second has been exceeded:max=50 rec=\d+ \(1\)$/);
    await waitFor(c.ib, EventName.disconnected, () => true, 30_000);
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

  it('60 evenly spaced messages a second: error 100 for exactly the refused ones, the rest answered, no disconnect', async () => {
    // The limiter clock is manual and every message is answered before the next is sent, so each arrival stamp is
    // exactly k·1000/60 ms and the counts follow from the rule alone.
    const limiterClock = new ManualClock(6_000_000); // the handshake's startApi is counted too: a second earlier
    ex = await startPaperExchange({ port: 0, limiterClock });
    const r = await connectRaw(ex.port, 4);
    raws.push(r);
    const n = 300; // five seconds
    const stamps: number[] = [];
    let expectAccepted = 0;
    for (let k = 0; k < n; k++) {
      const t = 7_000_000 + Math.floor((k * 1000) / 60); // whole milliseconds: the pattern repeats exactly every 1,000 ms
      limiterClock.set(t);
      // The reference rule: accept when fewer than 50 accepted stamps lie in (t − 1000, t].
      if (stamps.filter((x) => x > t - 1000).length < 50) {
        stamps.push(t);
        expectAccepted++;
      }
      const before = r.frames.length;
      r.send(REQ_CURRENT_TIME);
      await r.until((f) => f.slice(before).some((x) => x[0] === '49' || (x[0] === '4' && x[3] === '100')));
    }
    expect(expectAccepted).toBe(250);
    expect(answers(r.frames)).toBe(250);
    expect(refusals(r.frames)).toBe(50);
    expect(r.closed).toBe(false);
    expect(ex.clients().find((c) => c.clientId === 4)?.refused).toBe(50);
  }, 60_000);

  it('evenly spaced 49/s for 20 simulated seconds loses nothing', async () => {
    const limiterClock = new ManualClock(8_000_000);
    ex = await startPaperExchange({ port: 0, limiterClock });
    const r = await connectRaw(ex.port, 5);
    raws.push(r);
    const n = 49 * 20;
    for (let k = 0; k < n; k++) {
      limiterClock.set(9_000_000 + Math.floor((k * 1000) / 49));
      r.send(REQ_CURRENT_TIME);
      await r.until((f) => answers(f) + refusals(f) > k);
    }
    expect(answers(r.frames)).toBe(n);
    expect(refusals(r.frames)).toBe(0);
  }, 60_000);

  it('over real time, on an exchange thread stalled for 300 ms mid-run: 45-message bursts each second and 49/s evenly lose nothing', async () => {
    // Wall-clock run (12 s) against the exchange on its own thread, which the test blocks for 300 ms at 6 s: messages
    // that arrive during the stall are read together afterwards. The clients pace themselves on the shared wall clock
    // so that, by their send times, no rolling second holds more than 45 (bursts) or 49 (even) messages; bursts are
    // 1,002 ms apart (a second plus the clock's millisecond rounding). The exchange must accept every message.
    thread = await startPaperThread({ port: 0 });
    const burst = await connectRaw(thread.port, 6);
    const even = await connectRaw(thread.port, 7);
    raws.push(burst, even);
    const runMs = 12_000;
    const t0 = Date.now() + 50;
    let sentBurst = 0;
    let sentEven = 0;
    const burstLoop = (async () => {
      let last = -Infinity;
      for (let k = 0; ; k++) {
        const at = Math.max(t0 + k * 1002, last + 1002);
        if (at > t0 + runMs) break;
        while (Date.now() < at) await sleep(Math.max(1, Math.min(20, at - Date.now())));
        burst.sendMany(Array.from({ length: 45 }, () => REQ_CURRENT_TIME));
        last = Date.now();
        sentBurst += 45;
      }
    })();
    const evenLoop = (async () => {
      const sends: number[] = [];
      for (let k = 0; ; k++) {
        // On the schedule of 49/s, and never a 50th message within a rolling second of the client's own sends.
        const at = Math.max(t0 + Math.ceil((k * 1000) / 49), (sends[k - 49] ?? -Infinity) + 1002);
        if (at > t0 + runMs) break;
        while (Date.now() < at) await sleep(Math.max(1, Math.min(10, at - Date.now())));
        even.send(REQ_CURRENT_TIME);
        sends.push(Date.now());
        sentEven++;
      }
    })();
    const stall = (async () => {
      await sleep(t0 + 6_000 - Date.now());
      await thread?.stall(300);
    })();
    await Promise.all([burstLoop, evenLoop, stall]);
    await burst.until((f) => answers(f) + refusals(f) >= sentBurst, 20_000);
    await even.until((f) => answers(f) + refusals(f) >= sentEven, 20_000);
    expect(sentBurst).toBeGreaterThan(0);
    expect(sentEven).toBeGreaterThan(0);
    expect({ answered: answers(burst.frames), refused: refusals(burst.frames) }).toEqual({ answered: sentBurst, refused: 0 });
    expect({ answered: answers(even.frames), refused: refusals(even.frames) }).toEqual({ answered: sentEven, refused: 0 });
    const stats = await thread.snapshot();
    expect(stats.clients.filter((c) => c.clientId === 6 || c.clientId === 7).map((c) => c.refused)).toEqual([0, 0]);
  }, 60_000);
});
