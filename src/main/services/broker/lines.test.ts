// Unit and property tests of the line manager against a fake TWS that counts lines the way TWS does.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromBrokerCode, LinesExhaustedError, type BrokerError } from './errors';
import { LineManager, type Lease, type LinePort, type StreamStatus } from './lines';
import type { PacerPriority } from './pacer';
import { ManualTimers } from './timers';

type Op = { kind: 'req'; reqId: number; snapshot: boolean; priority: PacerPriority; dropped: boolean; markSent: () => void } | { kind: 'cancel'; reqId: number; resolve: () => void; reject: (e: unknown) => void };

const RANK: Record<PacerPriority, number> = { order: 0, quote: 1, scan: 2 };

/** A pacer stand-in (priority queue, sends when flushed) in front of a TWS that holds lines. */
class FakeWire implements LinePort<string> {
  queue: Array<{ op: Op; p: PacerPriority; seq: number }> = [];
  twsLines = new Map<number, { snapshot: boolean }>();
  twsBudget: number;
  peakTws = 0;
  errors300 = 0;
  retiredIds: number[] = [];
  private seq = 0;
  private id = 1000;
  manager!: LineManager<string>;

  constructor(twsBudget: number) {
    this.twsBudget = twsBudget;
  }

  nextId(): number {
    return this.id++;
  }

  request(reqId: number, _spec: string, snapshot: boolean, priority: PacerPriority) {
    let markSent!: () => void;
    const sent = new Promise<void>((r) => (markSent = r));
    const op: Op = { kind: 'req', reqId, snapshot, priority, dropped: false, markSent };
    const entry = { op, p: priority, seq: this.seq++ };
    this.queue.push(entry);
    return {
      sent,
      dropIfQueued: () => {
        const i = this.queue.indexOf(entry);
        if (i < 0) return false;
        this.queue.splice(i, 1);
        return true;
      },
    };
  }

  cancel(reqId: number): Promise<void> {
    return new Promise((resolve, reject) => this.queue.push({ op: { kind: 'cancel', reqId, resolve, reject }, p: 'order', seq: this.seq++ }));
  }

  retired(reqId: number): void {
    this.retiredIds.push(reqId);
  }

  /** Sends up to n queued messages in priority order; TWS reacts like TWS. */
  flush(n = Infinity): void {
    for (let i = 0; i < n && this.queue.length; i++) {
      this.queue.sort((a, b) => RANK[a.p] - RANK[b.p] || a.seq - b.seq);
      const next = this.queue.shift();
      if (!next) return;
      const op = next.op;
      if (op.kind === 'cancel') {
        if (!this.twsLines.delete(op.reqId)) this.errors300++;
        op.resolve();
      } else if ((op.markSent(), this.twsLines.size >= this.twsBudget)) {
        this.manager.failed(op.reqId, fromBrokerCode(101, 'Max number of tickers has been reached.', op.reqId));
      } else {
        this.twsLines.set(op.reqId, { snapshot: op.snapshot });
        this.peakTws = Math.max(this.peakTws, this.twsLines.size);
      }
    }
  }

  endSnapshots(max = Infinity): void {
    let n = 0;
    for (const [id, l] of [...this.twsLines]) {
      if (n >= max) break;
      if (!l.snapshot) continue;
      this.twsLines.delete(id);
      this.manager.snapshotEnded(id);
      n++;
    }
  }

  dropSocket(): void {
    for (const q of this.queue) if (q.op.kind === 'cancel') q.op.reject(new Error('socket closed'));
    this.queue = [];
    this.twsLines.clear();
    this.manager.disconnected();
  }
}

function setup(budget: number, twsBudget = budget, timers = new ManualTimers(0)) {
  const wire = new FakeWire(twsBudget);
  const manager = new LineManager<string>({ budget, port: wire, timers, snapshotTimeoutMs: 5_000, refusalCooldownMs: 200 });
  wire.manager = manager;
  manager.connectedAgain();
  return { wire, manager, timers };
}

const settle = () => new Promise((r) => setImmediate(r));

