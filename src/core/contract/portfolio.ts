// Contract for positions held as spreads, their live P&L and the account's P&L: list, summary, close, and their events.
//
// Money crosses the wire as dollars for display (computed from exact micros in main; the renderer never sums
// them). Prices per share carry their side (credit/debit) instead of a sign: `closeMid` is what closing the
// spread would bring (credit) or cost (debit) now. P&L is signed from the trader's side (gain +, loss −).
import { z } from 'zod';
import { method } from './define';
import { NetPriceArg, PricingPolicyArg, SubmitResult, TicketId } from './orders';
import { SpreadKind } from './scanner';

const Money = z.number();
const NetPriceOut = z.object({ amount: z.number().nonnegative(), kind: z.enum(['credit', 'debit']) });

export const PositionLeg = z.object({
  role: z.enum(['long', 'short']),
  conId: z.number().int().nullable(),
  strike: z.number(),
  right: z.enum(['C', 'P']),
  /** Signed contracts (+ long, − short): what the journal says this spread holds, and what the broker's position covers of it (null before the broker reported positions). */
  journalQty: z.number(),
  brokerQty: z.number().nullable(),
  bid: z.number().nullable(),
  ask: z.number().nullable(),
});
export type PositionLeg = z.infer<typeof PositionLeg>;

/** The exit rules set on a position (core/portfolio/exits.ts), and what they say about the current quote. */
export const ExitRulesArg = z
  .object({
    /** Close at this % of max profit. */
    profitTargetPct: z.number().min(1).max(100).optional(),
    /** Credit spreads: close when the loss reaches this multiple of the credit. */
    stopCreditMultiple: z.number().min(0.1).max(20).optional(),
    /** Close when the loss reaches this % of max loss. */
    stopMaxLossPct: z.number().min(1).max(100).optional(),
    /** Close when the spread's value falls this many dollars per spread below its best. */
    trailingStop: z.number().positive().optional(),
    /** Close at this many calendar days to expiry or fewer. */
    dteDays: z.number().int().min(0).max(365).optional(),
    /** Send the closing order through the execution service when a rule fires (off: only alert). */
    auto: z.boolean().default(false),
  })
  .strict();
export type ExitRulesArg = z.input<typeof ExitRulesArg>;
export type ExitRulesParsed = z.output<typeof ExitRulesArg>;

export const ExitView = z.object({
  rules: ExitRulesArg,
  /** holding, blocked (the quote may not fire a price rule, `message` says why), fired (a rule was hit: `message` names it). */
  state: z.enum(['holding', 'blocked', 'fired']),
  message: z.string().nullable(),
  firedAt: z.number().nullable(),
  /** The closing order sent for an auto exit. */
  orderId: z.number().int().nullable(),
});
export type ExitView = z.infer<typeof ExitView>;

export const PositionSpread = z.object({
  spreadId: z.number().int(),
  account: z.string().nullable(),
  symbol: z.string(),
  kind: SpreadKind,
  expiry: z.string(),
  right: z.enum(['C', 'P']),
  longStrike: z.number(),
  shortStrike: z.number(),
  multiplier: z.number(),
  /** Spread units open now, and opened in all. */
  quantity: z.number(),
  openedQuantity: z.number(),
  /** open, or broken (the legs' open quantities differ: a leg was closed alone). */
  status: z.enum(['open', 'broken']),
  /** Whether the broker's positions hold exactly these legs: matched, mismatch (see the legs), unknown (no broker positions yet). */
  broker: z.enum(['matched', 'mismatch', 'unknown']),
  legs: z.array(PositionLeg),
  entry: NetPriceOut,
  closeMid: NetPriceOut.nullable(),
  closeNatural: NetPriceOut.nullable(),
  unrealised: Money.nullable(),
  /** Unrealised as a fraction of max profit (0.5 = half). */
  pctOfMaxProfit: z.number().nullable(),
  /** Realised so far: closed units, less every commission paid (the journal's net P&L). */
  realised: Money,
  total: Money.nullable(),
  maxProfit: Money,
  maxLoss: Money,
  breakeven: z.number(),
  dte: z.number().int().nullable(),
  daysHeld: z.number().int().nullable(),
  underlying: z.number().nullable(),
  shortStrikeDistance: z.number().nullable(),
  breakevenDistance: z.number().nullable(),
  quoteAt: z.number().nullable(),
  /** The leg quotes are older than the staleness limit (or missing). */
  stale: z.boolean(),
  exit: ExitView.nullable(),
});
export type PositionSpread = z.infer<typeof PositionSpread>;

