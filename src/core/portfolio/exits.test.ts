import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type ExitPosition, type ExitQuote, type ExitRules, assignmentRisk, evaluateExit, freshExitState } from './exits';

// A 5-wide bull put sold for 1.00: max profit 100, max loss 400 per unit, in dollars × 100.
const credit: ExitPosition = { entry: 100, maxProfit: 100, maxLoss: 400, dte: 20, nyMinute: 600 };
const guard = { maxWidthPct: 0.1, maxAgeMs: 5_000 };
const q = (mid: number, width = 10, at = 0): ExitQuote => ({ bid: mid - width / 2, ask: mid + width / 2, at });

describe('exit rules', () => {
  it('fires the profit target at 50% of max profit on the mid, once', () => {
    const rules: ExitRules = { profitTargetPct: 0.5, guard };
    let s = freshExitState();
    let r = evaluateExit(rules, credit, s, q(-60), 0); // pnl 40
    expect(r.decision.action).toBe('hold');
    s = r.state;
    r = evaluateExit(rules, credit, s, q(-50), 0); // pnl 50
    expect(r.decision).toMatchObject({ action: 'close', kind: 'target', mid: -50 });
    expect(evaluateExit(rules, credit, r.state, q(-10), 0).decision.action).toBe('hold'); // fired already
  });

  it('stops a credit spread at 2× the credit and at a share of max loss', () => {
    expect(evaluateExit({ stopCreditMultiple: 2, guard }, credit, freshExitState(), q(-300), 0).decision).toMatchObject({ action: 'close', kind: 'stop' });
    expect(evaluateExit({ stopMaxLossPct: 0.5, guard }, credit, freshExitState(), q(-290), 0).decision.action).toBe('hold'); // loss 190 < 200
    expect(evaluateExit({ stopMaxLossPct: 0.5, guard }, credit, freshExitState(), q(-300), 0).decision).toMatchObject({ kind: 'stop' });
  });

  it('trails the best value and fires when it falls back by the trail', () => {
    const debit: ExitPosition = { entry: -150, maxProfit: 350, maxLoss: 150, dte: 20, nyMinute: 600 };
    const rules: ExitRules = { trailingStop: 50, guard };
    let s = freshExitState();
    for (const v of [150, 200, 260, 230]) {
      const r = evaluateExit(rules, debit, s, q(v), 0);
      expect(r.decision.action).toBe('hold');
      s = r.state;
    }
    expect(s.peakValue).toBe(260);
    expect(evaluateExit(rules, debit, s, q(210), 0).decision).toMatchObject({ kind: 'trailing' });
  });

  it('closes on days to expiry or at a clock time on expiry day, with or without a quote', () => {
    expect(evaluateExit({ dteDays: 7, guard }, { ...credit, dte: 7 }, freshExitState(), null, 0).decision).toMatchObject({ kind: 'time' });
    expect(evaluateExit({ expiryDayMinute: 900, guard }, { ...credit, dte: 0, nyMinute: 899 }, freshExitState(), null, 0).decision.action).toBe('hold');
    expect(evaluateExit({ expiryDayMinute: 900, guard }, { ...credit, dte: 0, nyMinute: 900 }, freshExitState(), null, 0).decision).toMatchObject({ kind: 'time' });
  });

  it('does not trigger on a wide or old quote, and says why', () => {
    const wide = evaluateExit({ profitTargetPct: 0.5, guard }, credit, freshExitState(), q(-10, 60), 0).decision;
    expect(wide).toMatchObject({ action: 'hold' });
    expect(wide.action === 'hold' && wide.blocked).toMatch(/wide/);
    const old = evaluateExit({ profitTargetPct: 0.5, guard }, credit, freshExitState(), q(-10, 10, 0), 6_000).decision;
    expect(old.action === 'hold' && old.blocked).toMatch(/old/);
  });

  it('warns of assignment: short leg in the money near expiry, short call before ex-dividend', () => {
    expect(assignmentRisk({ right: 'P', shortStrike: 100, underlying: 99, dte: 1, daysToExDividend: null })).toMatch(/may be assigned/);
    expect(assignmentRisk({ right: 'P', shortStrike: 100, underlying: 101, dte: 0, daysToExDividend: null })).toBeNull();
    expect(assignmentRisk({ right: 'C', shortStrike: 100, underlying: 104, dte: 10, daysToExDividend: 1 })).toMatch(/ex-dividend/);
    expect(assignmentRisk({ right: 'C', shortStrike: 100, underlying: 104, dte: 10, daysToExDividend: 5 })).toBeNull();
  });
});

