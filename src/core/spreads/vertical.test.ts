import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import type { SpreadKind } from '../contract/scanner';
import type { IsoDate } from '../market';
import { createRng, verticalOutcome } from '../options';
import { spreadOutcome, simulateSpreadExitPlan } from './analytics';
import { bagCashFlow, bagLegs, cashOf, credit, debit, fromBagOrder, netFromCash, toBagOrder } from './bag';
import { spreadGreeks } from './greeks';
import { orderCommission, regTMargin, roundTripCommission, spreadCommission } from './margin';
import { verticalMetrics } from './metrics';
import { type Micros, cents, toMicros } from './money';
import { payoffAtExpiry, payoffBeforeExpiry, payoffGrid, pnlAtExpiry, valueAtExpiry } from './payoff';
import { closeNet, legMark, naturalPrices, openNet, spreadQuote } from './pricing';
import { TICKS_COMBO, roundLimitPrice } from './ticks';
import { type OptionLeg, type VerticalSpread, buildVertical, validateVertical } from './vertical';

const EXP = '2025-06-20' as IsoDate;
const $ = (x: number): Micros => toMicros(x);

function leg(over: Partial<OptionLeg>): OptionLeg {
  return { underlying: 'SPY', expiry: EXP, right: 'P', strike: $(590), multiplier: 100, side: 'long', quantity: 1, ...over };
}

function vertical(kind: SpreadKind, low: number, high: number, quantity = 1): VerticalSpread {
  const v = buildVertical({ kind, underlying: 'SPY', expiry: EXP, lowStrike: $(low), highStrike: $(high), quantity });
  if (!v.ok) throw new Error(v.error.map((i) => i.message).join(' '));
  return v.value;
}

describe('validateVertical', () => {
  it('names the four kinds from the legs', () => {
    const kind = (right: 'C' | 'P', longStrike: number, shortStrike: number): SpreadKind | undefined => {
      const v = validateVertical([leg({ right, strike: $(longStrike) }), leg({ right, strike: $(shortStrike), side: 'short' })]);
      return v.ok ? v.value.kind : undefined;
    };
    expect(kind('C', 100, 105)).toBe('bull-call');
    expect(kind('C', 105, 100)).toBe('bear-call');
    expect(kind('P', 105, 100)).toBe('bear-put');
    expect(kind('P', 100, 105)).toBe('bull-put');
  });

  it('reports every problem with a code and a sentence', () => {
    const res = validateVertical([
      leg({ underlying: 'SPY', expiry: EXP, right: 'P', strike: $(590), quantity: 2 }),
      leg({ underlying: 'QQQ', expiry: '2025-07-18' as IsoDate, right: 'C', strike: $(590), quantity: 1, multiplier: 10 }),
    ]);
    expect(res.ok).toBe(false);
    if (!res.ok) {
      const codes = res.error.map((i) => i.code);
      expect(codes).toEqual(expect.arrayContaining([
        'UNDERLYING_MISMATCH', 'EXPIRY_MISMATCH', 'RIGHT_MISMATCH', 'MULTIPLIER_MISMATCH', 'EQUAL_STRIKES', 'SAME_SIDE', 'QUANTITY_MISMATCH',
      ]));
      for (const issue of res.error) expect(issue.message).toMatch(/^[A-Z].+\.$/);
    }
    const bad = validateVertical([leg({ quantity: 0 }), leg({ quantity: 1.5, side: 'short', strike: $(585) })]);
    expect(!bad.ok && bad.error.map((i) => i.code)).toEqual(expect.arrayContaining(['NON_POSITIVE_QUANTITY', 'NON_INTEGER_QUANTITY']));
    expect(validateVertical([leg({})])).toMatchObject({ ok: false, error: [{ code: 'LEG_COUNT' }] });
    expect(buildVertical({ kind: 'bull-put', underlying: 'SPY', expiry: EXP, lowStrike: $(600), highStrike: $(590) })).toMatchObject({ ok: false, error: [{ code: 'STRIKE_ORDER' }] });
  });

  it('buildVertical places the long and short legs per kind', () => {
    const bp = vertical('bull-put', 585, 590);
    expect([bp.longLeg.strike, bp.shortLeg.strike]).toEqual([$(585), $(590)]);
    const bc = vertical('bear-call', 600, 605);
    expect([bc.longLeg.strike, bc.shortLeg.strike]).toEqual([$(605), $(600)]);
    expect(bc.isCredit && !bc.bullish).toBe(true);
    expect(vertical('bear-put', 585, 590).longLeg.strike).toBe($(590));
    expect(bp.width).toBe($(5));
  });
});

