// The default risk gate until the risk engine lands: the trading state decides.
import { describe, expect, it } from 'vitest';
import type { RiskOrder } from '../../../core/risk/types';
import { tradingStateGate } from './service';

const order = (intent: RiskOrder['intent']) => ({ intent }) as RiskOrder;

describe('tradingStateGate', () => {
  it('ACTIVE allows, REDUCING allows only closes, HALTED blocks with its reason', async () => {
    let state: 'ACTIVE' | 'REDUCING' | 'HALTED' = 'ACTIVE';
    const gate = tradingStateGate(() => ({ state, code: state === 'HALTED' ? 'NOT_CONNECTED' : 'OK', reason: 'Not connected to the broker.' }));
    expect((await gate.check(order('open'))).allowed).toBe(true);
    state = 'REDUCING';
    expect((await gate.check(order('open'))).allowed).toBe(false);
    expect((await gate.check(order('close'))).allowed).toBe(true);
    state = 'HALTED';
    const r = await gate.check(order('close'));
    expect(r).toMatchObject({ allowed: false, verdicts: [{ level: 'block', code: 'TRADING_NOT_CONNECTED', message: 'Not connected to the broker.' }] });
  });
});
