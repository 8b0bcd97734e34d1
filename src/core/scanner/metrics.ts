// One candidate's metrics computed the plain way (objects, one at a time): rows, the reference oracle, the checker.
// The engine's hot loop computes the same quantities with the same expressions from per-strike arrays;
// the property test in engine.test.ts holds the two to exact equality.
import { DEFAULT_PROBABILITY_MODEL, type PriceBasis, type ProbabilityModel, type ScanLeg, type ScanRow, type ScanScoring, type SpreadKind } from '../contract/scanner';
import type { ChainSnapshot, ExpirySlice, RightColumns } from './chain';
import { fingerprint } from './fingerprint';
import { smileAbove } from './smile';
import { sliceSmileCached, type SliceSmile } from './smile-slice';
import { L1P_OFFSET, L1P_SCALE, PHI_OFFSET, PHI_SCALE, bsmPrice, expectedCallPayoff, expectedPutPayoff, log1pAtPos, phiAtPos } from './math';

/** Static facts about each kind: which right, whether the long leg is above the short, credit or debit, bullish or not. */
export interface KindSpec {
  kind: SpreadKind;
  right: 'C' | 'P';
  longAbove: boolean;
  credit: boolean;
  bullish: boolean;
}

export const KIND_SPECS: Readonly<Record<SpreadKind, KindSpec>> = {
  'bear-call': { kind: 'bear-call', right: 'C', longAbove: true, credit: true, bullish: false },
  'bull-call': { kind: 'bull-call', right: 'C', longAbove: false, credit: false, bullish: true },
  'bull-put': { kind: 'bull-put', right: 'P', longAbove: false, credit: true, bullish: true },
  'bear-put': { kind: 'bear-put', right: 'P', longAbove: true, credit: false, bullish: false },
};

/** Model inputs shared by every candidate of one chain scan. */
export interface ModelContext {
  /** Annualised drift for POP/EV; NaN = risk-neutral (r − q). */
  drift: number;
  now: number;
}

export function driftOf(chain: ChainSnapshot, ctx: ModelContext): number {
  return Number.isNaN(ctx.drift) ? chain.rate - chain.divYield : ctx.drift;
}

/**
 * The smallest net credit or debit, and the smallest max loss, a candidate may have (per share): just under half
 * a cent, the finest step a difference of two mids can take. It keeps float noise — two equal mids differing in
 * the 17th digit — from posing as a spread with an astronomical return on risk.
 */
export const MIN_NET = 0.004;

/** A leg's quote is usable for pricing: both sides known, not crossed, something offered. */
export function quoteValid(bid: number, ask: number): boolean {
  return bid >= 0 && ask >= bid && ask > 0;
}

export function midOf(bid: number, ask: number): number {
  return (bid + ask) * 0.5;
}

/** Expected payoff at expiry of one long option at its own IV (undiscounted, per share); NaN without IV. */
export function legExpectedPayoff(right: 'C' | 'P', spot: number, strike: number, iv: number, mu: number, t: number): number {
  return right === 'C' ? expectedCallPayoff(spot, strike, iv, mu, t) : expectedPutPayoff(spot, strike, iv, mu, t);
}

/** Theoretical value per share: the broker's model price when present, else BSM at the leg's IV. */
export function legTheo(right: 'C' | 'P', theo: number, spot: number, strike: number, iv: number, r: number, q: number, t: number): number {
  return Number.isNaN(theo) ? bsmPrice(right, spot, strike, iv, r, q, t) : theo;
}

