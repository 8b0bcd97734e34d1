// The portfolio service: positions held as spreads (journal grouping checked against the broker's positions), live marks, P&L and exits.
//
// Inputs: the journal (open spreads, their fills and fees), the broker's positions (asked at connect and after every
// journal change), one quote stream per held leg (released when the spread closes), the account's reqPnL stream and
// summary. Output: `positions.updated` and `pnl.updated`, at most every `publishMs` (UI.md: grids at ≤ 10 Hz).
// Closing goes through the execution service only (`closeSpread`); nothing here calls the broker's order methods.
//
// ~350 lines: the refresh (journal + broker), the marks and the exits share the state below; the row building is
// in rows.ts and the pure money in core/portfolio.
import { ContractFailure, type ExitRulesParsed, type ExitView, type PnlSummary, type PositionsSnapshot, type SubmitResult } from '../../../core/contract';
import type { PnlEvent } from '../../../core/broker/events';
import { fromNewYork, nyDate } from '../../../core/market/timezone';
import { evaluateExit, freshExitState, type ExitRules, type ExitState } from '../../../core/portfolio/exits';
import { groupPositions, type BrokerLeg } from '../../../core/portfolio/positions';
import { totalPnl } from '../../../core/portfolio/marks';
import type { IbBroker } from '../broker/ib-broker';
import type { QuoteSubscription } from '../broker/types';
import type { EventBus } from '../events';
import type { ExecutionService } from '../execution/service';
import type { Journal } from '../journal';
import { deleteExit, loadClosedSince, loadExits, loadOpenBook, recordExitFired, recordExitOrder, saveExit, savePeak, type OpenBook } from '../journal/portfolio-reads';
import type { Logger } from '../logging';
import { accountFigures, buildRow, exitPosition, exitQuote, orphanOf, type BrokerPosition, type BuiltRow } from './rows';

export type { BrokerPosition };
export type PortfolioBroker = Pick<IbBroker, 'subscribeQuote' | 'positions' | 'subscribePnl' | 'accountSummary' | 'status' | 'facts'>;

export interface PortfolioDeps {
  broker: PortfolioBroker;
  journal: () => Journal | null;
  bus: EventBus;
  execution: Pick<ExecutionService, 'closeSpread' | 'submit'>;
  logger?: Logger;
  now?: () => number;
  /** Least time between two published snapshots (ms); default 500. */
  publishMs?: number;
  /** Leg quotes older than this are marked stale and fire no price exit (ms); default 15 s. */
  staleMs?: number;
  /** How often the account summary is re-read while connected (ms); default 30 s. */
  accountPollMs?: number;
}

export interface PortfolioService {
  snapshot(): PositionsSnapshot;
  /** The open spreads as the risk checks see them (held units, max loss left, terms), fresh from the journal. */
  openSpreads(): Array<{ spreadId: number; underlying: string; quantity: number; maxLoss: number; expiry: string; longStrike: number; shortStrike: number; label: string }>;
  summary(): PnlSummary;
  /** Re-reads the journal and the broker's positions (single-flight: callers during a run share the next one). */
  refresh(): Promise<void>;
  close(args: { spreadId: number; ticketId: string; quantity?: number; limit?: { amount: number; kind: 'credit' | 'debit' }; pricing?: unknown }): Promise<SubmitResult>;
  setExit(spreadId: number, rules: ExitRulesParsed): ExitView;
  clearExit(spreadId: number): { cleared: boolean };
  dispose(): void;
}

interface ExitEntry {
  rules: ExitRulesParsed;
  state: ExitState;
  firedAt: number | null;
  message: string | null;
  blocked: string | null;
  orderId: number | null;
}

const GUARD = { maxWidthPct: 0.25, maxAgeMs: 15_000 };

