// The vertical spread: two option legs on one underlying and expiry, one long and one short, named from its legs.
import type { SpreadKind } from '../contract/scanner';
import type { Result } from '../result';
import type { IsoDate, OptionRight } from '../market';
import { type Micros, subMicros } from './money';

/** Long (bought) or short (sold) leg. */
export type LegSide = 'long' | 'short';

/** One option leg. Strike in exact micros; multiplier in shares per contract (100 for US equity options). */
export interface OptionLeg {
  readonly underlying: string;
  readonly expiry: IsoDate;
  readonly right: OptionRight;
  readonly strike: Micros;
  readonly multiplier: number;
  readonly side: LegSide;
  /** Number of contracts (a positive integer). */
  readonly quantity: number;
  /** Trading class (e.g. SPXW), when it differs from the underlying symbol. */
  readonly tradingClass?: string;
  /** IBKR contract id, when known (needed for BAG combo legs). */
  readonly conId?: number;
}

/** Short labels of the four verticals for grids and filters ("Bull put"). */
export const SPREAD_KIND_LABELS: Readonly<Record<SpreadKind, string>> = {
  'bull-put': 'Bull put',
  'bear-call': 'Bear call',
  'bull-call': 'Bull call',
  'bear-put': 'Bear put',
};

/** Human names of the four verticals (the contract's SpreadKind), with whether they open for a debit or a credit. */
export const SPREAD_KIND_NAMES: Readonly<Record<SpreadKind, string>> = {
  'bull-call': 'Bull call spread (debit)',
  'bear-put': 'Bear put spread (debit)',
  'bull-put': 'Bull put spread (credit)',
  'bear-call': 'Bear call spread (credit)',
};

/** A validated vertical spread. quantity = number of spreads (contracts per leg). */
export interface VerticalSpread {
  readonly kind: SpreadKind;
  readonly underlying: string;
  readonly tradingClass?: string;
  readonly expiry: IsoDate;
  readonly right: OptionRight;
  readonly multiplier: number;
  readonly quantity: number;
  readonly lowStrike: Micros;
  readonly highStrike: Micros;
  /** highStrike − lowStrike, $ per share. */
  readonly width: Micros;
  readonly longLeg: OptionLeg;
  readonly shortLeg: OptionLeg;
  /** True when the P&L rises with the underlying (bull call, bull put). */
  readonly bullish: boolean;
  /** True when opened for a credit (bull put, bear call). */
  readonly isCredit: boolean;
}

/** Why a set of legs (or a price) does not make a valid vertical. */
export type SpreadIssueCode =
  | 'LEG_COUNT' | 'UNDERLYING_MISMATCH' | 'CLASS_MISMATCH' | 'EXPIRY_MISMATCH' | 'RIGHT_MISMATCH' | 'MULTIPLIER_MISMATCH'
  | 'EQUAL_STRIKES' | 'STRIKE_ORDER' | 'SAME_SIDE' | 'QUANTITY_MISMATCH' | 'NON_POSITIVE_QUANTITY' | 'NON_INTEGER_QUANTITY'
  | 'NON_POSITIVE_STRIKE' | 'BAD_MULTIPLIER' | 'PRICE_KIND_MISMATCH' | 'PRICE_EXCEEDS_WIDTH' | 'NEGATIVE_PRICE';

/** A reason code and the sentence the ticket shows. */
export interface SpreadIssue {
  readonly code: SpreadIssueCode;
  readonly message: string;
}


/** Kind of a vertical from its right and which strike is long. */
export function spreadKindOf(right: OptionRight, longStrike: Micros, shortStrike: Micros): SpreadKind {
  if (right === 'C') return longStrike < shortStrike ? 'bull-call' : 'bear-call';
  return longStrike > shortStrike ? 'bear-put' : 'bull-put';
}

/** True for bull call and bull put spreads. */
export function isBullish(kind: SpreadKind): boolean {
  return kind === 'bull-call' || kind === 'bull-put';
}

/** True for the credit kinds (bull put, bear call). */
export function isCreditKind(kind: SpreadKind): boolean {
  return kind === 'bull-put' || kind === 'bear-call';
}

/** The option right of a kind. */
export function rightOfKind(kind: SpreadKind): OptionRight {
  return kind === 'bull-call' || kind === 'bear-call' ? 'C' : 'P';
}

