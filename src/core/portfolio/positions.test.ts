import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type BrokerLeg, type OpenSpreadLegs, groupPositions } from './positions';

const M = 1_000_000;
const spread = (spreadId: number, longConId: number, shortConId: number, units: number): OpenSpreadLegs => ({ spreadId, account: 'DU1', longConId, shortConId, longOpenU: units * M, shortOpenU: units * M });
const leg = (conId: number, qty: number): BrokerLeg => ({ account: 'DU1', conId, symbol: 'SPY', qtyU: qty * M });

describe('positions as spreads', () => {
  it('explains the broker legs by spreads and shows what is left as an orphan leg', () => {
    const g = groupPositions([spread(1, 10, 11, 2), spread(2, 10, 12, 1)], [leg(10, 3), leg(11, -2), leg(12, -1), leg(99, 5)]);
    expect(g.spreads.map((s) => s.matched)).toEqual([true, true]);
    expect(g.orphans).toEqual([leg(99, 5)]);
  });

  it('flags a spread the broker holds less of, and an extra unit as orphan', () => {
    const g = groupPositions([spread(1, 10, 11, 2)], [leg(10, 3), leg(11, -1)]);
    expect(g.spreads[0]).toMatchObject({ matched: false, long: { journalU: 2 * M, brokerU: 2 * M }, short: { journalU: -2 * M, brokerU: -1 * M } });
    expect(g.orphans).toEqual([leg(10, 1)]);
  });

  it('never hides a broker position: explained + orphan = held, per contract (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.record({ a: fc.integer({ min: 1, max: 5 }), b: fc.integer({ min: 1, max: 5 }), u: fc.integer({ min: 0, max: 4 }) }), { maxLength: 6 }),
        fc.array(fc.record({ conId: fc.integer({ min: 1, max: 5 }), q: fc.integer({ min: -6, max: 6 }) }), { maxLength: 8 }),
        (ss, bs) => {
          const spreads = ss.map((s, i) => spread(i + 1, s.a, s.b, s.u));
          const broker = bs.map((b) => leg(b.conId, b.q));
          const g = groupPositions(spreads, broker);
          for (let conId = 1; conId <= 5; conId++) {
            const held = broker.filter((b) => b.conId === conId).reduce((n, b) => n + b.qtyU, 0);
            let shown = g.orphans.filter((o) => o.conId === conId).reduce((n, o) => n + o.qtyU, 0);
            for (const s of g.spreads) {
              if (s.long.conId === conId) shown += s.long.brokerU;
              if (s.short.conId === conId) shown += s.short.brokerU;
            }
            expect(shown).toBe(held);
          }
        },
      ),
    );
  });
});
