// The trade journal service: the write-ahead record of intents, orders, fills and P&L in one SQLite file.
// Length (~550 lines): one class owns the connection, its prepared statements and the trade-record cache; its reads,
// ingestion and exports already live in reads.ts, ingest.ts and export.ts, and what is left shares that state.
//
// Every public write is one transaction. `recordIntent` and `recordSubmission` commit (WAL with
// synchronous=FULL, so fsynced) before they return: only then may the order be sent. Broker events
// are folded in idempotently, one at a time or in batches.
import type Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { type Analytics, type BrokerView, type JournalView, type ReconReport, type TicketIntent, type TradeFilter, type TradeRecord, TicketIntent as TicketIntentSchema, computeAnalytics, filterTrades, fromMicros, syntheticClose, reconcile, toMicros, toMicrosOrNull } from '../../../core/journal';
import { type BrokerEvent, orderKey } from '../../../core/broker';
import { type GroupedPositions, groupPositions } from '../../../core/portfolio/positions';
import { type JournalError, type Result, fail, ioFailure, ok } from './errors';
import { writeFileAtomic } from '../../fs/atomic-write';
import { issuesSentence } from '../../transport/issues';
import { type BackupInfo, backupTo, executionsCsv, tradesCsv } from './export';
import { type EventSource, type IngestOutcome, Ingestor, SYNTHETIC_PREFIX } from './ingest';
import { fullView, loadExecutionsForExport, loadHoldings, loadStoredTrades, loadTrades, scopedView, storeTrades } from './reads';
import { readOverview } from './overview';

export interface JournalDeps {
  /** Epoch ms; defaults to Date.now. */
  clock?: () => number;
  /** Checkpoint the WAL once writes have paused this long (ms); 0 turns the idle checkpointer off. */
  idleCheckpointMs?: number;
  /** Ticket ids double as the orderRef TWS echoes on every execution: short, unique across journals. */
  newTicketId?: () => string;
}

export interface SessionInfo {
  appVersion: string;
  profile: string;
  account?: string | null;
  clientId?: number | null;
  simulated: boolean;
}

export interface IntentRecorded {
  ticketId: string;
  spreadId: number;
  /** The orders row, when the intent carried the broker order id. */
  orderRow: number | null;
}

export interface SubmissionInput {
  ticketId: string;
  orderId: number;
  clientId: number;
  /** IBKR combo convention, like TicketIntent.limitPrice. */
  limitPrice: number;
  quantity?: number;
}

export interface BatchOutcome {
  stored: number;
  duplicates: number;
}

export interface RiskEventInput {
  kind: string; // 'denied' | 'breaker' | 'state' | …
  code: string;
  message: string;
  ticketId?: string | null;
  details?: unknown;
  at?: number;
}

export interface ReconciliationResult extends ReconReport {
  reconciliationId: number;
  at: number;
}

export interface ReconcileOptions {
  /** Underlying prices by symbol: an in-the-money leg that vanished at expiry is booked at its intrinsic value. */
  underlyingPrices?: Record<string, number>;
}

