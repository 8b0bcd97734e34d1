// Market-model properties: quotes on valid ticks, never crossed, parity within the spread, monotone in strike, sane IVs, exact reproducibility.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayFromYmd, etToUtc, sessionOf } from './calendar';
import { DEFAULT_SIM_CONFIG, parseSimConfig } from './config';
import { dayToYmd } from './calendar';
import { MarketModel } from './model';
import { bsm, impliedVol, IV_PRICE_TOL, optionPriceOnly } from './pricer';
import { atmVol, smileVol } from './surface';
import { ceilTick, floorTick, isValidTick } from './ticks';
import { decodeOptionConId, listStrikes, optionConId } from './universe';

const model = new MarketModel(DEFAULT_SIM_CONFIG, 42);
const day = dayFromYmd(2026, 3, 10);
const session = sessionOf(day) ?? { open: 0, close: 0 };
const symbols = DEFAULT_SIM_CONFIG.underlyings.map((u) => u.symbol);

/** An arbitrary listed option and an instant inside the session. */
const arbOption = fc.record({
  sym: fc.constantFrom(...symbols),
  cls: fc.nat(),
  exp: fc.nat(),
  strike: fc.nat(),
  minute: fc.integer({ min: 0, max: 389 }),
});

function pick(a: { sym: string; cls: number; exp: number; strike: number; minute: number }) {
  const t = session.open + a.minute * 60_000 + 17_000;
  const infos = model.classesOf(a.sym);
  const info = infos[a.cls % infos.length];
  if (!info) throw new Error('no class');
  const exps = model.expiries(info, model.listingDay(t));
  const e = exps[a.exp % exps.length] ?? 0;
  const strikes = model.strikes(info, e, model.listingDay(t));
  const k = strikes[a.strike % strikes.length] ?? 0;
  return { t, info, e, strikes, k };
}

