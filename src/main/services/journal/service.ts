// The journal service in the running app: opens the journal, journals every broker event, reconciles, exports and backs up.
import { mkdirSync } from 'node:fs';
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
  };
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
      const view = await deps.broker.brokerView();
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
      const r = await journal.backup(join(dir, `journal-${stamp(now())}.sqlite`));
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
