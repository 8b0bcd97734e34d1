// Contract for risk limits and the risk status: the trader's guardrails, validated with sentences a trader reads.
import { z } from 'zod';
import { method } from './define';
import { TradingStatus } from './trading';

const dollars = (what: string) =>
  z.number({ error: `${what} must be a number of dollars` }).finite(`${what} must be a number of dollars`).min(0, `${what} cannot be negative`).max(1e9, `${what} is too large`);
const percent = (what: string) => z.number({ error: `${what} must be a percentage` }).min(0, `${what} cannot be negative`).max(1000, `${what} must be at most 1000%`);
const count = (what: string) => z.number({ error: `${what} must be a whole number` }).int(`${what} must be a whole number`).min(0, `${what} cannot be negative`).max(1_000_000, `${what} is too large`);
const symbol = z.string().trim().toUpperCase().min(1, 'A symbol cannot be empty').max(12, 'A symbol has at most 12 characters').regex(/^[A-Z0-9.^/ ]+$/, 'A symbol has only letters, digits and dots');

/**
 * Every limit is a maximum (or minimum) that is itself allowed; crossing it by one unit blocks. `null` turns a check
 * off. Amounts are dollars (the engine compares them as integer micros), percentages are 0–100.
 */
export const RiskLimits = z.object({
  maxLossPerTradeUsd: dollars('Max loss per trade').nullable(),
  maxLossPerTradePctOfNetLiq: percent('Max loss per trade (% of net liquidation)').nullable(),
  maxContractsPerOrder: count('Max contracts per order').nullable(),
  maxOpenSpreads: count('Max open spreads').nullable(),
  maxExposurePerUnderlyingUsd: dollars('Max exposure per underlying').nullable(),
  minBuyingPowerAfterUsd: dollars('Min buying power left').nullable(),
  /** New York time "HH:MM" after which no new 0-DTE spread may be opened. */
  zeroDteCutoff: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, '0-DTE cutoff must be a New York time like 15:30').nullable(),
  minLegBidUsd: dollars('Min leg bid').nullable(),
  maxLegSpreadPctOfMid: percent('Max leg bid-ask width').nullable(),
  minOpenInterest: count('Min open interest').nullable(),
  minVolume: count('Min volume').nullable(),
  maxTicksBeyondNatural: count('Max ticks beyond natural').nullable(),
  duplicateWindowSec: count('Duplicate ticket window').nullable(),
  maxQuoteAgeSec: count('Max quote age').nullable(),
  /** Non-empty: only these underlyings may be traded. */
  allowSymbols: z.array(symbol).max(200, 'At most 200 allowed symbols'),
  denySymbols: z.array(symbol).max(200, 'At most 200 denied symbols'),
  /** Orders that open a spread outside regular hours are blocked (closes are held by the broker anyway). */
  requireRegularSession: z.boolean(),
  dailyLossLimitUsd: dollars('Daily loss limit').nullable(),
  /** Which unrealised P&L the daily-loss breaker adds to the realised: at mid or at the natural (the price to close now). */
  dailyLossBasis: z.enum(['mid', 'natural']),
  dailyLossAction: z.enum(['REDUCING', 'HALTED']),
  maxConsecutiveRejects: count('Consecutive rejects before halting').nullable(),
});
export type RiskLimits = z.infer<typeof RiskLimits>;

export const RiskLimitsPatch = RiskLimits.partial().strict();
export type RiskLimitsPatch = z.infer<typeof RiskLimitsPatch>;

export const RiskVerdictSchema = z.object({
  code: z.string(),
  level: z.enum(['pass', 'warn', 'block']),
  message: z.string(),
  numbers: z.record(z.string(), z.union([z.number(), z.string()])).optional(),
});

/** The breaker that latched REDUCING or HALTED; it stays until the trader resets it (persisted across restarts). */
export const RiskBreaker = z.object({
  state: z.enum(['REDUCING', 'HALTED']),
  code: z.string(),
  reason: z.string(),
  at: z.number(),
});
export type RiskBreaker = z.infer<typeof RiskBreaker>;

export const RiskStatus = z.object({
  trading: TradingStatus,
  breaker: RiskBreaker.nullable(),
  /** LIVE profile: orders need an arm in this session. */
  armRequired: z.boolean(),
  armed: z.boolean(),
  account: z.string().nullable(),
  consecutiveRejects: z.number(),
  dailyPnl: z.object({ realized: z.number(), unrealizedMid: z.number().nullable(), unrealizedNatural: z.number().nullable(), at: z.number() }).nullable(),
});
export type RiskStatus = z.infer<typeof RiskStatus>;

export const KillAction = z.object({
  kind: z.enum(['cancel', 'close', 'halt']),
  /** Broker order id (cancels) or the close order's id when known. */
  orderId: z.number().nullable(),
  /** A spread being flattened: its journal id and a description ("SPY 2026-01-16 500/505 C ×2"). */
  spread: z.string().nullable(),
  ok: z.boolean(),
  message: z.string(),
  at: z.number(),
});
export type KillAction = z.infer<typeof KillAction>;

export const KillReport = z.object({
  pressedAt: z.number(),
  /** When the last cancel had been sent (before any flatten): press → this is the ≤ 1 s figure. */
  cancelsSentAt: z.number(),
  finishedAt: z.number(),
  actions: z.array(KillAction),
  trading: TradingStatus,
});
export type KillReport = z.infer<typeof KillReport>;

export const riskMethods = {
  'risk.get': method('The risk limits and the current risk status.', z.object({}).strict(), z.object({ limits: RiskLimits, status: RiskStatus })),
  'risk.update': method('Validate and save risk limits (a partial patch); returns the saved limits.', z.object({ limits: RiskLimitsPatch }).strict(), RiskLimits),
  'trading.kill': method(
    'Kill switch: cancel every working order, optionally flatten each open spread as one combo, then HALT; reports each action.',
    z.object({ flatten: z.boolean().default(false) }).strict(),
    KillReport,
  ),
  'trading.arm': method('Arm a LIVE account for this session; `confirm` must be the account id, typed.', z.object({ confirm: z.string().max(64) }).strict(), RiskStatus),
  'trading.disarm': method('Disarm the LIVE account: orders are refused until armed again.', z.object({}).strict(), RiskStatus),
  'trading.reset': method('Clear a latched breaker (REDUCING/HALTED); `confirm` must be the word RESET, typed.', z.object({ confirm: z.string().max(64) }).strict(), RiskStatus),
};

export const riskEvents = {
  'risk.status': RiskStatus,
};
