// The market-data line manager: owns the line budget, shares streaming quotes by reference count, rotates snapshots.
// Length (~600 lines): the budget, leases, snapshot rotation and reconnect restore share one count of held lines;
// splitting them would spread that invariant over files.
//
// IBKR counts every concurrent market-data request against a line budget (100 by default, shared with the
// trader's own TWS windows); one request over it is refused with error 101 and quotes silently stop for
// whoever asked. So this manager counts a line as held from the moment its request is queued until the
// moment its cancel has actually left the socket (or its snapshot ended) — never less than TWS counts —
// and grants no line beyond the budget. Streaming subscriptions are shared: many panels, one line, cancelled
// when the last panel lets go. Snapshots (the scanner's bread and butter) wait for free lines and give them
// back as soon as their End arrives.
import { LinesExhaustedError, ours, type BrokerError } from './errors';
import type { PacerPriority } from './pacer';
import type { TimerHandle, Timers } from './timers';

/** How the manager reaches the wire; the adapter implements it over the pacer and @stoqey/ib. */
export interface LinePort<S> {
  /**
   * Queue reqMktData. `dropIfQueued` removes it from the pacer if it has not been sent (true = removed);
   * `sent` resolves when it has been written (a snapshot's timeout starts then, not while it waits in the queue).
   */
  request(reqId: number, spec: S, snapshot: boolean, priority: PacerPriority): PendingLine;
  /** Queue cancelMktData; resolves once the message has been written (TWS frees the line on receipt). */
  cancel(reqId: number): Promise<void>;
  nextId(): number;
  /** A request id will never be used again (its line was freed, refused or lost); drop any state kept for it. */
  retired?(reqId: number): void;
}

export interface PendingLine {
  dropIfQueued(): boolean;
  readonly sent: Promise<void>;
}

export type StreamStatus = 'waiting' | 'live' | 'failed';

export interface LineListener {
  /** The line behind a subscription changed: waiting for a line, live (possibly under a new request id), or failed. */
  onStatus?(status: StreamStatus, detail: { reqId: number | null; error?: BrokerError; delayed: boolean }): void;
}

export interface Lease {
  readonly key: string;
  /** Gives the subscription back; the line is cancelled when the last lease is released. Idempotent. */
  release(): void;
  readonly released: boolean;
}

export interface LineStats {
  budget: number;
  /** Lowered below `budget` after TWS said 101 (its real budget is smaller, e.g. shared with TWS windows). */
  effectiveBudget: number;
  held: number;
  peakHeld: number;
  streaming: number;
  streamingWaiting: number;
  snapshotsInFlight: number;
  snapshotsWaiting: number;
  subscribers: number;
  refused101: number;
  resubscribed: number;
  snapshotsCompleted: number;
}

export interface LineManagerOptions<S> {
  budget?: number;
  port: LinePort<S>;
  timers: Timers;
  /** TWS ends a snapshot within 11 s; past this we cancel it and fail the request. */
  snapshotTimeoutMs?: number;
  /** Attempts per snapshot across 101 refusals and disconnects. */
  snapshotAttempts?: number;
  /** After a 101, how long before granting a line again. */
  refusalCooldownMs?: number;
}

interface Stream<S> {
  key: string;
  spec: S;
  leases: Set<LeaseImpl<S>>;
  state: 'waiting' | 'requesting' | 'failed';
  reqId: number | null;
  pending: PendingLine | null;
  delayed: boolean;
  error?: BrokerError;
}

interface Snap<S> {
  id: number;
  spec: S;
  priority: PacerPriority;
  state: 'waiting' | 'requesting' | 'done';
  reqId: number | null;
  pending: PendingLine | null;
  attempts: number;
  timer: TimerHandle | null;
  resolve: (reqId: number) => void;
  reject: (e: unknown) => void;
}

type Owner<S> = { kind: 'stream'; stream: Stream<S> } | { kind: 'snapshot'; snap: Snap<S> };