describe('option quotes', () => {
  it('are on valid ticks, never crossed or locked, and bracket the model value', () => {
    fc.assert(
      fc.property(arbOption, fc.constantFrom('C' as const, 'P' as const), (a, right) => {
        const { t, info, e, k } = pick(a);
        const c = model.findOptions({ symbol: a.sym, tradingClass: info.cfg.tradingClass, strike: k, right }, t).find((x) => x.expiryDay === e);
        if (!c) return;
        const q = model.optionQuote(c, t);
        expect(q.bid).toBeGreaterThanOrEqual(0);
        expect(q.ask).toBeGreaterThan(q.bid);
        expect(isValidTick(c.tickRule, q.bid)).toBe(true);
        expect(isValidTick(c.tickRule, q.ask)).toBe(true);
        const mid = (q.bid + q.ask) / 2;
        expect(q.bid <= mid && mid <= q.ask).toBe(true);
        expect(q.theo).toBeGreaterThanOrEqual(q.bid - 1e-9);
        expect(q.theo).toBeLessThanOrEqual(q.ask + 1e-9);
        expect(Number.isInteger(q.bidSize) && Number.isInteger(q.askSize)).toBe(true);
        expect(q.bidSize === 0).toBe(q.bid === 0);
        expect(q.low).toBeLessThanOrEqual(q.high);
        expect(q.iv).toBeGreaterThan(0);
      }),
      { numRuns: 300 },
    );
  });

  it('respect put–call parity within the spread', () => {
    fc.assert(
      fc.property(arbOption, (a) => {
        const { t, info, e, k } = pick(a);
        const [call, put] = ['C', 'P'].map((r) => model.findOptions({ symbol: a.sym, tradingClass: info.cfg.tradingClass, strike: k, right: r as 'C' | 'P' }, t).find((x) => x.expiryDay === e));
        if (!call || !put) return;
        const qc = model.optionQuote(call, t);
        const qp = model.optionQuote(put, t);
        const years = model.years(call, t);
        const s = qc.undPrice;
        const parity = s * Math.exp(-info.underlying.divYield * years) - k * Math.exp(-model.rate * years);
        if (info.cfg.style === 'American') {
          // American bounds: S·e^(−qT) − K ≤ C − P ≤ S − K·e^(−rT), within the spread.
          expect(qc.bid - qp.ask).toBeLessThanOrEqual(s - k * Math.exp(-model.rate * years) + 1e-6);
          expect(qc.ask - qp.bid).toBeGreaterThanOrEqual(s * Math.exp(-info.underlying.divYield * years) - k - 1e-6);
          return;
        }
        expect(qc.bid - qp.ask).toBeLessThanOrEqual(parity + 1e-6);
        expect(qc.ask - qp.bid).toBeGreaterThanOrEqual(parity - 1e-6);
      }),
      { numRuns: 200 },
    );
  });

  it('are monotone in strike: calls cheaper, puts dearer as the strike rises', () => {
    fc.assert(
      fc.property(arbOption, (a) => {
        const { t, info, e } = pick(a);
        const chain = model.findOptions({ symbol: a.sym, tradingClass: info.cfg.tradingClass }, t).filter((c) => c.expiryDay === e);
        const calls = chain.filter((c) => c.right === 'C').map((c) => model.optionQuote(c, t));
        const puts = chain.filter((c) => c.right === 'P').map((c) => model.optionQuote(c, t));
        for (let i = 1; i < calls.length; i++) {
          const [p, q] = [calls[i - 1], calls[i]];
          if (!p || !q) continue;
          expect(q.bid).toBeLessThanOrEqual(p.bid);
          expect(q.ask).toBeLessThanOrEqual(p.ask);
          expect(q.theo).toBeLessThanOrEqual(p.theo + 1e-9);
        }
        for (let i = 1; i < puts.length; i++) {
          const [p, q] = [puts[i - 1], puts[i]];
          if (!p || !q) continue;
          expect(q.bid).toBeGreaterThanOrEqual(p.bid);
          expect(q.ask).toBeGreaterThanOrEqual(p.ask);
        }
      }),
      { numRuns: 25 },
    );
  });

  it('widen away from the money relative to price (cheap options have wide relative spreads)', () => {
    const t = session.open + 3_600_000;
    const info = model.classesOf('AAPL')[0];
    if (!info) throw new Error('AAPL');
    const e = model.expiries(info, day)[3] ?? 0;
    const chain = model.findOptions({ symbol: 'AAPL', right: 'C' }, t).filter((c) => c.expiryDay === e).map((c) => model.optionQuote(c, t));
    const atm = chain.reduce((best, q) => (Math.abs(q.delta - 0.5) < Math.abs(best.delta - 0.5) ? q : best));
    const far = chain.filter((q) => q.bid > 0).at(-1);
    if (!far) throw new Error('no far quote');
    expect((far.ask - far.bid) / ((far.ask + far.bid) / 2)).toBeGreaterThan((atm.ask - atm.bid) / ((atm.ask + atm.bid) / 2));
    const deep = chain[0];
    expect(deep && deep.ask - deep.bid).toBeGreaterThan(atm.ask - atm.bid);
  });
});

describe('IV surface', () => {
  it('is positive, bounded, skewed and has a term structure', () => {
    fc.assert(
      fc.property(fc.constantFrom(...DEFAULT_SIM_CONFIG.underlyings), fc.double({ min: -0.6, max: 0.6, noNaN: true }), fc.double({ min: 1 / 365, max: 1.2, noNaN: true }), (u, lm, years) => {
        const atm = atmVol(u.iv, years);
        expect(atm).toBeGreaterThanOrEqual(Math.min(u.iv.atmShort, u.iv.atmLong) - 1e-12);
        expect(atm).toBeLessThanOrEqual(Math.max(u.iv.atmShort, u.iv.atmLong) + 1e-12);
        const v = smileVol(u.iv, 100 * Math.exp(lm), 100, years, atm);
        expect(v).toBeGreaterThan(0);
        expect(v).toBeGreaterThanOrEqual(0.5 * atm - 1e-12);
        // Bounded: the wings flatten at ±4 standard deviations, so no IV exceeds atm × (1 + 4·|skew| + 16·curvature).
        const steepest = Math.max(Math.abs(u.iv.skew), Math.abs(u.iv.skewLong ?? u.iv.skew));
        expect(v).toBeLessThanOrEqual((1 + 4 * steepest + 16 * u.iv.curvature) * atm + 1e-12);
        expect(v).toBeLessThanOrEqual(3.5 * atm);
        if (u.iv.skew < 0 && lm > 0.01) expect(smileVol(u.iv, 100 * Math.exp(-lm), 100, years, atm)).toBeGreaterThan(v);
      }),
    );
  });
});