/** Validates two legs as a vertical spread; every failure is reported with a code and a sentence. */
export function validateVertical(legs: readonly OptionLeg[]): Result<VerticalSpread, readonly SpreadIssue[]> {
  const issues: SpreadIssue[] = [];
  const add = (code: SpreadIssueCode, message: string): void => {
    issues.push({ code, message });
  };
  if (legs.length !== 2) {
    add('LEG_COUNT', `A vertical spread has exactly two legs; got ${legs.length}.`);
    return { ok: false, error: issues };
  }
  const [a, b] = legs as [OptionLeg, OptionLeg];
  for (const [leg, name] of [[a, 'first'], [b, 'second']] as const) {
    if (!Number.isInteger(leg.quantity)) add('NON_INTEGER_QUANTITY', `The ${name} leg's quantity must be a whole number of contracts; got ${leg.quantity}.`);
    else if (leg.quantity <= 0) add('NON_POSITIVE_QUANTITY', `The ${name} leg's quantity must be at least 1 contract; got ${leg.quantity}.`);
    if (!(leg.strike > 0) || !Number.isSafeInteger(leg.strike)) add('NON_POSITIVE_STRIKE', `The ${name} leg's strike must be a positive price.`);
    if (!Number.isInteger(leg.multiplier) || leg.multiplier <= 0) add('BAD_MULTIPLIER', `The ${name} leg's multiplier must be a positive whole number; got ${leg.multiplier}.`);
  }
  if (a.underlying.trim().toUpperCase() !== b.underlying.trim().toUpperCase()) {
    add('UNDERLYING_MISMATCH', `Both legs must be on the same underlying; got ${a.underlying} and ${b.underlying}.`);
  }
  if ((a.tradingClass ?? a.underlying).toUpperCase() !== (b.tradingClass ?? b.underlying).toUpperCase()) {
    add('CLASS_MISMATCH', `Both legs must be in the same option class; got ${a.tradingClass ?? a.underlying} and ${b.tradingClass ?? b.underlying}.`);
  }
  if (a.expiry !== b.expiry) add('EXPIRY_MISMATCH', `Both legs must expire on the same date; got ${a.expiry} and ${b.expiry}.`);
  if (a.right !== b.right) add('RIGHT_MISMATCH', 'Both legs must be calls or both puts; this mixes a call and a put.');
  if (a.multiplier !== b.multiplier) add('MULTIPLIER_MISMATCH', `Both legs must have the same multiplier; got ${a.multiplier} and ${b.multiplier}.`);
  if (a.strike === b.strike) add('EQUAL_STRIKES', 'The two strikes are equal, so the spread has no width.');
  if (a.side === b.side) add('SAME_SIDE', `One leg must be bought and the other sold; both are ${a.side}.`);
  if (a.quantity !== b.quantity) add('QUANTITY_MISMATCH', `Both legs must have the same number of contracts; got ${a.quantity} and ${b.quantity}.`);
  if (issues.length > 0) return { ok: false, error: issues };

  const longLeg = a.side === 'long' ? a : b;
  const shortLeg = a.side === 'long' ? b : a;
  const kind = spreadKindOf(a.right, longLeg.strike, shortLeg.strike);
  const lowStrike = a.strike < b.strike ? a.strike : b.strike;
  const highStrike = a.strike < b.strike ? b.strike : a.strike;
  const spread: VerticalSpread = {
    kind,
    underlying: a.underlying.trim().toUpperCase(),
    expiry: a.expiry,
    right: a.right,
    multiplier: a.multiplier,
    quantity: a.quantity,
    lowStrike,
    highStrike,
    width: subMicros(highStrike, lowStrike),
    longLeg,
    shortLeg,
    bullish: isBullish(kind),
    isCredit: isCreditKind(kind),
    ...(a.tradingClass ? { tradingClass: a.tradingClass.toUpperCase() } : {}),
  };
  return { ok: true, value: spread };
}

/** What is needed to build a vertical of a given kind. */
export interface VerticalSpec {
  readonly kind: SpreadKind;
  readonly underlying: string;
  readonly expiry: IsoDate;
  readonly lowStrike: Micros;
  readonly highStrike: Micros;
  readonly quantity?: number;
  readonly multiplier?: number;
  readonly tradingClass?: string;
  readonly lowConId?: number;
  readonly highConId?: number;
}

/**
 * Builds the legs of a kind (bull call: long low call / short high call; bear put: long high put / short low
 * put; bull put: short high put / long low put; bear call: short low call / long high call) and validates them.
 */
export function buildVertical(spec: VerticalSpec): Result<VerticalSpread, readonly SpreadIssue[]> {
  const right = rightOfKind(spec.kind);
  const longLow = isBullish(spec.kind); // bull spreads own the low strike, bear spreads the high one
  const base = {
    underlying: spec.underlying,
    expiry: spec.expiry,
    right,
    multiplier: spec.multiplier ?? 100,
    quantity: spec.quantity ?? 1,
    ...(spec.tradingClass ? { tradingClass: spec.tradingClass } : {}),
  };
  const low: OptionLeg = { ...base, strike: spec.lowStrike, side: longLow ? 'long' : 'short', ...(spec.lowConId !== undefined ? { conId: spec.lowConId } : {}) };
  const high: OptionLeg = { ...base, strike: spec.highStrike, side: longLow ? 'short' : 'long', ...(spec.highConId !== undefined ? { conId: spec.highConId } : {}) };
  if (spec.lowStrike > spec.highStrike) {
    return { ok: false, error: [{ code: 'STRIKE_ORDER', message: 'The low strike must be below the high strike.' }] };
  }
  return validateVertical([low, high]);
}
