// The journal service in the running app: opens the journal, journals every broker event, reconciles, exports and backs up.
import { mkdirSync, readdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { JournalStatus } from '../../../core/contract';
import type { BrokerView } from '../../../core/journal';
import type { BrokerEvent } from '../../../core/broker';
import type { EventBus } from '../events';
import type { Logger } from '../logging';
import { type JournalError, type Result, fail, ok } from './errors';
import { type Journal, type ReconciliationResult, type SessionInfo, openJournal } from './index';

export interface JournalServiceDeps {
  dataDir: string;
  bus: EventBus;
  logger: Logger;
  now?: () => number;
  /** The broker's event stream and snapshot (src/main/services/broker Broker: onEvent, brokerView). */
  broker?: {
    onEvent(listener: (event: BrokerEvent) => void): () => void;
    brokerView(): Promise<BrokerView>;
    /** Whether the broker is connected now; reconcile says so instead of failing inside a request. */
    status?(): { state: string };
  };
  /** How many journal backups to keep in `backups/` (oldest pruned after each backup); default 10. */
  backupKeep?: () => number;
}

export interface JournalService {
  /** Null when the journal could not be opened; status() says why. */
  readonly journal: Journal | null;
  status(): JournalStatus;
  reconcile(): Promise<Result<ReconciliationResult, JournalError>>;
  exportCsv(kind: 'trades' | 'executions', fileName?: string): Result<{ path: string; rows: number; bytes: number }, JournalError>;
  backup(): Promise<Result<{ path: string; bytes: number }, JournalError>>;
  /** Records a trading session (call after connecting: profile, account and client id are known then). */
  startSession(info: SessionInfo): Result<number, JournalError>;
  /** Writes buffered broker events now (also runs on every turn of the event loop). */
  flush(): void;
  close(): void;
}

const stamp = (t: number): string => new Date(t).toISOString().replace(/[:.]/g, '-');

export const DEFAULT_BACKUP_KEEP = 10;
const BACKUP_NAME = /^journal-.+\.sqlite$/;

/**
 * `journal-<time>.sqlite`, or `…-2.sqlite`, `…-3.sqlite` when backups share a millisecond: one past the highest
 * counter in use for that time, so a pruned name is never reused and names keep sorting in time order.
 */
function uniqueBackupPath(dir: string, at: string): string {
  const prefix = `journal-${at}`;
  let last = 0;
  for (const n of readdirSync(dir)) {
    if (n === `${prefix}.sqlite` || n === `${prefix}.sqlite.partial`) last = Math.max(last, 1);
    const m = n.startsWith(`${prefix}-`) ? /^-(\d+)\.sqlite(?:\.partial)?$/.exec(n.slice(prefix.length)) : null;
    if (m) last = Math.max(last, Number(m[1]));
  }
  return join(dir, last === 0 ? `${prefix}.sqlite` : `${prefix}-${last + 1}.sqlite`);
}

/** Keeps the newest `keep` backups (names sort by time: ISO stamp, then the same-millisecond counter). */
function pruneBackups(dir: string, keep: number, log: Logger): void {
  const order = (n: string): [string, number] => {
    const m = /^journal-(.+?)(?:-(\d+))?\.sqlite$/.exec(n);
    return [m?.[1] ?? n, Number(m?.[2] ?? 1)];
  };
  const names = readdirSync(dir)
    .filter((n) => BACKUP_NAME.test(n))
    .sort((a, b) => {
      const [ta, na] = order(a);
      const [tb, nb] = order(b);
      return ta < tb ? -1 : ta > tb ? 1 : na - nb;
    });
  for (const n of names.slice(0, Math.max(0, names.length - keep))) {
    try {
      unlinkSync(join(dir, n));
    } catch (e) {
      log.warn({ file: n, err: e instanceof Error ? e.message : String(e) }, 'could not prune an old backup');
    }
  }
}

export function createJournalService(deps: JournalServiceDeps): JournalService {
  const now = deps.now ?? Date.now;
  const log = deps.logger.child({ service: 'journal' });
  const opened = openJournal({ dataDir: deps.dataDir, clock: now });
  const journal = opened.ok ? opened.value.journal : null;
  const warnings = opened.ok ? opened.value.warnings : [opened.error.message];
  let lastReconciliation: JournalStatus['lastReconciliation'] = null;

  if (!opened.ok) {
    // Without a journal no order may be sent (the write-ahead rule cannot be kept); say so plainly.
    log.error({ code: opened.error.code }, opened.error.message);
    deps.bus.emit('app.logged', { level: 'error', message: `Trade journal unavailable — trading is disabled. ${opened.error.message}`, at: now() });
  } else {
    log.info({ file: opened.value.file, status: opened.value.status, migrations: opened.value.migrationsApplied }, 'journal open');
    for (const w of warnings) {
      log.warn(w);
      deps.bus.emit('app.logged', { level: 'warn', message: w, at: now() });
    }
  }

  // Broker events arrive one callback at a time; a burst (a reconnect replaying executions) is
  // written as one transaction per event-loop turn instead of one fsync per event.
  let queue: BrokerEvent[] = [];
  let scheduled = false;
  const announce = (before: Set<number>) => {
    if (before.size > 0) deps.bus.emit('journal.updated', { spreadIds: [...before].sort((a, b) => a - b), at: now() });
  };
  const flush = () => {
    scheduled = false;
    if (!journal) return;
    const batch = queue;
    queue = [];
    const r = batch.length > 0 ? journal.ingestBatch(batch) : null;
    if (r && !r.ok) {
      // Find and log the offending event; keep every good one.
      log.error({ code: r.error.code }, `${r.error.message}; retrying the ${batch.length} events one by one`);
      for (const e of batch) {
        const one = journal.ingest(e);
        if (!one.ok) {
          log.error({ event: e, code: one.error.code }, one.error.message);
          deps.bus.emit('app.logged', { level: 'error', message: `Journal: ${one.error.message}`, at: now() });
        }
      }
    }
    announce(journal.takeChangedSpreads());
  };
  const unsubscribe = deps.broker?.onEvent((event) => {
    queue.push(event);
    if (!scheduled) {
      scheduled = true;
      setImmediate(flush);
    }
  });

  return {
    journal,
    status: () => ({
      available: journal !== null,
      file: opened.ok ? opened.value.file : null,
      openedAs: opened.ok ? opened.value.status : null,
      warnings,
      lastReconciliation,
    }),
    async reconcile() {
      if (!journal) return fail('IO', warnings[0] ?? 'The journal is not open.');
      if (!deps.broker) return fail('IO', 'No broker connection to reconcile with.');
      const notConnected = 'Not connected to the broker: connect first, then reconcile the journal.';
      if (deps.broker.status && deps.broker.status().state !== 'connected') return fail('IO', notConnected);
      let view: BrokerView;
      try {
        view = await deps.broker.brokerView();
      } catch (e) {
        // The connection dropped mid-request: a sentence, not a stack (IO answers UNAVAILABLE on the wire).
        log.warn({ err: e instanceof Error ? e.message : String(e) }, 'reconcile could not read the broker');
        return fail('IO', `${notConnected} (${e instanceof Error ? e.message : String(e)})`);
      }
      flush(); // events that arrived while we waited belong before the comparison
      const r = journal.reconcile(view);
      if (r.ok) {
        lastReconciliation = { id: r.value.reconciliationId, at: r.value.at, clean: r.value.clean, summary: r.value.clean ? 'Journal matches the broker.' : describe(r.value.counts) };
        log.info({ counts: r.value.counts, clean: r.value.clean }, 'reconciled with the broker');
        announce(journal.takeChangedSpreads());
      }
      return r;
    },
    exportCsv(kind, fileName) {
      if (!journal) return fail('IO', warnings[0] ?? 'The journal is not open.');
      const dir = join(deps.dataDir, 'exports');
      try {
        mkdirSync(dir, { recursive: true });
      } catch (e) {
        return fail('IO', `Cannot create ${dir}: ${e instanceof Error ? e.message : String(e)}`);
      }
      const name = fileName ? (fileName.toLowerCase().endsWith('.csv') ? fileName : `${fileName}.csv`) : `${kind}-${stamp(now())}.csv`;
      return journal.exportCsv(kind, join(dir, name));
    },
    async backup() {
      if (!journal) return fail('IO', warnings[0] ?? 'The journal is not open.');
      const dir = join(deps.dataDir, 'backups');
      try {
        mkdirSync(dir, { recursive: true });
      } catch (e) {
        return fail('IO', `Cannot create ${dir}: ${e instanceof Error ? e.message : String(e)}`);
      }
      flush();
      const r = await journal.backup(uniqueBackupPath(dir, stamp(now())));
      if (r.ok) pruneBackups(dir, Math.max(1, deps.backupKeep?.() ?? DEFAULT_BACKUP_KEEP), log);
      return r.ok ? ok({ path: r.value.path, bytes: r.value.bytes }) : r;
    },
    startSession(info) {
      if (!journal) return fail('IO', warnings[0] ?? 'The journal is not open.');
      journal.endSession();
      return journal.startSession(info);
    },
    flush,
    close() {
      unsubscribe?.();
      flush();
      journal?.close();
    },
  };
}

function describe(counts: Record<string, number>): string {
  const words: Record<string, string> = {
    missingExecution: 'missing fill(s) added',
    missingCommission: 'missing commission(s) added',
    orderStateChanged: 'order state(s) updated',
    untrackedAppOrder: 'app order(s) linked',
    externalOrder: 'order(s) placed outside the app recorded',
    orderNoLongerOpen: 'order(s) closed out',
    positionMismatch: 'position(s) adopted from the broker',
  };
  return Object.entries(counts)
    .filter(([, n]) => n > 0)
    .map(([k, n]) => `${n} ${words[k] ?? k}`)
    .join(', ');
}
