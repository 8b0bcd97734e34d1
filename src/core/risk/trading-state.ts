// The trading state (ACTIVE / REDUCING / HALTED) decided from the facts that gate order entry; every HALTED names why.

export type TradingState = 'ACTIVE' | 'REDUCING' | 'HALTED';

export type TradingReasonCode =
  | 'OK'
  | 'NOT_CONNECTED'
  | 'LINK_LOST'
  | 'JOURNAL_UNAVAILABLE'
  | 'RECONCILING'
  | 'RECONCILIATION_DIFFERS'
  // Latched by a breaker (core/risk/breakers.ts) until the trader resets it.
  | 'DAILY_LOSS'
  | 'REJECT_STREAK'
  | 'KILL_SWITCH';

export interface TradingFacts {
  connection: 'disconnected' | 'connecting' | 'connected' | 'reconnecting';
  /** IB reported 1100 and has not yet said 1101/1102. */
  linkLost: boolean;
  journalAvailable: boolean;
  /** The reconciliation of this connection: not yet run, running, clean, or still differing after repair. */
  reconciliation: 'pending' | 'running' | 'clean' | 'differs';
  reconciliationSummary?: string;
}

export interface TradingDecision {
  state: TradingState;
  code: TradingReasonCode;
  /** One sentence for the trader. */
  reason: string;
}

/** Order of checks matters: the most basic missing fact is the one reported. */
export function decideTradingState(f: TradingFacts): TradingDecision {
  if (!f.journalAvailable) return { state: 'HALTED', code: 'JOURNAL_UNAVAILABLE', reason: 'The trade journal is not available, so no order can be recorded before it is sent.' };
  if (f.connection !== 'connected') return { state: 'HALTED', code: 'NOT_CONNECTED', reason: 'Not connected to the broker.' };
  if (f.linkLost) return { state: 'HALTED', code: 'LINK_LOST', reason: 'IB reports its link to the servers is lost (1100); orders wait until it is restored.' };
  if (f.reconciliation === 'pending' || f.reconciliation === 'running') return { state: 'HALTED', code: 'RECONCILING', reason: 'Checking the journal against the broker’s orders, fills and positions.' };
  if (f.reconciliation === 'differs') {
    return { state: 'HALTED', code: 'RECONCILIATION_DIFFERS', reason: `The journal and the broker still differ after repair: ${f.reconciliationSummary ?? 'see the Journal tab'}.` };
  }
  return { state: 'ACTIVE', code: 'OK', reason: 'Connected, journal reconciled with the broker.' };
}
