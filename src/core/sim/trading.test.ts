// Matching, book-keeping, margin, commission and settlement rules of the paper account.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toDollars, toMicros, type Micros } from '../spreads';
import { applyFill, type BookPosition, unrealized } from './books';
import { DEFAULT_COMMISSION, executionCommission, orderCommissionEstimate } from './commission';
import { accountMargin, nakedRequirement } from './margin';
import { comboNatural, DEFAULT_FILL_MODEL, evaluate, legPricesForNet, type LegQuote, type WorkingOrder } from './matching';
import { settleOption } from './settlement';

const cents = fc.integer({ min: 0, max: 3000 }).map((c) => c / 100);
const arbQuote = fc.tuple(cents, fc.integer({ min: 1, max: 50 }), fc.integer({ min: 0, max: 500 }), fc.integer({ min: 0, max: 500 })).map(([bid, w, bs, as]): LegQuote => ({ bid, ask: Math.round((bid + w / 100) * 100) / 100, bidSize: bid > 0 ? bs : 0, askSize: as }));

describe('matching', () => {
  it('never fills at a price worse than the limit, nor more than remains', () => {
    fc.assert(
      fc.property(arbQuote, fc.constantFrom('BUY' as const, 'SELL' as const), fc.constantFrom('LMT' as const, 'MKT' as const), cents, fc.integer({ min: 1, max: 20 }), fc.double({ min: 0.001, max: 0.999, noNaN: true }), fc.double({ min: 0.001, max: 0.999, noNaN: true }), fc.integer({ min: 0, max: 600_000 }), (q, action, orderType, lmt, remaining, u1, u2, elapsed) => {
        const o: WorkingOrder = { action, orderType, lmtPrice: orderType === 'LMT' ? lmt : null, auxPrice: null, remaining, triggered: false };
        const r = evaluate(o, q, DEFAULT_FILL_MODEL, elapsed, { u1, u2 });
        if (!r.fill) return;
        expect(r.fill.qty).toBeGreaterThan(0);
        expect(r.fill.qty).toBeLessThanOrEqual(remaining);
        if (orderType === 'LMT') {
          if (action === 'BUY') expect(r.fill.price).toBeLessThanOrEqual(lmt + 1e-9);
          else expect(r.fill.price).toBeGreaterThanOrEqual(lmt - 1e-9);
        } else expect(r.fill.price).toBe(action === 'BUY' ? q.ask : q.bid);
        expect([q.bid, q.ask, lmt]).toContain(r.fill.price);
      }),
      { numRuns: 2000 },
    );
  });

  it('fills marketable limits at the far side, limited by displayed size', () => {
    const q = { bid: 1.1, ask: 1.2, bidSize: 3, askSize: 2 };
    const buy: WorkingOrder = { action: 'BUY', orderType: 'LMT', lmtPrice: 1.25, auxPrice: null, remaining: 5, triggered: false };
    expect(evaluate(buy, q, DEFAULT_FILL_MODEL, 0, { u1: 0.5, u2: 0.5 }).fill).toEqual({ qty: 2, price: 1.2 });
    expect(evaluate(buy, q, { ...DEFAULT_FILL_MODEL, partial: 'none' }, 0, { u1: 0.5, u2: 0.5 }).fill).toEqual({ qty: 5, price: 1.2 });
    expect(evaluate({ ...buy, lmtPrice: 1.0 }, q, DEFAULT_FILL_MODEL, 3_600_000, { u1: 0.0001, u2: 0.5 }).fill).toBeNull(); // behind the bid
    const inside = evaluate({ ...buy, lmtPrice: 1.15 }, q, DEFAULT_FILL_MODEL, 3_600_000, { u1: 0.01, u2: 0.5 });
    expect(inside.fill?.price).toBe(1.15);
    const stop: WorkingOrder = { action: 'SELL', orderType: 'STP', lmtPrice: null, auxPrice: 1.05, remaining: 1, triggered: false };
    expect(evaluate(stop, q, DEFAULT_FILL_MODEL, 0, { u1: 0.5, u2: 0.5 })).toEqual({ triggered: false, fill: null });
    expect(evaluate(stop, { ...q, bid: 1.05 }, DEFAULT_FILL_MODEL, 0, { u1: 0.5, u2: 0.5 })).toEqual({ triggered: true, fill: { qty: 1, price: 1.05 } });
  });

  it('prices combos off the natural quote and splits a net fill into leg prices that add up exactly', () => {
    const legs = [{ ratio: 1, action: 'SELL' as const }, { ratio: 1, action: 'BUY' as const }];
    const quotes = [{ bid: 2.4, ask: 2.45, bidSize: 10, askSize: 12 }, { bid: 1.1, ask: 1.14, bidSize: 8, askSize: 9 }];
    // Bull put credit: SELL the 2.40/2.45 put, BUY the 1.10/1.14 put.
    expect(comboNatural(legs, quotes)).toEqual({ bid: -1.35, ask: -1.26, bidSize: 8, askSize: 9 });
    fc.assert(
      fc.property(fc.array(arbQuote, { minLength: 2, maxLength: 2 }), fc.constantFrom('BUY' as const, 'SELL' as const), fc.double({ min: 0, max: 1, noNaN: true }), (qs, action, x) => {
        const nat = comboNatural(legs, qs);
        // Any net between the combo's bid and ask (in cents).
        const net = Math.round((nat.bid + x * (nat.ask - nat.bid)) * 100) / 100;
        const prices = legPricesForNet(legs, qs, action, net);
        const sum = legs.reduce((a, l, i) => a + (l.action === 'BUY' ? 1 : -1) * (prices[i] ?? 0), 0);
        // Whole cents, compared as numbers (+ 0 folds a rounded -0 into 0: a zero net is not a sign).
        expect(Math.round(sum * 100) + 0).toBe(Math.round(net * 100) + 0);
        prices.forEach((p, i) => {
          expect(p).toBeGreaterThanOrEqual((qs[i] as LegQuote).bid - 1e-9);
          expect(p).toBeLessThanOrEqual((qs[i] as LegQuote).ask + 1e-9);
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('marketable single and combo limits fill at the natural price, every leg print within its own bid/ask', () => {
    const arbLegs = fc.array(fc.record({ ratio: fc.constantFrom(1, 1, 1, 2), action: fc.constantFrom('BUY' as const, 'SELL' as const) }), { minLength: 1, maxLength: 4 });
    fc.assert(
      fc.property(arbLegs.chain((legs) => fc.tuple(fc.constant(legs), fc.array(arbQuote.filter((q) => q.bid > 0 && q.bidSize >= 2 && q.askSize >= 2), { minLength: legs.length, maxLength: legs.length }))), fc.constantFrom('BUY' as const, 'SELL' as const), fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 10 }), ([legs, qs], action, throughCents, qty) => {
        const nat = comboNatural(legs, qs);
        const natural = action === 'BUY' ? nat.ask : nat.bid;
        const limit = Math.round((natural + (action === 'BUY' ? 1 : -1) * throughCents / 100) * 100) / 100;
        const o: WorkingOrder = { action, orderType: 'LMT', lmtPrice: limit, auxPrice: null, remaining: qty, triggered: false };
        const r = evaluate(o, nat, DEFAULT_FILL_MODEL, 0, { u1: 0.5, u2: 0.5 }, true);
        expect(r.fill?.price).toBe(natural);
        const prices = legPricesForNet(legs, qs, action, r.fill?.price ?? NaN);
        const sum = legs.reduce((a, l, i) => a + (l.action === 'BUY' ? 1 : -1) * l.ratio * (prices[i] ?? 0), 0);
        expect(Math.round(sum * 100)).toBe(Math.round(natural * 100));
        prices.forEach((p, i) => {
          const q = qs[i] as LegQuote;
          expect(p).toBeGreaterThanOrEqual(q.bid - 1e-9);
          expect(p).toBeLessThanOrEqual(q.ask + 1e-9);
        });
        // A single option: the same through-the-market limit pays (receives) the far side.
        const q = qs[0] as LegQuote;
        const single = evaluate({ ...o, lmtPrice: action === 'BUY' ? q.ask + throughCents / 100 : Math.max(0.01, q.bid - throughCents / 100) }, q, DEFAULT_FILL_MODEL, 0, { u1: 0.5, u2: 0.5 });
        expect(single.fill?.price).toBe(action === 'BUY' ? q.ask : q.bid);
      }),
      { numRuns: 2000 },
    );
  });

  it('resting limits: the chance per minute grows with the limit\'s place toward the natural (documented model)', () => {
    const q: LegQuote = { bid: 1.0, ask: 1.2, bidSize: 10, askSize: 10 };
    const chance = (limit: number): number => {
      let n = 0;
      for (let i = 0; i < 2000; i++) {
        const u1 = (i + 0.5) / 2000;
        if (evaluate({ action: 'BUY', orderType: 'LMT', lmtPrice: limit, auxPrice: null, remaining: 1, triggered: false }, q, DEFAULT_FILL_MODEL, 60_000, { u1, u2: 0.5 }).fill) n++;
      }
      return n / 2000;
    };
    // p = 1 − exp(−0.6 × closeness) per minute: near side (closeness floored at 0.1), mid (0.5), one cent short of the natural (0.95).
    expect(chance(1.0)).toBeCloseTo(1 - Math.exp(-0.06), 2);
    expect(chance(1.1)).toBeCloseTo(1 - Math.exp(-0.3), 2);
    expect(chance(1.19)).toBeCloseTo(1 - Math.exp(-0.57), 2);
    expect(chance(0.99)).toBe(0);
  });
});

describe('books', () => {
  const arbFills = fc.array(fc.record({ conId: fc.constantFrom(1, 2, 3), side: fc.constantFrom('BUY' as const, 'SELL' as const), qty: fc.integer({ min: 1, max: 10 }), cents: fc.integer({ min: 1, max: 2000 }), comm: fc.integer({ min: 0, max: 500 }) }), { maxLength: 40 });

  it('position = sum of fills; cash + positions value changes only by commissions at constant prices', () => {
    fc.assert(
      fc.property(arbFills, fc.constantFrom(1, 100), (fills, mult) => {
        const price = new Map([[1, 1.23], [2, 0.05], [3, 17.4]]);
        const pos = new Map<number, BookPosition>();
        let cash = toMicros(100_000);
        let commissions = 0;
        for (const f of fills) {
          const p = price.get(f.conId) ?? 1;
          const comm = toMicros(f.comm / 100);
          const eff = applyFill(pos.get(f.conId) ?? null, f.conId, f.side, f.qty, p, mult, comm);
          cash = (cash + eff.cashDelta) as Micros;
          commissions += comm;
          if (eff.position) pos.set(f.conId, eff.position);
          else pos.delete(f.conId);
        }
        for (const id of [1, 2, 3]) {
          const expected = fills.filter((f) => f.conId === id).reduce((a, f) => a + (f.side === 'BUY' ? f.qty : -f.qty), 0);
          expect(pos.get(id)?.qty ?? 0).toBe(expected);
        }
        const value = [...pos.values()].reduce((a, p) => a + toMicros(p.qty * (price.get(p.conId) ?? 0) * mult), 0);
        expect(cash + value).toBe(toMicros(100_000) - commissions);
      }),
      { numRuns: 500 },
    );
  });

  it('realized + unrealized + start = cash + positions value (prices moving)', () => {
    fc.assert(
      fc.property(arbFills, (fills) => {
        const pos = new Map<number, BookPosition>();
        const last = new Map<number, number>();
        let cash = 0;
        let realized = 0;
        for (const f of fills) {
          const p = f.cents / 100;
          last.set(f.conId, p);
          const eff = applyFill(pos.get(f.conId) ?? null, f.conId, f.side, f.qty, p, 100, toMicros(f.comm / 100));
          cash += eff.cashDelta;
          realized += eff.realized ?? 0;
          if (eff.position) pos.set(f.conId, eff.position);
          else pos.delete(f.conId);
        }
        let value = 0;
        let unr = 0;
        for (const p of pos.values()) {
          const m = last.get(p.conId) ?? 0;
          value += p.qty * m * 100;
          unr += unrealized(p, m);
        }
        expect(toDollars(cash as Micros) + value).toBeCloseTo(toDollars(realized as Micros) + unr, 4);
      }),
      { numRuns: 500 },
    );
  });

  it('keeps IBKR average cost (with commission) and realized P&L on a round trip', () => {
    const open = applyFill(null, 7, 'SELL', 2, 4.15, 100, toMicros(1.3));
    expect(open.position).toMatchObject({ conId: 7, qty: -2, multiplier: 100 });
    expect(open.position?.avgCost).toBeCloseTo(414.35, 9);
    expect(toDollars(open.cashDelta)).toBe(828.7);
    const close = applyFill(open.position, 7, 'BUY', 2, 3, 100, toMicros(1.3));
    expect(close.position).toBeNull();
    expect(toDollars(close.realized ?? (0 as Micros))).toBeCloseTo(2 * (414.35 - 300) - 1.3, 6);
  });
});

describe('margin (Reg-T)', () => {
  const put = (strike: number, qty: number, mark: number) => ({ conId: strike, qty, secType: 'OPT' as const, underlying: 'SPY', broadIndex: false, right: 'P' as const, strike, expiryDay: 1, multiplier: 100, mark, spot: 570 });
  it('credit vertical = width × 100 × qty; debit vertical = 0; long options = 0', () => {
    expect(accountMargin([put(560, -2, 2.4), put(555, 2, 1.1)]).initial).toBe(1000);
    expect(accountMargin([put(560, 2, 2.4), put(555, -2, 1.1)]).initial).toBe(0);
    expect(accountMargin([put(560, 3, 2.4)]).initial).toBe(0);
  });
  it('naked short options use the Reg-T formula; stock 50% / 25%', () => {
    // 560 put, spot 570, premium 2.40: max(2.40 + 114 − 10, 2.40 + 56) × 100 = 10,640
    expect(nakedRequirement({ right: 'P', strike: 560, multiplier: 100, mark: 2.4, spot: 570, broadIndex: false })).toBeCloseTo(10_640, 6);
    expect(accountMargin([put(560, -1, 2.4)]).initial).toBe(10_640);
    expect(accountMargin([{ conId: 1, qty: 100, secType: 'STK', underlying: 'SPY', broadIndex: false, multiplier: 1, mark: 570, spot: 570 }])).toEqual({ initial: 28_500, maintenance: 14_250 });
  });
});

describe('commission and settlement', () => {
  it('charges $0.65 per contract with a $1.00 minimum per order, across partial fills', () => {
    expect(toDollars(orderCommissionEstimate(DEFAULT_COMMISSION, 'option', 4, 1.2))).toBe(2.6);
    expect(toDollars(orderCommissionEstimate(DEFAULT_COMMISSION, 'option', 1, 1.2))).toBe(1);
    const first = executionCommission(DEFAULT_COMMISSION, 'option', 0, 1, 1.2, 0 as Micros, 0 as Micros);
    const second = executionCommission(DEFAULT_COMMISSION, 'option', 1, 3, 1.2, first.commission, first.cumVariable);
    expect(toDollars(first.commission)).toBe(1);
    expect(toDollars((first.commission + second.commission) as Micros)).toBe(2.6);
  });
  it('cash-settles index options and exercises/assigns equity options in the money', () => {
    expect(settleOption({ qty: -1, right: 'P', strike: 5800, multiplier: 100, cashSettled: true }, 5750.5)).toEqual({ closePrice: 49.5, shares: 0, sharePrice: 5750.5, exercised: false });
    expect(settleOption({ qty: 2, right: 'C', strike: 100, multiplier: 100, cashSettled: false }, 101)).toMatchObject({ closePrice: 1, shares: 200, exercised: true });
    expect(settleOption({ qty: -1, right: 'P', strike: 100, multiplier: 100, cashSettled: false }, 99)).toMatchObject({ shares: 100, exercised: true });
    expect(settleOption({ qty: 1, right: 'P', strike: 100, multiplier: 100, cashSettled: false }, 99)).toMatchObject({ shares: -100 });
    expect(settleOption({ qty: 1, right: 'C', strike: 100, multiplier: 100, cashSettled: false }, 99.99)).toMatchObject({ closePrice: 0, shares: 0, exercised: false });
  });
});