describe('reproducibility', () => {
  it('same seed, same quotes; another seed, another market', () => {
    const a = new MarketModel(DEFAULT_SIM_CONFIG, 7);
    const b = new MarketModel(DEFAULT_SIM_CONFIG, 7);
    const c = new MarketModel(DEFAULT_SIM_CONFIG, 8);
    fc.assert(
      fc.property(arbOption, (x) => {
        const { t, info, e, k } = pick(x);
        const oa = a.findOptions({ symbol: x.sym, tradingClass: info.cfg.tradingClass, strike: k, right: 'C' }, t).find((o) => o.expiryDay === e);
        const ob = b.option(oa?.conId ?? 0, t);
        if (!oa || !ob) return;
        expect(JSON.stringify(b.optionQuote(ob, t))).toBe(JSON.stringify(a.optionQuote(oa, t)));
      }),
      { numRuns: 100 },
    );
    const t = session.open + 5_000_000;
    const u = DEFAULT_SIM_CONFIG.underlyings[0];
    if (!u) throw new Error('no underlying');
    expect(a.spot(u, t)).toBe(b.spot(u, t));
    expect(a.spot(u, t)).not.toBe(c.spot(u, t));
  });

  it('prices are continuous with the prior close and consistent across days', () => {
    const u = DEFAULT_SIM_CONFIG.underlyings.find((x) => x.symbol === 'SPY');
    const spx = DEFAULT_SIM_CONFIG.underlyings.find((x) => x.symbol === 'SPX');
    if (!u || !spx) throw new Error('missing');
    const t = session.open + 7_200_000;
    expect(Math.abs(model.spot(spx, t) / model.spot(u, t) - 10)).toBeLessThan(0.001);
    const q = model.underlyingQuote(u, session.open - 1000);
    expect(q.last).toBe(q.close);
  });
});

