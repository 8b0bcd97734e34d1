// How the @stoqey/ib adapter is configured: timeouts, pacing, the line budget and test hooks.
import type { IBApi } from '@stoqey/ib';
import type { Logger } from '../logging';
import type { BackoffOptions } from './backoff';
import type { OrderIdStore } from './order-ids';
import type { Timers } from './timers';
import type { ConnectTarget } from './types';

export interface IbBrokerOptions {
  /** Where the order-id high-water mark lives (broker-order-ids.json). */
  dataDir: string;
  logger?: Logger;
  timers?: Timers;
  pacerRate?: number;
  /** Margin added to the pacer's one-second window for delivery jitter (default 50 ms; tests on an accelerated clock scale it). */
  pacerGuardMs?: number;
  lineBudget?: number;
  connectTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** A socket quiet for this long is probed with reqCurrentTime. */
  probeIntervalMs?: number;
  /** No message at all this long after the probe = dead. */
  probeTimeoutMs?: number;
  orderAckTimeoutMs?: number;
  snapshotTimeoutMs?: number;
  backoff?: BackoffOptions;
  /** TWS's daily auto-restart (New York time): a disconnect inside it is expected, not alarming. */
  dailyRestart?: { startEt: string; minutes: number } | null;
  /** Override the order-id store (tests). */
  orderIdStore?: (target: ConnectTarget) => OrderIdStore;
  /** Override how the client is built (tests). */
  createApi?: (options: { host: string; port: number; clientId: number; maxReqPerSec: number }) => IBApi;
}

export type Timeouts = Required<Pick<IbBrokerOptions, 'connectTimeoutMs' | 'requestTimeoutMs' | 'probeIntervalMs' | 'probeTimeoutMs' | 'orderAckTimeoutMs' | 'snapshotTimeoutMs'>>;

const DEFAULTS: Timeouts = {
  connectTimeoutMs: 10_000,
  requestTimeoutMs: 20_000,
  // A frozen TWS is found within interval + timeout = 10 s (issue 17: under 15 s); see README "Frozen TWS".
  probeIntervalMs: 5_000,
  probeTimeoutMs: 5_000,
  orderAckTimeoutMs: 10_000,
  snapshotTimeoutMs: 15_000,
};

export function timeoutsOf(options: IbBrokerOptions): Timeouts {
  return {
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULTS.connectTimeoutMs,
    requestTimeoutMs: options.requestTimeoutMs ?? DEFAULTS.requestTimeoutMs,
    probeIntervalMs: options.probeIntervalMs ?? DEFAULTS.probeIntervalMs,
    probeTimeoutMs: options.probeTimeoutMs ?? DEFAULTS.probeTimeoutMs,
    orderAckTimeoutMs: options.orderAckTimeoutMs ?? DEFAULTS.orderAckTimeoutMs,
    snapshotTimeoutMs: options.snapshotTimeoutMs ?? DEFAULTS.snapshotTimeoutMs,
  };
}
