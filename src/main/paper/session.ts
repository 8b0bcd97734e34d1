// One client connection: handshake, framing, pacing, and batched (optionally delayed) writes.
import type { Socket } from 'node:net';
import { encodeServerHello, FrameBatch, FrameReader, FramingError } from './wire/framing';
import * as enc from './wire/encode';
import { negotiateVersion } from './wire/versions';
import { DecodeError, decodeRequest, type Request } from './wire/decode';
import { RateLimiter, type PacingOptions } from './limiter';
import type { Clock } from '../../core/sim/clock';

/** What a session needs from the exchange that owns it. */
export interface SessionHost {
  readonly limiterClock: Clock;
  readonly pacing: PacingOptions;
  /**
   * A lower bound on when data read now reached the socket: the exchange's heartbeat before last (data that
   * arrived earlier would have been read in an earlier turn of the event loop). `now` when there is no such
   * bound (an injected limiter clock), which stamps at processing time.
   */
  arrivalFloor(now: number): number;
  /** Added latency for outbound messages (fault injection), in wall milliseconds. */
  outboundLatencyMs(session: Session): number;
  connectionTime(): string;
  onStartApi(session: Session, clientId: number): boolean;
  onRequest(session: Session, req: Request): void;
  onClosed(session: Session): void;
  log(line: string): void;
}

const HIGH_WATER = 8 * 1024 * 1024;

export class Session {
  clientId: number | null = null;
  serverVersion = 0;
  state: 'hello' | 'start' | 'ready' | 'closed' = 'hello';
  /** Market data type chosen by reqMarketDataType (1 live, 2 frozen, 3 delayed, 4 delayed-frozen). */
  marketDataType = 1;
  connectOptions = '';
  readonly limiter: RateLimiter;
  readonly connectedAt: number;
  readonly remote: string;
  outMessages = 0;
  outBytes = 0;
  private readonly reader = new FrameReader();
  private batch = new FrameBatch();
  private flushQueued = false;
  private readonly delayed: { due: number; buf: Buffer }[] = [];
  private delayTimer: NodeJS.Timeout | null = null;

