// Notices: which change of an order, a position's exit, the trading state or the connection the trader should hear about, as pure decisions.
//
// Each function compares the previous state with the next (the event stream repeats states; a notice is raised on the
// change only) and returns the notice or null. Whether a kind is muted is decided by `isMuted` from the settings.
import type { ConnectionStatus, Notice, NoticeKind, OrderRow, PositionsSnapshot, TradingStatus, UiPreferences } from '../contract';

/** The setting (ui.notifications) that mutes each kind. */
export const NOTICE_SETTING: Record<NoticeKind, keyof UiPreferences['notifications']> = {
  fill: 'fills',
  reject: 'rejects',
  exit: 'exits',
  breaker: 'breakers',
  disconnect: 'disconnects',
};

export function isMuted(kind: NoticeKind, prefs: UiPreferences['notifications']): boolean {
  return prefs[NOTICE_SETTING[kind]] === false;
}

const net = (p: { amount: number; kind: 'credit' | 'debit' }) => `${p.amount.toFixed(2)} ${p.kind === 'credit' ? 'cr' : 'db'}`;

/** A fill (whole or partial) or a reject of one order, from its previous row (undefined: first seen). */
export function orderNotice(prev: Pick<OrderRow, 'status' | 'filled'> | undefined, next: OrderRow, at: number): Notice | null {
  if (prev && prev.status === next.status && prev.filled === next.filled) return null;
  const what = `#${next.orderId} ${next.symbol} ${next.shortStrike}/${next.longStrike}`;
  if (next.status === 'Filled' && prev?.status !== 'Filled') {
    const avg = next.avgFill ? ` at ${net(next.avgFill)}` : '';
    return { kind: 'fill', level: 'info', title: 'Order filled', body: `Filled ${what}: ${next.filled} spread${next.filled === 1 ? '' : 's'}${avg}.`, at };
  }
  if ((next.status === 'Rejected' || next.status === 'Inactive') && prev?.status !== next.status) {
    return { kind: 'reject', level: 'error', title: next.status === 'Rejected' ? 'Order rejected' : 'Order inactive', body: `Order ${what} ${next.status === 'Rejected' ? 'was rejected' : 'is inactive'}${next.message ? `: ${next.message}` : '.'}`, at };
  }
  if (next.status !== 'Filled' && next.filled > (prev?.filled ?? 0)) {
    return { kind: 'fill', level: 'info', title: 'Order partly filled', body: `Partly filled ${what}: ${next.filled} of ${next.quantity}.`, at };
  }
  return null;
}

/** Exits that fired between two positions snapshots (null before: the first snapshot is the state at start, not news). */
export function exitNotices(prev: PositionsSnapshot | null, next: PositionsSnapshot, at: number): Notice[] {
  if (prev === null) return [];
  const before = new Map(prev.spreads.map((s) => [s.spreadId, s.exit?.state]));
  return next.spreads
    .filter((s) => s.exit?.state === 'fired' && before.get(s.spreadId) !== 'fired')
    .map((s) => ({ kind: 'exit', level: 'warn', title: 'Exit fired', body: `${s.symbol} ${s.shortStrike}/${s.longStrike} ${s.right}: ${s.exit?.message ?? 'a rule was hit'}${s.exit?.rules.auto ? ' Closing it now.' : ''}`, at }));
}

/** A breaker latching (the trading state leaving ACTIVE for REDUCING or HALTED, or going from REDUCING to HALTED). */
export function tradingNotice(prev: TradingStatus | null, next: TradingStatus, at: number): Notice | null {
  if (next.state === 'ACTIVE' || prev === null || prev.state === next.state) return null;
  if (prev.state === 'HALTED' && next.state === 'REDUCING') return null; // easing, not news
  return { kind: 'breaker', level: 'error', title: next.state === 'HALTED' ? 'Trading halted' : 'Reducing only', body: next.reason, at };
}

/**
 * The broker connection lost: connected → reconnecting. The session goes to reconnecting whenever it wants to be connected
 * and the link dropped; it goes straight to disconnected only when the trader asked (or the app is closing), which is not news.
 */
export function connectionNotice(prev: ConnectionStatus | null, next: ConnectionStatus, at: number): Notice | null {
  if (prev?.state !== 'connected' || next.state !== 'reconnecting') return null;
  const why = next.message ?? next.lastError?.message ?? 'The connection to the broker was lost.';
  return { kind: 'disconnect', level: next.expectedOutage ? 'warn' : 'error', title: 'Broker disconnected: reconnecting', body: why, at };
}
