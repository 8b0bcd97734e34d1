// Execution de-duplication by execId: replays are ignored, corrections (.01 → .02) replace the earlier revision.
//
// TWS re-sends executions on reconnect and on every reqExecutions; a fill counted twice is a position that
// does not exist. An execId is "<base>.<revision>": the same base with a higher revision is a correction of
// the same fill and replaces it; the same or a lower revision is a replay. Commission reports follow their
// execId and are de-duplicated the same way.
import { parseExecId } from '../../../core/broker/events';

export type ExecutionVerdict = 'new' | 'correction' | 'replay' | 'stale';

export interface StoredExecution<E> {
  execId: string;
  revision: number;
  value: E;
}

export class ExecutionBook<E = unknown> {
  private readonly byBase = new Map<string, StoredExecution<E>>();
  private readonly commissions = new Set<string>();

  /** Classifies and (for new or correction) stores the execution. */
  apply(execId: string, value: E): ExecutionVerdict {
    const { base, revision } = parseExecId(execId);
    const seen = this.byBase.get(base);
    if (!seen) {
      this.byBase.set(base, { execId, revision, value });
      return 'new';
    }
    if (revision > seen.revision) {
      this.byBase.set(base, { execId, revision, value });
      return 'correction';
    }
    return revision === seen.revision ? 'replay' : 'stale';
  }

  /** Returns true the first time a commission report for this execId is seen. */
  applyCommission(execId: string): boolean {
    if (this.commissions.has(execId)) return false;
    this.commissions.add(execId);
    return true;
  }

  /** The current revision of every fill. */
  current(): E[] {
    return [...this.byBase.values()].map((s) => s.value);
  }

  get size(): number {
    return this.byBase.size;
  }
}
