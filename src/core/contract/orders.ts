// Contract for placing and managing spread orders: ticket preview, submit/modify/cancel, blotters and their events.
//
// Prices cross the wire as positive amounts per share labelled credit or debit (NetPrice), never as a bare
// signed number; the execution service alone converts them to the BAG's signed lmtPrice (core/spreads/bag.ts).
// Order ids are owned by the execution service: no method takes one from a caller except to address an
// existing order (modify/cancel), and a submit is identified by the client-generated `ticketId`.
import { z } from 'zod';
import { method } from './define';
import { SpreadKind } from './scanner';

const Finite = z.number().refine(Number.isFinite, 'Must be a finite number');
const Price = Finite.refine((v) => v >= 0, 'A price is a positive amount; say credit or debit instead of a sign');
const Pct = Finite.refine((v) => v >= 0 && v <= 100, 'Must be between 0 and 100 %');

const Symbol = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z][A-Z0-9.]{0,11}$/, 'Symbols are 1–12 letters, digits or dots');

/** A net price per share: a non-negative amount and whether we pay it (debit) or receive it (credit). */
export const NetPriceArg = z.object({ amount: Price, kind: z.enum(['credit', 'debit']) }).strict();
export type NetPriceArg = z.infer<typeof NetPriceArg>;

export const TimeInForce = z.enum(['DAY', 'GTC']);
export type TimeInForce = z.infer<typeof TimeInForce>;

/**
 * How the limit moves while the order works.
 * fixed: stays at the limit given. walk: starts at mid (rounded to a valid tick on the conservative side), every
 * `intervalSec` steps `stepTicks` toward natural, never beyond `capPct` % of the mid-to-natural distance; at the
 * end (`maxSteps` reached and the cap held for one more interval) either cancels or leaves the order working.
 */
export const PricingPolicyArg = z.discriminatedUnion('mode', [
  z.object({ mode: z.literal('fixed') }).strict(),
  z
    .object({
      mode: z.literal('walk'),
      /** Where the walk starts: at mid, or at the ticket's limit. */
      start: z.enum(['mid', 'limit']).default('mid'),
      // Defaults tuned by `npm run bench -- execution` (b): 1 tick every 20 s, at most 4 steps, cap 40 %.
      stepTicks: z.number().int().min(1).max(50).default(1),
      intervalSec: z.number().min(1).max(600).default(20),
      /** Stop conceding at this % of the mid-to-natural distance (100 = natural). */
      capPct: Pct.default(40),
      maxSteps: z.number().int().min(1).max(100).default(4),
      endAction: z.enum(['cancel', 'leave']).default('leave'),
    })
    .strict(),
]);
export type PricingPolicyArg = z.input<typeof PricingPolicyArg>;
export type PricingPolicyParsed = z.output<typeof PricingPolicyArg>;

/** Optional exits attached on entry: a GTC profit target and a stop, one OCA group. */
export const AttachedExits = z
  .object({
    /** Take profit at this % of max profit. */
    profitTargetPct: z.number().min(1).max(100).optional(),
    /** Stop: credit kinds as a multiple of the credit received (2 = lose twice the credit), or % of max loss. */
    stop: z
      .discriminatedUnion('basis', [
        z.object({ basis: z.literal('creditMultiple'), value: z.number().min(0.1).max(20) }).strict(),
        z.object({ basis: z.literal('maxLossPct'), value: Pct }).strict(),
      ])
      .optional(),
    /** broker: GTC BAG stop at IBKR (which may simulate it) · app: the app monitors and closes. */
    stopVenue: z.enum(['broker', 'app']).default('app'),
  })
  .strict();
export type AttachedExits = z.input<typeof AttachedExits>;

/** One vertical as the ticket names it. Strikes in dollars; expiry YYYYMMDD. */
export const SpreadRef = z
  .object({
    symbol: Symbol,
    expiry: z.string().regex(/^\d{8}$/, 'Expiry is YYYYMMDD'),
    kind: SpreadKind,
    longStrike: z.number().positive(),
    shortStrike: z.number().positive(),
  })
  .strict()
  .refine((s) => s.longStrike !== s.shortStrike, { message: 'The two strikes must differ', path: ['shortStrike'] });
export type SpreadRef = z.infer<typeof SpreadRef>;