describe('universe', () => {
  it('conids round-trip and are positive 32-bit integers', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 63 }), fc.integer({ min: -900, max: 900 }), fc.integer({ min: 1, max: 8191 }), fc.constantFrom('C' as const, 'P' as const), (slot, off, k, r) => {
        const id = optionConId(slot, day + off, k, r);
        expect(id).toBeGreaterThan(0);
        expect(id).toBeLessThanOrEqual(0x7fffffff);
        expect(decodeOptionConId(id, day)).toEqual({ slot, expiryDay: day + off, strikeIndex: k, right: r });
      }),
    );
  });

  it('strike grids are sorted, unique multiples of the quantum around the center', () => {
    for (const u of DEFAULT_SIM_CONFIG.underlyings) {
      for (const cls of u.classes) {
        const ks = listStrikes(cls, u.spot, u.iv.atmShort, 0.25);
        expect(ks.length).toBeGreaterThan(10);
        for (let i = 1; i < ks.length; i++) expect(ks[i]).toBeGreaterThan(ks[i - 1] ?? 0);
        for (const k of ks) expect(Math.abs(k / cls.strikeQuantum - Math.round(k / cls.strikeQuantum))).toBeLessThan(1e-9);
        expect(ks[0]).toBeLessThan(u.spot);
        expect(ks.at(-1)).toBeGreaterThan(u.spot);
      }
    }
  });

  it('lists realistic expiries', () => {
    const t = etToUtc(day, 600);
    const spy = model.classesOf('SPY')[0];
    const aapl = model.classesOf('AAPL')[0];
    const [spx, spxw] = model.classesOf('SPX');
    if (!spy || !aapl || !spx || !spxw) throw new Error('classes');
    const ld = model.listingDay(t);
    expect(model.expiries(spy, ld).slice(0, 5).map((x) => x - day)).toEqual([0, 1, 2, 3, 6]);
    for (const e of model.expiries(aapl, ld)) expect([4, 5]).toContain((((e + 4) % 7) + 7) % 7);
    expect(model.expiries(aapl, ld).at(-1)).toBeGreaterThan(day + 330);
    for (const e of model.expiries(spx, ld)) expect(new Date(e * 86_400_000).getUTCDate()).toBeGreaterThanOrEqual(15);
    expect(model.expiries(spxw, ld)[0]).toBe(day);
    expect(model.findOptions({ symbol: 'SPX', tradingClass: 'SPX' }, t).every((c) => c.strike % 5 === 0)).toBe(true);
  });

  it('keeps a strike tradable after the grid recentres, until expiry', () => {
    const t = session.open + 3_600_000;
    const spy = model.classesOf('SPY')[0];
    if (!spy) throw new Error('SPY');
    const e = model.expiries(spy, day)[10] ?? 0;
    const far = model.option(optionConId(spy.cfg.slot, e, Math.round(900 / spy.cfg.strikeQuantum), 'C'), t);
    expect(far && model.isListed(far, t)).toBe(true); // $900 is far outside today's grid but on the $1 step
    const odd = model.option(optionConId(spy.cfg.slot, e, 1181, 'C'), t); // $590.50: not a SPY strike
    expect(odd && model.isListed(odd, t)).toBe(false);
    const expired = model.option(optionConId(spy.cfg.slot, day - 3, 1180, 'C'), t);
    expect(expired && model.isListed(expired, t)).toBe(false);
  });

  it('parses configuration overrides and rejects invalid ones', () => {
    const cfg = parseSimConfig({ rate: 0.05, symbols: ['SPY', 'AAPL'], underlyings: [{ symbol: 'SPY', spot: 600 }] });
    expect(cfg.rate).toBe(0.05);
    expect(cfg.underlyings.map((u) => u.symbol)).toEqual(['SPY']);
    expect(cfg.underlyings[0]?.spot).toBe(600);
    expect(() => parseSimConfig({ rate: 'x' })).toThrow(/rate/);
    expect(() => parseSimConfig({ underlyings: [{ symbol: 'SPY' }, { symbol: 'QQQ', classes: [{ ...DEFAULT_SIM_CONFIG.underlyings[0]?.classes[0] }] }] })).toThrow(/slot/);
  });
});

