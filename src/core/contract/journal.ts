// Contract for the trade journal: closed and open spreads, statistics, equity curve, notes and tags, export and backup.
//
// Money crosses the wire as dollars (numbers) converted from the journal's exact micro-units for
// display only; nothing on the renderer side sums them back. Entry prices carry their side
// (credit/debit) instead of a sign, as the UI shows them.
import { z } from 'zod';
import { method } from './define';
import { SpreadKind } from './scanner';

export const JournalTradeStatus = z.enum(['pending', 'open', 'closed', 'broken']);

export const JournalTradeFilter = z
  .object({
    underlying: z.string().trim().toUpperCase().max(16).optional(),
    kind: SpreadKind.optional(),
    status: JournalTradeStatus.optional(),
    tag: z.string().trim().min(1).max(40).optional(),
    /** Entry on or after / before, epoch ms. */
    from: z.number().int().nonnegative().optional(),
    to: z.number().int().nonnegative().optional(),
  })
  .strict();
export type JournalTradeFilter = z.infer<typeof JournalTradeFilter>;

export const JournalTrade = z.object({
  id: z.number().int(),
  underlying: z.string(),
  kind: SpreadKind,
  expiry: z.string(),
  status: JournalTradeStatus,
  openedAt: z.number().nullable(),
  closedAt: z.number().nullable(),
  quantity: z.number(),
  openQuantity: z.number(),
  /** Net entry price per spread unit (positive), with its side. */
  entryPrice: z.number().nullable(),
  entrySide: z.enum(['credit', 'debit']).nullable(),
  exitPrice: z.number().nullable(),
  exitSide: z.enum(['credit', 'debit']).nullable(),
  grossPnl: z.number(),
  commissions: z.number(),
  /** Net of commissions; realised so far while open. */
  netPnl: z.number(),
  maxRisk: z.number().nullable(),
  returnOnRisk: z.number().nullable(),
  holdingMs: z.number().nullable(),
  /** Money paid beyond the mid at submission (negative = better than mid). */
  slippage: z.number().nullable(),
  priceSteps: z.number().int(),
  popAtEntry: z.number().nullable(),
  dteAtEntry: z.number().int().nullable(),
  note: z.string(),
  tags: z.array(z.string()),
});
export type JournalTrade = z.infer<typeof JournalTrade>;

export const JournalAggregate = z.object({
  trades: z.number().int(),
  wins: z.number().int(),
  losses: z.number().int(),
  winRate: z.number().nullable(),
  netPnl: z.number(),
  avgWin: z.number().nullable(),
  avgLoss: z.number().nullable(),
  expectancy: z.number().nullable(),
  profitFactor: z.number().nullable(),
  maxDrawdown: z.number(),
  avgReturnOnRisk: z.number().nullable(),
  avgHoldingMs: z.number().nullable(),
  avgSlippage: z.number().nullable(),
  avgPriceSteps: z.number().nullable(),
  commissions: z.number(),
});
export type JournalAggregate = z.infer<typeof JournalAggregate>;

export const JournalCalibrationBucket = z.object({
  from: z.number(),
  to: z.number(),
  trades: z.number().int(),
  meanPop: z.number().nullable(),
  realisedWinRate: z.number().nullable(),
});

export const JournalSummary = z.object({
  overall: JournalAggregate,
  openTrades: z.number().int(),
  byUnderlying: z.record(z.string(), JournalAggregate),
  byKind: z.record(z.string(), JournalAggregate),
  byDteBucket: z.record(z.string(), JournalAggregate),
  byWeekday: z.record(z.string(), JournalAggregate),
  calibration: z.array(JournalCalibrationBucket),
});
export type JournalSummary = z.infer<typeof JournalSummary>;

export const JournalEquityPoint = z.object({ t: z.number(), equity: z.number(), drawdown: z.number() });

export const JournalReconciliation = z.object({
  id: z.number().int(),
  at: z.number(),
  clean: z.boolean(),
  summary: z.string(),
});

export const JournalStatus = z.object({
  available: z.boolean(),
  file: z.string().nullable(),
  /** created / opened / migrated / recovered (a damaged file was moved aside). */
  openedAs: z.enum(['created', 'opened', 'migrated', 'recovered']).nullable(),
  /** Plain sentences for the trader, e.g. why the journal is unavailable or what was moved aside. */
  warnings: z.array(z.string()),
  lastReconciliation: JournalReconciliation.nullable(),
});
export type JournalStatus = z.infer<typeof JournalStatus>;

const fileName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$/, 'Use letters, digits, dot, dash and underscore only')
  .refine((n) => !n.includes('..'), 'No ".." in file names');

export const journalMethods = {
  'journal.status': method('Whether the journal is open, where, any warnings, and the last reconciliation.', z.object({}).strict(), JournalStatus),
  'journal.trades': method(
    'Spreads from the journal (closed and open), newest first, with P&L, risk, slippage, notes and tags.',
    z.object({ filter: JournalTradeFilter.optional(), limit: z.number().int().min(1).max(100_000).optional() }).strict(),
    z.object({ trades: z.array(JournalTrade), total: z.number().int() }),
  ),
  'journal.summary': method('Statistics over closed trades: overall and by underlying, kind, DTE bucket and weekday, plus POP calibration.', z.object({ filter: JournalTradeFilter.optional() }).strict(), JournalSummary),
  'journal.equityCurve': method(
    'Cumulative net P&L over closed trades, thinned to at most maxPoints (extremes kept).',
    z.object({ filter: JournalTradeFilter.optional(), maxPoints: z.number().int().min(10).max(10_000).optional() }).strict(),
    z.object({ points: z.array(JournalEquityPoint) }),
  ),
  'journal.setNote': method('Saves the note on a trade (empty clears it).', z.object({ spreadId: z.number().int().positive(), note: z.string().max(4000) }).strict(), JournalTrade),
  'journal.setTags': method('Replaces the tags on a trade.', z.object({ spreadId: z.number().int().positive(), tags: z.array(z.string().max(40)).max(20) }).strict(), JournalTrade),
  'journal.export': method(
    'Writes trades or executions as CSV into the exports folder of the data directory.',
    z.object({ kind: z.enum(['trades', 'executions']), fileName: fileName.optional() }).strict(),
    z.object({ path: z.string(), rows: z.number().int(), bytes: z.number().int() }),
  ),
  'journal.backup': method('Online backup of the journal into the backups folder of the data directory, checked before it is reported.', z.object({}).strict(), z.object({ path: z.string(), bytes: z.number().int() })),
  'journal.reconcile': method('Reconciles the journal with the broker now (open orders, executions, positions); needs a connection.', z.object({}).strict(), JournalReconciliation.extend({ counts: z.record(z.string(), z.number().int()) })),
};

export const journalEvents = {
  /** Trades changed (fills, notes, tags, reconciliation): the panel reloads. */
  'journal.updated': z.object({ spreadIds: z.array(z.number().int()), at: z.number() }),
};