export const Ticket = z
  .object({
    symbol: Symbol,
    expiry: z.string().regex(/^\d{8}$/, 'Expiry is YYYYMMDD'),
    kind: SpreadKind,
    longStrike: z.number().positive(),
    shortStrike: z.number().positive(),
    quantity: z.number().int().min(1, 'At least 1 spread').max(1000),
    /** The limit per share. Opening a credit kind is a credit, a debit kind a debit (closing reverses). */
    limit: NetPriceArg,
    tif: TimeInForce.default('DAY'),
    pricing: PricingPolicyArg.default({ mode: 'fixed' }),
    exits: AttachedExits.optional(),
    intent: z.enum(['open', 'close', 'roll']).default('open'),
    /** roll only: the new spread opened while this one closes, as one 4-leg BAG at `limit` (net of both). */
    rollTo: SpreadRef.optional(),
    /** close/roll: the journal's spread id being closed, when known. */
    spreadId: z.number().int().positive().optional(),
  })
  .strict()
  .refine((t) => t.longStrike !== t.shortStrike, { message: 'The two strikes must differ', path: ['shortStrike'] })
  .refine((t) => t.intent !== 'roll' || t.rollTo !== undefined, { message: 'A roll needs the spread to roll to', path: ['rollTo'] });
export type Ticket = z.input<typeof Ticket>;
export type TicketParsed = z.output<typeof Ticket>;

export const LegQuote = z.object({
  conId: z.number().int().nullable(),
  symbol: z.string(),
  expiry: z.string(),
  strike: z.number(),
  right: z.enum(['C', 'P']),
  /** BUY or SELL within the combo as held (the BAG leg action). */
  action: z.enum(['BUY', 'SELL']),
  ratio: z.number().int().positive(),
  bid: z.number().nullable(),
  ask: z.number().nullable(),
  mid: z.number().nullable(),
  /** Age of the quote in ms, null when unknown. */
  quoteAgeMs: z.number().nullable(),
  iv: z.number().nullable(),
  delta: z.number().nullable(),
});
export type LegQuote = z.infer<typeof LegQuote>;

export const RiskVerdictOut = z.object({
  code: z.string(),
  level: z.enum(['pass', 'warn', 'block']),
  message: z.string(),
  numbers: z.record(z.string(), z.union([z.number(), z.string()])).optional(),
});

export const NetGreeks = z.object({
  delta: z.number().nullable(),
  gamma: z.number().nullable(),
  /** $ per day for the position. */
  thetaPerDay: z.number().nullable(),
  /** $ per vol point for the position. */
  vega: z.number().nullable(),
});

export const BrokerWhatIf = z.object({
  /** Initial margin change, $. */
  marginChange: z.number().nullable(),
  commission: z.number().nullable(),
  equityWithLoanAfter: z.number().nullable(),
});

export const TicketPreview = z.object({
  ticket: z.unknown(),
  legs: z.array(LegQuote),
  /** Net per share at mid and at natural, labelled. Null when a leg has no two-sided quote. */
  netMid: NetPriceArg.nullable(),
  netNatural: NetPriceArg.nullable(),
  /** The limit rounded to a valid combo tick on the conservative side; what would be sent first. */
  limit: NetPriceArg,
  /** For a walk: the furthest limit it may reach (the cap), else equal to `limit`. */
  walkCap: NetPriceArg.nullable(),
  /** $ per position (× multiplier × quantity) at the limit. */
  maxProfit: z.number(),
  maxLoss: z.number(),
  breakevens: z.array(z.number()),
  pop: z.number().nullable(),
  pMaxProfit: z.number().nullable(),
  ev: z.number().nullable(),
  greeks: NetGreeks,
  /** The attached exit plan's odds (target first, stop first, neither by expiry), when the ticket has exits and the legs have IVs. */
  exitOdds: z.object({ pTarget: z.number(), pStop: z.number(), pNeither: z.number() }).nullable().optional(),
  /** Reg-T margin and commission from the core model, $. */
  regTMargin: z.number(),
  commission: z.number(),
  /** IBKR's what-if, or null with the reason it is missing (not connected, timed out, not supported…). */
  whatIf: BrokerWhatIf.nullable(),
  whatIfUnavailable: z.string().nullable(),
  verdicts: z.array(RiskVerdictOut),
  /** True when no verdict blocks. */
  allowed: z.boolean(),
  /** The exact sentence that will be sent, e.g. "SELL 1 SPY 20 Dec 560/555 put spread for a 1.20 credit, walking to at most 1.12". */
  sentence: z.string(),
  at: z.number(),
});
export type TicketPreview = z.infer<typeof TicketPreview>;

export const OrderStatus = z.enum([
  'PendingSubmit',
  'ApiPending',
  'PreSubmitted',
  'Submitted',
  'PendingCancel',
  'ApiCancelled',
  'Cancelled',
  'Filled',
  'Inactive',
  'Rejected',
]);
export type OrderStatus = z.infer<typeof OrderStatus>;

export const WalkState = z.object({
  step: z.number().int().min(0),
  maxSteps: z.number().int().min(0),
  /** The limit the walk is at (confirmed by TWS) and the furthest it may go. */
  current: NetPriceArg,
  cap: NetPriceArg,
  state: z.enum(['walking', 'waiting-confirm', 'paused-stale', 'paused-wide', 'at-cap', 'done']),
  nextStepAt: z.number().nullable(),
});

