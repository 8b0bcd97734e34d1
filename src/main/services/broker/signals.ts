// What the broker tells the app: status, notices and broker events, with the counters and last error behind them.
import type { ConnectionStatus } from '../../../core/contract';
import type { BrokerEvent } from '../../../core/broker/events';
import type { Logger } from '../logging';
import type { BrokerError } from './errors';
import type { Timers } from './timers';
import type { BrokerNotice, Unsubscribe } from './types';
import { safe, safeJson } from './wire';

export class Signals {
  readonly counters = { connects: 0, reconnects: 0, decodeErrors: 0, probesSent: 0, probesFailed: 0, lastRttMs: null as number | null, replays: 0, corrections: 0 };
  lastError: ConnectionStatus['lastError'] = null;
  private readonly statusListeners = new Set<(s: ConnectionStatus) => void>();
  private readonly noticeListeners = new Set<(n: BrokerNotice) => void>();
  private readonly eventListeners = new Set<(e: BrokerEvent) => void>();

  constructor(
    private readonly clock: Timers,
    readonly log: Logger | undefined,
    private readonly describe: () => ConnectionStatus,
  ) {}

  onStatus(listener: (s: ConnectionStatus) => void): Unsubscribe {
    this.statusListeners.add(listener);
    return () => this.statusListeners.delete(listener);
  }

  onNotice(listener: (n: BrokerNotice) => void): Unsubscribe {
    this.noticeListeners.add(listener);
    return () => this.noticeListeners.delete(listener);
  }

  onEvent(listener: (e: BrokerEvent) => void): Unsubscribe {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  emitEvent(ev: BrokerEvent): void {
    for (const l of this.eventListeners) safe(() => l(ev));
  }

  notice(n: BrokerNotice): void {
    this.log?.[n.level === 'error' ? 'error' : n.level === 'warn' ? 'warn' : 'info']({ code: n.code, id: n.id }, n.message);
    for (const l of this.noticeListeners) safe(() => l(n));
  }

  emitStatus(): void {
    const s = this.describe();
    for (const l of this.statusListeners) safe(() => l(s));
  }

  recordError(err: BrokerError): void {
    this.lastError = { code: err.code, message: err.userMessage, at: this.clock.now() };
  }

  onDecodeError(what: string, detail: unknown): void {
    this.counters.decodeErrors++;
    this.log?.warn({ what, detail: detail instanceof Error ? detail.message : safeJson(detail) }, 'skipped an unreadable broker message');
  }
}