/** A broker position no open spread explains: shown, never hidden. */
export const OrphanLeg = z.object({
  account: z.string(),
  conId: z.number().int(),
  symbol: z.string(),
  secType: z.string(),
  expiry: z.string().nullable(),
  strike: z.number().nullable(),
  right: z.enum(['C', 'P']).nullable(),
  /** Signed (+ long, − short), the part no spread explains. */
  quantity: z.number(),
  avgCost: z.number().nullable(),
});
export type OrphanLeg = z.infer<typeof OrphanLeg>;

export const PositionsSnapshot = z.object({
  at: z.number(),
  /** When the broker last reported its positions (null: not since connecting). */
  brokerAt: z.number().nullable(),
  spreads: z.array(PositionSpread),
  orphans: z.array(OrphanLeg),
});
export type PositionsSnapshot = z.infer<typeof PositionsSnapshot>;

export const AccountFigures = z.object({
  account: z.string(),
  netLiquidation: Money.nullable(),
  buyingPower: Money.nullable(),
  excessLiquidity: Money.nullable(),
  availableFunds: Money.nullable(),
  at: z.number(),
});
export type AccountFigures = z.infer<typeof AccountFigures>;

export const PnlSummary = z.object({
  at: z.number(),
  /** Sum over the open spreads at mid (spreads without a quote are counted in `unmarked`, not guessed). */
  unrealised: Money,
  unmarked: z.number().int(),
  /** Realised on the open spreads so far plus spreads closed today (New York), net of commissions. */
  realisedToday: Money,
  total: Money,
  openSpreads: z.number().int(),
  orphanLegs: z.number().int(),
  /** The broker's account P&L (reqPnL): daily, unrealised, realised; null until it reports. */
  broker: z.object({ daily: Money, unrealised: Money.nullable(), realised: Money.nullable(), at: z.number() }).nullable(),
  account: AccountFigures.nullable(),
});
export type PnlSummary = z.infer<typeof PnlSummary>;

export const portfolioMethods = {
  'positions.list': method('Positions grouped as spreads, with marks and P&L, and the orphan legs no spread explains.', z.object({}).strict(), PositionsSnapshot),
  'pnl.summary': method('P&L of the book (unrealised, realised today) and the account figures.', z.object({}).strict(), PnlSummary),
  'positions.close': method(
    'Close a held spread as one BAG order through the execution service (risk-checked, journaled first). Without a limit, the natural price now.',
    z
      .object({
        spreadId: z.number().int().positive(),
        ticketId: TicketId,
        /** Spread units to close; all open units by default. */
        quantity: z.number().int().min(1).max(1000).optional(),
        limit: NetPriceArg.optional(),
        pricing: PricingPolicyArg.optional(),
      })
      .strict(),
    SubmitResult,
  ),
  'exit.set': method('Set the exit rules of a held spread (shown on the position; with auto, a hit sends one closing order).', z.object({ spreadId: z.number().int().positive(), rules: ExitRulesArg }).strict(), ExitView),
  'exit.clear': method('Remove the exit rules of a held spread.', z.object({ spreadId: z.number().int().positive() }).strict(), z.object({ cleared: z.boolean() })),
} as const;

export const portfolioEvents = {
  'positions.updated': PositionsSnapshot,
  'pnl.updated': PnlSummary,
} as const;
