import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createClientSender, isCoalescible, type FrameSocket } from './client-sender';
import type { ServerFrame } from './protocol';

/** A socket whose buffer drains only when the test says so (a slow client). */
function slowSocket() {
  let buffered = 0;
  const inFlight: { data: string; cb?: (err?: Error) => void }[] = [];
  const delivered: ServerFrame[] = [];
  let closed: string | null = null;
  const socket: FrameSocket = {
    get bufferedAmount() {
      return buffered;
    },
    send(data, cb) {
      buffered += data.length;
      inFlight.push({ data, cb });
    },
    close(_code, reason) {
      closed = reason;
    },
  };
  return {
    socket,
    delivered,
    closed: () => closed,
    buffered: () => buffered,
    /** The client reads n frames (or all): they leave the buffer and their callbacks run. */
    drain(n = Infinity) {
      for (let i = 0; i < n && inFlight.length > 0; i++) {
        const f = inFlight.shift()!;
        buffered -= f.data.length;
        delivered.push(JSON.parse(f.data) as ServerFrame);
        f.cb?.();
      }
    },
  };
}

const ev = (name: string, payload: unknown): ServerFrame => ({ type: 'event', name, payload });
const limits = { maxBuffered: 200, maxQueued: 2_000 };

describe('client sender (back-pressure)', () => {
  it('names progress and status events as coalescible, results and logs not', () => {
    expect(isCoalescible('scan.progress')).toBe(true);
    expect(isCoalescible('connection.status')).toBe(true);
    expect(isCoalescible('scan.results')).toBe(false);
    expect(isCoalescible('app.logged')).toBe(false);
  });

  it('writes straight through while the client keeps up', () => {
    const s = slowSocket();
    const sender = createClientSender(s.socket, limits);
    for (let i = 0; i < 5; i++) {
      sender.send(ev('scan.progress', { i }));
      s.drain();
    }
    expect(s.delivered.map((f) => (f as { payload: { i: number } }).payload.i)).toEqual([0, 1, 2, 3, 4]);
    expect(sender.coalesced()).toBe(0);
  });

  it('for a slow client: progress frames merge into the newest, other events wait in order, results go at once', () => {
    const s = slowSocket();
    const sender = createClientSender(s.socket, limits);
    sender.send(ev('app.logged', { fill: 'x'.repeat(250) })); // over the buffer limit now
    for (let i = 0; i < 100; i++) sender.send(ev('scan.progress', { i }));
    sender.send(ev('scan.results', { n: 1 }));
    sender.send(ev('scan.progress', { i: 100 }));
    sender.send({ type: 'result', id: 7, result: { ok: true } });
    expect(sender.pending().frames).toBe(2); // one progress slot + the results
    expect(s.buffered()).toBeLessThanOrEqual(limits.maxBuffered + 400);
    s.drain();
    s.drain();
    s.drain();
    const names = s.delivered.map((f) => (f.type === 'event' ? `${f.name}` : `result:${String(f.id)}`));
    expect(names).toEqual(['app.logged', 'result:7', 'scan.results', 'scan.progress']);
    expect(s.delivered.at(-1)).toEqual(ev('scan.progress', { i: 100 }));
    expect(sender.coalesced()).toBe(100);
  });

  it('drops a client whose waiting events pass the bound, and sends it nothing more', () => {
    const s = slowSocket();
    const sender = createClientSender(s.socket, limits);
    sender.send(ev('app.logged', { fill: 'x'.repeat(250) }));
    for (let i = 0; i < 50 && !sender.closed(); i++) sender.send(ev('app.logged', { i, fill: 'y'.repeat(100) }));
    expect(sender.closed()).toBe(true);
    expect(s.closed()).toMatch(/fell too far behind/);
    expect(sender.pending()).toEqual({ frames: 0, bytes: 0 });
    sender.send(ev('app.logged', { late: true }));
    s.drain();
    expect(s.delivered.some((f) => f.type === 'event' && (f.payload as { late?: boolean }).late)).toBe(false);
  });

  it('property: memory stays bounded, nothing but older progress is lost, and the newest of each event arrives', () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('event' as const), name: fc.constantFrom('scan.progress', 'connection.status', 'scan.results', 'app.logged'), size: fc.integer({ min: 1, max: 120 }) }),
      fc.record({ kind: fc.constant('drain' as const), n: fc.integer({ min: 0, max: 5 }) }),
    );
    fc.assert(
      fc.property(fc.array(step, { maxLength: 200 }), (steps) => {
        const s = slowSocket();
        const sender = createClientSender(s.socket, limits);
        const sent: { name: string; seq: number }[] = [];
        let seq = 0;
        for (const st of steps) {
          if (st.kind === 'drain') s.drain(st.n);
          else {
            sender.send(ev(st.name, { seq, pad: 'z'.repeat(st.size) }));
            sent.push({ name: st.name, seq: seq++ });
          }
          expect(sender.pending().bytes).toBeLessThanOrEqual(limits.maxQueued);
          expect(s.buffered()).toBeLessThanOrEqual(limits.maxBuffered + 200);
        }
        s.drain();
        s.drain();
        if (sender.closed()) return;
        const got = s.delivered.map((f) => (f as { name: string; payload: { seq: number } }).payload.seq);
        // Delivered in the order sent, never duplicated.
        expect([...got].sort((a, b) => a - b)).toEqual(got);
        const gotSet = new Set(got);
        for (const x of sent) if (!isCoalescible(x.name)) expect(gotSet.has(x.seq)).toBe(true);
        for (const name of new Set(sent.map((x) => x.name))) expect(gotSet.has(sent.filter((x) => x.name === name).at(-1)!.seq)).toBe(true);
      }),
    );
  });
});
