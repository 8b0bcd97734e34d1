import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SPREAD_KINDS } from '../contract/scanner';
import { bagCashFlow, isOnTick, TICKS_COMBO, TICKS_PENNY, toMicros, type Micros } from '../spreads';
import { aggregateFills, comboPriceFromLegs } from './fills';
import { concessionOfHalfSpread, ladderBounds, ladderPrice, nextLadderStep, type LadderPolicy } from './ladder';
import { canTransition, foldStatus, IllegalTransitionError, isTerminal, markSent, newOrder, ORDER_STATES, transition, TERMINAL_STATES, type OrderProgress } from './state';
import { expectedNetKind, rollBag, ticketSentence, verticalBag } from './ticket';

const TWS = ['ApiPending', 'PendingSubmit', 'PreSubmitted', 'Submitted', 'PendingCancel', 'ApiCancelled', 'Cancelled', 'Filled', 'Inactive', 'Unknown', 'Whatever'];

describe('order state machine', () => {
  it('illegal transitions throw; terminal states never go back to working', () => {
    expect(() => transition('Filled', 'Submitted')).toThrow(IllegalTransitionError);
    expect(() => transition('Cancelled', 'Submitted')).toThrow(IllegalTransitionError);
    expect(transition('Cancelled', 'Filled')).toBe('Filled'); // late fill after a cancel
    for (const t of TERMINAL_STATES) for (const s of ORDER_STATES) if (!isTerminal(s) && s !== t) expect(canTransition(t, s)).toBe(false);
  });

  it('folds the real sequences: PendingSubmit → PreSubmitted → Submitted → partial → Filled; late Filled after Cancelled', () => {
    let o: OrderProgress = markSent(newOrder(3));
    for (const [status, filled] of [['ApiPending', 0], ['PreSubmitted', 0], ['Submitted', 0], ['Submitted', 1], ['PreSubmitted', 1], ['Submitted', 2]] as const) o = foldStatus(o, { status, filled, avgFillPrice: 1.1 });
    expect(o).toMatchObject({ state: 'Submitted', filled: 2 });
    o = foldStatus(o, { status: 'Cancelled', filled: 2 });
    expect(o.state).toBe('Cancelled');
    o = foldStatus(o, { status: 'Submitted', filled: 2 });
    expect(o.state).toBe('Cancelled');
    o = foldStatus(o, { status: 'Filled', filled: 3, avgFillPrice: 1.12 });
    expect(o).toMatchObject({ state: 'Filled', filled: 3, avgFillPrice: 1.12 });
  });

  it('property: random TWS message sequences never throw, fills never shrink, terminal stays terminal', () => {
    const msg = fc.record({ status: fc.constantFrom(...TWS), filled: fc.integer({ min: 0, max: 5 }), avgFillPrice: fc.double({ min: -5, max: 5, noNaN: true }) });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }), fc.array(msg, { maxLength: 40 }), (total, msgs) => {
        let o = markSent(newOrder(total));
        let terminalSeen = false;
        for (const m of msgs) {
          const next = foldStatus(o, m);
          expect(ORDER_STATES).toContain(next.state);
          expect(canTransition(o.state, next.state)).toBe(true);
          expect(next.filled).toBeGreaterThanOrEqual(o.filled);
          expect(next.filled).toBeLessThanOrEqual(total);
          if (terminalSeen) expect(isTerminal(next.state)).toBe(true);
          terminalSeen ||= isTerminal(next.state);
          o = next;
        }
      }),
    );
  });
});

describe('fill aggregation', () => {
  it('averages per leg and for the combo, ignores duplicate execIds, sums commissions', () => {
    const execs = [
      { execId: 'a', conId: 1, isCombo: false, side: 'BOT' as const, shares: 1, price: 1.0 },
      { execId: 'b', conId: 2, isCombo: false, side: 'SLD' as const, shares: 1, price: 2.2 },
      { execId: 'c', conId: 0, isCombo: true, side: 'BOT' as const, shares: 1, price: -1.2 },
      { execId: 'd', conId: 1, isCombo: false, side: 'BOT' as const, shares: 2, price: 1.3 },
      { execId: 'e', conId: 2, isCombo: false, side: 'SLD' as const, shares: 2, price: 2.5 },
      { execId: 'f', conId: 0, isCombo: true, side: 'BOT' as const, shares: 2, price: -1.2 },
      { execId: 'a', conId: 1, isCombo: false, side: 'BOT' as const, shares: 1, price: 1.0 },
    ];
    const f = aggregateFills(execs, new Map([['a', 0.65], ['b', 0.65], ['d', 1.3], ['e', 1.3]]));
    expect(f.legs.get(1)).toMatchObject({ quantity: 3, avgPrice: 1.2, commission: 1.95 });
    expect(f.legs.get(2)).toMatchObject({ quantity: 3, avgPrice: 2.4 });
    expect(f.combo).toMatchObject({ quantity: 3, avgPrice: -1.2 });
    expect(f.commission).toBeCloseTo(3.9, 9);
    expect(comboPriceFromLegs(f.legs, new Map([[1, 1], [2, 1]]))).toBeCloseTo(-1.2, 9);
  });
});

