// The broker Session: one TWS connection at a time — connect, handshake, liveness probe, reconnect, and the paced
// request path every facade sends through (ib_insync's "client").
// Length (~430 lines): connect, probe, reconnect and the paced request path share one link's lifecycle.
//
// A Link is one TCP connection (a fresh IBApi each time, so nothing queued for a dead socket can leak into the
// next one). connect() is single-flight: a call for the target already being connected joins that attempt, a
// call for another target waits until the attempt in flight has settled (so the target never changes under a
// live socket), and a disconnect cancels both the attempt and every connect queued before it. The facades
// (market data, account, orders, reference data) hook into the lifecycle instead of the session knowing them.
// Length (~420 lines): the lifecycle is one state machine (attempt → ready → lost → reconnect → drop); its
// transitions read best side by side, so they are not split further.
import type { IBApi } from '@stoqey/ib';
import { ibModule } from './ib-module';
import { join } from 'node:path';
import type { ConnectionStatus } from '../../../core/contract';
import { type Result, failed, ok } from '../../../core/result';
import { Backoff } from './backoff';
import { ConnectionMachine } from './connection-state';
import { BrokerError, ConnectFailedError, ClientIdInUseError, fromBrokerCode, ours } from './errors';
import { RateMeter } from './metrics';
import { fileOrderIdStore, ORDER_IDS_FILE } from './order-ids';
import { type IbBrokerOptions, type Timeouts, timeoutsOf } from './options';
import { Pacer, type PacedJob, type PacerPriority } from './pacer';
import { RequestRegistry } from './requests';
import { realTimers, type TimerHandle, type Timers } from './timers';
import { type Link, type SessionHooks, accountModeOf, inDailyRestartWindow } from './link';
import { Signals } from './signals';
import type { ConnectTarget, HandshakeFacts } from './types';
import { noDelay, sameTarget, withTimeout } from './wire';

export class Session extends Signals {
  readonly timers: Timers;
  readonly opts: Timeouts;
  readonly machine: ConnectionMachine;
  readonly pacer: Pacer;
  readonly registry: RequestRegistry;
  readonly messagesIn: RateMeter;
  readonly messagesOut: RateMeter;
  readonly errorsByCode = new Map<number, number>();
  link: Link | null = null;
  target: ConnectTarget | null = null;
  wantConnected = false;
  closed = false;
  linkLost = false;
  facts: HandshakeFacts | null = null;
  nextRetryAt: number | null = null;
  lastMessageAt: number | null = null;
  lastDisconnectReason: string | null = null;
  statusMessage = 'Not connected.';
  expectedOutage = false;
  private readonly backoff: Backoff;
  private reconnectTimer: TimerHandle | null = null;
  private hadConnection = false;
  /** The connect in flight (joined by calls for the same target) and the tail of the queue behind it. */
  private connectFlight: { target: ConnectTarget; promise: Promise<HandshakeFacts> } | null = null;
  private connectQueue: Promise<unknown> = Promise.resolve();
  /** Bumped by disconnect/close: a connect queued before it must not run after it. */
  private epoch = 0;

  constructor(
    private readonly options: IbBrokerOptions,
    private readonly hooks: SessionHooks,
    /** The public status (the IB facade adds lines and market-data type). */
    describe: () => ConnectionStatus,
  ) {
    const timers = options.timers ?? realTimers;
    super(timers, options.logger, describe);
    this.timers = timers;
    this.opts = timeoutsOf(options);
    this.machine = new ConnectionMachine(() => this.timers.now());
    this.pacer = new Pacer({ timers: this.timers, ratePerSecond: options.pacerRate ?? 45, guardMs: options.pacerGuardMs });
    this.pacer.pause();
    this.registry = new RequestRegistry(this.timers);
    this.messagesIn = new RateMeter(this.timers, 10);
    this.messagesOut = new RateMeter(this.timers, 10);
    this.backoff = new Backoff(options.backoff);
  }