export function createPortfolioService(deps: PortfolioDeps): PortfolioService {
  const now = deps.now ?? Date.now;
  const publishMs = deps.publishMs ?? 500;
  const staleMs = deps.staleMs ?? 15_000;
  const log = deps.logger?.child({ service: 'portfolio' });
  let book: OpenBook = { spreads: [] };
  let brokerLegs: BrokerPosition[] | null = null;
  let brokerAt: number | null = null;
  let closedToday: { id: number; netPnlU: number }[] = [];
  const streams = new Map<number, QuoteSubscription>();
  const exits = new Map<number, ExitEntry>();
  let brokerPnl: PnlSummary['broker'] = null;
  let account: PnlSummary['account'] = null;
  let pnlLease: { account: string; release(): void } | null = null;
  let accountTimer: ReturnType<typeof setInterval> | null = null;
  let publishTimer: ReturnType<typeof setTimeout> | null = null;
  let refreshTimer: ReturnType<typeof setTimeout> | null = null;
  let lastPublish = 0;
  let disposed = false;
  let rows: BuiltRow[] = [];

  const loadStoredExits = () => {
    const j = deps.journal();
    if (!j) return;
    for (const [id, s] of loadExits(j.db)) {
      exits.set(id, { rules: s.rules as ExitRulesParsed, state: { peakValue: s.peakU === null ? null : s.peakU / 1e6, fired: s.firedKind }, firedAt: s.firedAt, message: s.firedMessage, blocked: null, orderId: s.orderId });
    }
  };
  loadStoredExits();

  const connected = () => deps.broker.status().state === 'connected';

  /** Keeps exactly one quote stream per leg of an open spread. */
  const syncStreams = () => {
    const want = new Set<number>();
    for (const s of book.spreads) for (const c of [s.terms.longConId, s.terms.shortConId]) if (c !== null) want.add(c);
    for (const [conId, sub] of streams) {
      if (!want.has(conId)) {
        sub.release();
        streams.delete(conId);
      }
    }
    if (!connected()) return;
    for (const conId of want) {
      if (streams.has(conId)) continue;
      try {
        streams.set(conId, deps.broker.subscribeQuote({ conId }, { onQuote: () => schedulePublish() }));
      } catch (e) {
        log?.warn({ err: e, conId }, 'could not stream a held leg');
      }
    }
  };

  const build = (): BuiltRow[] => {
    const t = now();
    const grouped = groupPositions(
      book.spreads.map((s) => s.legs),
      (brokerLegs ?? []).map((b): BrokerLeg => ({ account: b.account, conId: b.conId, symbol: b.symbol, qtyU: b.qtyU })),
    );
    const holding = new Map(grouped.spreads.map((g) => [g.spreadId, g]));
    return book.spreads.map((s) => {
      const q = (conId: number | null) => (conId === null ? null : (streams.get(conId)?.latest() ?? null));
      const e = exits.get(s.terms.spreadId) ?? null;
      return buildRow({ ...s, holding: holding.get(s.terms.spreadId) ?? null, brokerKnown: brokerLegs !== null, long: q(s.terms.longConId), short: q(s.terms.shortConId), now: t, staleMs, exit: e });
    });
  };

  const orphans = () => {
    if (!brokerLegs) return [];
    const grouped = groupPositions(book.spreads.map((s) => s.legs), brokerLegs.map((b) => ({ account: b.account, conId: b.conId, symbol: b.symbol, qtyU: b.qtyU })));
    const byKey = new Map(brokerLegs.map((b) => [`${b.account}|${b.conId}`, b]));
    return grouped.orphans.map((o) => orphanOf(o, byKey.get(`${o.account}|${o.conId}`)));
  };

  /** Evaluates each spread's exit rules on its fresh mark; a hit is journaled first, then (auto) closed through execution. */
  const runExits = (built: BuiltRow[]) => {
    const j = deps.journal();
    const t = now();
    for (const r of built) {
      const e = exits.get(r.row.spreadId);
      if (!e || e.state.fired) continue;
      const rules: ExitRules = { ...e.rules, ...(e.rules.profitTargetPct !== undefined ? { profitTargetPct: e.rules.profitTargetPct / 100 } : {}), ...(e.rules.stopMaxLossPct !== undefined ? { stopMaxLossPct: e.rules.stopMaxLossPct / 100 } : {}), guard: GUARD };
      const quote = exitQuote(r);
      const { decision, state } = evaluateExit(rules, exitPosition(r, t), e.state, quote, t);
      if (state.peakValue !== e.state.peakValue && state.peakValue !== null && j) savePeak(j.db, r.row.spreadId, Math.round(state.peakValue * 1e6), t);
      e.state = state;
      if (decision.action === 'hold') {
        e.blocked = decision.blocked;
        continue;
      }
      e.firedAt = t;
      e.message = decision.reason;
      e.blocked = null;
      const eventId = j ? recordExitFired(j.db, { spreadId: r.row.spreadId, kind: decision.kind, message: decision.reason, quote, at: t }) : null;
      // Logged, not toasted: the toast and desktop notification are the notification service's (muteable).
      deps.bus.emit('app.logged', { level: 'info', message: `Exit (${decision.kind}) on ${r.row.symbol} ${r.row.shortStrike}/${r.row.longStrike}: ${decision.reason}${e.rules.auto ? ' Closing it now.' : ''}`, at: t });
      if (e.rules.auto && eventId !== null) {
        const ticketId = `exit-${r.row.spreadId}-${decision.kind}-${t.toString(36)}`;
        void service
          .close({ spreadId: r.row.spreadId, ticketId })
          .then((res) => {
            e.orderId = res.orderId;
            const jj = deps.journal();
            if (jj) recordExitOrder(jj.db, eventId, r.row.spreadId, res.orderId, ticketId);
            schedulePublish();
          })
          .catch((err: unknown) => {
            const message = err instanceof Error ? err.message : String(err);
            log?.warn({ err, spreadId: r.row.spreadId }, 'exit close failed');
            deps.bus.emit('app.logged', { level: 'error', message: `The exit could not close ${r.row.symbol} ${r.row.shortStrike}/${r.row.longStrike}: ${message}`, at: now() });
          });
      }
    }
  };

  const publish = () => {
    publishTimer = null;
    if (disposed) return;
    lastPublish = now();
    const built = build();
    runExits(built);
    rows = build();
    deps.bus.emit('positions.updated', service.snapshot());
    deps.bus.emit('pnl.updated', service.summary());
  };

  function schedulePublish(): void {
    if (disposed || publishTimer !== null) return;
    const wait = Math.max(0, lastPublish + publishMs - now());
    publishTimer = setTimeout(publish, wait);
  }

  let running: Promise<void> | null = null;
  let again = false;
  const refreshOnce = async () => {
    const j = deps.journal();
    if (j) {
      book = loadOpenBook(j.db);
      const t = now();
      const today = nyDate(t);
      closedToday = loadClosedSince(j.db, fromNewYork(today, 0)).map((x) => ({ id: x.id, netPnlU: x.netPnlU }));
    }
    if (connected()) {
      try {
        const positions = await deps.broker.positions();
        brokerLegs = positions.filter((p) => p.position !== 0).map((p) => ({ account: p.account, conId: p.contract.conId, symbol: p.contract.symbol, qtyU: Math.round(p.position * 1e6), event: p }));
        brokerAt = now();
      } catch (e) {
        log?.warn({ err: e }, 'could not read the broker positions');
      }
    }
    syncStreams();
    rows = build();
    schedulePublish();
  };

  const service: PortfolioService = {
    snapshot() {
      return { at: now(), brokerAt, spreads: rows.map((r) => r.row), orphans: orphans() };
    },
    openSpreads() {
      const j = deps.journal();
      if (j) book = loadOpenBook(j.db);
      return build().map(({ row: r }) => ({
        spreadId: r.spreadId, underlying: r.symbol, quantity: r.quantity, maxLoss: r.maxLoss, expiry: r.expiry, longStrike: r.longStrike, shortStrike: r.shortStrike,
        label: `${r.symbol} ${r.expiry} ${r.shortStrike}/${r.longStrike} ${r.right} ×${r.quantity} (spread ${r.spreadId})`,
      }));
    },
    summary() {
      const totals = totalPnl(rows.map((r) => r.mark));
      const open = new Set(rows.map((r) => r.row.spreadId));
      const closedU = closedToday.filter((c) => !open.has(c.id)).reduce((a, c) => a + c.netPnlU, 0);
      const realisedTodayU = totals.realisedU + closedU;
      return {
        at: now(),
        unrealised: totals.unrealisedU / 1e6,
        unmarked: totals.unmarked,
        realisedToday: realisedTodayU / 1e6,
        total: (totals.unrealisedU + realisedTodayU) / 1e6,
        openSpreads: rows.length,
        orphanLegs: orphans().length,
        broker: brokerPnl,
        account,
      };
    },
    refresh() {
      if (disposed) return Promise.resolve();
      if (running) {
        again = true;
        return running;
      }
      running = (async () => {
        try {
          do {
            again = false;
            await refreshOnce();
          } while (again && !disposed);
        } finally {
          running = null;
        }
      })();
      return running;
    },
    async close(a) {
      if (!rows.some((r) => r.row.spreadId === a.spreadId)) await service.refresh();
      const r = rows.find((x) => x.row.spreadId === a.spreadId) ?? build().find((x) => x.row.spreadId === a.spreadId);
      if (!r) throw new ContractFailure('NOT_FOUND', `Spread ${a.spreadId} is not open in the journal, so there is nothing to close.`);
      const quantity = a.quantity ?? r.row.quantity;
      if (quantity > r.row.quantity) throw new ContractFailure('VALIDATION', `Only ${r.row.quantity} of spread ${a.spreadId} ${r.row.quantity === 1 ? 'is' : 'are'} open; close at most that many.`);
      const limit = a.limit ?? r.row.closeNatural;
      if (!limit) throw new ContractFailure('UNAVAILABLE', `The legs of ${r.row.symbol} ${r.row.shortStrike}/${r.row.longStrike} have no two-sided quote now; enter a limit to close.`);
      const spread = { symbol: r.row.symbol, expiry: r.row.expiry, kind: r.row.kind, longStrike: r.row.longStrike, shortStrike: r.row.shortStrike, quantity, limit };
      // A walked close is an ordinary close ticket with a pricing policy; both go through the execution service's checks.
      if (a.pricing !== undefined) return deps.execution.submit(a.ticketId, { ...spread, intent: 'close', spreadId: a.spreadId, pricing: a.pricing });
      return deps.execution.closeSpread({ ticketId: a.ticketId, spreadId: a.spreadId, ...spread });
    },
    setExit(spreadId, rules) {
      const j = deps.journal();
      if (!j) throw new ContractFailure('UNAVAILABLE', 'The trade journal is not available, so exit rules cannot be kept.');
      if (!saveExit(j.db, spreadId, rules, now())) throw new ContractFailure('NOT_FOUND', `No spread ${spreadId} in the journal.`);
      const entry: ExitEntry = { rules, state: freshExitState(), firedAt: null, message: null, blocked: null, orderId: null };
      exits.set(spreadId, entry);
      schedulePublish();
      return { rules, state: 'holding', message: null, firedAt: null, orderId: null };
    },
    clearExit(spreadId) {
      const j = deps.journal();
      const cleared = (j ? deleteExit(j.db, spreadId) : false) || exits.has(spreadId);
      exits.delete(spreadId);
      schedulePublish();
      return { cleared };
    },
    dispose() {
      disposed = true;
      offBus();
      if (publishTimer) clearTimeout(publishTimer);
      if (refreshTimer) clearTimeout(refreshTimer);
      stopAccount();
      for (const s of streams.values()) s.release();
      streams.clear();
    },
  };

  const readAccount = () => {
    if (!connected()) return;
    deps.broker
      .accountSummary()
      .then((values) => {
        account = accountFigures(values, deps.broker.facts()?.accounts[0] ?? null, now());
        schedulePublish();
      })
      .catch((e: unknown) => log?.warn({ err: e }, 'could not read the account summary'));
  };
  const startAccount = () => {
    const id = deps.broker.facts()?.accounts[0];
    if (id && pnlLease?.account !== id) {
      pnlLease?.release();
      const lease = deps.broker.subscribePnl(id, (p: PnlEvent) => {
        brokerPnl = { daily: p.dailyPnL, unrealised: p.unrealizedPnL ?? null, realised: p.realizedPnL ?? null, at: p.receivedAt };
        schedulePublish();
      });
      pnlLease = { account: id, release: () => lease.release() };
    }
    readAccount();
    if (!accountTimer) {
      accountTimer = setInterval(readAccount, deps.accountPollMs ?? 30_000);
      accountTimer.unref?.();
    }
  };
  function stopAccount(): void {
    pnlLease?.release();
    pnlLease = null;
    if (accountTimer) clearInterval(accountTimer);
    accountTimer = null;
  }

  /** A burst of journal changes (a fill's legs, BAG line and commissions) is read once. */
  const refreshSoon = () => {
    if (disposed || refreshTimer) return;
    refreshTimer = setTimeout(() => {
      refreshTimer = null;
      void service.refresh().catch((e: unknown) => log?.warn({ err: e }, 'portfolio refresh failed'));
    }, 150);
  };

  const offBus = deps.bus.subscribe((name, payload) => {
    if (name === 'journal.updated') refreshSoon();
    else if (name === 'connection.status') {
      const state = (payload as { state: string }).state;
      if (state === 'connected') {
        startAccount();
        refreshSoon();
      } else {
        // Not connected: the broker's positions and the streams are unknown until it is back.
        stopAccount();
        brokerLegs = null;
        brokerAt = null;
        brokerPnl = null;
        syncStreams();
        schedulePublish();
      }
    }
  });
  if (connected()) startAccount();
  refreshSoon();
  return service;
}
