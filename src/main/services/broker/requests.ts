// The request registry: request id → pending promise that resolves on its End message, rejects on error or timeout.
//
// One shape for every TWS request (ib_insync's pattern): allocate an id, collect the replies that carry it,
// resolve on the End marker, reject on an error for that id, on disconnect, or when no End arrives in time.
// The timeout starts when the message is actually sent, not when it is queued behind the pacer.
import { ours, type BrokerError } from './errors';
import { Reservoir } from './metrics';
import type { TimerHandle, Timers } from './timers';

export interface BeginOptions<I, T> {
  /** A short name for logs and diagnostics ("contractDetails", "snapshot", …). */
  kind: string;
  timeoutMs: number;
  /** Builds the result from the collected items when the End message arrives. */
  finish: (items: I[]) => T;
  /** Called once if the request times out, e.g. to cancel a subscription at TWS. */
  onTimeout?: (reqId: number) => void;
  /** Used in the timeout message ("the contract details for SPY"). */
  what?: string;
}

export interface PendingRequest<T> {
  readonly reqId: number;
  readonly promise: Promise<T>;
}

interface Entry {
  kind: string;
  what: string;
  items: unknown[];
  timeoutMs: number;
  sentAt: number | null;
  timer: TimerHandle | null;
  finish: (items: unknown[]) => unknown;
  onTimeout?: (reqId: number) => void;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export interface RequestStats {
  pending: number;
  completed: number;
  failed: number;
  timeouts: number;
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
}

/** Request ids start high so they never meet order ids (which TWS starts low) in id-routed error messages. */
export const FIRST_REQUEST_ID = 1_000_000_000;

export class RequestRegistry {
  private readonly pending = new Map<number, Entry>();
  private next: number;
  private readonly latency = new Reservoir(4096);
  private completed = 0;
  private failed = 0;
  private timeouts = 0;

  constructor(
    private readonly timers: Timers,
    firstId = FIRST_REQUEST_ID,
  ) {
    this.next = firstId;
  }

  /** A fresh id for any request or subscription (market data uses the same space). */
  nextId(): number {
    const id = this.next++;
    // Ids are 32-bit at TWS; wrap well before the limit (a session never gets near it).
    if (this.next >= 2_147_000_000) this.next = FIRST_REQUEST_ID;
    return id;
  }

  begin<I, T>(options: BeginOptions<I, T>, reqId = this.nextId()): PendingRequest<T> {
    if (this.pending.has(reqId)) throw new Error(`request id ${reqId} is already pending`);
    let resolve!: (v: unknown) => void;
    let reject!: (e: unknown) => void;
    const promise = new Promise<T>((res, rej) => {
      resolve = res as (v: unknown) => void;
      reject = rej;
    });
    this.pending.set(reqId, {
      kind: options.kind,
      what: options.what ?? options.kind,
      items: [],
      timeoutMs: options.timeoutMs,
      sentAt: null,
      timer: null,
      finish: options.finish as (items: unknown[]) => unknown,
      onTimeout: options.onTimeout,
      resolve,
      reject,
    });
    return { reqId, promise };
  }

  /** The request's message left the process: start its timeout and latency clock. */
  sent(reqId: number): void {
    const e = this.pending.get(reqId);
    if (!e || e.sentAt !== null) return;
    e.sentAt = this.timers.now();
    e.timer = this.timers.setTimeout(() => this.timeout(reqId), e.timeoutMs);
  }

  has(reqId: number): boolean {
    return this.pending.has(reqId);
  }

  kindOf(reqId: number): string | undefined {
    return this.pending.get(reqId)?.kind;
  }

  /** Adds one reply; returns false when the id is not pending (a late or foreign message). */
  push(reqId: number, item: unknown): boolean {
    const e = this.pending.get(reqId);
    if (!e) return false;
    e.items.push(item);
    return true;
  }

  /** The End message: resolve with `finish(items)`. A throwing `finish` rejects instead. */
  end(reqId: number): boolean {
    const e = this.take(reqId);
    if (!e) return false;
    if (e.sentAt !== null) this.latency.add(this.timers.now() - e.sentAt);
    try {
      e.resolve(e.finish(e.items));
      this.completed++;
    } catch (err) {
      this.failed++;
      e.reject(err);
    }
    return true;
  }

  fail(reqId: number, error: BrokerError | Error): boolean {
    const e = this.take(reqId);
    if (!e) return false;
    this.failed++;
    e.reject(error);
    return true;
  }

  /** Rejects every pending request (disconnect, shutdown). */
  failAll(makeError: (what: string) => Error): number {
    const ids = [...this.pending.keys()];
    for (const id of ids) {
      const e = this.pending.get(id);
      if (e) this.fail(id, makeError(e.what));
    }
    return ids.length;
  }

  get size(): number {
    return this.pending.size;
  }

  stats(): RequestStats {
    return {
      pending: this.pending.size,
      completed: this.completed,
      failed: this.failed,
      timeouts: this.timeouts,
      latencyP50Ms: this.latency.percentile(0.5),
      latencyP99Ms: this.latency.percentile(0.99),
    };
  }

  private take(reqId: number): Entry | undefined {
    const e = this.pending.get(reqId);
    if (!e) return undefined;
    this.pending.delete(reqId);
    if (e.timer !== null) this.timers.clearTimeout(e.timer);
    return e;
  }

  private timeout(reqId: number): void {
    const e = this.pending.get(reqId);
    if (!e) return;
    this.timeouts++;
    this.fail(reqId, ours.timeout(e.what, e.timeoutMs, reqId));
    try {
      e.onTimeout?.(reqId);
    } catch {
      // Clean-up after a timeout is best effort; the caller already has its error.
    }
  }
}
