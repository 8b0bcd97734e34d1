import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RiskLimits } from '../contract/risk';
import { nyInstant } from '../market/timezone';
import type { IsoDate } from '../market/dates';
import { evaluate, isAllowed, ticketKey } from './evaluate';
import { DEFAULT_RISK_LIMITS } from './limits';
import type { RiskContext, RiskOrder } from './types';

const NOW = nyInstant('2026-12-04' as IsoDate, 11); // a Friday, regular session
const OFF: RiskLimits = {
  maxLossPerTradeUsd: null, maxLossPerTradePctOfNetLiq: null, maxContractsPerOrder: null, maxOpenSpreads: null, maxExposurePerUnderlyingUsd: null,
  minBuyingPowerAfterUsd: null, zeroDteCutoff: null, minLegBidUsd: null, maxLegSpreadPctOfMid: null, minOpenInterest: null, minVolume: null,
  maxTicksBeyondNatural: null, duplicateWindowSec: null, maxQuoteAgeSec: null, allowSymbols: [], denySymbols: [], requireRegularSession: false,
  dailyLossLimitUsd: null, dailyLossBasis: 'mid', dailyLossAction: 'HALTED', maxConsecutiveRejects: null,
};

type OrderPatch = Partial<Omit<RiskOrder, 'limit'>> & { limitPrice?: number; net?: 'debit' | 'credit'; maxLossPerSpread?: number | null };
const LEGS: RiskOrder['legs'] = [
  { symbol: 'SPY', expiry: '20261218', strike: 500, right: 'C', side: 1, ratio: 1, conId: 1 },
  { symbol: 'SPY', expiry: '20261218', strike: 505, right: 'C', side: -1, ratio: 1, conId: 2 },
];
/** A 500/505 bull call, 1 × 2.00 debit; `maxLossPerSpread` (× quantity) sets the order's max loss and Reg-T margin. */
const order = ({ limitPrice = 2, net = 'debit', maxLossPerSpread = 200, ...o }: OrderPatch = {}): RiskOrder => {
  const quantity = o.quantity ?? 1;
  const maxLoss = maxLossPerSpread === null ? Number.NaN : maxLossPerSpread * quantity;
  return {
    ticketId: 'T1', symbol: 'SPY', kind: 'bull-call', expiry: '20261218', longStrike: 500, shortStrike: 505, intent: 'open', quantity,
    limit: { amount: limitPrice, kind: net }, mid: null, natural: null, multiplier: 100, maxLoss, maxProfit: 300, margin: maxLoss, commission: 1.3,
    legs: LEGS, quoteAgeMs: null, pop: null, at: NOW, ...o,
  };
};
const ctx = (c: Partial<RiskContext> = {}, limits: Partial<RiskLimits> = {}): RiskContext => ({
  now: NOW, limits: { ...OFF, ...limits }, trading: { state: 'ACTIVE', code: 'OK', reason: 'Connected.' }, connected: true, armRequired: false, armed: false,
  account: 'DU1', netLiquidation: 100_000, buyingPower: 50_000, whatIf: null, openSpreads: [],
  legQuotes: [{ conId: 1, bid: 5, ask: 5.1, openInterest: 500, volume: 100, updatedAt: NOW - 1000 }, { conId: 2, bid: 3, ask: 3.08, openInterest: 500, volume: 100, updatedAt: NOW - 1000 }],
  recentTickets: [], ...c,
});
/** The level of one check's verdict (or 'none' when the check did not speak). */
const level = (code: string, o: RiskOrder, c: RiskContext) => evaluate(o, c).find((v) => v.code === code)?.level ?? 'none';