class LeaseImpl<S> implements Lease {
  released = false;
  constructor(
    readonly key: string,
    readonly listener: LineListener,
    private readonly manager: LineManager<S>,
  ) {}
  release(): void {
    if (this.released) return;
    this.released = true;
    this.manager.releaseLease(this);
  }
}

export class LineManager<S> {
  private budget: number;
  private effective: number;
  private readonly port: LinePort<S>;
  private readonly timers: Timers;
  private readonly snapshotTimeoutMs: number;
  private readonly snapshotAttempts: number;
  private readonly cooldownMs: number;
  private readonly streams = new Map<string, Stream<S>>();
  /** Request id → who holds that line (only ids whose line we count). */
  private readonly byReqId = new Map<number, Owner<S>>();
  private readonly waitingStreams: Stream<S>[] = [];
  private readonly waitingSnaps: Record<'quote' | 'scan', Snap<S>[]> = { quote: [], scan: [] };
  /** Lines counted as held: granted requests plus cancels not yet written. */
  private heldCount = 0;
  private peak = 0;
  /** Changes at every disconnect so late callbacks from a dead socket are ignored. */
  private epoch = 0;
  private connected = false;
  private snapSeq = 0;
  private cooldownUntil = 0;
  private cooldownTimer: TimerHandle | null = null;
  private counters = { refused101: 0, resubscribed: 0, snapshotsCompleted: 0 };

  constructor(options: LineManagerOptions<S>) {
    this.budget = this.effective = Math.max(1, Math.floor(options.budget ?? 100));
    this.port = options.port;
    this.timers = options.timers;
    this.snapshotTimeoutMs = options.snapshotTimeoutMs ?? 15_000;
    this.snapshotAttempts = options.snapshotAttempts ?? 3;
    this.cooldownMs = options.refusalCooldownMs ?? 1_000;
  }

  // ——— the consumer side ———

  /** A shared streaming subscription to `key`; the line is requested now or when one frees up. */
  acquire(key: string, spec: S, listener: LineListener = {}): Lease {
    let stream = this.streams.get(key);
    if (!stream) {
      stream = { key, spec, leases: new Set(), state: 'waiting', reqId: null, pending: null, delayed: false };
      this.streams.set(key, stream);
      this.waitingStreams.push(stream);
    } else if (stream.state === 'failed') {
      // A new subscriber asks again: a failure (e.g. no permission then) is not remembered forever.
      stream.state = 'waiting';
      stream.error = undefined;
      this.waitingStreams.push(stream);
    }
    const lease = new LeaseImpl<S>(key, listener, this);
    stream.leases.add(lease);
    this.pump();
    // Tell the new subscriber where its line stands (a shared line may already be live).
    const status: StreamStatus = stream.state === 'failed' ? 'failed' : stream.state === 'requesting' ? 'live' : 'waiting';
    safe(() => listener.onStatus?.(status, { reqId: stream.reqId, error: stream.error, delayed: stream.delayed }));
    return lease;
  }

