// The risk gate's types: the order as the risk checks see it, a verdict, and the gate the execution service calls.
// Shared between execution (caller) and risk (implementer); change additively only.
import type { SpreadKind } from '../contract/scanner';

/** One leg of the order as risk sees it: strikes in dollars, +1 bought / −1 sold within the combo as held. */
export interface RiskOrderLeg {
  readonly symbol: string;
  readonly expiry: string;
  readonly strike: number;
  readonly right: 'C' | 'P';
  readonly side: 1 | -1;
  readonly ratio: number;
}

/** An order about to be sent, in our words (positive prices labelled credit/debit; money in $). */
export interface RiskOrder {
  readonly ticketId: string;
  readonly symbol: string;
  readonly kind: SpreadKind;
  readonly expiry: string;
  readonly longStrike: number;
  readonly shortStrike: number;
  /** open adds risk; close reduces it (allowed while REDUCING); roll closes one spread and opens another. */
  readonly intent: 'open' | 'close' | 'roll';
  readonly quantity: number;
  /** Net limit per share. */
  readonly limit: { readonly amount: number; readonly kind: 'credit' | 'debit' };
  /** Net mid / natural per share when known. */
  readonly mid: { readonly amount: number; readonly kind: 'credit' | 'debit' } | null;
  readonly natural: { readonly amount: number; readonly kind: 'credit' | 'debit' } | null;
  readonly multiplier: number;
  /** $ for the whole order (× multiplier × quantity). */
  readonly maxLoss: number;
  readonly maxProfit: number;
  /** Core Reg-T model, $ for the whole order. */
  readonly margin: number;
  readonly commission: number;
  readonly legs: readonly RiskOrderLeg[];
  /** Oldest leg quote age in ms, null when unknown. */
  readonly quoteAgeMs: number | null;
  readonly pop: number | null;
  /** Epoch ms when the check is asked. */
  readonly at: number;
}

export interface RiskVerdict {
  code: string;
  level: 'pass' | 'warn' | 'block';
  message: string;
  numbers?: Record<string, number | string>;
}

/** The execution service's only view of risk: one check per order; `allowed` is false when any verdict blocks. */
export interface RiskGate {
  check(order: RiskOrder): Promise<{ allowed: boolean; verdicts: RiskVerdict[] }>;
}