describe('BAG sign convention', () => {
  it('turns "1.25 credit" and "0.80 debit" into BAG action + signed lmtPrice and back', () => {
    expect(toBagOrder('open', debit($(0.8)))).toEqual({ action: 'BUY', lmtPrice: $(0.8) });
    expect(toBagOrder('open', credit($(1.25)))).toEqual({ action: 'BUY', lmtPrice: $(-1.25) });
    expect(toBagOrder('close', credit($(0.4)))).toEqual({ action: 'SELL', lmtPrice: $(0.4) });
    expect(toBagOrder('close', debit($(0.3)))).toEqual({ action: 'SELL', lmtPrice: $(-0.3) });
    expect(fromBagOrder({ action: 'BUY', lmtPrice: $(-1.25) })).toEqual({ intent: 'open', net: credit($(1.25)) });
    expect(fromBagOrder({ action: 'SELL', lmtPrice: $(-0.3) })).toEqual({ intent: 'close', net: debit($(0.3)) });
  });

  it('round-trips, and the cash flow always matches our debit/credit words', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 50_000 }), fc.constantFrom('debit', 'credit'), fc.constantFrom('open', 'close'), (c, kind, intent) => {
      const net = kind === 'debit' ? debit(cents(c)) : credit(cents(c));
      const order = toBagOrder(intent as 'open' | 'close', net);
      expect(bagCashFlow(order)).toBe(cashOf(net));
      const back = fromBagOrder(order);
      expect(back.intent).toBe(intent);
      expect(cashOf(back.net)).toBe(cashOf(net));
    }));
  });

  it('rounding a BAG limit never worsens our price', () => {
    fc.assert(fc.property(fc.integer({ min: -10_000_000, max: 10_000_000 }), fc.constantFrom('BUY', 'SELL'), (p, action) => {
      const order = { action: action as 'BUY' | 'SELL', lmtPrice: p as Micros };
      const rounded = { ...order, lmtPrice: roundLimitPrice(order.lmtPrice, order.action, TICKS_COMBO) };
      // Our cash from the rounded order is at least the cash from the requested one.
      expect(bagCashFlow(rounded)).toBeGreaterThanOrEqual(bagCashFlow(order));
    }));
  });

  it('writes the combo legs as held: BUY the long leg, SELL the short leg', () => {
    const bp = vertical('bull-put', 585, 590);
    expect(bagLegs(bp)).toEqual([
      { action: 'BUY', ratio: 1, right: 'P', strike: $(585) },
      { action: 'SELL', ratio: 1, right: 'P', strike: $(590) },
    ]);
    expect(netFromCash($(0))).toEqual(debit($(0)));
  });
});

describe('prices from leg quotes', () => {
  it('natural, mid and mark in BAG terms, and as open/close NetPrice', () => {
    // Bull put: long 585 put 0.95/1.00, short 590 put 2.10/2.15.
    const q = spreadQuote({ bid: $(0.95), ask: $(1.0) }, { bid: $(2.1), ask: $(2.15) });
    expect(q).toEqual({ bid: $(-1.2), ask: $(-1.1), mid: $(-1.15), mark: $(-1.15) });
    expect(naturalPrices(q)).toEqual({ open: credit($(1.1)), close: debit($(1.2)) });
    expect(openNet($(0.8))).toEqual(debit($(0.8)));
    expect(closeNet($(0.8))).toEqual(credit($(0.8)));
    expect(legMark({ bid: null, ask: $(1), last: $(0.9) })).toBe($(0.9));
    expect(legMark({ bid: $(1.1), ask: $(1.0) })).toBe(null); // crossed quote is not trusted
    expect(spreadQuote({ bid: null, ask: $(1) }, { bid: $(2), ask: $(2.1) }).bid).toBe(null);
  });
});

