// A ticket's intent as the journal records it before the order may leave the process.
import { z } from 'zod';
import { SpreadKind } from '../contract/scanner';

export const IntentLeg = z.object({
  conId: z.number().int().positive().nullable(),
  action: z.enum(['BUY', 'SELL']),
  ratio: z.number().int().positive().default(1),
  expiry: z.string().regex(/^\d{8}$/, 'Expiry is YYYYMMDD'),
  strike: z.number().positive(),
  right: z.enum(['C', 'P']),
});
export type IntentLeg = z.infer<typeof IntentLeg>;

export const RiskReason = z.object({ code: z.string().min(1), message: z.string() });

export const PricingPolicy = z.looseObject({
  mode: z.enum(['mid', 'natural', 'custom']),
  /** Ticks per walk step and pause between steps, when the ticket walks the price. */
  stepTicks: z.number().int().nonnegative().optional(),
  intervalMs: z.number().int().nonnegative().optional(),
  maxSteps: z.number().int().nonnegative().optional(),
});

export const TicketIntent = z
  .object({
    /** open = a new spread; close acts on `spreadId`. A roll is two tickets: close, then open. */
    purpose: z.enum(['open', 'close']),
    spreadId: z.number().int().positive().optional(),
    underlying: z.string().min(1).max(16),
    // The journal stores the one SpreadKind; a caller still on the pre-0004 spelling (bull_call) is read as it.
    kind: z.preprocess((k) => (typeof k === 'string' ? k.replace('_', '-') : k), SpreadKind),
    right: z.enum(['C', 'P']),
    expiry: z.string().regex(/^\d{8}$/, 'Expiry is YYYYMMDD'),
    longStrike: z.number().positive(),
    shortStrike: z.number().positive(),
    multiplier: z.number().int().positive().default(100),
    legs: z.array(IntentLeg).min(1).max(4),
    account: z.string().optional(),
    /** The combo order: IBKR convention, net price per spread unit (BUY pays a positive price). */
    action: z.enum(['BUY', 'SELL']),
    quantity: z.number().int().positive(),
    limitPrice: z.number(),
    /** Mid of the spread at submission, same convention as limitPrice; slippage is measured against it. */
    midPrice: z.number().nullable(),
    pricingPolicy: PricingPolicy,
    /** The preview the trader confirmed (metrics, what-if margin and commission), kept verbatim. */
    preview: z.unknown(),
    popAtEntry: z.number().min(0).max(1).nullable(),
    /** Money per spread unit (already × multiplier), positive. */
    maxLoss: z.number().nonnegative().nullable(),
    maxProfit: z.number().nullable(),
    risk: z.object({ verdict: z.enum(['allow', 'warn', 'deny']), reasons: z.array(RiskReason) }),
    createdBy: z.string().min(1).default('user'),
    /** When the broker order id is already reserved, the first submission is recorded in the same transaction. */
    orderId: z.number().int().positive().optional(),
    clientId: z.number().int().nonnegative().optional(),
  })
  .refine((t) => t.purpose === 'open' || t.spreadId !== undefined, { message: 'Closing needs the spread id', path: ['spreadId'] })
  .refine((t) => (t.orderId === undefined) === (t.clientId === undefined), { message: 'orderId and clientId come together', path: ['orderId'] });
export type TicketIntent = z.input<typeof TicketIntent>;
export type ParsedTicketIntent = z.output<typeof TicketIntent>;