/**
 * POP's per-strike terms. The volatility is the IV of the leg the breakeven is measured from — the lower strike for
 * calls, the higher for puts, i.e. the short leg of a credit spread and the long leg of a debit spread — or the
 * other leg's IV when that one is unknown. With one leg's IV (not an interpolation) everything but the price is a
 * per-strike constant, so the engine precomputes these once per expiry and a candidate's POP is two table lookups.
 *
 * With x = (ln S + μT − ln BE)/(σ√T) − σ√T/2 and ln BE = ln K + ln(1 + price·u), u = ±1/K:
 *   Φ-table position = (da − ln(1 + price·u)) · i64 + off, where da = ln S + μT − ln K (of the anchor strike),
 *   i64 = 64/(σ√T) and off = 544 − 32·σ√T (of the volatility strike); ln(1 + price·u) comes from its own table at
 *   position price·u256 + 128, u256 = ±256/K.
 */
export interface PopTerms {
  da: number;
  u256: number;
  i64: number;
  off: number;
}

export function popTerms(right: 'C' | 'P', lnSmuT: number, strike: number, iv: number, sqrtT: number): PopTerms {
  const sd = iv > 0 ? iv * sqrtT : NaN;
  return {
    da: lnSmuT - Math.log(strike),
    u256: (right === 'C' ? L1P_SCALE : -L1P_SCALE) / strike,
    i64: PHI_SCALE / sd,
    off: PHI_OFFSET - 0.5 * PHI_SCALE * sd,
  };
}

/** POP from the anchor strike's terms (da, u256) and the volatility strike's (i64, off); bullish profits above BE. */
export function popOf(bullish: boolean, price: number, da: number, u256: number, i64: number, off: number): number {
  const above = phiAtPos((da - log1pAtPos(price * u256 + L1P_OFFSET)) * i64 + off);
  return bullish ? above : 1 - above;
}

export interface CandidateMetrics {
  width: number;
  /** Net cash at open per share at the basis: > 0 received (credit), < 0 paid (debit). */
  net: number;
  /** Positive credit or debit per share at the basis. */
  price: number;
  priceMid: number;
  priceNatural: number;
  /** Per share. */
  maxProfit: number;
  maxLoss: number;
  ror: number;
  breakeven: number;
  pop: number;
  /** Per share. */
  ev: number;
  evPerRisk: number;
  /** POP and EV (per share) from the expiry's smile (smile-slice.ts); NaN when the expiry has no smile. */
  popSmile: number;
  evSmile: number;
  evPerRiskSmile: number;
  edge: number;
  /** Per share: half of each leg's bid-ask, what closing at natural costs versus mid. */
  exitCost: number;
}

function cols(slice: ExpirySlice, right: 'C' | 'P'): RightColumns {
  return right === 'C' ? slice.call : slice.put;
}

/**
 * Everything about one candidate; legs must have valid quotes. `smile`: the expiry's smile model when the caller has
 * it (smile-slice.ts, built once per expiry); undefined takes the expiry's cached one (sliceSmileCached).
 */