describe('metrics, payoff, margin', () => {
  it('bull put 585/590 for 1.50 credit, 3 spreads', () => {
    const bp = vertical('bull-put', 585, 590, 3);
    const m = verticalMetrics(bp, credit($(1.5)));
    expect(m.ok).toBe(true);
    if (!m.ok) return;
    expect(m.value.maxProfit).toBe($(1.5));
    expect(m.value.maxLoss).toBe($(3.5));
    expect(m.value.breakeven).toBe($(588.5));
    expect(m.value.creditToWidth).toBe(0.3);
    expect(m.value.returnOnRisk).toBeCloseTo(1.5 / 3.5, 15);
    expect(m.value.maxLossTotal).toBe($(1050));
    expect(m.value.premiumTotal).toBe($(450));
    const margin = regTMargin(bp, credit($(1.5)));
    expect(margin).toEqual({ initial: $(1500), maintenance: $(1500), premium: $(450), buyingPowerEffect: $(1050) });
  });

  it('bull call 600/605 for 2.10 debit', () => {
    const bc = vertical('bull-call', 600, 605);
    const m = verticalMetrics(bc, debit($(2.1)));
    expect(m.ok && [m.value.maxProfit, m.value.maxLoss, m.value.breakeven, m.value.creditToWidth]).toEqual([$(2.9), $(2.1), $(602.1), null]);
    expect(regTMargin(bc, debit($(2.1))).buyingPowerEffect).toBe($(210));
    expect(verticalMetrics(bc, credit($(1)))).toMatchObject({ ok: false, error: [{ code: 'PRICE_KIND_MISMATCH' }] });
    expect(verticalMetrics(bc, debit($(5.1)))).toMatchObject({ ok: false, error: [{ code: 'PRICE_EXCEEDS_WIDTH' }] });
  });

  const kinds: SpreadKind[] = ['bull-call', 'bear-put', 'bull-put', 'bear-call'];
  const specArb = fc.record({
    kind: fc.constantFrom(...kinds),
    low: fc.integer({ min: 1, max: 2000 }).map((x) => x * 0.5),
    widthSteps: fc.integer({ min: 1, max: 40 }),
    priceCents: fc.integer({ min: 0, max: 100_000 }),
    quantity: fc.integer({ min: 1, max: 50 }),
  });

  it('max loss ≥ 0, max profit + max loss = width, and payoff at expiry hits the closed-form extremes exactly', () => {
    fc.assert(fc.property(specArb, ({ kind, low, widthSteps, priceCents, quantity }) => {
      const sp = vertical(kind, low, low + widthSteps * 0.5, quantity);
      const price = cents(priceCents % (widthSteps * 50 + 1));
      const entry = sp.isCredit ? credit(price) : debit(price);
      const m = verticalMetrics(sp, entry);
      expect(m.ok).toBe(true);
      if (!m.ok) return;
      const v = m.value;
      expect(v.maxLoss).toBeGreaterThanOrEqual(0);
      expect(v.maxProfit).toBeGreaterThanOrEqual(0);
      expect(v.maxProfit + v.maxLoss).toBe(sp.width);
      const far = [$(0.01), sp.lowStrike, sp.highStrike, (sp.highStrike * 3) as Micros];
      const pnls = far.map((s) => pnlAtExpiry(sp, entry, s));
      expect(Math.max(...pnls)).toBe(v.maxProfitTotal);
      expect(Math.min(...pnls) + v.maxLossTotal).toBe(0);
      expect(pnlAtExpiry(sp, entry, v.breakeven)).toBe(0);
      // The float chart agrees with the exact values.
      const chart = payoffAtExpiry(sp, entry, far.map((s) => s / 1e6));
      chart.forEach((x, i) => expect(x).toBeCloseTo((pnls[i] as number) / 1e6, 6));
      // Margin: buying power used equals the max loss for every kind.
      expect(regTMargin(sp, entry).buyingPowerEffect).toBe(v.maxLossTotal);
    }));
  });

  it('valueAtExpiry is the held value between 0 and ±width', () => {
    const bc = vertical('bear-call', 600, 605);
    expect(valueAtExpiry(bc, $(590))).toBe(0);
    expect(valueAtExpiry(bc, $(610))).toBe($(-5));
  });

  it('payoff before expiry tends to the expiry payoff and the grid includes the kinks', () => {
    const bp = vertical('bull-put', 585, 590);
    const grid = payoffGrid(bp, 570, 610, 9, $(588.5));
    expect([...grid]).toEqual(expect.arrayContaining([585, 588.5, 590]));
    const late = payoffBeforeExpiry(bp, credit($(1.5)), grid, { S: 595, T: 1e-12, r: 0.04, q: 0.01, ivLong: 0.2, ivShort: 0.18 });
    const atExp = payoffAtExpiry(bp, credit($(1.5)), grid);
    late.forEach((x, i) => expect(Math.abs(x - (atExp[i] as number))).toBeLessThan(0.01)); // $ per position
    const early = payoffBeforeExpiry(bp, credit($(1.5)), grid, { S: 595, T: 30 / 365, r: 0.04, q: 0.01, ivLong: 0.2, ivShort: 0.18 });
    // Before expiry the curve is smooth and inside the expiry extremes.
    early.forEach((x) => expect(x > -350 && x < 150).toBe(true));
  });

  it('commission: $0.65 per contract with a $1.00 minimum per order', () => {
    expect(orderCommission(1)).toBe($(1));
    expect(orderCommission(2)).toBe($(1.3));
    expect(orderCommission(0)).toBe(0);
    expect(spreadCommission(vertical('bull-put', 585, 590, 10))).toBe($(13));
    expect(roundTripCommission(vertical('bull-put', 585, 590, 10))).toBe($(26));
  });
});

