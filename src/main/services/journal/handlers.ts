// The journal's contract handlers: journal.* methods over the journal service, money converted to dollars for display.
import {
  ContractFailure,
  type JournalAggregate,
  type JournalSummary,
  type JournalTrade,
  type JournalTradeFilter,
} from '../../../core/contract';
import { type Aggregate, type Analytics, type TradeRecord, computeAnalytics, downsampleCurve, fromMicros } from '../../../core/journal';
import type { HandlerMap } from '../../../core/contract';
import type { JournalError, Result } from './errors';
import type { Journal } from './journal';
import type { JournalService } from './service';
import { OVERVIEW_PAGE, newestFirst, readOverview, readRecords } from './overview';

type JournalMethod =
  | 'journal.status'
  | 'journal.trades'
  | 'journal.summary'
  | 'journal.equityCurve'
  | 'journal.setNote'
  | 'journal.setTags'
  | 'journal.export'
  | 'journal.backup'
  | 'journal.reconcile';

const dollars = (u: number): number => fromMicros(u);
const dollarsOrNull = (u: number | null): number | null => (u === null ? null : fromMicros(u));

/** Per-unit price with its side: cash received is a credit, cash paid a debit. */
function perUnit(cashU: number, quantity: number, multiplier: number): { price: number | null; side: 'credit' | 'debit' | null } {
  if (quantity <= 0 || cashU === 0) return { price: null, side: null };
  return { price: Math.abs(cashU) / quantity / multiplier / 1_000_000, side: cashU > 0 ? 'credit' : 'debit' };
}

export function toJournalTrade(t: TradeRecord): JournalTrade {
  const entry = perUnit(t.entryCashU, t.quantity, t.multiplier);
  // Exit price per closed unit: a half-closed trade's exit cash covers only the units it closed.
  const exit = perUnit(t.exitCashU, t.closedQuantity, t.multiplier);
  return {
    id: t.id,
    underlying: t.underlying,
    kind: t.kind,
    expiry: t.expiry,
    status: t.status,
    openedAt: t.openedAt,
    closedAt: t.closedAt,
    quantity: t.quantity,
    openQuantity: t.openQuantity,
    entryPrice: entry.price,
    entrySide: entry.side,
    exitPrice: t.exitCashU === 0 ? null : exit.price,
    exitSide: t.exitCashU === 0 ? null : exit.side,
    grossPnl: dollars(t.grossPnlU),
    commissions: dollars(t.commissionsU),
    netPnl: dollars(t.netPnlU),
    maxRisk: dollarsOrNull(t.maxRiskU),
    returnOnRisk: t.returnOnRisk,
    holdingMs: t.holdingMs,
    slippage: dollarsOrNull(t.slippageU),
    priceSteps: t.priceSteps,
    popAtEntry: t.popAtEntry,
    dteAtEntry: t.dteAtEntry,
    note: t.note,
    tags: t.tags,
  };
}

export function toJournalAggregate(a: Aggregate): JournalAggregate {
  const d = (x: number | null) => (x === null ? null : x / 1_000_000);
  return {
    trades: a.trades,
    wins: a.wins,
    losses: a.losses,
    winRate: a.winRate,
    netPnl: dollars(a.netPnlU),
    avgWin: d(a.avgWinU),
    avgLoss: d(a.avgLossU),
    expectancy: d(a.expectancyU),
    profitFactor: a.profitFactor,
    maxDrawdown: dollars(a.maxDrawdownU),
    avgReturnOnRisk: a.avgReturnOnRisk,
    avgHoldingMs: a.avgHoldingMs,
    avgSlippage: d(a.avgSlippageU),
    avgPriceSteps: a.avgPriceSteps,
    commissions: dollars(a.commissionsU),
  };
}

const mapRecord = (r: Record<string, Aggregate | undefined>): Record<string, JournalAggregate> =>
  Object.fromEntries(Object.entries(r).flatMap(([k, v]) => (v ? [[k, toJournalAggregate(v)]] : [])));

/** Journal error values become contract error values (the dispatcher returns them as { ok: false }). */
function unwrap<T>(r: Result<T, JournalError>): T {
  if (r.ok) return r.value;
  throw new ContractFailure(contractCode(r.error), r.error.message);
}