describe('evaluate: each check passes at its limit and one unit inside, blocks one unit beyond', () => {
  it('a plain order with every limit at its default passes with a sentence per check', () => {
    const v = evaluate(order(), ctx({}, DEFAULT_RISK_LIMITS));
    expect(v.filter((x) => x.level === 'block')).toEqual([]);
    expect(isAllowed(v)).toBe(true);
    for (const x of v) expect(x.message.length).toBeGreaterThan(8);
  });

  it('an opening spread that cannot make money is blocked whatever the limits; a close is not checked for it', () => {
    const c = ctx({}, {});
    expect(level('NO_PROFIT', { ...order(), maxProfit: 0.01 }, c)).toBe('none');
    expect(level('NO_PROFIT', { ...order(), maxProfit: 0 }, c)).toBe('block');
    const v = evaluate({ ...order(), maxProfit: -36 }, c).find((x) => x.code === 'NO_PROFIT')!;
    expect(v.message).toBe('This spread cannot make money at this price: its max profit is −$36.00. A debit must be less than the strike width.');
    expect(isAllowed(evaluate({ ...order(), maxProfit: -36 }, c))).toBe(false);
    expect(level('NO_PROFIT', { ...order(), intent: 'close', maxProfit: 0 }, c)).toBe('none');
  });

  it('max contracts per order', () => {
    const c = ctx({}, { maxContractsPerOrder: 20 });
    expect(level('MAX_CONTRACTS', order({ quantity: 19, maxLossPerSpread: 1 }), c)).toBe('pass');
    expect(level('MAX_CONTRACTS', order({ quantity: 20, maxLossPerSpread: 1 }), c)).toBe('pass');
    const v = evaluate(order({ quantity: 21, maxLossPerSpread: 1 }), c).find((x) => x.code === 'MAX_CONTRACTS')!;
    expect(v).toMatchObject({ level: 'block', numbers: { quantity: 21, limit: 20 } });
    expect(v.message).toBe('21 spreads is more than the 20 allowed per order.');
  });

  it('max loss per trade in dollars (exact to the cent)', () => {
    const c = ctx({}, { maxLossPerTradeUsd: 1000 });
    expect(level('MAX_LOSS_USD', order({ maxLossPerSpread: 999 }), c)).toBe('pass');
    expect(level('MAX_LOSS_USD', order({ maxLossPerSpread: 1000 }), c)).toBe('pass');
    expect(level('MAX_LOSS_USD', order({ maxLossPerSpread: 1000.01 }), c)).toBe('block');
    expect(level('MAX_LOSS_USD', order({ maxLossPerSpread: 250, quantity: 4 }), c)).toBe('pass');
    expect(level('MAX_LOSS_USD', order({ maxLossPerSpread: 250, quantity: 5 }), c)).toBe('block');
    expect(level('MAX_LOSS_UNKNOWN', order({ maxLossPerSpread: null }), c)).toBe('block');
  });

  it('max loss per trade as % of net liquidation', () => {
    const c = ctx({ netLiquidation: 100_000 }, { maxLossPerTradePctOfNetLiq: 2 });
    expect(level('MAX_LOSS_PCT', order({ maxLossPerSpread: 1999 }), c)).toBe('pass');
    expect(level('MAX_LOSS_PCT', order({ maxLossPerSpread: 2000 }), c)).toBe('pass');
    expect(level('MAX_LOSS_PCT', order({ maxLossPerSpread: 2000.01 }), c)).toBe('block');
    expect(level('MAX_LOSS_PCT', order(), ctx({ netLiquidation: null }, { maxLossPerTradePctOfNetLiq: 2 }))).toBe('block');
  });

  it('max open spreads', () => {
    const spreads = (n: number) => Array.from({ length: n }, (_, i) => ({ spreadId: i + 1, underlying: 'QQQ', quantity: 1, maxLoss: 100 }));
    expect(level('MAX_OPEN_SPREADS', order(), ctx({ openSpreads: spreads(1) }, { maxOpenSpreads: 3 }))).toBe('pass');
    expect(level('MAX_OPEN_SPREADS', order(), ctx({ openSpreads: spreads(2) }, { maxOpenSpreads: 3 }))).toBe('pass');
    expect(level('MAX_OPEN_SPREADS', order(), ctx({ openSpreads: spreads(3) }, { maxOpenSpreads: 3 }))).toBe('block');
  });

  it('max exposure per underlying sums max losses of that underlying only', () => {
    const held = [{ spreadId: 1, underlying: 'SPY', quantity: 2, maxLoss: 4000 }, { spreadId: 2, underlying: 'QQQ', quantity: 1, maxLoss: 9000 }];
    const c = ctx({ openSpreads: held }, { maxExposurePerUnderlyingUsd: 5000 });
    expect(level('MAX_EXPOSURE', order({ maxLossPerSpread: 999 }), c)).toBe('pass');
    expect(level('MAX_EXPOSURE', order({ maxLossPerSpread: 1000 }), c)).toBe('pass');
    expect(level('MAX_EXPOSURE', order({ maxLossPerSpread: 1000.01 }), c)).toBe('block');
  });

  it('buying-power headroom after IBKR what-if, and after the Reg-T estimate when what-if is unavailable', () => {
    const lim = { minBuyingPowerAfterUsd: 1000 };
    expect(level('BUYING_POWER', order(), ctx({ buyingPower: 10_000, whatIf: { initMarginChange: 9000 } }, lim))).toBe('pass');
    expect(level('BUYING_POWER', order(), ctx({ buyingPower: 10_000, whatIf: { initMarginChange: 8999 } }, lim))).toBe('pass');
    const v = evaluate(order(), ctx({ buyingPower: 10_000, whatIf: { initMarginChange: 9000.01 } }, lim)).find((x) => x.code === 'BUYING_POWER')!;
    expect(v).toMatchObject({ level: 'block', numbers: { source: 'IBKR what-if' } });
    // No what-if: Reg-T for a vertical is its max loss.
    expect(level('BUYING_POWER', order({ maxLossPerSpread: 9000 }), ctx({ buyingPower: 10_000, whatIf: null }, lim))).toBe('pass');
    const r = evaluate(order({ maxLossPerSpread: 9001 }), ctx({ buyingPower: 10_000, whatIf: { initMarginChange: null } }, lim)).find((x) => x.code === 'BUYING_POWER')!;
    expect(r).toMatchObject({ level: 'block', numbers: { source: 'Reg-T estimate' } });
    expect(level('BUYING_POWER', order(), ctx({ buyingPower: null }, lim))).toBe('block');
  });

  it('0-DTE cutoff in New York time: 15:29 passes, 15:30 blocks; other expiries are not affected', () => {
    const lim = { zeroDteCutoff: '15:30' };
    const today = order({ expiry: '20261204' });
    expect(level('ZERO_DTE_CUTOFF', today, ctx({ now: nyInstant('2026-12-04' as IsoDate, 15, 29) }, lim))).toBe('pass');
    expect(level('ZERO_DTE_CUTOFF', today, ctx({ now: nyInstant('2026-12-04' as IsoDate, 15, 30) }, lim))).toBe('block');
    expect(level('ZERO_DTE_CUTOFF', order({ expiry: '2026-12-04' }), ctx({ now: nyInstant('2026-12-04' as IsoDate, 15, 45) }, lim))).toBe('block');
    expect(level('ZERO_DTE_CUTOFF', order(), ctx({ now: nyInstant('2026-12-04' as IsoDate, 15, 45) }, lim))).toBe('none');
  });

  it('leg liquidity: min bid, max bid-ask % of mid, min open interest and volume where known', () => {
    const q = (bid: number, ask: number, oi: number | null = 500, vol: number | null = 100) =>
      ctx({ legQuotes: [{ conId: 1, bid, ask, openInterest: oi, volume: vol, updatedAt: NOW }, { conId: 2, bid: 3, ask: 3.05, openInterest: 500, volume: 100, updatedAt: NOW }] },
        { minLegBidUsd: 0.05, maxLegSpreadPctOfMid: 10, minOpenInterest: 10, minVolume: 5 });
    expect(level('LEG_MIN_BID', order(), q(0.06, 0.065))).toBe('none');
    expect(level('LEG_MIN_BID', order(), q(0.05, 0.055))).toBe('none');
    expect(level('LEG_MIN_BID', order(), q(0.04, 0.044))).toBe('block');
    expect(level('LEG_WIDE', order(), q(0.96, 1.05))).toBe('none'); // 9.0%
    expect(level('LEG_WIDE', order(), q(0.95, 1.05))).toBe('none'); // exactly 10%
    expect(level('LEG_WIDE', order(), q(0.95, 1.06))).toBe('block'); // 10.9%
    expect(level('LEG_OPEN_INTEREST', order(), q(1, 1.05, 10))).toBe('none');
    expect(level('LEG_OPEN_INTEREST', order(), q(1, 1.05, 9))).toBe('block');
    expect(level('LEG_OPEN_INTEREST', order(), q(1, 1.05, null))).toBe('none');
    expect(level('LEG_VOLUME', order(), q(1, 1.05, 500, 5))).toBe('none');
    expect(level('LEG_VOLUME', order(), q(1, 1.05, 500, 4))).toBe('block');
  });

  it('price sanity: a debit limit more than X ticks above natural blocks (fat finger)', () => {
    const c = ctx({}, { maxTicksBeyondNatural: 5 }); // natural open = 3.00 − 5.10 = 2.10 debit
    expect(level('FAT_FINGER', order({ limitPrice: 2.14 }), c)).toBe('pass');
    expect(level('FAT_FINGER', order({ limitPrice: 2.15 }), c)).toBe('pass');
    expect(level('FAT_FINGER', order({ limitPrice: 2.16 }), c)).toBe('block');
    expect(level('FAT_FINGER', order({ limitPrice: 1.5 }), c)).toBe('pass');
  });

  it('price sanity for a credit spread and for the streamed combo quote', () => {
    const credit = order({ net: 'credit', kind: 'bear-call', longStrike: 505, shortStrike: 500, legs: [{ ...LEGS[0]!, side: -1 }, { ...LEGS[1]!, side: 1 }] });
    const c = ctx({}, { maxTicksBeyondNatural: 3 }); // natural open credit = 5.00 − 3.08 = 1.92
    expect(level('FAT_FINGER', { ...credit, limit: { amount: 1.89, kind: 'credit' } }, c)).toBe('pass');
    expect(level('FAT_FINGER', { ...credit, limit: { amount: 1.88, kind: 'credit' } }, c)).toBe('block');
    const streamed = ctx({ combo: { naturalCash: -2.0, updatedAt: NOW } }, { maxTicksBeyondNatural: 0 });
    expect(level('FAT_FINGER', order({ limitPrice: 2.0 }), streamed)).toBe('pass');
    expect(level('FAT_FINGER', order({ limitPrice: 2.01 }), streamed)).toBe('block');
    expect(level('PRICE_SANITY', order(), ctx({ legQuotes: [] }, { maxTicksBeyondNatural: 3 }))).toBe('warn');
  });

  it('duplicate ticket within N seconds', () => {
    const o = order();
    const at = (ago: number) => ctx({ recentTickets: [{ key: ticketKey(o), at: NOW - ago }] }, { duplicateWindowSec: 10 });
    expect(level('DUPLICATE', o, at(10_001))).toBe('pass');
    expect(level('DUPLICATE', o, at(10_000))).toBe('pass');
    expect(level('DUPLICATE', o, at(9_999))).toBe('block');
    expect(level('DUPLICATE', order({ quantity: 2 }), at(1))).toBe('pass');
  });

  it('stale quotes', () => {
    const aged = (ms: number | null) => ctx({ legQuotes: [{ conId: 1, bid: 5, ask: 5.1, updatedAt: ms === null ? null : NOW - ms }, { conId: 2, bid: 3, ask: 3.08, updatedAt: NOW }] }, { maxQuoteAgeSec: 30 });
    expect(level('STALE_QUOTE', order(), aged(29_999))).toBe('pass');
    expect(level('STALE_QUOTE', order(), aged(30_000))).toBe('pass');
    expect(level('STALE_QUOTE', order(), aged(30_001))).toBe('block');
    expect(level('STALE_QUOTE', order(), aged(null))).toBe('block');
  });

  it('session state: market closed, trading state, connection, arming', () => {
    const night = nyInstant('2026-12-04' as IsoDate, 20, 30);
    expect(level('MARKET_CLOSED', order(), ctx({ now: night }, { requireRegularSession: true }))).toBe('block');
    expect(level('MARKET_CLOSED', order(), ctx({ now: nyInstant('2026-12-04' as IsoDate, 15, 59) }, { requireRegularSession: true }))).toBe('none');
    expect(level('MARKET_CLOSED', order(), ctx({ now: nyInstant('2026-12-05' as IsoDate, 11) }, { requireRegularSession: true }))).toBe('block'); // Saturday
    expect(level('NOT_CONNECTED', order(), ctx({ connected: false }))).toBe('block');
    expect(level('NOT_ARMED', order(), ctx({ armRequired: true, armed: false }))).toBe('block');
    expect(level('NOT_ARMED', order(), ctx({ armRequired: true, armed: true }))).toBe('none');
    expect(level('HALTED', order(), ctx({ trading: { state: 'HALTED', code: 'DAILY_LOSS', reason: 'Daily loss limit hit.' } }))).toBe('block');
  });

  it('instrument allow and deny lists apply to opening orders', () => {
    expect(level('DENIED_SYMBOL', order(), ctx({}, { denySymbols: ['SPY'] }))).toBe('block');
    expect(level('NOT_ALLOWED_SYMBOL', order(), ctx({}, { allowSymbols: ['QQQ'] }))).toBe('block');
    expect(level('SYMBOL_LIST', order(), ctx({}, { allowSymbols: ['QQQ', 'SPY'] }))).toBe('pass');
    const close = order({ intent: 'close', spreadId: 7 });
    expect(isAllowed(evaluate(close, ctx({ openSpreads: [{ spreadId: 7, underlying: 'SPY', quantity: 1, maxLoss: 200 }] }, { denySymbols: ['SPY'] })))).toBe(true);
  });

  it('a close must name a held spread and not close more than held', () => {
    const held = [{ spreadId: 7, underlying: 'SPY', quantity: 2, maxLoss: 400 }];
    expect(level('NOT_HELD', order({ intent: 'close', spreadId: 8 }), ctx({ openSpreads: held }))).toBe('block');
    expect(level('CLOSE_SIZE', order({ intent: 'close', spreadId: 7, quantity: 2 }), ctx({ openSpreads: held }))).toBe('pass');
    expect(level('CLOSE_TOO_LARGE', order({ intent: 'close', spreadId: 7, quantity: 3 }), ctx({ openSpreads: held }))).toBe('block');
  });
});