describe('pricer and ticks', () => {
  it('matches textbook Black–Scholes values and inverts to the implied vol', () => {
    expect(bsm(true, 100, 100, 1, 0.05, 0, 0.2).price).toBeCloseTo(10.4506, 3);
    expect(bsm(false, 100, 100, 1, 0.05, 0, 0.2).price).toBeCloseTo(5.5735, 3);
    fc.assert(
      fc.property(fc.double({ min: 0.05, max: 1.5, noNaN: true }), fc.double({ min: 0.7, max: 1.3, noNaN: true }), fc.double({ min: 0.02, max: 2, noNaN: true }), (v, m, t) => {
        const p = bsm(true, 100, 100 * m, t, 0.04, 0.01, v).price;
        const intrinsic = Math.max(0, 100 * Math.exp(-0.01 * t) - 100 * m * Math.exp(-0.04 * t));
        if (p - intrinsic < 0.01) return; // no time value: the vol is not identifiable
        expect(impliedVol(true, p, 100, 100 * m, t, 0.04, 0.01)).toBeCloseTo(v, 3);
      }),
    );
  });

  it('rounds to valid ticks monotonically', () => {
    fc.assert(
      fc.property(fc.constantFrom('penny-all' as const, 'penny' as const, 'nickel-dime' as const), fc.double({ min: 0, max: 50, noNaN: true }), fc.double({ min: 0, max: 50, noNaN: true }), (rule, a, b) => {
        const [x, y] = a <= b ? [a, b] : [b, a];
        expect(isValidTick(rule, floorTick(rule, x))).toBe(true);
        expect(isValidTick(rule, ceilTick(rule, x))).toBe(true);
        expect(floorTick(rule, x)).toBeLessThanOrEqual(x + 1e-9);
        // Prices are whole micro-dollars: x is read to the nearest micro first (a 1e-9 x is 0).
        expect(ceilTick(rule, x)).toBeGreaterThanOrEqual(x - 0.5e-6);
        expect(floorTick(rule, x)).toBeLessThanOrEqual(floorTick(rule, y));
        expect(ceilTick(rule, x)).toBeLessThanOrEqual(ceilTick(rule, y));
      }),
    );
  });
});

describe('American equity options', () => {
  it('no quote below intrinsic across a full SPY chain (bid on or above intrinsic rounded down to a tick, model value at or above intrinsic)', () => {
    const t = session.open + 3 * 3_600_000;
    const chain = model.findOptions({ symbol: 'SPY' }, t);
    expect(chain.length).toBeGreaterThan(1000);
    let itm = 0;
    for (const c of chain) {
      const q = model.optionQuote(c, t);
      const intrinsic = c.right === 'C' ? q.undPrice - c.strike : c.strike - q.undPrice;
      if (intrinsic <= 0) continue;
      itm++;
      expect(q.theo).toBeGreaterThanOrEqual(intrinsic - 1e-9);
      expect(q.bid).toBeGreaterThanOrEqual(floorTick(c.tickRule, intrinsic) - 1e-9);
      expect(q.ask).toBeGreaterThan(q.bid);
    }
    expect(itm).toBeGreaterThan(300);
  });
});

describe('bid/ask implied volatilities', () => {
  it('are exact across full SPY (American) and SPXW (European) chains: the model at the bid IV prices the bid, at the ask IV the ask', () => {
    const t = session.open + 2 * 3_600_000 + 11_000;
    let solved = 0;
    let wide = 0;
    for (const symbol of ['SPY', 'SPX']) {
      const chain = model.findOptions({ symbol }, t);
      expect(chain.length).toBeGreaterThan(500);
      for (const c of chain) {
        const q = model.optionQuote(c, t);
        const american = c.cls.cfg.style === 'American';
        const years = model.years(c, t);
        const r = model.rate;
        const dq = c.cls.underlying.divYield;
        const intrinsic = Math.max(0, c.right === 'C' ? q.undPrice - c.strike : c.strike - q.undPrice);
        const price = (v: number): number => optionPriceOnly(american, c.right === 'C', q.undPrice, c.strike, years, r, dq, v);
        for (const [px, iv] of [[q.bid, q.bidIv], [q.ask, q.askIv]] as const) {
          if (iv === null) {
            // No volatility gives a price at or below intrinsic (American) or below the European floor.
            expect(px <= 0 || px <= intrinsic + 0.02 || price(1e-4) >= px).toBe(true);
            continue;
          }
          solved++;
          expect(Math.abs(price(iv) - px)).toBeLessThanOrEqual(IV_PRICE_TOL * 10);
        }
        if (q.bidIv !== null && q.askIv !== null) {
          expect(q.bidIv).toBeLessThanOrEqual(q.askIv);
          if (q.askIv - q.bidIv > 0.05) wide++;
        }
        if (q.bidIv !== null && q.bid <= q.theo) expect(q.bidIv).toBeLessThanOrEqual(q.iv + 1e-9);
        if (q.askIv !== null && q.ask >= q.theo) expect(q.askIv).toBeGreaterThanOrEqual(q.iv - 1e-9);
      }
    }
    expect(solved).toBeGreaterThan(2000);
    // Far from the money a cent of price is many vol points: the first-order step along vega was off there.
    expect(wide).toBeGreaterThan(0);
  });
});