describe('exit rules (properties)', () => {
  const rules = fc.record({
    profitTargetPct: fc.option(fc.double({ min: 0.1, max: 1, noNaN: true }), { nil: undefined }),
    stopCreditMultiple: fc.option(fc.double({ min: 0.5, max: 4, noNaN: true }), { nil: undefined }),
    stopMaxLossPct: fc.option(fc.double({ min: 0.1, max: 1, noNaN: true }), { nil: undefined }),
    trailingStop: fc.option(fc.double({ min: 1, max: 200, noNaN: true }), { nil: undefined }),
    guard: fc.constant(guard),
  });
  const quotes = fc.array(fc.record({ mid: fc.double({ min: -400, max: 0, noNaN: true }), width: fc.double({ min: 0, max: 100, noNaN: true }), age: fc.integer({ min: 0, max: 10_000 }) }), { maxLength: 40 });

  it('fires at most once, never on a guarded quote, and only when its own condition holds', () => {
    fc.assert(
      fc.property(rules, quotes, (r, qs) => {
        let s = freshExitState();
        let fired = 0;
        for (const x of qs) {
          const quote = { bid: x.mid - x.width / 2, ask: x.mid + x.width / 2, at: 0 };
          const out = evaluateExit(r, credit, s, quote, x.age);
          if (out.decision.action === 'close') {
            fired++;
            expect(x.width / (credit.maxProfit + credit.maxLoss)).toBeLessThanOrEqual(guard.maxWidthPct);
            expect(x.age).toBeLessThanOrEqual(guard.maxAgeMs);
            const pnl = credit.entry + x.mid;
            if (out.decision.kind === 'target') expect(pnl).toBeGreaterThanOrEqual(r.profitTargetPct! * credit.maxProfit);
            if (out.decision.kind === 'stop') expect(pnl).toBeLessThan(0);
            if (out.decision.kind === 'trailing') expect(s.peakValue! - x.mid + 1e-9).toBeGreaterThanOrEqual(0);
          }
          s = out.state;
        }
        expect(fired).toBeLessThanOrEqual(1);
      }),
    );
  });

  it('a trailing stop: the high-water mark is the best mid of the quotes that passed the guard, and it fires exactly at the first fall of the trail from it', () => {
    const debit: ExitPosition = { entry: -150, maxProfit: 350, maxLoss: 150, dte: 20, nyMinute: 600 };
    fc.assert(
      fc.property(
        fc.double({ min: 1, max: 200, noNaN: true }),
        fc.array(fc.record({ mid: fc.double({ min: 0, max: 500, noNaN: true }), width: fc.double({ min: 0, max: 100, noNaN: true }), age: fc.integer({ min: 0, max: 10_000 }) }), { maxLength: 40 }),
        fc.option(fc.double({ min: 0, max: 500, noNaN: true }), { nil: null }),
        (trail, qs, storedPeak) => {
          // A peak restored from the journal after a restart counts like one seen before it.
          let s = { ...freshExitState(), peakValue: storedPeak };
          let best = storedPeak;
          let fired = false;
          for (const x of qs) {
            const quote = { bid: x.mid - x.width / 2, ask: x.mid + x.width / 2, at: 0 };
            const out = evaluateExit({ trailingStop: trail, guard }, debit, s, quote, x.age);
            const passes = x.width / (debit.maxProfit + debit.maxLoss) <= guard.maxWidthPct && x.age <= guard.maxAgeMs;
            const mid = (quote.bid + quote.ask) / 2;
            if (fired) {
              expect(out.decision.action).toBe('hold');
              expect(out.state).toBe(s);
            } else if (!passes) {
              expect(out.decision.action).toBe('hold');
              expect(out.state.peakValue).toBe(best); // a guarded quote moves nothing
            } else {
              best = best === null ? mid : Math.max(best, mid);
              expect(out.state.peakValue).toBe(best);
              expect(out.decision.action).toBe(best - mid >= trail ? 'close' : 'hold');
              if (out.decision.action === 'close') {
                expect(out.decision).toMatchObject({ kind: 'trailing', mid, quote });
                fired = true;
              }
            }
            s = out.state;
          }
        },
      ),
    );
  });

  it('a target that fires at one P&L also fires at any higher P&L', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.1, max: 1, noNaN: true }), fc.double({ min: -400, max: 0, noNaN: true }), fc.double({ min: 0, max: 100, noNaN: true }), (pct, mid, up) => {
        const r: ExitRules = { profitTargetPct: pct, guard };
        const a = evaluateExit(r, credit, freshExitState(), q(mid, 0), 0).decision.action;
        const b = evaluateExit(r, credit, freshExitState(), q(Math.min(0, mid + up), 0), 0).decision.action;
        if (a === 'close') expect(b).toBe('close');
      }),
    );
  });
});
