// The paper exchange's chaos faults one by one, with a plain @stoqey/ib client over a real socket: a frozen (half-open)
// exchange, a client id held in use (326 on reconnect), and the daily-restart window moved at run time.
import { EventName, IBApi } from '@stoqey/ib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toNewYork } from '../../src/core/market';
import { startPaperExchange, type PaperExchangeHandle } from '../../src/main/paper/index';
import { canConnect, connectClient, sleep, waitFor } from '../support/paper';

let ex: PaperExchangeHandle;

beforeAll(async () => {
  ex = await startPaperExchange({ port: 0, publishIntervalMs: 50 });
});
afterAll(async () => {
  await ex.close();
});

const etMinute = (): string => {
  const m = toNewYork(Date.now()).minuteOfDay;
  return `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};

describe('chaos faults of the paper exchange', () => {
  it('freeze: the socket stays open and silent; a request sent meanwhile is answered only after the thaw', async () => {
    const c = await connectClient(ex.port, 31);
    // The exchange's freeze ends no earlier than this (it reads the clock after us).
    const thawNotBefore = Date.now() + 1_500;
    expect(ex.exchange.freeze(1_500)).toBeGreaterThanOrEqual(1);
    const answered = waitFor<[number]>(c.ib, EventName.currentTime, () => true, 30_000);
    c.ib.reqCurrentTime();
    const [time] = await answered;
    const answeredAt = Date.now();
    expect(time).toBeGreaterThan(0);
    // Silence, not a close: the client never saw a disconnect, and the exchange still lists it.
    expect(c.disconnected).toBe(false);
    expect(ex.clients().some((s) => s.clientId === 31)).toBe(true);
    expect(answeredAt).toBeGreaterThanOrEqual(thawNotBefore);
    c.close();
  });

  it('freeze: a connection made while the whole exchange is frozen hangs at the handshake until the thaw', async () => {
    const thawNotBefore = Date.now() + 1_200;
    ex.exchange.freeze(1_200);
    const c = await connectClient(ex.port, 32, { timeoutMs: 30_000 });
    expect(Date.now()).toBeGreaterThanOrEqual(thawNotBefore);
    c.close();
  });

  it('holdClientId: the client drops, a reconnect meanwhile gets 326 and is closed, after the hold it connects', async () => {
    const c = await connectClient(ex.port, 33);
    expect(ex.exchange.holdClientId(33, 5)).toBe(1);
    await waitFor(c.ib, EventName.disconnected, () => true, 30_000);
    const codes: number[] = [];
    const raw = new IBApi({ host: '127.0.0.1', port: ex.port, clientId: 33 } as never);
    // @stoqey/ib reports 326 as an info message (TWS sends it as an error); either way it must arrive before the close.
    raw.on(EventName.error, (_e: Error, code: number) => codes.push(code));
    raw.on(EventName.info, (_m: string, code: number) => codes.push(code));
    const closed = waitFor(raw, EventName.disconnected, () => true, 30_000);
    raw.connect(33);
    await closed;
    raw.disconnect();
    expect(codes).toContain(326);
    // Once the hold is over the same id connects again (tried until then).
    let again: Awaited<ReturnType<typeof connectClient>> | null = null;
    const end = Date.now() + 60_000;
    while (!again && Date.now() < end) again = await connectClient(ex.port, 33, { timeoutMs: 1_000 }).catch(() => null);
    expect(again?.nextValidId).toBeGreaterThan(0);
    again?.close();
  });

  it('setRestartWindow: the window opened in this minute drops everyone and refuses connections for its duration, once', async () => {
    expect(() => ex.exchange.setRestartWindow({ atEt: '25h', durationSec: 1 })).toThrow(RangeError);
    const a = await connectClient(ex.port, 35);
    // Not in the last seconds of a minute: the housekeeping check (every second) must see the window's minute.
    if (new Date().getSeconds() >= 55) await sleep(6_000);
    ex.exchange.setRestartWindow({ atEt: etMinute(), durationSec: 3 });
    await waitFor(a.ib, EventName.disconnected, () => true, 30_000);
    expect(await canConnect(ex.port)).toBe(false);
    await sleep(3_300);
    // Once per day: after the restart, connections stay welcome for the rest of the window.
    const b = await connectClient(ex.port, 35, { timeoutMs: 30_000 });
    await sleep(1_200);
    expect(b.disconnected).toBe(false);
    b.close();
    ex.exchange.setRestartWindow(null);
  });
});
