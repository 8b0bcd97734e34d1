import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ConnectionStatus, OrderRow, PositionsSnapshot, PositionSpread, TradingStatus } from '../contract';
import { connectionNotice, exitNotices, isMuted, orderNotice, tradingNotice } from './notices';

const order = (o: Partial<OrderRow>): OrderRow => ({ orderId: 7, symbol: 'SPY', shortStrike: 505, longStrike: 500, quantity: 2, filled: 0, status: 'Submitted', avgFill: null, message: null, ...o }) as OrderRow;
const spread = (id: number, exit: PositionSpread['exit']): PositionSpread => ({ spreadId: id, symbol: 'SPY', shortStrike: 505, longStrike: 500, right: 'C', exit }) as PositionSpread;
const snap = (spreads: PositionSpread[]): PositionsSnapshot => ({ at: 0, brokerAt: null, spreads, orphans: [] });
const trading = (state: TradingStatus['state'], reason = 'r'): TradingStatus => ({ state, code: 'X', reason, since: 0 });
const conn = (state: ConnectionStatus['state'], message?: string): ConnectionStatus => ({ state, profile: 'local-paper', serverVersion: null, accounts: [], isPaper: true, isSimulated: true, lastError: null, lastMessageAt: null, since: 0, ...(message ? { message } : {}) });
const prefs = { fills: true, rejects: true, riskDenials: true, disconnects: true, exits: true, breakers: true };

describe('notices', () => {
  it('a fill, a partial fill and a reject, each once per change', () => {
    expect(orderNotice(order({}), order({ status: 'Filled', filled: 2, avgFill: { amount: 1.25, kind: 'debit' } }), 1)).toMatchObject({ kind: 'fill', title: 'Order filled', body: 'Filled #7 SPY 505/500: 2 spreads at 1.25 db.' });
    expect(orderNotice({ status: 'Filled', filled: 2 }, order({ status: 'Filled', filled: 2 }), 1)).toBeNull();
    expect(orderNotice(order({}), order({ filled: 1 }), 1)).toMatchObject({ kind: 'fill', title: 'Order partly filled' });
    expect(orderNotice(order({}), order({ status: 'Rejected', message: 'No margin.' }), 1)).toMatchObject({ kind: 'reject', level: 'error', body: 'Order #7 SPY 505/500 was rejected: No margin.' });
    expect(orderNotice(undefined, order({}), 1)).toBeNull();
  });

  it('an exit fired between two snapshots, not on the first snapshot seen', () => {
    const fired = spread(2, { rules: { dteDays: 5, auto: true }, state: 'fired', message: '5 days to expiry.', firedAt: 1, orderId: 3 });
    const before = snap([spread(1, null), spread(2, null)]);
    const after = snap([spread(1, null), fired]);
    expect(exitNotices(before, after, 1)).toEqual([{ kind: 'exit', level: 'warn', title: 'Exit fired', body: 'SPY 505/500 C: 5 days to expiry. Closing it now.', at: 1 }]);
    expect(exitNotices(after, after, 1)).toEqual([]);
    expect(exitNotices(null, after, 1)).toEqual([]);
  });

  it('a breaker latching, and a connection lost (not one the trader closed)', () => {
    expect(tradingNotice(trading('ACTIVE'), trading('HALTED', 'Daily loss limit reached.'), 1)).toMatchObject({ kind: 'breaker', title: 'Trading halted', body: 'Daily loss limit reached.' });
    expect(tradingNotice(trading('HALTED'), trading('HALTED'), 1)).toBeNull();
    expect(tradingNotice(trading('HALTED'), trading('REDUCING'), 1)).toBeNull();
    expect(tradingNotice(null, trading('HALTED'), 1)).toBeNull();
    expect(connectionNotice(conn('connected'), conn('reconnecting', 'Socket closed. Retrying…'), 1)).toMatchObject({ kind: 'disconnect', body: 'Socket closed. Retrying…' });
    expect(connectionNotice(conn('connected'), conn('disconnected'), 1)).toBeNull();
    expect(connectionNotice(conn('reconnecting'), conn('reconnecting'), 1)).toBeNull();
  });

  it('each kind is muted by its own setting and no other', () => {
    const kinds = ['fill', 'reject', 'exit', 'breaker', 'disconnect'] as const;
    fc.assert(
      fc.property(fc.record({ fills: fc.boolean(), rejects: fc.boolean(), riskDenials: fc.boolean(), disconnects: fc.boolean(), exits: fc.boolean(), breakers: fc.boolean() }), (p) => {
        const key = { fill: 'fills', reject: 'rejects', exit: 'exits', breaker: 'breakers', disconnect: 'disconnects' } as const;
        for (const k of kinds) expect(isMuted(k, p)).toBe(!p[key[k]]);
      }),
    );
    for (const k of kinds) expect(isMuted(k, prefs)).toBe(false);
  });
});