export const OrderRow = z.object({
  /** The execution service's id for the order (the broker order id it reserved). */
  orderId: z.number().int(),
  ticketId: z.string(),
  permId: z.number().int().nullable(),
  symbol: z.string(),
  kind: SpreadKind,
  expiry: z.string(),
  longStrike: z.number(),
  shortStrike: z.number(),
  intent: z.enum(['open', 'close', 'roll', 'exit-target', 'exit-stop']),
  action: z.enum(['BUY', 'SELL']),
  quantity: z.number().int(),
  filled: z.number(),
  remaining: z.number(),
  limit: NetPriceArg,
  avgFill: NetPriceArg.nullable(),
  /** Mid at submit and the slippage of the average fill versus it, $ per share (positive = worse than mid). */
  midAtSubmit: NetPriceArg.nullable(),
  slippage: z.number().nullable(),
  commission: z.number(),
  tif: TimeInForce,
  status: OrderStatus,
  /** True when terminal (Filled, Cancelled, ApiCancelled, Inactive, Rejected). */
  done: z.boolean(),
  walk: WalkState.nullable(),
  /** Last broker message about this order (reject reason, warning). */
  message: z.string().nullable(),
  ocaGroup: z.string().nullable(),
  parentTicketId: z.string().nullable(),
  submittedAt: z.number(),
  updatedAt: z.number(),
  sentence: z.string(),
  /** A roll's new spread (the row's own fields are the spread it closes); absent for every other order. */
  rollTo: z.object({ kind: SpreadKind, expiry: z.string(), longStrike: z.number(), shortStrike: z.number() }).optional(),
});
export type OrderRow = z.infer<typeof OrderRow>;

export const ExecutionRow = z.object({
  execId: z.string(),
  orderId: z.number().int(),
  ticketId: z.string().nullable(),
  /** combo = the BAG-level execution; leg = one option leg. */
  level: z.enum(['combo', 'leg']),
  symbol: z.string(),
  conId: z.number().int().nullable(),
  strike: z.number().nullable(),
  right: z.enum(['C', 'P']).nullable(),
  expiry: z.string().nullable(),
  side: z.enum(['BOT', 'SLD']),
  quantity: z.number(),
  /** Per share; for the combo level, labelled credit/debit. */
  price: z.number(),
  net: NetPriceArg.nullable(),
  commission: z.number().nullable(),
  time: z.number(),
});
export type ExecutionRow = z.infer<typeof ExecutionRow>;

/** A client-generated id, unique per ticket: submitting the same id twice yields one order. */
export const TicketId = z.string().trim().min(8, 'A ticket id has at least 8 characters').max(64);

export const SubmitResult = z.object({
  orderId: z.number().int(),
  ticketId: z.string(),
  /** True when this ticket id had already been submitted and the existing order is returned. */
  duplicate: z.boolean(),
  verdicts: z.array(RiskVerdictOut),
  sentence: z.string(),
  /** Order ids of attached exits (profit target / broker stop), if any. */
  exitOrderIds: z.array(z.number().int()),
});
export type SubmitResult = z.infer<typeof SubmitResult>;

export const ordersMethods = {
  'ticket.preview': method(
    'Price a ticket: leg quotes, net mid/natural, risk/reward, greeks, margin and commission (ours and IBKR’s what-if), risk verdicts, and the sentence that would be sent.',
    z.object({ ticket: Ticket }).strict(),
    TicketPreview,
  ),
  'order.submit': method(
    'Send a ticket as one combo (BAG) order after the risk gate and a durable journal intent. The same ticketId twice yields one order.',
    z.object({ ticketId: TicketId, ticket: Ticket }).strict(),
    SubmitResult,
  ),
  'order.modify': method(
    'Change a working order’s limit and/or quantity; resolves once TWS echoes the new values (any running walk stops).',
    z
      .object({ orderId: z.number().int().positive(), limit: NetPriceArg.optional(), quantity: z.number().int().min(1).max(1000).optional() })
      .strict()
      .refine((a) => a.limit !== undefined || a.quantity !== undefined, { message: 'Give a new limit or quantity' }),
    OrderRow,
  ),
  'order.cancel': method('Cancel a working order (and stop its walk).', z.object({ orderId: z.number().int().positive() }).strict(), OrderRow),
  'order.cancelAll': method('Cancel every working order of this app.', z.object({}).strict(), z.object({ cancelled: z.array(z.number().int()) })),
  'orders.list': method(
    'Working and done orders, newest first.',
    z.object({ includeDone: z.boolean().default(true), limit: z.number().int().min(1).max(1000).default(200) }).strict(),
    z.array(OrderRow),
  ),
  'executions.list': method(
    'Executions per leg and per combo with commissions, newest first.',
    z.object({ orderId: z.number().int().positive().optional(), limit: z.number().int().min(1).max(5000).default(500) }).strict(),
    z.array(ExecutionRow),
  ),
};

export const ordersEvents = {
  'order.updated': OrderRow,
  'execution.added': ExecutionRow,
};
