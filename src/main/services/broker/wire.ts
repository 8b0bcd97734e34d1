// Small pieces the adapter's parts share: contracts in @stoqey's shape, guarded listener calls, error-code classes.
import type { Contract } from '@stoqey/ib';
import type { ConnectTarget, ContractQuery, QuoteContract } from './types';

/** Codes that report something but do not end the request they are tied to. */
export function isNonFatal(code: number): boolean {
  return (code >= 2100 && code < 3000) || code === 10167 || code === 10090 || code === 399 || code === 492 || code === 10197;
}

export function sameTarget(a: ConnectTarget | null, b: ConnectTarget): boolean {
  return !!a && a.profile === b.profile && a.host === b.host && a.port === b.port && a.clientId === b.clientId;
}

/** "host:port" of a target: what reference data is keyed by, since two endpoints may list different chains. */
export function endpointOf(t: ConnectTarget): string {
  return `${t.host}:${t.port}`;
}

export function describeQuery(q: ContractQuery): string {
  return [q.symbol ?? `conId ${q.conId}`, q.secType, q.expiry, q.strike, q.right].filter((x) => x !== undefined && x !== '').join(' ');
}

export function toWireContract(q: ContractQuery): Contract {
  const c: Record<string, unknown> = { secType: q.secType, exchange: q.exchange ?? 'SMART', currency: q.currency ?? 'USD' };
  if (q.conId) c.conId = q.conId;
  if (q.symbol) c.symbol = q.symbol;
  if (q.primaryExch) c.primaryExch = q.primaryExch;
  if (q.expiry) c.lastTradeDateOrContractMonth = q.expiry;
  if (q.strike !== undefined) c.strike = q.strike;
  if (q.right) c.right = q.right;
  if (q.multiplier !== undefined) c.multiplier = q.multiplier;
  if (q.tradingClass) c.tradingClass = q.tradingClass;
  if (q.localSymbol) c.localSymbol = q.localSymbol;
  return c as Contract;
}

export function toQuoteWire(c: QuoteContract): Contract {
  const w: Record<string, unknown> = { conId: c.conId, exchange: c.exchange ?? 'SMART' };
  if (c.symbol) w.symbol = c.symbol;
  if (c.secType) w.secType = c.secType;
  if (c.currency) w.currency = c.currency;
  return w as Contract;
}

/**
 * Turns Nagle's algorithm off on @stoqey's TCP socket (it creates the socket inside connect() and offers no option);
 * false when the socket is not where @stoqey 1.x keeps it (a test double, or a changed internal layout).
 */
export function noDelay(ib: unknown): boolean {
  const socket = (ib as { controller?: { socket?: { client?: { setNoDelay?: (on: boolean) => unknown } } } } | null)?.controller?.socket?.client;
  if (typeof socket?.setNoDelay !== 'function') return false;
  socket.setNoDelay(true);
  return true;
}

export function safe(fn: () => void): void {
  try {
    fn();
  } catch {
    // A listener's bug must not break the broker loop.
  }
}

export function safeJson(v: unknown): string {
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

export async function withTimeout(p: Promise<unknown>, ms: number): Promise<void> {
  let t: ReturnType<typeof setTimeout> | undefined;
  await Promise.race([p.catch(() => undefined), new Promise<void>((r) => (t = setTimeout(r, ms)))]);
  if (t) clearTimeout(t);
}
