// Risk limits: the defaults a fresh install starts with, and what each limit means and blocks, in the trader's words.
import type { RiskLimits } from '../contract/risk';

export const DEFAULT_RISK_LIMITS: RiskLimits = {
  maxLossPerTradeUsd: 1_000,
  maxLossPerTradePctOfNetLiq: 2,
  maxContractsPerOrder: 20,
  maxOpenSpreads: 20,
  maxExposurePerUnderlyingUsd: 5_000,
  minBuyingPowerAfterUsd: 1_000,
  zeroDteCutoff: '15:30',
  minLegBidUsd: 0.05,
  maxLegSpreadPctOfMid: 50,
  minOpenInterest: 10,
  minVolume: null,
  maxTicksBeyondNatural: 5,
  duplicateWindowSec: 10,
  maxQuoteAgeSec: 30,
  allowSymbols: [],
  denySymbols: [],
  requireRegularSession: true,
  dailyLossLimitUsd: 2_000,
  dailyLossBasis: 'mid',
  dailyLossAction: 'HALTED',
  maxConsecutiveRejects: 3,
};

export interface LimitInfo {
  label: string;
  unit: '$' | '%' | 'contracts' | 'spreads' | 'ticks' | 's' | 'NY time' | 'count' | 'symbols' | 'choice' | 'on/off';
  /** What crossing it does, as the Settings → Risk section says it. */
  blocks: string;
}

export const RISK_LIMIT_INFO: Readonly<Record<keyof RiskLimits, LimitInfo>> = {
  maxLossPerTradeUsd: { label: 'Max loss per trade', unit: '$', blocks: 'Blocks opening a spread whose max loss (per spread × contracts) is above this.' },
  maxLossPerTradePctOfNetLiq: { label: 'Max loss per trade', unit: '%', blocks: 'Blocks opening a spread whose max loss is above this share of net liquidation.' },
  maxContractsPerOrder: { label: 'Max contracts per order', unit: 'contracts', blocks: 'Blocks opening more spreads than this in one order (a close is limited to what you hold).' },
  maxOpenSpreads: { label: 'Max open spreads', unit: 'spreads', blocks: 'Blocks opening a new spread while this many are open.' },
  maxExposurePerUnderlyingUsd: { label: 'Max exposure per underlying', unit: '$', blocks: 'Blocks opening when the summed max loss on one underlying would pass this.' },
  minBuyingPowerAfterUsd: { label: 'Min buying power left', unit: '$', blocks: 'Blocks opening when buying power after IBKR’s what-if (or the Reg-T estimate) would fall below this.' },
  zeroDteCutoff: { label: '0-DTE cutoff', unit: 'NY time', blocks: 'Blocks opening a spread that expires today after this New York time.' },
  minLegBidUsd: { label: 'Min leg bid', unit: '$', blocks: 'Blocks opening when a leg’s bid is below this (no buyer to close into).' },
  maxLegSpreadPctOfMid: { label: 'Max leg bid-ask width', unit: '%', blocks: 'Blocks opening when a leg’s bid-ask is wider than this share of its mid.' },
  minOpenInterest: { label: 'Min open interest', unit: 'count', blocks: 'Blocks opening when a leg’s open interest is known and below this.' },
  minVolume: { label: 'Min volume', unit: 'count', blocks: 'Blocks opening when a leg’s volume today is known and below this.' },
  maxTicksBeyondNatural: { label: 'Max ticks beyond natural', unit: 'ticks', blocks: 'Blocks any limit price worse than the live natural combo price by more than this (fat finger).' },
  duplicateWindowSec: { label: 'Duplicate ticket window', unit: 's', blocks: 'Blocks the same spread, side and size sent again within this many seconds.' },
  maxQuoteAgeSec: { label: 'Max quote age', unit: 's', blocks: 'Blocks when the combo or a leg quote is older than this.' },
  allowSymbols: { label: 'Allowed underlyings', unit: 'symbols', blocks: 'When not empty, blocks every underlying not on the list.' },
  denySymbols: { label: 'Denied underlyings', unit: 'symbols', blocks: 'Blocks every underlying on the list.' },
  requireRegularSession: { label: 'Regular session only', unit: 'on/off', blocks: 'Blocks opening a spread outside 09:30–16:00 New York time on a trading day.' },
  dailyLossLimitUsd: { label: 'Daily loss limit', unit: '$', blocks: 'When today’s realised + unrealised loss passes this, trading moves to the action below until reset.' },
  dailyLossBasis: { label: 'Daily loss measured at', unit: 'choice', blocks: 'Unrealised P&L at mid, or at natural (what closing now would get).' },
  dailyLossAction: { label: 'Daily loss action', unit: 'choice', blocks: 'REDUCING allows only closes and cancels; HALTED allows only cancels.' },
  maxConsecutiveRejects: { label: 'Rejects before halting', unit: 'count', blocks: 'This many broker rejects in a row HALT trading until reset.' },
};
