// The connection state machine: explicit states, and a transition table whose illegal moves throw.
import type { ConnectionStatus } from '../../../core/contract';

export type ConnState = ConnectionStatus['state'];

const ALLOWED: Readonly<Record<ConnState, readonly ConnState[]>> = {
  disconnected: ['connecting'],
  connecting: ['connected', 'reconnecting', 'disconnected'],
  connected: ['reconnecting', 'disconnected'],
  reconnecting: ['connecting', 'disconnected'],
};

export class IllegalTransitionError extends Error {
  constructor(
    readonly from: ConnState,
    readonly to: ConnState,
  ) {
    super(`Illegal connection transition ${from} → ${to}`);
    this.name = 'IllegalTransitionError';
  }
}

export class ConnectionMachine {
  private current: ConnState = 'disconnected';
  private enteredAt: number;

  constructor(
    private readonly now: () => number,
    private readonly onChange: (from: ConnState, to: ConnState, reason: string) => void = () => undefined,
  ) {
    this.enteredAt = now();
  }

  get state(): ConnState {
    return this.current;
  }

  get since(): number {
    return this.enteredAt;
  }

  can(to: ConnState): boolean {
    return ALLOWED[this.current].includes(to);
  }

  /** Moves to `to`; throws IllegalTransitionError when the table forbids it (a bug, never a broker event). */
  to(to: ConnState, reason: string): void {
    if (!this.can(to)) throw new IllegalTransitionError(this.current, to);
    const from = this.current;
    this.current = to;
    this.enteredAt = this.now();
    this.onChange(from, to, reason);
  }
}