  /**
   * One snapshot; resolves with the request id whose ticks hold the data once TWS sends tickSnapshotEnd
   * (the caller then owns that id's data and must drop it). `signal` aborts a waiting or running snapshot.
   */
  snapshot(spec: S, priority: PacerPriority = 'scan', signal?: AbortSignal): Promise<number> {
    return new Promise<number>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortError());
        return;
      }
      const snap: Snap<S> = { id: ++this.snapSeq, spec, priority, state: 'waiting', reqId: null, pending: null, attempts: 0, timer: null, resolve, reject };
      signal?.addEventListener('abort', () => this.abortSnap(snap), { once: true });
      this.queueSnap(snap, false);
      this.pump();
    });
  }

  /** Listeners of the stream that owns `reqId` (ticks are routed by the adapter). */
  listenersFor(reqId: number): LineListener[] {
    const owner = this.byReqId.get(reqId);
    return owner?.kind === 'stream' ? [...owner.stream.leases].map((l) => l.listener) : [];
  }

  /** Which stream key (or snapshot) a request id belongs to, if its line is held. */
  ownerOf(reqId: number): { kind: 'stream'; key: string } | { kind: 'snapshot'; id: number } | undefined {
    const o = this.byReqId.get(reqId);
    if (!o) return undefined;
    return o.kind === 'stream' ? { kind: 'stream', key: o.stream.key } : { kind: 'snapshot', id: o.snap.id };
  }

  // ——— broker events (from the adapter) ———

  /** tickSnapshotEnd: TWS has freed the snapshot's line. */
  snapshotEnded(reqId: number): void {
    const owner = this.byReqId.get(reqId);
    if (owner?.kind !== 'snapshot') return;
    const snap = owner.snap;
    this.byReqId.delete(reqId);
    this.freeLine();
    this.finishSnap(snap);
    this.counters.snapshotsCompleted++;
    snap.resolve(reqId);
    this.pump();
  }

  /** TWS labelled the data of this request as delayed (marketDataType 3/4, or warning 10167). */
  markDelayed(reqId: number, delayed = true): void {
    const owner = this.byReqId.get(reqId);
    if (owner?.kind !== 'stream' || owner.stream.delayed === delayed) return;
    owner.stream.delayed = delayed;
    this.notify(owner.stream, 'live');
  }

  /** An error bound to `reqId`. Returns true when the id was one of our lines. */
  failed(reqId: number, error: BrokerError): boolean {
    const owner = this.byReqId.get(reqId);
    if (!owner) return false;
    this.byReqId.delete(reqId);
    // TWS refused or dropped the request: it holds no line for it.
    this.freeLine();
    if (error instanceof LinesExhaustedError) {
      // TWS's real budget is smaller than ours (the trader's TWS windows use lines too): shrink to what we hold.
      this.counters.refused101++;
      this.effective = Math.max(1, Math.min(this.effective, this.heldCount));
      this.cooldownUntil = this.timers.now() + this.cooldownMs;
      this.port.retired?.(reqId);
      if (owner.kind === 'stream') this.requeueStream(owner.stream);
      else this.retrySnap(owner.snap, error);
    } else if (owner.kind === 'stream') {
      this.port.retired?.(reqId);
      const s = owner.stream;
      s.state = 'failed';
      s.reqId = null;
      s.pending = null;
      s.error = error;
      this.notify(s, 'failed');
    } else {
      this.port.retired?.(reqId);
      this.finishSnap(owner.snap);
      owner.snap.reject(error);
    }
    this.pump();
    return true;
  }

  /**
   * TWS refused this request for a reason a retry may cure (354 before switching to delayed data): free the
   * line and queue the request again. Returns true when the id was one of our lines.
   */
  requeue(reqId: number, error: BrokerError): boolean {
    const owner = this.byReqId.get(reqId);
    if (!owner) return false;
    this.byReqId.delete(reqId);
    this.port.retired?.(reqId);
    this.freeLine();
    if (owner.kind === 'stream') this.requeueStream(owner.stream);
    else this.retrySnap(owner.snap, error);
    this.pump();
    return true;
  }

  /**
   * Before a deliberate disconnect: cancel every line at TWS and grant no more. Streams stay registered and
   * wait for the next connection; running snapshots are queued again. Resolves once the cancels are written.
   */
  async suspend(): Promise<void> {
    this.connected = false;
    const cancels: Promise<void>[] = [];
    const release = (reqId: number, pending: PendingLine | null) => {
      this.byReqId.delete(reqId);
      this.port.retired?.(reqId);
      if (pending?.dropIfQueued()) this.freeLine();
      else cancels.push(this.cancelHeld(reqId));
    };
    for (const s of this.streams.values()) {
      if (s.state !== 'requesting' || s.reqId === null) continue;
      release(s.reqId, s.pending);
      s.state = 'waiting';
      s.reqId = null;
      s.pending = null;
      this.waitingStreams.push(s);
      this.notify(s, 'waiting');
    }
    for (const o of [...this.byReqId.values()]) {
      if (o.kind !== 'snapshot' || o.snap.reqId === null) continue;
      release(o.snap.reqId, o.snap.pending);
      o.snap.attempts = Math.max(0, o.snap.attempts - 1); // a deliberate pause is not a failed attempt
      this.retrySnap(o.snap, ours.disconnected('the quote snapshot'));
    }
    await Promise.allSettled(cancels);
  }

  /** The socket closed: TWS dropped every line. Streams wait for the reconnect; snapshots are retried. */
  disconnected(): void {
    this.connected = false;
    this.epoch++;
    const inFlight = [...this.byReqId.values()].flatMap((o) => (o.kind === 'snapshot' ? [o.snap] : []));
    for (const id of this.byReqId.keys()) this.port.retired?.(id);
    this.byReqId.clear();
    this.heldCount = 0;
    for (const s of this.streams.values()) {
      if (s.state === 'requesting') {
        s.state = 'waiting';
        s.reqId = null;
        s.pending = null;
        this.waitingStreams.push(s);
        this.notify(s, 'waiting');
      }
    }
    for (const snap of inFlight) this.retrySnap(snap, ours.disconnected('the quote snapshot'));
  }

  /** Ready to request again (after the handshake of a new connection). Streams are requested again first. */
  connectedAgain(): void {
    this.connected = true;
    this.effective = this.budget;
    this.pump();
  }

  /** 1101 (link restored, data lost): every live stream is cancelled and requested again under a new id. */
  resubscribeAll(): void {
    const again: Stream<S>[] = [];
    for (const s of this.streams.values()) {
      if (s.state !== 'requesting' || s.reqId === null) continue;
      const oldId = s.reqId;
      this.byReqId.delete(oldId);
      this.port.retired?.(oldId);
      // The old line stays counted until its cancel is written; the new request waits for a free slot like any
      // other (cancels go out first), so the count cannot rise above the budget during the swap.
      if (s.pending?.dropIfQueued()) this.freeLine();
      else void this.cancelHeld(oldId);
      s.state = 'waiting';
      s.reqId = null;
      s.pending = null;
      this.counters.resubscribed++;
      again.push(s);
    }
    this.waitingStreams.unshift(...again);
    this.pump();
  }

  setBudget(budget: number): void {
    this.budget = this.effective = Math.max(1, Math.floor(budget));
    this.pump();
  }

  /** Cancels every line and fails every waiting snapshot (shutdown). Resolves when the cancels are written. */
  async closeAll(): Promise<void> {
    const cancels: Promise<void>[] = [];
    for (const s of [...this.streams.values()]) for (const l of [...s.leases]) l.released = true;
    for (const s of [...this.streams.values()]) cancels.push(this.dropStream(s));
    for (const snap of [...this.allSnaps()]) {
      if (snap.state === 'done') continue;
      if (snap.state === 'requesting' && snap.reqId !== null) {
        this.byReqId.delete(snap.reqId);
        this.port.retired?.(snap.reqId);
        const dropped = snap.pending?.dropIfQueued() ?? false;
        if (dropped) this.freeLine();
        else cancels.push(this.cancelHeld(snap.reqId));
      }
      this.finishSnap(snap);
      snap.reject(ours.disconnected('the quote snapshot'));
    }
    this.waitingStreams.length = 0;
    this.waitingSnaps.quote.length = 0;
    this.waitingSnaps.scan.length = 0;
    await Promise.allSettled(cancels);
  }

  stats(): LineStats {
    let subscribers = 0;
    let streaming = 0;
    for (const s of this.streams.values()) {
      subscribers += s.leases.size;
      if (s.state === 'requesting') streaming++;
    }
    let inFlight = 0;
    for (const o of this.byReqId.values()) if (o.kind === 'snapshot') inFlight++;
    return {
      budget: this.budget,
      effectiveBudget: this.effective,
      held: this.heldCount,
      peakHeld: this.peak,
      streaming,
      streamingWaiting: this.waitingStreams.length,
      snapshotsInFlight: inFlight,
      snapshotsWaiting: this.waitingSnaps.quote.length + this.waitingSnaps.scan.length,
      subscribers,
      ...this.counters,
    };
  }

  get held(): number {
    return this.heldCount;
  }

  /** Request ids of every live streaming line (tests compare this with the exchange's view). */
  liveStreamIds(): number[] {
    return [...this.streams.values()].filter((s) => s.state === 'requesting' && s.reqId !== null).map((s) => s.reqId as number);
  }

  // ——— internals ———

  releaseLease(lease: LeaseImpl<S>): void {
    const s = this.streams.get(lease.key);
    if (!s || !s.leases.delete(lease)) return;
    if (s.leases.size === 0) void this.dropStream(s);
    this.pump();
  }

  private dropStream(s: Stream<S>): Promise<void> {
    if (this.streams.get(s.key) === s) this.streams.delete(s.key);
    const wi = this.waitingStreams.indexOf(s);
    if (wi >= 0) this.waitingStreams.splice(wi, 1);
    if (s.state !== 'requesting' || s.reqId === null) return Promise.resolve();
    const reqId = s.reqId;
    this.byReqId.delete(reqId);
    this.port.retired?.(reqId);
    s.state = 'waiting';
    s.reqId = null;
    if (s.pending?.dropIfQueued()) {
      // Never sent: TWS never held it.
      this.freeLine();
      return Promise.resolve();
    }
    return this.cancelHeld(reqId);
  }

  /** Sends cancelMktData for a line we hold; the slot is freed once the cancel is on the wire. */
  private cancelHeld(reqId: number): Promise<void> {
    const epoch = this.epoch;
    return this.port.cancel(reqId).then(
      () => {
        if (epoch === this.epoch) {
          this.freeLine();
          this.pump();
        }
      },
      () => {
        // Not written: either the socket died (the disconnect already reset the count) or the encoder
        // failed, in which case TWS may still hold the line — we keep counting it until the next disconnect.
      },
    );
  }

  private freeLine(): void {
    this.heldCount = Math.max(0, this.heldCount - 1);
  }

  private takeLine(): void {
    this.heldCount++;
    if (this.heldCount > this.peak) this.peak = this.heldCount;
  }

  private canGrant(): boolean {
    if (!this.connected || this.heldCount >= this.effective) return false;
    const now = this.timers.now();
    if (now < this.cooldownUntil) {
      if (this.cooldownTimer === null)
        this.cooldownTimer = this.timers.setTimeout(() => {
          this.cooldownTimer = null;
          this.pump();
        }, this.cooldownUntil - now);
      return false;
    }
    return true;
  }

  private pump(): void {
    while (this.canGrant()) {
      const stream = this.waitingStreams.shift();
      if (stream) {
        if (this.streams.get(stream.key) !== stream || stream.leases.size === 0) continue;
        this.takeLine();
        this.issueStream(stream);
        continue;
      }
      const snap = this.waitingSnaps.quote.shift() ?? this.waitingSnaps.scan.shift();
      if (!snap) return;
      this.takeLine();
      this.issueSnap(snap);
    }
  }

  /** Requests the stream's line (the slot is already counted). */
  private issueStream(s: Stream<S>): void {
    const reqId = this.port.nextId();
    s.state = 'requesting';
    s.reqId = reqId;
    s.error = undefined;
    this.byReqId.set(reqId, { kind: 'stream', stream: s });
    s.pending = this.port.request(reqId, s.spec, false, 'quote');
    this.notify(s, 'live');
  }

  private issueSnap(snap: Snap<S>): void {
    const reqId = this.port.nextId();
    snap.state = 'requesting';
    snap.reqId = reqId;
    snap.attempts++;
    this.byReqId.set(reqId, { kind: 'snapshot', snap });
    snap.pending = this.port.request(reqId, snap.spec, true, snap.priority);
    const epoch = this.epoch;
    const onTimeout = () => {
      snap.timer = null;
      if (epoch !== this.epoch || this.byReqId.get(reqId)?.kind !== 'snapshot') return;
      this.byReqId.delete(reqId);
      this.port.retired?.(reqId);
      if (snap.pending?.dropIfQueued()) this.freeLine();
      else void this.cancelHeld(reqId);
      this.finishSnap(snap);
      snap.reject(ours.timeout('the quote snapshot', this.snapshotTimeoutMs, reqId));
      this.pump();
    };
    // TWS's clock for a snapshot starts when it receives the request, so ours starts when it is written.
    snap.pending.sent.then(
      () => {
        if (epoch === this.epoch && snap.reqId === reqId && snap.state === 'requesting' && snap.timer === null) snap.timer = this.timers.setTimeout(onTimeout, this.snapshotTimeoutMs);
      },
      () => undefined,
    );
  }

  private abortSnap(snap: Snap<S>): void {
    if (snap.state === 'done') return;
    if (snap.state === 'requesting' && snap.reqId !== null && this.byReqId.get(snap.reqId)?.kind === 'snapshot') {
      const reqId = snap.reqId;
      this.byReqId.delete(reqId);
      this.port.retired?.(reqId);
      if (snap.pending?.dropIfQueued()) this.freeLine();
      else void this.cancelHeld(reqId);
    }
    this.finishSnap(snap);
    snap.reject(abortError());
    this.pump();
  }

  private queueSnap(snap: Snap<S>, front: boolean): void {
    const q = this.waitingSnaps[snap.priority === 'scan' ? 'scan' : 'quote'];
    if (front) q.unshift(snap);
    else q.push(snap);
  }

  private retrySnap(snap: Snap<S>, error: BrokerError): void {
    if (snap.timer !== null) this.timers.clearTimeout(snap.timer);
    snap.timer = null;
    snap.reqId = null;
    snap.pending = null;
    if (snap.attempts >= this.snapshotAttempts) {
      this.finishSnap(snap);
      snap.reject(error);
      return;
    }
    snap.state = 'waiting';
    this.queueSnap(snap, true);
  }

  private finishSnap(snap: Snap<S>): void {
    snap.state = 'done';
    if (snap.timer !== null) this.timers.clearTimeout(snap.timer);
    snap.timer = null;
    for (const q of [this.waitingSnaps.quote, this.waitingSnaps.scan]) {
      const i = q.indexOf(snap);
      if (i >= 0) q.splice(i, 1);
    }
  }

  private requeueStream(s: Stream<S>): void {
    s.state = 'waiting';
    s.reqId = null;
    s.pending = null;
    if (this.streams.get(s.key) === s && s.leases.size > 0) {
      this.waitingStreams.unshift(s);
      this.notify(s, 'waiting');
    }
  }

  private *allSnaps(): Iterable<Snap<S>> {
    const seen = new Set<Snap<S>>();
    for (const o of this.byReqId.values()) if (o.kind === 'snapshot' && !seen.has(o.snap)) seen.add(o.snap);
    for (const s of this.waitingSnaps.quote) seen.add(s);
    for (const s of this.waitingSnaps.scan) seen.add(s);
    yield* seen;
  }

  private notify(s: Stream<S>, status: StreamStatus): void {
    for (const l of s.leases) safe(() => l.listener.onStatus?.(status, { reqId: s.reqId, error: s.error, delayed: s.delayed }));
  }
}

function abortError(): Error {
  const e = new Error('The quote snapshot was cancelled.');
  e.name = 'AbortError';
  return e;
}

function safe(fn: () => void): void {
  try {
    fn();
  } catch {
    // A subscriber's bug must not corrupt line accounting.
  }
}
