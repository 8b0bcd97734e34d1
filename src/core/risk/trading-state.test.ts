import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideTradingState, type TradingFacts } from './trading-state';

const ready: TradingFacts = { connection: 'connected', linkLost: false, journalAvailable: true, reconciliation: 'clean' };

describe('decideTradingState', () => {
  it('is ACTIVE only when connected, linked, journaled and reconciled clean', () => {
    expect(decideTradingState(ready)).toMatchObject({ state: 'ACTIVE', code: 'OK' });
  });

  it('names the most basic missing fact', () => {
    expect(decideTradingState({ ...ready, journalAvailable: false, connection: 'disconnected' }).code).toBe('JOURNAL_UNAVAILABLE');
    expect(decideTradingState({ ...ready, connection: 'reconnecting', linkLost: true }).code).toBe('NOT_CONNECTED');
    expect(decideTradingState({ ...ready, linkLost: true, reconciliation: 'pending' }).code).toBe('LINK_LOST');
    expect(decideTradingState({ ...ready, reconciliation: 'running' }).code).toBe('RECONCILING');
    expect(decideTradingState({ ...ready, reconciliation: 'differs', reconciliationSummary: '1 position mismatch' }).reason).toContain('1 position mismatch');
  });

  it('every state other than the ready one is HALTED with a reason sentence', () => {
    const facts = fc.record({
      connection: fc.constantFrom('disconnected', 'connecting', 'connected', 'reconnecting'),
      linkLost: fc.boolean(),
      journalAvailable: fc.boolean(),
      reconciliation: fc.constantFrom('pending', 'running', 'clean', 'differs'),
    }) as fc.Arbitrary<TradingFacts>;
    fc.assert(
      fc.property(facts, (f) => {
        const d = decideTradingState(f);
        const isReady = f.connection === 'connected' && !f.linkLost && f.journalAvailable && f.reconciliation === 'clean';
        expect(d.state).toBe(isReady ? 'ACTIVE' : 'HALTED');
        expect(d.reason.length).toBeGreaterThan(10);
      }),
    );
  });
});