/** TWS's UTC execution time form, `YYYYMMDD-HH:MM:SS`. */
function twsUtcTime(t: number): string {
  const iso = new Date(t).toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}-${iso.slice(11, 19)}`;
}

export const defaultTicketId = (): string => `sd-${Date.now().toString(36)}-${randomBytes(4).toString('hex')}`;

export class Journal {
  private readonly clock: () => number;
  private readonly newTicketId: () => string;
  private readonly ingestor: Ingestor;
  private readonly s;
  private session: number | null = null;
  private closed = false;
  // Transaction wrappers made once: better-sqlite3 builds them per call otherwise.
  private readonly txIngest: (event: BrokerEvent, source: EventSource) => IngestOutcome;
  private readonly txBatch: (events: readonly BrokerEvent[], source: EventSource) => BatchOutcome;
  private readonly idleCheckpointMs: number;
  private checkpointTimer: ReturnType<typeof setTimeout> | null = null;
  private lastWriteAt = 0;
  /** Trade records by spread id, loaded once and refreshed for the spreads writes touched. */
  private tradeCache: Map<number, TradeRecord> | null = null;
  /** PRAGMA data_version when the cache was loaded: another connection's commit changes it (the cache cannot see those). */
  private tradeCacheDataVersion = 0;
  private readonly dirtySpreads = new Set<number>();
  private changedSpreads = new Set<number>();

  constructor(
    readonly db: Database.Database,
    readonly file: string | null,
    deps: JournalDeps = {},
  ) {
    this.clock = deps.clock ?? Date.now;
    this.newTicketId = deps.newTicketId ?? defaultTicketId;
    this.ingestor = new Ingestor(db, () => this.session, (id) => this.touch(id));
    // Checkpoints copy the WAL back into the database file and fsync it: tens of ms for a full
    // WAL. SQLite runs them inside whichever commit crosses the threshold, so the journal moves
    // them to quiet moments instead and keeps the automatic one only as a backstop for bursts.
    this.idleCheckpointMs = file === null ? 0 : (deps.idleCheckpointMs ?? 250);
    if (this.idleCheckpointMs > 0) db.pragma('wal_autocheckpoint = 4000');
    this.txIngest = db.transaction((event: BrokerEvent, source: EventSource) => this.ingestor.ingest(event, source));
    this.txBatch = db.transaction((events: readonly BrokerEvent[], source: EventSource) => {
      const counts: BatchOutcome = { stored: 0, duplicates: 0 };
      for (const e of events) {
        if (this.ingestor.ingest(e, source) === 'stored') counts.stored++;
        else counts.duplicates++;
      }
      return counts;
    });
    const p = (sql: string) => db.prepare(sql);
    this.s = {
      insertSession: p('INSERT INTO sessions (started_at, app_version, profile, account, client_id, simulated) VALUES (?, ?, ?, ?, ?, ?)'),
      endSession: p('UPDATE sessions SET ended_at = ? WHERE id = ?'),
      insertSpread: p(`INSERT INTO spread_positions (underlying, kind, right, expiry, long_strike_u, short_strike_u, multiplier, long_con_id, short_con_id, account, created_at)
        VALUES (@underlying, @kind, @right, @expiry, @long_strike_u, @short_strike_u, @multiplier, @long_con_id, @short_con_id, @account, @created_at)`),
      spreadExists: p('SELECT 1 FROM spread_positions WHERE id = ?').pluck(),
      insertTicket: p(`INSERT INTO tickets (id, session_id, spread_id, purpose, created_at, created_by, account, action, quantity, limit_u, mid_u,
        pricing_policy, preview, pop_at_entry, max_loss_u, max_profit_u, risk_verdict, risk_reasons)
        VALUES (@id, @session_id, @spread_id, @purpose, @created_at, @created_by, @account, @action, @quantity, @limit_u, @mid_u,
        @pricing_policy, @preview, @pop_at_entry, @max_loss_u, @max_profit_u, @risk_verdict, @risk_reasons)`),
      insertLeg: p('INSERT INTO ticket_legs (ticket_id, leg_index, con_id, action, ratio, expiry, strike_u, right) VALUES (?, ?, ?, ?, ?, ?, ?, ?)'),
      ticket: p('SELECT id, quantity, account, action FROM tickets WHERE id = ?'),
      insertOrder: p(`INSERT INTO orders (ticket_id, origin, order_ref, order_id, client_id, account, action, order_type, total_qty_u, limit_u, status, filled_u, remaining_u, created_at, updated_at)
        VALUES (@ticket_id, 'app', @ticket_id, @order_id, @client_id, @account, @action, 'LMT', @total_qty_u, @limit_u, 'PendingSubmit', 0, @total_qty_u, @at, @at)`),
      orderForTicket: p('SELECT id FROM orders WHERE ticket_id = ? AND client_id = ? AND order_id = ?').pluck(),
      setOrderLimit: p('UPDATE orders SET limit_u = ?, updated_at = ? WHERE id = ?'),
      insertSubmission: p('INSERT INTO order_submissions (ticket_id, order_row, limit_u, quantity, at) VALUES (?, ?, ?, ?, ?)'),
      insertRisk: p('INSERT INTO risk_events (at, session_id, ticket_id, kind, code, message, details) VALUES (?, ?, ?, ?, ?, ?, ?)'),
      upsertNote: p('INSERT INTO trade_notes (spread_id, body, updated_at) VALUES (?, ?, ?) ON CONFLICT (spread_id) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at'),
      deleteNote: p('DELETE FROM trade_notes WHERE spread_id = ?'),
      deleteTags: p('DELETE FROM trade_tags WHERE spread_id = ?'),
      insertTag: p('INSERT OR IGNORE INTO trade_tags (spread_id, tag) VALUES (?, ?)'),
      insertRecon: p('INSERT INTO reconciliations (at, session_id, clean, diff, repairs, summary) VALUES (?, ?, ?, ?, ?, ?)'),
      forceOrderState: p('UPDATE orders SET status = ?, filled_u = ?, updated_at = ? WHERE id = ?'),
      logRepair: p(`INSERT OR IGNORE INTO order_events (event_key, type, source, session_id, received_at, order_id, client_id, perm_id, status, filled_u, raw)
        VALUES (?, 'reconciled', 'reconcile', ?, ?, ?, ?, ?, ?, ?, ?)`),
      contractTerms: p(`SELECT symbol, expiry, strike_u, right, multiplier FROM executions WHERE con_id = ? AND sec_type = 'OPT' ORDER BY at DESC LIMIT 1`),
      dropRecord: p('DELETE FROM trade_records WHERE spread_id = ?'),
      insertAdjustment: p('INSERT INTO position_adjustments (reconciliation_id, account, con_id, symbol, delta_u, reason, at) VALUES (?, ?, ?, ?, ?, ?, ?)'),
    };
  }

  private touch(spreadId: number): void {
    // The stored record goes in the same transaction as the write that changed the spread, so a
    // crash can never leave a stale one behind.
    this.s.dropRecord.run(spreadId);
    this.dirtySpreads.add(spreadId);
    this.changedSpreads.add(spreadId);
  }

  /** Arms the idle checkpoint after a write. */
  private wrote(): void {
    if (this.idleCheckpointMs === 0) return;
    this.lastWriteAt = performance.now();
    if (this.checkpointTimer !== null) return;
    const tick = () => {
      const quietFor = performance.now() - this.lastWriteAt;
      if (quietFor < this.idleCheckpointMs) {
        this.checkpointTimer = setTimeout(tick, this.idleCheckpointMs - quietFor);
      } else {
        this.checkpointTimer = null;
        if (!this.closed) this.checkpoint();
      }
      this.checkpointTimer?.unref();
    };
    this.checkpointTimer = setTimeout(tick, this.idleCheckpointMs);
    this.checkpointTimer.unref();
  }

  /** Copies committed WAL frames into the database file without waiting on readers or writers. */
  checkpoint(): { walFrames: number; checkpointed: number } {
    const [row] = this.db.pragma('wal_checkpoint(PASSIVE)') as { busy: number; log: number; checkpointed: number }[];
    return { walFrames: row?.log ?? 0, checkpointed: row?.checkpointed ?? 0 };
  }

  get sessionId(): number | null {
    return this.session;
  }

  startSession(info: SessionInfo): Result<number, JournalError> {
    try {
      const id = Number(this.s.insertSession.run(this.clock(), info.appVersion, info.profile, info.account ?? null, info.clientId ?? null, info.simulated ? 1 : 0).lastInsertRowid);
      this.session = id;
      return ok(id);
    } catch (e) {
      return ioFailure('Could not record the session', e);
    }
  }

  endSession(): void {
    if (this.session !== null && !this.closed) this.s.endSession.run(this.clock(), this.session);
    this.session = null;
  }

  /**
   * The write-ahead rule: commits the ticket (and its first submission when the order id is
   * known) before returning. The order may be sent only after this returns ok.
   */
  recordIntent(input: TicketIntent): Result<IntentRecorded, JournalError> {
    const parsed = TicketIntentSchema.safeParse(input);
    if (!parsed.success) return fail('VALIDATION', `The journal refused the order's record: ${issuesSentence(parsed.error.issues, input)}`);
    const t = parsed.data;
    if (t.risk.verdict === 'deny') {
      const reasons = t.risk.reasons.map((r) => r.message).join('; ');
      return fail('RISK_DENIED', `Risk checks denied this order${reasons ? `: ${reasons}` : ''}. Record the denial with recordRiskEvent; it is not sent.`);
    }
    const at = this.clock();
    const ticketId = this.newTicketId();
    const longStrikeU = toMicros(t.longStrike);
    const shortStrikeU = toMicros(t.shortStrike);
    try {
      const value = this.db.transaction((): IntentRecorded => {
        let spreadId: number;
        if (t.purpose === 'open') {
          const conFor = (strikeU: number) => t.legs.find((l) => toMicros(l.strike) === strikeU && l.right === t.right)?.conId ?? null;
          spreadId = Number(
            this.s.insertSpread.run({
              underlying: t.underlying.toUpperCase(), kind: t.kind, right: t.right, expiry: t.expiry,
              long_strike_u: longStrikeU, short_strike_u: shortStrikeU, multiplier: t.multiplier,
              long_con_id: conFor(longStrikeU), short_con_id: conFor(shortStrikeU), account: t.account ?? null, created_at: at,
            }).lastInsertRowid,
          );
        } else {
          spreadId = t.spreadId!;
          if (!this.s.spreadExists.get(spreadId)) throw new IntentError('NOT_FOUND', `No spread ${spreadId} in the journal to close.`);
        }
        this.s.insertTicket.run({
          id: ticketId, session_id: this.session, spread_id: spreadId, purpose: t.purpose, created_at: at, created_by: t.createdBy,
          account: t.account ?? null, action: t.action, quantity: t.quantity, limit_u: toMicros(t.limitPrice), mid_u: toMicrosOrNull(t.midPrice),
          pricing_policy: JSON.stringify(t.pricingPolicy), preview: JSON.stringify(t.preview ?? null),
          pop_at_entry: t.popAtEntry, max_loss_u: toMicrosOrNull(t.maxLoss), max_profit_u: toMicrosOrNull(t.maxProfit),
          risk_verdict: t.risk.verdict, risk_reasons: JSON.stringify(t.risk.reasons),
        });
        t.legs.forEach((l, i) => this.s.insertLeg.run(ticketId, i, l.conId, l.action, l.ratio, l.expiry, toMicros(l.strike), l.right));
        let orderRow: number | null = null;
        if (t.orderId !== undefined && t.clientId !== undefined) {
          orderRow = this.submissionInTx({ ticketId, orderId: t.orderId, clientId: t.clientId, limitPrice: t.limitPrice, quantity: t.quantity }, at);
        }
        return { ticketId, spreadId, orderRow };
      })();
      this.touch(value.spreadId);
      this.wrote();
      return ok(value);
    } catch (e) {
      if (e instanceof IntentError) return fail(e.code, e.message);
      return ioFailure('Could not record the order intent (the order was not sent)', e);
    }
  }

  /** Write-ahead for each placeOrder of a ticket (the first, and every price step of a walk). */
  recordSubmission(s: SubmissionInput): Result<{ orderRow: number }, JournalError> {
    try {
      const orderRow = this.db.transaction(() => this.submissionInTx(s, this.clock()))();
      this.wrote();
      return ok({ orderRow });
    } catch (e) {
      if (e instanceof IntentError) return fail(e.code, e.message);
      return ioFailure('Could not record the order submission (the order was not sent)', e);
    }
  }

  private submissionInTx(s: SubmissionInput, at: number): number {
    const ticket = this.s.ticket.get(s.ticketId) as { id: string; quantity: number; account: string | null; action: string } | undefined;
    if (!ticket) throw new IntentError('NOT_FOUND', `No ticket ${s.ticketId} in the journal.`);
    const quantity = s.quantity ?? ticket.quantity;
    const limitU = toMicros(s.limitPrice);
    let orderRow = this.s.orderForTicket.get(s.ticketId, s.clientId, s.orderId) as number | undefined;
    if (orderRow === undefined) {
      if (this.ingestor.findOrder({ clientId: s.clientId, orderId: s.orderId })) {
        throw new IntentError('CONFLICT', `Order id ${s.orderId} (client ${s.clientId}) already belongs to another order; ask the broker for a fresh id.`);
      }
      orderRow = Number(
        this.s.insertOrder.run({
          ticket_id: s.ticketId, order_id: s.orderId, client_id: s.clientId, account: ticket.account, action: ticket.action,
          total_qty_u: toMicros(quantity), limit_u: limitU, at,
        }).lastInsertRowid,
      );
    } else this.s.setOrderLimit.run(limitU, at, orderRow);
    this.s.insertSubmission.run(s.ticketId, orderRow, limitU, quantity, at);
    return orderRow;
  }

  /** Folds one broker event in its own (durable) transaction. */
  ingest(event: BrokerEvent, source: EventSource = 'live'): Result<IngestOutcome, JournalError> {
    try {
      const outcome = this.txIngest(event, source);
      this.wrote();
      return ok(outcome);
    } catch (e) {
      return ioFailure(`Could not journal the broker's ${event.type} event`, e);
    }
  }

  /** Folds many events in one transaction: the fast path for replays and bursts. All or nothing. */
  ingestBatch(events: readonly BrokerEvent[], source: EventSource = 'live'): Result<BatchOutcome, JournalError> {
    try {
      const outcome = this.txBatch(events, source);
      this.wrote();
      return ok(outcome);
    } catch (e) {
      return ioFailure(`Could not journal a batch of ${events.length} broker events`, e);
    }
  }

  recordRiskEvent(r: RiskEventInput): Result<number, JournalError> {
    try {
      const id = this.s.insertRisk.run(r.at ?? this.clock(), this.session, r.ticketId ?? null, r.kind, r.code, r.message, JSON.stringify(r.details ?? {})).lastInsertRowid;
      return ok(Number(id));
    } catch (e) {
      return ioFailure('Could not record the risk event', e);
    }
  }

  setNote(spreadId: number, body: string): Result<null, JournalError> {
    const text = body.trim();
    try {
      return this.db.transaction((): Result<null, JournalError> => {
        if (!this.s.spreadExists.get(spreadId)) return fail('NOT_FOUND', `No trade ${spreadId} in the journal.`);
        if (text === '') this.s.deleteNote.run(spreadId);
        else this.s.upsertNote.run(spreadId, text, this.clock());
        this.touch(spreadId);
        return ok(null);
      })();
    } catch (e) {
      return ioFailure('Could not save the note', e);
    }
  }

  /** Replaces a trade's tags (trimmed, de-duplicated, at most 40 characters each). */
  setTags(spreadId: number, tags: readonly string[]): Result<string[], JournalError> {
    const clean = [...new Set(tags.map((t) => t.trim()).filter((t) => t !== ''))].sort();
    const tooLong = clean.find((t) => t.length > 40);
    if (tooLong) return fail('VALIDATION', `Tag "${tooLong.slice(0, 20)}…" is longer than 40 characters.`);
    try {
      return this.db.transaction((): Result<string[], JournalError> => {
        if (!this.s.spreadExists.get(spreadId)) return fail('NOT_FOUND', `No trade ${spreadId} in the journal.`);
        this.s.deleteTags.run(spreadId);
        for (const t of clean) this.s.insertTag.run(spreadId, t);
        this.touch(spreadId);
        return ok(clean);
      })();
    } catch (e) {
      return ioFailure('Could not save the tags', e);
    }
  }

  /** Everything the journal believes about orders, fills and positions. */
  view(): JournalView {
    return fullView(this.db);
  }

  /**
   * Compares the journal with the broker's view, applies the repairs and records the run, all in
   * one transaction. Call with no order in flight (at startup, after a reconnect).
   */
  reconcile(broker: BrokerView, opts: ReconcileOptions = {}): Result<ReconciliationResult, JournalError> {
    const at = this.clock();
    try {
      const result = this.db.transaction((): ReconciliationResult => {
        const report = reconcile(scopedView(this.db, broker), broker);
        const summary = report.clean
          ? 'Journal matches the broker.'
          : Object.entries(report.counts)
              .filter(([, n]) => n > 0)
              .map(([k, n]) => `${n} ${k}`)
              .join(', ');
        const reconciliationId = Number(
          this.s.insertRecon.run(at, this.session, report.clean ? 1 : 0, JSON.stringify(report.diffs), JSON.stringify(report.repairs), summary).lastInsertRowid,
        );
        const journalU = new Map<string, number>();
        for (const d of report.diffs) if (d.kind === 'positionMismatch') journalU.set(`${d.account}|${d.conId}`, d.journalU);
        for (const r of report.repairs) {
          switch (r.kind) {
            case 'ingestExecution':
            case 'ingestCommission':
              this.ingestor.ingest(r.event, 'reconcile');
              break;
            case 'ingestOpenOrder':
              this.ingestor.ingest(r.event, 'reconcile');
              if (r.status) this.ingestor.ingest(r.status, 'reconcile');
              break;
            case 'setOrderState': {
              const row = this.ingestor.findOrder(r);
              if (!row) break;
              this.s.forceOrderState.run(r.status, r.filledU, at, row.id);
              this.s.logRepair.run(`rc|${reconciliationId}|${orderKey(r)}`, this.session, at, r.orderId, r.clientId, r.permId, r.status, r.filledU, JSON.stringify(r));
              break;
            }
            case 'adjustPosition': {
              const before = journalU.get(`${r.account}|${r.conId}`) ?? 0;
              if (this.closeVanishedLeg(r, before, reconciliationId, at, opts)) break;
              this.s.insertAdjustment.run(reconciliationId, r.account, r.conId, r.symbol, r.deltaU, r.reason, at);
              break;
            }
          }
        }
        return { ...report, reconciliationId, at };
      }).immediate();
      return ok(result);
    } catch (e) {
      return ioFailure('Reconciliation with the broker failed; nothing was changed', e);
    }
  }

  /**
   * An option position the broker no longer holds (or holds less of) with no execution to explain
   * it: expiry, assignment or exercise. Journaled as a synthetic closing fill named by its source,
   * so the spread closes and its P&L stays a plain sum over fills. False when it is not such a case.
   */
  private closeVanishedLeg(r: { account: string; conId: number; symbol: string; deltaU: number }, journalU: number, reconciliationId: number, at: number, opts: ReconcileOptions): boolean {
    const brokerU = journalU + r.deltaU;
    const reduces = journalU !== 0 && Math.abs(brokerU) < Math.abs(journalU) && (brokerU === 0 || Math.sign(brokerU) === Math.sign(journalU));
    if (!reduces) return false;
    const terms = this.s.contractTerms.get(r.conId) as { symbol: string; expiry: string | null; strike_u: number | null; right: 'C' | 'P' | null; multiplier: number } | undefined;
    if (!terms || terms.expiry === null || terms.strike_u === null || terms.right === null) return false;
    const side = journalU > 0 ? 'SLD' : 'BOT';
    const price = opts.underlyingPrices?.[terms.symbol.toUpperCase()];
    const close = syntheticClose({ expiry: terms.expiry, strikeU: terms.strike_u, right: terms.right, side }, at, price === undefined ? null : toMicros(price));
    this.ingestor.ingest(
      {
        type: 'execution', receivedAt: at, orderId: 0, clientId: 0, permId: 0,
        contract: { conId: r.conId, symbol: terms.symbol, secType: 'OPT', lastTradeDateOrContractMonth: terms.expiry, strike: fromMicros(terms.strike_u), right: terms.right, multiplier: String(terms.multiplier) },
        execId: `${SYNTHETIC_PREFIX}${close.source}.r${reconciliationId}.c${r.conId}`, time: twsUtcTime(close.at), acctNumber: r.account,
        exchange: close.source.toUpperCase(), side, shares: fromMicros(Math.abs(r.deltaU)), price: fromMicros(close.priceU),
      },
      'reconcile',
    );
    return true;
  }

  /** Trade records (one per spread), by spread id. The first call loads them all; later calls re-read only changed spreads. */
  trades(filter: TradeFilter = {}): TradeRecord[] {
    if (this.tradeCache === null) {
      this.tradeCacheDataVersion = this.db.pragma('data_version', { simple: true }) as number;
      this.tradeCache = loadStoredTrades(this.db);
      this.dirtySpreads.clear();
    } else if (this.dirtySpreads.size > 0) {
      const ids = [...this.dirtySpreads];
      this.dirtySpreads.clear();
      const fresh = loadTrades(this.db, ids);
      for (const id of ids) this.tradeCache.delete(id);
      for (const t of fresh) this.tradeCache.set(t.id, t);
      storeTrades(this.db, fresh);
    }
    const all = [...this.tradeCache.values()].sort((a, b) => a.id - b.id);
    return Object.keys(filter).length === 0 ? all : filterTrades(all, filter);
  }

  /** Positions as spreads: the broker's last reported legs explained by the open spreads, the rest as orphan legs. */
  positions(): GroupedPositions {
    const { spreads, broker } = loadHoldings(this.db);
    return groupPositions(spreads, broker);
  }

  /**
   * Spreads whose records changed since the last call (fills, notes, tags, intents), for the
   * `journal.updated` event; separate from the cache's own bookkeeping.
   */
  takeChangedSpreads(): Set<number> {
    const out = this.changedSpreads;
    this.changedSpreads = new Set();
    return out;
  }

  /** One trade record, fresh from the database. */
  trade(spreadId: number): TradeRecord | null {
    return loadTrades(this.db, [spreadId])[0] ?? null;
  }

  analytics(filter: TradeFilter = {}): Analytics {
    return computeAnalytics(this.trades(filter));
  }

  exportCsv(kind: 'trades' | 'executions', path: string): Result<{ path: string; rows: number; bytes: number }, JournalError> {
    try {
      if (kind === 'trades') {
        const trades = this.trades();
        return ok({ path, rows: trades.length, bytes: writeFileAtomic(path, tradesCsv(trades), { mode: 0o666 }) });
      }
      const rows = loadExecutionsForExport(this.db);
      return ok({ path, rows: rows.length, bytes: writeFileAtomic(path, executionsCsv(rows), { mode: 0o666 }) });
    } catch (e) {
      return ioFailure(`Could not export ${kind} to ${path}`, e);
    }
  }

  /** Online backup to `path` (refuses to overwrite), checked before it is reported done. */
  async backup(path: string): Promise<Result<BackupInfo, JournalError>> {
    if (existsSync(path)) return fail('CONFLICT', `${path} already exists; choose another name.`);
    try {
      return ok(await backupTo(this.db, path));
    } catch (e) {
      return ioFailure(`Backup to ${path} failed`, e);
    }
  }

  /** PRAGMA quick_check on the open journal. */
  integrity(): Result<'ok', JournalError> {
    const rows = this.db.pragma('quick_check') as { quick_check: string }[];
    const problems = rows.map((r) => r.quick_check).filter((m) => m !== 'ok');
    return problems.length === 0 ? ok('ok') : fail('IO', `The journal failed its integrity check: ${problems.slice(0, 3).join('; ')}`);
  }

  close(): void {
    if (this.closed) return;
    this.endSession();
    // Leave the stored overview current, so tomorrow's first Journal/P&L tab reads one row instead of rebuilding it from
    // every record (100k spreads: ~5 s). Only when this session already holds the records: then it costs the analytics
    // (~0.3 s at that size), not a full read. A crash skips this, and so does a journal another connection wrote to (the
    // records held here may not show its writes); the next open rebuilds, as before.
    if (this.tradeCache !== null && this.db.pragma('data_version', { simple: true }) === this.tradeCacheDataVersion) {
      try {
        readOverview(this.db, () => this.trades());
      } catch {
        // A journal that cannot be written now still closes; the overview is built on the next open.
      }
    }
    if (this.checkpointTimer !== null) clearTimeout(this.checkpointTimer);
    this.closed = true;
    this.db.close();
  }
}

class IntentError extends Error {
  constructor(
    readonly code: 'NOT_FOUND' | 'CONFLICT',
    message: string,
  ) {
    super(message);
  }
}