describe('LineManager', () => {
  it('shares one line between panels and cancels it when the last panel releases', async () => {
    const { wire, manager } = setup(5);
    const a = manager.acquire('SPY', 'SPY');
    const b = manager.acquire('SPY', 'SPY');
    wire.flush();
    expect(wire.twsLines.size).toBe(1);
    expect(manager.stats()).toMatchObject({ held: 1, streaming: 1, subscribers: 2 });
    a.release();
    a.release(); // idempotent
    await settle();
    expect(wire.twsLines.size).toBe(1);
    b.release();
    expect(manager.held).toBe(1); // until the cancel is on the wire
    wire.flush();
    await settle();
    expect(manager.held).toBe(0);
    expect(wire.twsLines.size).toBe(0);
  });

  it('a release before the request left the pacer sends nothing at all', () => {
    const { wire, manager } = setup(5);
    const a = manager.acquire('QQQ', 'QQQ');
    a.release();
    expect(manager.held).toBe(0);
    wire.flush();
    expect(wire.twsLines.size).toBe(0);
    expect(wire.errors300).toBe(0);
  });

  it('queues streams beyond the budget and grants them as lines free up', async () => {
    const { wire, manager } = setup(2);
    const statuses: StreamStatus[] = [];
    const l1 = manager.acquire('A', 'A');
    manager.acquire('B', 'B');
    manager.acquire('C', 'C', { onStatus: (s) => statuses.push(s) });
    wire.flush();
    expect(manager.stats()).toMatchObject({ held: 2, streamingWaiting: 1 });
    expect(statuses).toEqual(['waiting']);
    l1.release();
    wire.flush();
    await settle();
    wire.flush();
    expect(statuses).toEqual(['waiting', 'live']);
    expect(wire.twsLines.size).toBe(2);
  });

  it('rotates snapshots through free lines, streams first, user snapshots before scanner snapshots', async () => {
    const { wire, manager } = setup(2);
    const order: string[] = [];
    const s1 = manager.snapshot('scan1', 'scan').then(() => order.push('scan1'));
    const s2 = manager.snapshot('scan2', 'scan').then(() => order.push('scan2'));
    const s3 = manager.snapshot('scan3', 'scan').then(() => order.push('scan3'));
    const u1 = manager.snapshot('user1', 'quote').then(() => order.push('user1'));
    wire.flush();
    expect(manager.stats()).toMatchObject({ held: 2, snapshotsInFlight: 2, snapshotsWaiting: 2 });
    wire.endSnapshots(1);
    wire.flush();
    wire.endSnapshots();
    wire.flush();
    wire.endSnapshots();
    await Promise.all([s1, s2, s3, u1]);
    expect(order).toEqual(['scan1', 'scan2', 'user1', 'scan3']);
    expect(manager.held).toBe(0);
    expect(manager.stats().snapshotsCompleted).toBe(4);
  });

  it('on 101 lowers its effective budget, retries, and never exceeds what TWS allows afterwards', async () => {
    const timers = new ManualTimers(0);
    const { wire, manager } = setup(4, 2, timers);
    const snaps = [1, 2, 3].map((i) => manager.snapshot(`s${i}`, 'scan'));
    wire.flush();
    expect(manager.stats().refused101).toBe(1);
    expect(manager.stats().effectiveBudget).toBe(2);
    timers.advance(300);
    wire.endSnapshots();
    wire.flush();
    wire.endSnapshots();
    await Promise.all(snaps);
    expect(manager.held).toBe(0);
  });

  it('a snapshot that never ends is cancelled at its timeout and its line freed', async () => {
    const timers = new ManualTimers(0);
    const { wire, manager } = setup(2, 2, timers);
    const p = manager.snapshot('X', 'scan');
    timers.advance(10_000); // waiting in the pacer does not count against the snapshot
    wire.flush();
    await settle();
    timers.advance(5_001);
    await expect(p).rejects.toThrow(/did not answer/);
    wire.flush();
    await settle();
    expect(manager.held).toBe(0);
    expect(wire.twsLines.size).toBe(0);
  });

  it('an aborted snapshot leaves the queue or cancels its line', async () => {
    const { wire, manager } = setup(1);
    const c1 = new AbortController();
    const c2 = new AbortController();
    const p1 = manager.snapshot('a', 'scan', c1.signal);
    const p2 = manager.snapshot('b', 'scan', c2.signal);
    wire.flush();
    c2.abort();
    c1.abort();
    await expect(p1).rejects.toThrow(/cancelled/);
    await expect(p2).rejects.toThrow(/cancelled/);
    wire.flush();
    await settle();
    expect(manager.held).toBe(0);
    expect(wire.twsLines.size).toBe(0);
  });

  it('after a disconnect, streams are requested again on reconnect and the counts match TWS', async () => {
    const { wire, manager } = setup(10);
    const statuses: StreamStatus[] = [];
    for (const k of ['A', 'B', 'C']) manager.acquire(k, k, { onStatus: (s) => statuses.push(s) });
    wire.flush();
    const before = manager.liveStreamIds();
    wire.dropSocket();
    expect(manager.held).toBe(0);
    manager.connectedAgain();
    wire.flush();
    const after = manager.liveStreamIds();
    expect(after).toHaveLength(3);
    expect(after.some((id) => before.includes(id))).toBe(false);
    expect(wire.twsLines.size).toBe(manager.held);
    expect(wire.retiredIds).toEqual(expect.arrayContaining(before));
  });

  it('1101 resubscribes every stream under new ids without ever holding more than the budget', async () => {
    const { wire, manager } = setup(3);
    for (const k of ['A', 'B', 'C']) manager.acquire(k, k);
    wire.flush();
    const before = manager.liveStreamIds();
    manager.resubscribeAll();
    expect(manager.held).toBeLessThanOrEqual(3);
    for (let i = 0; i < 10; i++) {
      wire.flush(1);
      await settle();
      expect(manager.held).toBeLessThanOrEqual(3);
    }
    const after = manager.liveStreamIds();
    expect(after).toHaveLength(3);
    expect(after.filter((id) => before.includes(id))).toEqual([]);
    expect(wire.twsLines.size).toBe(3);
    expect(manager.stats().resubscribed).toBe(3);
  });

  it('a stream that fails (e.g. 200) is reported failed and frees its line; a new subscriber retries', async () => {
    const { wire, manager } = setup(2);
    let last: { s: StreamStatus; e?: BrokerError } | undefined;
    manager.acquire('BAD', 'BAD', { onStatus: (s, d) => (last = { s, e: d.error }) });
    wire.flush();
    const [id] = manager.liveStreamIds();
    wire.twsLines.delete(id as number);
    manager.failed(id as number, fromBrokerCode(200, 'No security definition has been found for the request', id));
    expect(last?.s).toBe('failed');
    expect(last?.e?.code).toBe(200);
    expect(manager.held).toBe(0);
    manager.acquire('BAD', 'BAD');
    expect(manager.held).toBe(1);
  });

  it('closeAll cancels everything', async () => {
    const { wire, manager } = setup(5);
    manager.acquire('A', 'A');
    manager.acquire('B', 'B');
    const snap = manager.snapshot('S', 'scan');
    wire.flush();
    const closing = manager.closeAll();
    wire.flush();
    await closing;
    await expect(snap).rejects.toThrow();
    expect(manager.held).toBe(0);
    expect(wire.twsLines.size).toBe(0);
  });

  it('never exceeds the budget and ends at zero lines, whatever panels, snapshots, 101s and disconnects do (property)', async () => {
    const opArb = fc.oneof(
      fc.record({ t: fc.constant('acquire' as const), key: fc.integer({ min: 0, max: 15 }) }),
      fc.record({ t: fc.constant('release' as const), i: fc.nat() }),
      fc.record({ t: fc.constant('snapshot' as const), p: fc.constantFrom<PacerPriority>('quote', 'scan') }),
      fc.record({ t: fc.constant('flush' as const), n: fc.integer({ min: 1, max: 12 }) }),
      fc.record({ t: fc.constant('end' as const), n: fc.integer({ min: 1, max: 5 }) }),
      fc.record({ t: fc.constant('advance' as const), ms: fc.integer({ min: 1, max: 3000 }) }),
      fc.record({ t: fc.constant('drop' as const) }),
      fc.record({ t: fc.constant('reconnect' as const) }),
      fc.record({ t: fc.constant('resubscribe' as const) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 8 }), fc.integer({ min: 0, max: 4 }), fc.array(opArb, { minLength: 1, maxLength: 120 }), async (budget, shortfall, ops) => {
        const timers = new ManualTimers(0);
        // TWS may allow fewer lines than we think (the trader's own windows use some).
        const { wire, manager } = setup(budget, Math.max(1, budget - shortfall), timers);
        const leases: Lease[] = [];
        const snaps: Promise<unknown>[] = [];
        let connected = true;
        const check = () => {
          expect(manager.held).toBeLessThanOrEqual(budget);
          expect(wire.twsLines.size).toBeLessThanOrEqual(manager.held);
        };
        for (const op of ops) {
          switch (op.t) {
            case 'acquire':
              leases.push(manager.acquire(`K${op.key}`, `K${op.key}`));
              break;
            case 'release':
              if (leases.length) leases.splice(op.i % leases.length, 1)[0]?.release();
              break;
            case 'snapshot':
              snaps.push(manager.snapshot('S', op.p).catch(() => undefined));
              break;
            case 'flush':
              wire.flush(op.n);
              break;
            case 'end':
              wire.endSnapshots(op.n);
              break;
            case 'advance':
              timers.advance(op.ms);
              break;
            case 'drop':
              if (connected) wire.dropSocket();
              connected = false;
              break;
            case 'reconnect':
              if (!connected) manager.connectedAgain();
              connected = true;
              break;
            case 'resubscribe':
              if (connected) manager.resubscribeAll();
              break;
          }
          await settle();
          check();
        }
        // Wind down: reconnect, release every panel, let snapshots finish.
        if (!connected) manager.connectedAgain();
        for (const l of leases) l.release();
        for (let i = 0; i < 200 && (manager.held > 0 || wire.queue.length > 0 || manager.stats().snapshotsWaiting > 0); i++) {
          wire.flush();
          wire.endSnapshots();
          timers.advance(1000);
          await settle();
          check();
        }
        await Promise.all(snaps);
        expect(manager.held).toBe(0);
        expect(wire.twsLines.size).toBe(0);
        expect(wire.peakTws).toBeLessThanOrEqual(budget);
      }),
      { numRuns: 150 },
    );
  });

  it('rejects a 101 as a typed error when a snapshot runs out of attempts', async () => {
    const timers = new ManualTimers(0);
    const { wire, manager } = setup(3, 0, timers);
    wire.twsBudget = 0;
    const p = manager.snapshot('S', 'scan');
    for (let i = 0; i < 5; i++) {
      wire.flush();
      timers.advance(300);
    }
    await expect(p).rejects.toBeInstanceOf(LinesExhaustedError);
    expect(manager.held).toBe(0);
  });
});