  private transition(to: ConnectionStatus['state'], message: string): void {
    this.machine.to(to, message);
    this.statusMessage = message;
    this.emitStatus();
  }

  // ——————————————————————————— requests ———————————————————————————

  /** Connected with a completed handshake. */
  isReady(): boolean {
    return this.machine.state === 'connected' && !!this.link?.ready;
  }

  tradingAllowed(): Result<void, BrokerError> {
    if (!this.isReady()) return failed(ours.notConnected('Orders need a broker connection; SpreadDesk is not connected.'));
    if (this.linkLost) return failed(ours.linkDown());
    return ok(undefined);
  }

  send(priority: PacerPriority, label: string, fn: (ib: IBApi) => void): PacedJob {
    return this.pacer.enqueue(
      priority,
      () => {
        const s = this.link;
        if (!s || s.ended) throw ours.notConnected();
        fn(s.ib);
      },
      label,
    );
  }

  requireConnected(): void {
    if (!this.isReady()) throw ours.notConnected('Not connected to the broker; the request was not sent.');
  }

  /** The one shape of every request: id, promise, paced send, End or error, timeout. */
  request<I, T>(kind: string, priority: PacerPriority, what: string, sendFn: (ib: IBApi, reqId: number) => void, finish: (items: I[]) => T, opts: { reqId?: number; timeoutMs?: number; onTimeout?: (reqId: number) => void } = {}): Promise<T> {
    this.requireConnected();
    const { reqId, promise } = this.registry.begin<I, T>({ kind, what, timeoutMs: opts.timeoutMs ?? this.opts.requestTimeoutMs, finish, onTimeout: opts.onTimeout }, opts.reqId);
    const job = this.send(priority, kind, (api) => {
      sendFn(api, reqId);
      this.registry.sent(reqId);
    });
    job.promise.catch((e: unknown) => this.registry.fail(reqId, e instanceof BrokerError ? e : ours.disconnected(what)));
    return promise;
  }

  /** Resolves when connected or after `ms` (whichever comes first). */
  untilConnected(ms: number): Promise<void> {
    return new Promise((resolve) => {
      let timer: TimerHandle | null = null;
      const off = this.onStatus((st) => {
        if (st.state !== 'connected') return;
        off();
        if (timer !== null) this.timers.clearTimeout(timer);
        resolve();
      });
      timer = this.timers.setTimeout(() => {
        off();
        resolve();
      }, ms);
    });
  }

  // ——————————————————————————— connect / disconnect ———————————————————————————

  /** Single-flight: joins an attempt for the same target, queues behind one for another (see module header). */
  connect(target: ConnectTarget): Promise<HandshakeFacts> {
    if (this.closed) return Promise.reject(ours.notConnected('The broker layer is shut down.'));
    const flight = this.connectFlight;
    if (flight && sameTarget(flight.target, target)) return flight.promise;
    const epoch = this.epoch;
    const run = this.connectQueue.then(() => {
      if (this.closed) throw ours.notConnected('The broker layer is shut down.');
      if (epoch !== this.epoch) throw ours.notConnected(`The connection to ${target.host}:${target.port} was cancelled: you disconnected before it started.`);
      return this.connectNow(target);
    });
    const mine = { target: { ...target }, promise: run };
    this.connectFlight = mine;
    this.connectQueue = run.catch(() => undefined);
    void this.connectQueue.then(() => {
      if (this.connectFlight === mine) this.connectFlight = null;
    });
    return run;
  }

  private async connectNow(target: ConnectTarget): Promise<HandshakeFacts> {
    if (this.machine.state === 'connected' && this.facts && sameTarget(this.target, target)) return this.facts;
    if (this.machine.state !== 'disconnected') await this.disconnectNow();
    this.target = { ...target };
    this.wantConnected = true;
    this.hadConnection = false;
    this.backoff.reset();
    const store = this.options.orderIdStore ? this.options.orderIdStore(target) : fileOrderIdStore(join(this.options.dataDir, ORDER_IDS_FILE), `${target.profile}:${target.clientId}`);
    this.hooks.targetChanging(this.target, store);
    this.transition('connecting', `Connecting to ${target.host}:${target.port} as client ${target.clientId}…`);
    return this.attempt();
  }