  constructor(
    readonly socket: Socket,
    readonly connId: number,
    private readonly host: SessionHost,
  ) {
    this.limiter = new RateLimiter(host.limiterClock, host.pacing);
    this.connectedAt = Date.now();
    this.remote = `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
    socket.setNoDelay(true);
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => this.close());
    socket.on('close', () => this.close());
  }

  get isReady(): boolean {
    return this.state === 'ready';
  }

  /** Bytes queued in the kernel-side socket buffer; the pusher skips a slow reader rather than pile up. */
  get backlog(): number {
    return this.socket.writableLength + this.batch.bytes;
  }

  get congested(): boolean {
    return this.backlog > HIGH_WATER;
  }

  private onData(chunk: Buffer): void {
    if (this.state === 'closed') return;
    // The arrival interval of every message in this chunk: after the exchange's heartbeat before last (so across a
    // stall of the event loop), no later than now. The limiter stamps within it.
    const now = this.host.limiterClock.now();
    const arrival = { earliest: this.host.arrivalFloor(now), latest: now };
    this.reader.push(chunk);
    try {
      for (;;) {
        const item = this.reader.next();
        if (!item) break;
        if (item.kind === 'hello') {
          this.onHello(item.min, item.max, item.options);
          continue;
        }
        this.onMessage(item.fields, arrival);
        if ((this.state as Session['state']) === 'closed') return;
      }
    } catch (e) {
      // Bad framing closes this connection; anything unexpected is logged and closes it too — never the server.
      this.host.log(`conn ${this.connId}: ${e instanceof FramingError ? e.message : `unexpected error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`}; closing`);
      this.close();
    }
  }

  private onHello(min: number, max: number, options: string): void {
    const v = negotiateVersion(min, max);
    if (v === null) {
      this.host.log(`conn ${this.connId}: no common version with client v${min}..${max}; closing`);
      this.close();
      return;
    }
    this.serverVersion = v;
    this.connectOptions = options;
    this.state = 'start';
    // Sent alone: the official Python client keeps only the first frame of the buffer it reads here.
    this.socket.write(encodeServerHello(v, this.host.connectionTime()));
  }

  private onMessage(fields: string[], arrival: { earliest: number; latest: number }): void {
    if (this.state === 'hello') return;
    const verdict = this.limiter.admit(arrival);
    if (!verdict.ok) {
      // One error 100 per refused message, so a client knows exactly which requests went unanswered.
      this.error(-1, 100, verdict.report);
      if (verdict.disconnect) {
        this.host.log(`conn ${this.connId} client ${this.clientId ?? '?'}: pacing violations; disconnecting`);
        this.flush();
        this.end();
      }
      return;
    }
    let req: Request;
    try {
      req = decodeRequest(this.serverVersion, fields);
    } catch (e) {
      const err = e instanceof DecodeError ? e : new DecodeError(String(e));
      this.error(err.id, 320, `Error reading request.-'${fields[0] ?? ''}' : cause - ${err.message}`);
      return;
    }
    if (this.state === 'start') {
      if (req.type !== 'startApi') return; // TWS ignores requests before startApi
      if (this.host.onStartApi(this, req.clientId)) this.state = 'ready';
      return;
    }
    if (req.type === 'startApi') {
      this.error(-1, 321, "Error validating request.-'startApi' : cause - API already started");
      return;
    }
    try {
      this.host.onRequest(this, req);
    } catch (e) {
      const id = 'reqId' in req ? req.reqId : 'orderId' in req ? req.orderId : -1;
      this.host.log(`conn ${this.connId}: handler error for ${req.type}: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}`);
      this.error(id, 322, `Error processing request.-'${req.type}' : cause - internal error in the paper exchange`);
    }
  }

  /** Queues one message; batches are written once per event-loop turn. */
  send(fields: enc.Fields): void {
    if (this.state === 'closed') return;
    this.batch.add(fields);
    this.outMessages++;
    if (!this.flushQueued) {
      this.flushQueued = true;
      setImmediate(() => this.flush());
    }
  }

  error(id: number, code: number, message: string, advancedJson = ''): void {
    this.send(enc.error(this.serverVersion, id, code, message, advancedJson));
  }

  /** Writes the pending batch now (or after the injected latency). */
  flush(): void {
    this.flushQueued = false;
    if (this.state === 'closed' || this.batch.count === 0) return;
    const buf = this.batch.take();
    this.outBytes += buf.length;
    const latency = this.host.outboundLatencyMs(this);
    if (latency <= 0 && this.delayed.length === 0) {
      this.socket.write(buf);
      return;
    }
    this.delayed.push({ due: Date.now() + latency, buf });
    this.scheduleDelayed();
  }

  private scheduleDelayed(): void {
    if (this.delayTimer || this.delayed.length === 0) return;
    const head = this.delayed[0];
    const wait = Math.max(0, (head?.due ?? 0) - Date.now());
    this.delayTimer = setTimeout(() => {
      this.delayTimer = null;
      const now = Date.now();
      while (this.delayed.length > 0 && (this.delayed[0]?.due ?? 0) <= now) {
        const item = this.delayed.shift();
        if (item && this.state !== 'closed') this.socket.write(item.buf);
      }
      this.scheduleDelayed();
    }, wait);
  }

  /** Graceful close: pending data is flushed first. */
  end(): void {
    if (this.state === 'closed') return;
    this.flush();
    for (const d of this.delayed.splice(0)) this.socket.write(d.buf);
    this.socket.end();
    this.close();
  }

  /** Hard close (drop the socket). */
  close(): void {
    if (this.state === 'closed') return;
    this.state = 'closed';
    if (this.delayTimer) clearTimeout(this.delayTimer);
    this.delayed.length = 0;
    if (!this.socket.writableEnded) this.socket.destroySoon();
    this.host.onClosed(this);
  }

  destroy(): void {
    this.socket.destroy();
    this.close();
  }
}