const policyArb = fc.record({
  stepTicks: fc.integer({ min: 1, max: 5 }),
  intervalMs: fc.integer({ min: 1000, max: 30_000 }),
  capPct: fc.integer({ min: 0, max: 100 }),
  maxSteps: fc.integer({ min: 1, max: 30 }),
  endAction: fc.constantFrom('cancel' as const, 'leave' as const),
});
const quoteArb = fc
  .tuple(fc.integer({ min: -500, max: 500 }), fc.integer({ min: 0, max: 80 }), fc.integer({ min: 0, max: 9999 }))
  .map(([c, w, sub]) => ({ bid: (c * 10_000 + (sub % 3 === 0 ? sub : 0)) as Micros, ask: (c * 10_000 + w * 10_000 + (sub % 3 === 0 ? sub : 0)) as Micros }));

describe('pricing ladder', () => {
  it('property: never beyond the cap, always a valid tick, never past natural, monotone toward natural', () => {
    fc.assert(
      fc.property(fc.constantFrom('BUY' as const, 'SELL' as const), quoteArb, policyArb, fc.constantFrom(TICKS_COMBO, TICKS_PENNY), (action, quote, policy: LadderPolicy, table) => {
        const b = ladderBounds(action, quote, table, policy.capPct);
        let prev: number | null = null;
        for (let k = 0; k <= policy.maxSteps + 1; k++) {
          const { price } = ladderPrice(action, quote, table, policy, k);
          expect(isOnTick(price, table)).toBe(true);
          if (action === 'BUY') {
            expect(price).toBeLessThanOrEqual(b.cap);
            expect(price).toBeLessThanOrEqual(quote.ask);
            if (prev !== null) expect(price).toBeGreaterThanOrEqual(prev);
          } else {
            expect(price).toBeGreaterThanOrEqual(b.cap);
            expect(price).toBeGreaterThanOrEqual(quote.bid);
            if (prev !== null) expect(price).toBeLessThanOrEqual(prev);
          }
          expect(concessionOfHalfSpread(action, quote, price)).toBeLessThanOrEqual(policy.capPct / 100 + 1e-9);
          prev = price;
        }
      }),
    );
  });

  it('starts at mid on the conservative side, holds on stale or wide quotes, stops after maxSteps', () => {
    const q = { bid: toMicros(1.0), ask: toMicros(1.25) };
    const p: LadderPolicy = { stepTicks: 1, intervalMs: 10_000, capPct: 50, maxSteps: 10, endAction: 'cancel', maxSpread: toMicros(0.5) };
    const base = { quote: q, stale: false, table: TICKS_COMBO, policy: p, current: null };
    expect(nextLadderStep({ ...base, action: 'BUY', elapsedMs: 0 })).toMatchObject({ type: 'limit', price: toMicros(1.12) });
    expect(nextLadderStep({ ...base, action: 'SELL', elapsedMs: 0 })).toMatchObject({ type: 'limit', price: toMicros(1.13) });
    expect(nextLadderStep({ ...base, action: 'BUY', elapsedMs: 30_000 })).toMatchObject({ type: 'limit', price: toMicros(1.15) });
    expect(nextLadderStep({ ...base, action: 'BUY', elapsedMs: 90_000 })).toMatchObject({ type: 'limit', price: toMicros(1.18), atCap: true });
    expect(nextLadderStep({ ...base, action: 'BUY', elapsedMs: 10_000, stale: true })).toEqual({ type: 'hold', reason: 'stale' });
    expect(nextLadderStep({ ...base, action: 'BUY', elapsedMs: 10_000, quote: { bid: toMicros(1), ask: toMicros(2) } })).toEqual({ type: 'hold', reason: 'wide' });
    expect(nextLadderStep({ ...base, action: 'BUY', elapsedMs: 110_000 })).toEqual({ type: 'stop', endAction: 'cancel' });
    expect(nextLadderStep({ ...base, action: 'BUY', elapsedMs: 0, current: toMicros(1.12) })).toEqual({ type: 'hold', reason: 'unchanged' });
  });
});