  /** Cancels a connect in flight and any queued behind it, then closes the link. */
  disconnect(): Promise<void> {
    this.epoch++;
    return this.disconnectNow();
  }

  private async disconnectNow(): Promise<void> {
    this.wantConnected = false;
    this.clearReconnectTimer();
    const s = this.link;
    // Cancel lines and P&L streams at TWS first, so nothing stays subscribed if the socket lingers.
    if (s?.ready && !s.ended) await this.hooks.suspend();
    this.dropLink('You disconnected.', ours.disconnected('the request'), true);
    this.facts = null;
    if (this.machine.state !== 'disconnected') this.transition('disconnected', 'Disconnected.');
    else this.emitStatus();
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.epoch++;
    this.wantConnected = false;
    this.clearReconnectTimer();
    const s = this.link;
    const closing = this.hooks.closing();
    if (s?.ready && !s.ended) await withTimeout(closing.flush, 2_000);
    closing.afterFlush();
    this.dropLink('SpreadDesk is shutting down.', ours.disconnected('the request'), true);
    if (this.machine.state !== 'disconnected') this.transition('disconnected', 'Disconnected.');
    this.closed = true;
    this.pacer.close();
  }

  private attempt(): Promise<HandshakeFacts> {
    const target = this.target;
    if (!target) return Promise.reject(ours.notConnected());
    const ib = (this.options.createApi ?? ((o) => new (ibModule().IBApi)(o)))({
      host: target.host,
      port: target.port,
      clientId: target.clientId,
      // Our pacer is the only throttle; @stoqey's own limiter (default 40/s) must never queue behind it.
      maxReqPerSec: 100_000,
    });
    const link: Link = {
      ib, target, serverVersion: null, connectionTime: '', accounts: [], nextValidId: null, ready: false, ended: false,
      clientIdInUse: false, lastError: null, settle: null, connectTimer: null, probeTimer: null, probeSentAt: null, accountsTimer: null,
    };
    this.link = link;
    this.hooks.wire(link);
    return new Promise<HandshakeFacts>((resolve, reject) => {
      link.settle = { resolve, reject };
      link.connectTimer = this.timers.setTimeout(() => {
        link.connectTimer = null;
        this.attemptFailed(link, new ConnectFailedError('connect-failed', { code: 502, userMessage: `TWS at ${target.host}:${target.port} did not complete the API handshake within ${Math.round(this.opts.connectTimeoutMs / 1000)} s. Is the API enabled, and is another dialog open in TWS?` }));
      }, this.opts.connectTimeoutMs);
      try {
        // The handshake and startApi bypass the queue; they still count against TWS's rate.
        this.pacer.recordExternal(2);
        ib.connect(target.clientId);
        // Nagle's algorithm holds each small write until the previous one is acknowledged (delayed ACK: up to 40 ms on
        // Linux, 200 ms on Windows and macOS) and then sends them together, so TWS would meter a burst the pacer never
        // sent. With it off, a message reaches the wire when the pacer releases it.
        noDelay(ib);
      } catch (e) {
        this.attemptFailed(link, new ConnectFailedError('connect-failed', { code: 502, cause: e }));
      }
    });
  }

