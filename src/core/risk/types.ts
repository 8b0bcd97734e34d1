// The risk gate's types: the order as the risk checks see it, a verdict, the gate the execution service calls, and the context checks run in.
// Shared between execution (caller) and risk (implementer); change additively only.
import type { RiskLimits } from '../contract/risk';
import type { SpreadKind } from '../contract/scanner';
import type { TradingState } from './trading-state';

/** One leg of the order as risk sees it: strikes in dollars, +1 bought / −1 sold within the combo as held. */
export interface RiskOrderLeg {
  readonly symbol: string;
  readonly expiry: string;
  readonly strike: number;
  readonly right: 'C' | 'P';
  readonly side: 1 | -1;
  readonly ratio: number;
  /** The leg's contract id when known: the risk service then reads its live quote (liquidity, staleness). */
  readonly conId?: number;
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
  /** What is asked: a new order (default), a price/size change of a working one, or a cancel (always allowed). */
  /** preview: checked exactly like a submit, but not remembered as sent (the duplicate-ticket check counts sends only). */
  readonly action?: 'submit' | 'preview' | 'modify' | 'cancel';
  /** The journal's id of the spread a close reduces (else matched by symbol, expiry and strikes). */
  readonly spreadId?: number | null;
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

export interface LegQuoteFacts {
  conId: number;
  bid: number | null;
  ask: number | null;
  openInterest?: number | null;
  volume?: number | null;
  /** Epoch ms of the last tick, null if none yet. */
  updatedAt: number | null;
}

export interface OpenSpreadFacts {
  spreadId: number;
  underlying: string;
  /** Spreads held. */
  quantity: number;
  /** Max loss of the whole position in dollars. */
  maxLoss: number;
  /** For matching a close that names no spread id. */
  expiry?: string;
  longStrike?: number;
  shortStrike?: number;
}

/** Everything evaluate() needs besides the order, gathered by the risk service (account, quotes, open spreads, settings, clock). */
export interface RiskContext {
  now: number;
  limits: RiskLimits;
  trading: { state: TradingState; code: string; reason: string };
  connected: boolean;
  armRequired: boolean;
  armed: boolean;
  account: string | null;
  netLiquidation: number | null;
  /** Available funds now (dollars). */
  buyingPower: number | null;
  /** IBKR's what-if for this order, when it answered. */
  whatIf: { initMarginChange: number | null } | null;
  openSpreads: OpenSpreadFacts[];
  /** Live quotes of the order's legs (by conId). */
  legQuotes: LegQuoteFacts[];
  /** The live natural price of the combo as signed cash per share (+ credit, − debit), when streamed. */
  combo?: { naturalCash: number | null; updatedAt: number | null } | null;
  /** Tickets sent recently: ticketKey and when. */
  recentTickets: { key: string; at: number }[];
}
