// A Link is one TCP connection to TWS; SessionHooks are how the facades take part in its life.
import type { IBApi } from '@stoqey/ib';
import { toNewYork } from '../../../core/market';
import type { BrokerError } from './errors';
import type { OrderIdStore } from './order-ids';
import type { TimerHandle } from './timers';
import type { AccountMode, ConnectTarget, HandshakeFacts } from './types';

/** One TCP connection to TWS and what its handshake has told us so far. */
export interface Link {
  ib: IBApi;
  target: ConnectTarget;
  serverVersion: number | null;
  connectionTime: string;
  accounts: string[];
  nextValidId: number | null;
  ready: boolean;
  ended: boolean;
  clientIdInUse: boolean;
  lastError: BrokerError | null;
  settle: { resolve(f: HandshakeFacts): void; reject(e: unknown): void } | null;
  connectTimer: TimerHandle | null;
  probeTimer: TimerHandle | null;
  probeSentAt: number | null;
  accountsTimer: TimerHandle | null;
}

/** What the facades do at each step of the connection's life (registered by the IB facade, run in order). */
export interface SessionHooks {
  /** A new target is about to be connected (order ids, reference-data cache). */
  targetChanging(target: ConnectTarget, orderIdStore: OrderIdStore): void;
  /** A fresh IBApi needs its inbound handlers registered. */
  wire(link: Link): void;
  /** The handshake completed: restore what lived on the previous connection. */
  ready(): void;
  /** A connection came back after a loss: catch up on what happened meanwhile. */
  reconnected(): void;
  /** TWS's link to IBKR is back with data lost (1101): subscribe again. */
  dataLost(): void;
  /** A deliberate disconnect of a working link: cancel subscriptions at TWS first. */
  suspend(): Promise<void>;
  /** The link ended: reset everything that lived on it. */
  dropped(): void;
  /** Shutdown: release everything for good (before the link is dropped). */
  closing(): { flush: Promise<unknown>; afterFlush(): void };
}

/** True inside TWS's daily restart window (New York time), when a disconnect is expected. */
export function inDailyRestartWindow(at: number, window: { startEt: string; minutes: number } | null): boolean {
  if (!window) return false;
  const match = /^(\d{1,2}):(\d{2})$/.exec(window.startEt);
  if (!match) return false;
  const start = Number(match[1]) * 60 + Number(match[2]);
  const now = toNewYork(at).minuteOfDay;
  const since = (now - start + 1440) % 1440;
  return since < window.minutes;
}

export function accountModeOf(target: ConnectTarget, accounts: string[]): AccountMode {
  if (target.simulated) return 'SIMULATED';
  // IBKR paper accounts start with DU (individual) or DF (advisor); a live profile with paper accounts is still paper.
  const allPaper = accounts.length > 0 && accounts.every((a) => /^D[UF]/i.test(a));
  return allPaper || !target.live ? 'PAPER' : 'LIVE';
}