  /** nextValidId arrived: the queue may run; ask for the accounts if TWS did not send them first. */
  onNextValidId(link: Link, id: number): void {
    link.nextValidId = id;
    // @stoqey releases its command queue on nextValidId; ours may run from now on too.
    this.pacer.resume();
    if (!link.ready && link.accounts.length === 0 && link.accountsTimer === null) {
      // ib_async waits for both; TWS normally sends the accounts first — ask if it did not.
      link.accountsTimer = this.timers.setTimeout(() => {
        link.accountsTimer = null;
        if (!link.ready && this.link === link) this.send('order', 'reqManagedAccts', (api) => api.reqManagedAccts());
      }, 1_000);
    }
    this.maybeReady(link);
  }

  maybeReady(link: Link): void {
    if (link.ready || link.ended || link.nextValidId === null || link.accounts.length === 0) return;
    const target = link.target;
    link.ready = true;
    if (link.connectTimer !== null) this.timers.clearTimeout(link.connectTimer);
    if (link.accountsTimer !== null) this.timers.clearTimeout(link.accountsTimer);
    link.connectTimer = link.accountsTimer = null;
    const reconnect = this.hadConnection;
    this.hadConnection = true;
    this.counters.connects++;
    if (reconnect) this.counters.reconnects++;
    this.backoff.reset();
    this.linkLost = false;
    this.expectedOutage = false;
    const facts: HandshakeFacts = {
      serverVersion: link.serverVersion ?? link.ib.serverVersion,
      connectionTime: link.connectionTime,
      accounts: link.accounts,
      accountMode: accountModeOf(target, link.accounts),
      nextValidId: link.nextValidId,
      clientId: target.clientId,
      host: target.host,
      port: target.port,
      connectedAt: this.timers.now(),
    };
    this.facts = facts;
    const label = `${facts.accountMode} ${facts.accounts.join(', ')}`;
    this.transition('connected', `Connected to ${target.host}:${target.port} (API ${facts.serverVersion}, ${label}).`);
    this.pacer.resume();
    this.hooks.ready();
    this.startProbe(link);
    this.notice({ level: 'info', code: null, message: reconnect ? `Reconnected to ${target.host}:${target.port}; subscriptions restored.` : this.statusMessage, at: this.timers.now() });
    if (reconnect) this.hooks.reconnected();
    const settle = link.settle;
    link.settle = null;
    settle?.resolve(facts);
  }

  attemptFailed(link: Link, error: BrokerError): void {
    if (this.link !== link || link.ended) return;
    if (link.ready) {
      this.connectionLost(link, error.userMessage);
      return;
    }
    const err = link.clientIdInUse ? fromBrokerCode(326, 'client id is already in use') : error;
    this.recordError(err);
    const settle = link.settle;
    link.settle = null;
    this.endLink(link);
    this.link = null;
    this.pacer.pause();
    if (this.wantConnected) {
      this.transition('reconnecting', `${err.userMessage} Retrying…`);
      this.scheduleReconnect();
    } else if (this.machine.state !== 'disconnected') this.transition('disconnected', err.userMessage);
    settle?.reject(err);
  }

  socketClosed(link: Link): void {
    if (link.ready) this.connectionLost(link, 'TWS closed the connection.');
    else
      this.attemptFailed(
        link,
        link.clientIdInUse
          ? new ClientIdInUseError('client-id-in-use', { code: 326 })
          : (link.lastError ?? new ConnectFailedError('connect-failed', { code: 502, userMessage: `Could not connect to TWS at ${link.target.host}:${link.target.port}: the connection was refused or closed. Is TWS / IB Gateway running with the API enabled on this port?` })),
      );
  }

  /** A working connection died (socket closed, probe unanswered): clean up and reconnect. */
  private connectionLost(link: Link, reason: string): void {
    if (this.link !== link || link.ended) return;
    this.lastDisconnectReason = reason;
    this.expectedOutage = inDailyRestartWindow(this.timers.now(), this.options.dailyRestart === undefined ? { startEt: '23:45', minutes: 20 } : this.options.dailyRestart);
    this.dropLink(reason, ours.disconnected('the request'), false);
    const message = this.expectedOutage
      ? `TWS is in its daily restart window; SpreadDesk reconnects automatically when it is back. (${reason})`
      : `Connection to TWS lost: ${reason} Reconnecting…`;
    this.notice({ level: this.expectedOutage ? 'info' : 'warn', code: null, message, at: this.timers.now() });
    if (this.wantConnected) {
      this.transition('reconnecting', message);
      this.scheduleReconnect();
    } else if (this.machine.state !== 'disconnected') this.transition('disconnected', 'Disconnected.');
  }