export function candidateMetrics(chain: ChainSnapshot, slice: ExpirySlice, spec: KindSpec, s: number, l: number, basis: PriceBasis, ctx: ModelContext, smile?: SliceSmile | null): CandidateMetrics {
  const c = cols(slice, spec.right);
  const ks = slice.strike[s] as number;
  const kl = slice.strike[l] as number;
  const width = spec.longAbove ? kl - ks : ks - kl;
  const bidS = c.bid[s] as number, askS = c.ask[s] as number, bidL = c.bid[l] as number, askL = c.ask[l] as number;
  const midS = midOf(bidS, askS), midL = midOf(bidL, askL);
  const netMid = midS - midL;
  const netNatural = bidS - askL;
  const net = basis === 'mid' ? netMid : netNatural;
  const sign = spec.credit ? 1 : -1;
  const price = sign * net;
  const maxProfit = spec.credit ? price : width - price;
  const maxLoss = spec.credit ? width - price : price;
  const kLow = spec.longAbove ? ks : kl;
  const kHigh = spec.longAbove ? kl : ks;
  const breakeven = spec.right === 'C' ? kLow + price : kHigh - price;
  const mu = driftOf(chain, ctx);
  const t = slice.tYears;
  const ivS = c.iv[s] as number, ivL = c.iv[l] as number;
  const anchorIsShort = spec.right === 'C' ? spec.longAbove : !spec.longAbove;
  const lnSmuT = Math.log(chain.spot) + mu * t;
  const sqrtT = Math.sqrt(t);
  const a = anchorIsShort ? s : l;
  const o = anchorIsShort ? l : s;
  const anchor = popTerms(spec.right, lnSmuT, slice.strike[a] as number, c.iv[a] as number, sqrtT);
  const vol = anchor.i64 > 0 ? anchor : popTerms(spec.right, lnSmuT, slice.strike[o] as number, c.iv[o] as number, sqrtT);
  const pop = vol.i64 > 0 ? popOf(spec.bullish, price, anchor.da, anchor.u256, vol.i64, vol.off) : NaN;
  const payS = legExpectedPayoff(spec.right, chain.spot, ks, ivS, mu, t);
  const payL = legExpectedPayoff(spec.right, chain.spot, kl, ivL, mu, t);
  const ev = payL - payS + net;
  const theoS = legTheo(spec.right, c.theo[s] as number, chain.spot, ks, ivS, chain.rate, chain.divYield, t);
  const theoL = legTheo(spec.right, c.theo[l] as number, chain.spot, kl, ivL, chain.rate, chain.divYield, t);
  const edge = theoL - theoS + net;
  // The smile's figures, with the same sign convention as `ev`: the long leg's expected payoff minus the short's,
  // plus the net cash at open — undiscounted, at the same basis. The engine computes them with these expressions.
  const sm = smile === undefined ? sliceSmileCached(chain, slice) : smile;
  let popSmile = NaN;
  let evSmile = NaN;
  if (sm) {
    const above = smileAbove(sm.dist, breakeven);
    popSmile = spec.bullish ? above : 1 - above;
    const pay = spec.right === 'C' ? sm.callPay : sm.putPay;
    evSmile = (pay[l] as number) - (pay[s] as number) + net;
  }
  return {
    width,
    net,
    price,
    priceMid: sign * netMid,
    priceNatural: sign * netNatural,
    maxProfit,
    maxLoss,
    ror: maxProfit / maxLoss,
    breakeven,
    pop,
    ev,
    evPerRisk: ev / maxLoss,
    popSmile,
    evSmile,
    evPerRiskSmile: evSmile / maxLoss,
    edge,
    exitCost: (askS - bidS) * 0.5 + (askL - bidL) * 0.5,
  };
}

/**
 * The score of a candidate (higher is better); NaN when the metric it needs is unknown. With the smile model, POP and
 * EV/risk are the smile's figures, or the lognormal ones where the expiry has no smile (the smile figure is NaN).
 */
export function scoreOf(m: CandidateMetrics, by: ScanScoring['by'], multiplier: number, model: ProbabilityModel = DEFAULT_PROBABILITY_MODEL): number {
  switch (by) {
    case 'ror':
      return m.ror;
    case 'pop':
      return model === 'smile' && m.popSmile === m.popSmile ? m.popSmile : m.pop;
    case 'evPerRisk':
      return model === 'smile' && m.evPerRiskSmile === m.evPerRiskSmile ? m.evPerRiskSmile : m.evPerRisk;
    case 'edge':
      return m.edge * multiplier;
  }
}

/** The model whose figure a row's score is (see ScanRow.probabilityModel); null for scores without a probability. */
export function scoreModelOf(m: CandidateMetrics, by: ScanScoring['by'], model: ProbabilityModel = DEFAULT_PROBABILITY_MODEL): ProbabilityModel | null {
  if (by === 'pop') return model === 'smile' && m.popSmile === m.popSmile ? 'smile' : 'lognormal';
  if (by === 'evPerRisk') return model === 'smile' && m.evPerRiskSmile === m.evPerRiskSmile ? 'smile' : 'lognormal';
  return null;
}

