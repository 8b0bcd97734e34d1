// The journal's contract handlers: journal.* methods over the journal service, money converted to dollars for display.
import {
  ContractFailure,
  type JournalAggregate,
  type JournalSummary,
  type JournalTrade,
  type JournalTradeFilter,
} from '../../../core/contract';
import { type Aggregate, type TradeRecord, computeAnalytics, downsampleCurve, fromMicros } from '../../../core/journal';
import type { HandlerMap } from '../../../core/contract';
import type { JournalError, Result } from './errors';
import type { Journal } from './journal';
import type { JournalService } from './service';

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

export function journalHandlers(s: JournalService): Pick<HandlerMap, JournalMethod> {
  return {
    'journal.status': () => s.status(),
    'journal.trades': ({ filter, limit }) => {
      const all = filtered(requireJournal(s), filter);
      // Newest first: open trades by entry, closed ones by exit.
      const key = (t: TradeRecord) => t.closedAt ?? t.openedAt ?? 0;
      const sorted = [...all].sort((a, b) => key(b) - key(a) || b.id - a.id);
      return { trades: sorted.slice(0, limit ?? 5000).map((t) => toJournalTrade(t)), total: all.length };
    },
    'journal.summary': ({ filter }): JournalSummary => {
      const trades = filtered(requireJournal(s), filter);
      const a = computeAnalytics(trades);
      return {
        overall: toJournalAggregate(a.overall),
        openTrades: trades.filter((t) => t.status === 'open' || t.status === 'broken').length,
        byUnderlying: mapRecord(a.byUnderlying),
        byKind: mapRecord(a.byKind),
        byDteBucket: mapRecord(a.byDteBucket),
        byWeekday: mapRecord(a.byWeekday),
        calibration: a.calibration,
      };
    },
    'journal.equityCurve': ({ filter, maxPoints }) => {
      const a = computeAnalytics(filtered(requireJournal(s), filter));
      return { points: downsampleCurve(a.equityCurve, maxPoints ?? 1000).map((p) => ({ t: p.t, equity: dollars(p.equityU), drawdown: dollars(p.drawdownU) })) };
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