  /** Ends the current link and resets everything that lived on it. */
  private dropLink(reason: string, error: BrokerError, deliberate: boolean): void {
    const s = this.link;
    this.link = null;
    if (s) {
      const settle = s.settle;
      s.settle = null;
      this.endLink(s);
      settle?.reject(deliberate ? ours.disconnected('connecting') : error);
    }
    this.pacer.pause();
    this.pacer.clear(error);
    this.registry.failAll((what) => ours.disconnected(what));
    this.linkLost = false;
    this.hooks.dropped();
    this.log?.info({ reason, deliberate }, 'broker session ended');
  }

  private endLink(s: Link): void {
    s.ended = true;
    for (const t of [s.connectTimer, s.probeTimer, s.accountsTimer]) if (t !== null) this.timers.clearTimeout(t);
    s.connectTimer = s.probeTimer = s.accountsTimer = null;
    try {
      s.ib.removeAllListeners();
      s.ib.disconnect();
    } catch {
      // The socket may already be gone.
    }
  }

  private scheduleReconnect(): void {
    this.clearReconnectTimer();
    const delay = this.backoff.next();
    this.nextRetryAt = this.timers.now() + delay;
    this.emitStatus();
    this.reconnectTimer = this.timers.setTimeout(() => {
      this.reconnectTimer = null;
      this.nextRetryAt = null;
      if (!this.wantConnected || this.closed) return;
      this.transition('connecting', `Reconnecting to ${this.target?.host}:${this.target?.port} (attempt ${this.backoff.attempts})…`);
      this.attempt().catch(() => undefined);
    }, delay);
  }

  private clearReconnectTimer(): void {
    if (this.reconnectTimer !== null) this.timers.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = null;
    this.nextRetryAt = null;
  }

  /** The probe of this link: the profile's settings when it has them, else the adapter's options. */
  private probeOf(link: Link): { intervalMs: number; timeoutMs: number } {
    return link.target.probe ?? { intervalMs: this.opts.probeIntervalMs, timeoutMs: this.opts.probeTimeoutMs };
  }

  private startProbe(link: Link): void {
    const { intervalMs, timeoutMs } = this.probeOf(link);
    // Checked every quarter of the shorter period (≤ 500 ms), so detection lands within interval + timeout + ½ s.
    const check = Math.max(50, Math.min(500, intervalMs / 4, timeoutMs / 4));
    const tick = () => {
      link.probeTimer = null;
      if (this.link !== link || link.ended) return;
      const now = this.timers.now();
      const last = this.lastMessageAt ?? 0;
      if (link.probeSentAt !== null) {
        if (last > link.probeSentAt) link.probeSentAt = null; // anything heard back is proof of life
        else if (now - link.probeSentAt >= timeoutMs) {
          this.counters.probesFailed++;
          this.connectionLost(link, `TWS did not answer the liveness probe within ${Math.round(timeoutMs / 1000)} s; it may be frozen.`);
          return;
        }
      } else if (now - last >= intervalMs) {
        link.probeSentAt = now;
        this.counters.probesSent++;
        this.send('order', 'reqCurrentTime', (api) => api.reqCurrentTime());
      }
      link.probeTimer = this.timers.setTimeout(tick, check);
    };
    link.probeTimer = this.timers.setTimeout(tick, check);
  }

  /** TWS's link to IBKR is back but data was lost (1101): the facades subscribe again. */
  dataLost(): void {
    this.hooks.dataLost();
  }
}