const orNull = (v: number): number | null => (Number.isFinite(v) ? v : null);

function leg(slice: ExpirySlice, right: 'C' | 'P', i: number, side: 1 | -1): ScanLeg {
  const c = cols(slice, right);
  return {
    conId: orNull(c.conId[i] as number),
    strike: slice.strike[i] as number,
    right,
    side,
    bid: c.bid[i] as number,
    ask: c.ask[i] as number,
    iv: orNull(c.iv[i] as number),
    delta: orNull(c.delta[i] as number),
    openInterest: orNull(c.openInterest[i] as number),
    volume: orNull(c.volume[i] as number),
    quoteTime: orNull(c.quoteTime[i] as number),
  };
}

/** Materialises one ranked row (only for the K kept candidates, so allocation here is fine); `smile` as for candidateMetrics. */
export function buildRow(chain: ChainSnapshot, slice: ExpirySlice, spec: KindSpec, s: number, l: number, scoring: ScanScoring, ctx: ModelContext, staleAfterMs: number, smile?: SliceSmile | null): ScanRow {
  const m = candidateMetrics(chain, slice, spec, s, l, scoring.basis, ctx, smile);
  const mult = chain.multiplier;
  const short = leg(slice, spec.right, s, -1);
  const long = leg(slice, spec.right, l, 1);
  const spreadOfMid = (x: ScanLeg) => (x.ask - x.bid) / midOf(x.bid, x.ask);
  const oldest = short.quoteTime === null || long.quoteTime === null ? null : Math.min(short.quoteTime, long.quoteTime);
  const quoteAgeMs = oldest === null ? null : Math.max(0, ctx.now - oldest);
  const minOi = short.openInterest === null || long.openInterest === null ? null : Math.min(short.openInterest, long.openInterest);
  const minVolume = short.volume === null || long.volume === null ? null : Math.min(short.volume, long.volume);
  const stale = quoteAgeMs !== null && quoteAgeMs > staleAfterMs;
  // Open interest is not part of it: option snapshots cannot carry OI (TWS sends it only on streaming lines).
  const partial = short.iv === null || long.iv === null || short.delta === null || !Number.isFinite(m.pop) || !Number.isFinite(m.ev);
  return {
    fingerprint: fingerprint(chain.symbol, spec.kind, slice.expiry, short.strike, long.strike),
    symbol: chain.symbol,
    kind: spec.kind,
    isCredit: spec.credit,
    expiry: slice.expiry,
    dte: slice.dte,
    shortStrike: short.strike,
    longStrike: long.strike,
    width: m.width,
    multiplier: mult,
    spot: chain.spot,
    basis: scoring.basis,
    priceMid: m.priceMid,
    priceNatural: m.priceNatural,
    maxProfit: m.maxProfit * mult,
    maxLoss: m.maxLoss * mult,
    breakeven: m.breakeven,
    ror: m.ror,
    pop: orNull(m.pop),
    popSmile: orNull(m.popSmile),
    ev: Number.isFinite(m.ev) ? m.ev * mult : null,
    evSmile: Number.isFinite(m.evSmile) ? m.evSmile * mult : null,
    evPerRisk: orNull(m.evPerRisk),
    evPerRiskSmile: orNull(m.evPerRiskSmile),
    probabilityModel: scoreModelOf(m, scoring.by, scoring.probabilityModel),
    edge: Number.isFinite(m.edge) ? m.edge * mult : null,
    score: scoreOf(m, scoring.by, mult, scoring.probabilityModel),
    shortDelta: short.delta,
    shortIv: short.iv,
    worstLegSpreadOfMid: Math.max(spreadOfMid(short), spreadOfMid(long)),
    minOi,
    minVolume,
    quoteAgeMs,
    completeness: stale ? 'stale' : partial ? 'partial' : 'complete',
    short,
    long,
  };
}