describe("SPY's typical shape (defaults) and its configuration", () => {
  const t = session.open + 90 * 60_000;
  const spy = model.underlying('SPY');
  const info = model.classesOf('SPY')[0];
  if (!spy || !info) throw new Error('SPY');
  const lday = model.listingDay(t);
  /** The expiry nearest to a number of calendar days out, its ATM call and the 25-delta put and call. */
  function tenor(m: MarketModel, days: number) {
    const e = model.expiries(info!, lday).sort((a, b) => Math.abs(a - lday - days) - Math.abs(b - lday - days))[0] ?? 0;
    const s = m.spot(spy!, t);
    const qs = m.findOptions({ symbol: 'SPY', expiry: dayToYmd(e) }, t).map((c) => ({ c, q: m.optionQuote(c, t) }));
    const near = (right: 'C' | 'P', d: number) => qs.filter((x) => x.c.right === right).sort((a, b) => Math.abs(Math.abs(a.q.delta) - d) - Math.abs(Math.abs(b.q.delta) - d))[0]!;
    const atm = qs.filter((x) => x.c.right === 'C').sort((a, b) => Math.abs(a.c.strike - s) - Math.abs(b.c.strike - s))[0]!;
    const deepPut = qs.filter((x) => x.c.right === 'P' && x.c.strike > s * 1.04).sort((a, b) => a.c.strike - b.c.strike)[0];
    return { rr: near('C', 0.25).q.iv - near('P', 0.25).q.iv, atmWidth: atm.q.ask - atm.q.bid, atm, deepPut };
  }

  it('25-delta risk reversal of −3.5 to −7 vol points, steeper at longer tenors; near-the-money width of a few cents, wider with time and deep in the money', () => {
    const short = tenor(model, 7);
    const month = tenor(model, 30);
    const quarter = tenor(model, 90);
    for (const x of [short, month, quarter]) {
      expect(x.rr).toBeLessThan(-0.035);
      expect(x.rr).toBeGreaterThan(-0.07);
    }
    expect(quarter.rr).toBeLessThan(short.rr);
    expect(short.atmWidth).toBeLessThanOrEqual(0.04 + 1e-9);
    expect(month.atmWidth).toBeLessThanOrEqual(0.07 + 1e-9);
    expect(quarter.atmWidth).toBeGreaterThanOrEqual(month.atmWidth - 1e-9);
    const deep = month.deepPut;
    if (!deep) throw new Error('no deep in-the-money put');
    expect(deep.q.ask - deep.q.bid).toBeGreaterThan(month.atmWidth - 0.01);
  });

  it('the skew and the widths are configuration: a flat skew and widths proportional to the whole value when asked', () => {
    const flat = new MarketModel(parseSimConfig({ underlyings: [{ symbol: 'SPY', iv: { skew: 0, skewLong: 0, curvature: 0 } }] }), 42);
    expect(Math.abs(tenor(flat, 30).rr)).toBeLessThan(0.002);
    const steep = new MarketModel(parseSimConfig({ underlyings: [{ symbol: 'SPY', iv: { skew: -0.4, skewLong: -0.4 } }] }), 42);
    expect(tenor(steep, 30).rr).toBeLessThan(tenor(model, 30).rr);
    const wide = new MarketModel(parseSimConfig({ underlyings: [{ symbol: 'SPY', classes: [{ ...info.cfg, spread: { base: 0.01, pct: 0.01, minWidth: 0.01, dteWiden: 0.5 } }] }] }), 42);
    expect(tenor(wide, 30).atmWidth).toBeGreaterThan(tenor(model, 30).atmWidth);
  });
});