function contractCode(e: JournalError): 'VALIDATION' | 'NOT_FOUND' | 'CONFLICT' | 'UNAVAILABLE' | 'RISK_DENIED' | 'INTERNAL' {
  switch (e.code) {
    case 'VALIDATION':
    case 'NOT_FOUND':
    case 'CONFLICT':
    case 'RISK_DENIED':
    case 'INTERNAL':
      return e.code;
    default:
      return 'UNAVAILABLE';
  }
}

function requireJournal(s: JournalService): Journal {
  if (!s.journal) throw new ContractFailure('UNAVAILABLE', s.status().warnings[0] ?? 'The trade journal is not open.');
  return s.journal;
}

function tradeOrThrow(j: Journal, spreadId: number): JournalTrade {
  const t = j.trade(spreadId);
  if (!t) throw new ContractFailure('NOT_FOUND', `No trade ${spreadId} in the journal.`);
  return toJournalTrade(t);
}

const filtered = (j: Journal, filter: JournalTradeFilter | undefined): TradeRecord[] => j.trades(filter ?? {});
/** No filter: the tabs' opening view, served from the stored overview (overview.ts) rather than every record. */
const unfiltered = (filter: JournalTradeFilter | undefined): boolean => !filter || Object.values(filter).every((v) => v === undefined);

function summaryOf(a: Analytics, openTrades: number): JournalSummary {
  return {
    overall: toJournalAggregate(a.overall),
    openTrades,
    byUnderlying: mapRecord(a.byUnderlying),
    byKind: mapRecord(a.byKind),
    byDteBucket: mapRecord(a.byDteBucket),
    byWeekday: mapRecord(a.byWeekday),
    calibration: a.calibration,
  };
}

const curveOf = (a: Analytics, maxPoints: number | undefined) => ({ points: downsampleCurve(a.equityCurve, maxPoints ?? 1000).map((p) => ({ t: p.t, equity: dollars(p.equityU), drawdown: dollars(p.drawdownU) })) });

export function journalHandlers(s: JournalService): Pick<HandlerMap, JournalMethod> {
  return {
    'journal.status': () => s.status(),
    'journal.trades': ({ filter, limit }) => {
      const j = requireJournal(s);
      const n = limit ?? 5000;
      if (unfiltered(filter) && n <= OVERVIEW_PAGE) {
        const o = readOverview(j.db, () => j.trades());
        const page = readRecords(j.db, o.newest.slice(0, n));
        if (page) return { trades: page.map((t) => toJournalTrade(t)), total: o.total };
      }
      const all = filtered(j, filter);
      const sorted = [...all].sort(newestFirst);
      return { trades: sorted.slice(0, n).map((t) => toJournalTrade(t)), total: all.length };
    },
    'journal.summary': ({ filter }): JournalSummary => {
      const j = requireJournal(s);
      if (unfiltered(filter)) {
        const o = readOverview(j.db, () => j.trades());
        return summaryOf(o.analytics, o.openTrades);
      }
      const trades = filtered(j, filter);
      return summaryOf(computeAnalytics(trades), trades.filter((t) => t.status === 'open' || t.status === 'broken').length);
    },
    'journal.equityCurve': ({ filter, maxPoints }) => {
      const j = requireJournal(s);
      return curveOf(unfiltered(filter) ? readOverview(j.db, () => j.trades()).analytics : computeAnalytics(filtered(j, filter)), maxPoints);
    },
    'journal.setNote': ({ spreadId, note }) => {
      const j = requireJournal(s);
      unwrap(j.setNote(spreadId, note));
      s.flush();
      return tradeOrThrow(j, spreadId);
    },
    'journal.setTags': ({ spreadId, tags }) => {
      const j = requireJournal(s);
      unwrap(j.setTags(spreadId, tags));
      s.flush();
      return tradeOrThrow(j, spreadId);
    },
    'journal.export': ({ kind, fileName }) => unwrap(s.exportCsv(kind, fileName)),
    'journal.backup': async () => unwrap(await s.backup()),
    'journal.reconcile': async () => {
      const r = unwrap(await s.reconcile());
      return { id: r.reconciliationId, at: r.at, clean: r.clean, summary: s.status().lastReconciliation?.summary ?? '', counts: r.counts };
    },
  };
}