describe('BAG sign and tick for every kind, open and close', () => {
  const legs = {
    'bull-call': { longStrike: 500, shortStrike: 510 },
    'bear-put': { longStrike: 510, shortStrike: 500 },
    'bull-put': { longStrike: 500, shortStrike: 510 },
    'bear-call': { longStrike: 510, shortStrike: 500 },
  } as const;
  it('property: the action and signed limit move cash the way the labelled price says; off-tick and wrong sign refused', () => {
    fc.assert(
      fc.property(fc.constantFrom(...SPREAD_KINDS), fc.constantFrom('open' as const, 'close' as const), fc.integer({ min: 1, max: 999 }), fc.integer({ min: 1, max: 10 }), (kind, intent, cents, qty) => {
        const s = { symbol: 'SPY', expiry: '20261218', kind, ...legs[kind] };
        const netKind = expectedNetKind(kind, intent);
        const amount = (cents * 10_000) as Micros;
        const r = verticalBag(s, intent, qty, { amount, kind: netKind }, TICKS_COMBO);
        expect(r.ok).toBe(true);
        if (!r.ok) return;
        expect(r.value.action).toBe(intent === 'open' ? 'BUY' : 'SELL');
        expect(bagCashFlow(r.value)).toBe(netKind === 'credit' ? amount : -amount);
        expect(isOnTick(r.value.lmtPrice, TICKS_COMBO)).toBe(true);
        expect(r.value.legs.map((l) => l.action)).toEqual(['BUY', 'SELL']);
        const wrong = verticalBag(s, intent, qty, { amount, kind: netKind === 'credit' ? 'debit' : 'credit' }, TICKS_COMBO);
        expect(wrong).toMatchObject({ ok: false, code: 'SIGN' });
        const offTick = verticalBag(s, intent, qty, { amount: (amount + 5000) as Micros, kind: netKind }, TICKS_COMBO);
        expect(offTick).toMatchObject({ ok: false, code: 'TICK' });
      }),
    );
  });

  it('refuses strikes that do not fit the kind, writes the sentence, and rolls as one 4-leg BAG', () => {
    expect(verticalBag({ symbol: 'SPY', expiry: '20261218', kind: 'bull-put', longStrike: 560, shortStrike: 555 }, 'open', 1, { amount: toMicros(1.2), kind: 'credit' }, TICKS_COMBO)).toMatchObject({ ok: false, code: 'STRIKES' });
    const s = { symbol: 'SPY', expiry: '20261218', kind: 'bull-put' as const, longStrike: 555, shortStrike: 560 };
    expect(ticketSentence(s, 'open', 1, { amount: toMicros(1.2), kind: 'credit' }, { amount: toMicros(1.12), kind: 'credit' })).toBe('SELL 1 SPY 18 Dec 26 560/555 put spread for a 1.20 credit, walking to at most 1.12');
    const roll = rollBag(s, { ...s, expiry: '20270115', longStrike: 545, shortStrike: 550 }, 1, { amount: toMicros(0.3), kind: 'credit' }, TICKS_COMBO);
    expect(roll.ok && roll.value.legs.map((l) => `${l.action} ${l.expiry} ${l.strike}`)).toEqual(['SELL 20261218 555', 'BUY 20261218 560', 'BUY 20270115 545', 'SELL 20270115 550']);
    expect(roll.ok && roll.value.lmtPrice).toBe(-toMicros(0.3));
  });
});

describe('pricing ladder with moving quotes', () => {
  it('property: with the working limit inside the cap, a new quote never moves the limit away from natural', () => {
    fc.assert(
      fc.property(fc.constantFrom('BUY' as const, 'SELL' as const), quoteArb, quoteArb, policyArb, fc.integer({ min: 0, max: 40 }), (action, q1, q2, policy: LadderPolicy, k) => {
        const first = ladderPrice(action, q1, TICKS_COMBO, policy, k).price;
        const d = nextLadderStep({ action, quote: q2, stale: false, table: TICKS_COMBO, policy, elapsedMs: (k + 1) * policy.intervalMs, current: first });
        if (d.type !== 'limit') return;
        const cap = ladderBounds(action, q2, TICKS_COMBO, policy.capPct).cap;
        const insideCap = action === 'BUY' ? first <= cap : first >= cap;
        if (insideCap) expect(action === 'BUY' ? d.price > first : d.price < first).toBe(true);
        else expect(action === 'BUY' ? d.price <= cap : d.price >= cap).toBe(true);
      }),
    );
  });
});