// ——— properties over random order streams ———

const arbLimits: fc.Arbitrary<RiskLimits> = fc.oneof(fc.constant(OFF), fc.constant(DEFAULT_RISK_LIMITS));
const arbOrder = (heldIds: number[]): fc.Arbitrary<RiskOrder> =>
  fc.record({
    action: fc.constantFrom('submit', 'modify', 'cancel'),
    intent: fc.constantFrom('open', 'close', 'roll'),
    symbol: fc.constantFrom('SPY', 'QQQ', 'IWM', 'AAPL'),
    spreadId: fc.option(fc.constantFrom(...heldIds, 99), { nil: null }),
    quantity: fc.integer({ min: 1, max: 50 }),
    limitPrice: fc.integer({ min: 1, max: 1000 }).map((c) => c / 100),
    net: fc.constantFrom('debit', 'credit'),
    expiry: fc.constantFrom('20261204', '20261218'),
    maxLossPerSpread: fc.option(fc.integer({ min: 1, max: 5000 }), { nil: null }),
  }).map((p) => order(p as OrderPatch));

describe('trading states over random order streams', () => {
  const held = [{ spreadId: 1, underlying: 'SPY', quantity: 50, maxLoss: 500 }, { spreadId: 2, underlying: 'QQQ', quantity: 50, maxLoss: 500 }];

  it('HALTED denies every submit and modify and passes every cancel', () => {
    fc.assert(
      fc.property(fc.array(arbOrder([1, 2]), { minLength: 1, maxLength: 40 }), arbLimits, fc.boolean(), (orders, limits, connected) => {
        const c = ctx({ trading: { state: 'HALTED', code: 'KILL_SWITCH', reason: 'Kill switch pressed.' }, openSpreads: held, connected }, limits);
        for (const o of orders) expect(isAllowed(evaluate(o, c))).toBe(o.action === 'cancel');
      }),
    );
  });

  it('REDUCING passes only risk-reducing orders: a close of a held spread yes, a new spread no', () => {
    fc.assert(
      fc.property(fc.array(arbOrder([1, 2]), { minLength: 1, maxLength: 40 }), (orders) => {
        const c = ctx({ trading: { state: 'REDUCING', code: 'DAILY_LOSS', reason: 'Daily loss limit passed.' }, openSpreads: held }, OFF);
        for (const o of orders) {
          const heldClose = o.intent === 'close' && (o.spreadId === 1 || o.spreadId === 2);
          expect(isAllowed(evaluate(o, c))).toBe(o.action === 'cancel' || heldClose);
        }
      }),
    );
  });
});