describe('greeks and odds of a spread', () => {
  const market = { S: 595, T: 30 / 365, r: 0.04, q: 0.012, ivLong: 0.2, ivShort: 0.18 };

  it('per-position greeks are per-spread × multiplier × quantity; bull spreads are long delta', () => {
    const bp = vertical('bull-put', 585, 590, 4);
    const g = spreadGreeks(bp, { ...market, style: 'european' });
    expect(g.perSpread.delta).toBeGreaterThan(0);
    // At one volatility the short (nearer) strike decays faster: a credit spread collects theta.
    expect(spreadGreeks(bp, { ...market, ivLong: 0.2, ivShort: 0.2 }).perSpread.theta).toBeGreaterThan(0);
    expect(g.perPosition.delta).toBeCloseTo(g.perSpread.delta * 400, 12);
    expect(g.perPosition.vega).toBeCloseTo(g.perSpread.vega * 400, 12);
    expect(g.value).toBeLessThan(0);
    const bear = spreadGreeks(vertical('bear-call', 600, 605), market);
    expect(bear.perSpread.delta).toBeLessThan(0);
  });

  it('spreadOutcome matches the options-level closed form and is consistent', () => {
    const bp = vertical('bull-put', 585, 590, 2);
    const o = spreadOutcome(bp, credit($(1.5)), { ...market, sigma: 0.19 });
    const ref = verticalOutcome(true, true, 585, 590, 1.5, 595, 30 / 365, 0.19, 0.04 - 0.012);
    expect(o.pop).toBe(ref.pop);
    expect(o.evTotal).toBeCloseTo(ref.ev * 200, 10);
    expect(o.breakeven).toBeCloseTo(588.5, 12);
    const interpolated = spreadOutcome(bp, credit($(1.5)), market);
    expect(interpolated.sigma).toBeGreaterThan(0.18);
    expect(interpolated.sigma).toBeLessThan(0.2);
  });

  it('exit-plan Monte-Carlo is seeded and complete', () => {
    const bp = vertical('bull-put', 585, 590);
    const plan = { profitTarget: 0.5, stopLoss: 1, timeStopYears: 7 / 365, paths: 2000 };
    const a = simulateSpreadExitPlan(bp, credit($(1.5)), market, plan, createRng(9));
    const b = simulateSpreadExitPlan(bp, credit($(1.5)), market, plan, createRng(9));
    expect(a).toEqual(b);
    expect(a.pTarget + a.pStop + a.pTimeStop + a.pExpiry).toBeCloseTo(1, 12);
  });
});
