// Risk ⇄ execution types: the order as the risk engine sees it, the context it is judged in, and the verdicts.
import type { RiskLimits } from '../contract/risk';
import type { TradingState } from './trading-state';

export interface RiskVerdict {
  code: string;
  level: 'pass' | 'warn' | 'block';
  /** One sentence for the trader. */
  message: string;
  /** The numbers behind the sentence (limit, value, …). */
  numbers?: Record<string, number | string>;
}

export interface RiskOrderLeg {
  conId: number;
  /** As held in the spread. */
  side: 'long' | 'short';
  strike: number;
  right: 'C' | 'P';
}

/** An order as the risk engine sees it: a vertical spread opened or closed as one combo, or a cancel. */
export interface RiskOrder {
  kind: 'submit' | 'modify' | 'cancel';
  ticketId?: string;
  purpose: 'open' | 'close';
  underlying: string;
  /** The journal's spread id of the spread a close reduces. */
  spreadId?: number | null;
  /** Spreads (combo units). */
  quantity: number;
  /** Net limit per share, positive dollars on the tick grid; `net` says which way the cash goes. */
  limitPrice: number;
  net: 'debit' | 'credit';
  multiplier: number;
  /** YYYYMMDD or YYYY-MM-DD. */
  expiry: string;
  /** Max loss of one spread in dollars (per share × multiplier), null when unknown. */
  maxLossPerSpread: number | null;
  legs: RiskOrderLeg[];
}

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
}

/** Everything evaluate() needs, gathered by the risk service (account, quotes, open spreads, settings, clock). */
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
  legQuotes: LegQuoteFacts[];
  /** The live natural price of the combo as signed cash per share (+ credit, − debit), when streamed. */
  combo?: { naturalCash: number | null; updatedAt: number | null } | null;
  /** Tickets sent recently: ticketKey and when. */
  recentTickets: { key: string; at: number }[];
}
