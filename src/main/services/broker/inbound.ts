// The inbound handler map: one small function per TWS message, declared in a table, then registered on each
// fresh IBApi (ib_insync's "wrapper"). Handlers validate through the mappers and hand the result to the part that
// owns it; a message that cannot be read is counted and skipped, never thrown out of the socket handler.
import type { EventName, IBApi } from '@stoqey/ib';
import { ibModule } from './ib-module';
import type { Account } from './account';
import { type BrokerError, ConnectFailedError, fromBrokerCode, specFor } from './errors';
import type { Link } from './link';
import * as map from './mapping';
import type { MarketData } from './market-data';
import type { OrderGateway } from './order-gateway';
import { applyGeneric, applyMarketDataType, applyOptionComputation, applyPrice, applySize, applyString } from './quotes';
import type { Session } from './session';
import { isNonFatal } from './wire';

export interface InboundParts {
  session: Session;
  market: MarketData;
  account: Account;
  gateway: OrderGateway;
}

type Handler = (link: Link, ...args: never[]) => void;

/** Wraps the decoder so a message @stoqey cannot parse is skipped instead of throwing out of the socket handler. */
export function guardDecoder(ib: IBApi, onError: (e: unknown) => void): void {
  const controller = (ib as unknown as { controller?: { processIngressQueue?: () => void; decoder?: { drainQueue?: () => void } } }).controller;
  const original = controller?.processIngressQueue;
  if (!controller || typeof original !== 'function') return;
  controller.processIngressQueue = function guarded(this: unknown) {
    for (let i = 0; i < 10_000; i++) {
      try {
        original.call(controller);
        return;
      } catch (e) {
        onError(e);
        // Drop the rest of the bad message and carry on with the next one.
        controller.decoder?.drainQueue?.();
      }
    }
  };
}

/** A TWS code not tied to any request (id −1): connection-level codes drive the session. */
function onConnectionCode(session: Session, link: Link, code: number, message: string, err: BrokerError): void {
  const now = session.timers.now();
  switch (code) {
    case 1100:
    case 2110:
      session.linkLost = true;
      session.recordError(err);
      session.statusMessage = err.userMessage;
      session.notice({ level: 'warn', code, message: err.userMessage, at: now });
      session.emitStatus();
      return;
    case 1101:
      session.linkLost = false;
      session.statusMessage = err.userMessage;
      session.dataLost();
      session.notice({ level: 'info', code, message: err.userMessage, at: now });
      session.emitStatus();
      return;
    case 1102:
      session.linkLost = false;
      session.statusMessage = err.userMessage;
      session.notice({ level: 'info', code, message: err.userMessage, at: now });
      session.emitStatus();
      return;
    case 326:
      link.clientIdInUse = true;
      link.lastError = err;
      session.recordError(err);
      session.notice({ level: 'error', code, message: err.userMessage, at: now });
      return;
    case 502:
      link.lastError = new ConnectFailedError('connect-failed', { code: 502, brokerMessage: message });
      if (!link.ready) session.attemptFailed(link, link.lastError);
      return;
    case 501:
    case 504:
      // @stoqey's own "already connected" / "cannot send while disconnected": the state machine already knows.
      return;
    default: {
      const spec = specFor(code);
      if (spec.severity === 'error') session.recordError(err);
      session.notice({ level: spec.severity === 'warning' ? 'warn' : spec.severity, code, message: err.userMessage, at: now });
      return;
    }
  }
}

/** Every TWS error/info code: connection-level codes drive the session; id-bound ones fail their line, request or order. */
export function onBrokerCode({ session, market, account, gateway }: InboundParts, link: Link, rawCode: unknown, rawMessage: unknown, id: number, advanced?: unknown): void {
  const code = typeof rawCode === 'number' && Number.isFinite(rawCode) ? rawCode : 0;
  const message = typeof rawMessage === 'string' ? rawMessage : '';
  session.errorsByCode.set(code, (session.errorsByCode.get(code) ?? 0) + 1);
  const err = fromBrokerCode(code, message, id >= 0 ? id : null);
  if (id < 0) return onConnectionCode(session, link, code, message, err);
  if (market.lines.ownerOf(id)) return market.onLineError(id, code, err, isNonFatal(code));
  if (session.registry.has(id)) {
    if (!isNonFatal(code)) session.registry.fail(id, err);
    return;
  }
  if (gateway.orders.has(id)) return gateway.orderError(id, link.target.clientId, code, message, err, advanced, isNonFatal(code));
  if (account.isPnlRequest(id) || code === 300) return;
  const spec = specFor(code);
  session.notice({ level: spec.severity === 'warning' ? 'warn' : spec.severity, code, message: err.userMessage, at: session.timers.now(), id });
}

/** The handler table: each entry is what one TWS message does. */
export function inboundHandlers(parts: InboundParts): Partial<Record<EventName, Handler>> {
  const { session, market, account, gateway } = parts;
  const E = ibModule().EventName;
  const now = () => session.timers.now();
  const bad = (what: string, detail: unknown) => session.onDecodeError(what, detail);
  return {
    // Session
    [E.received]: () => {
      session.lastMessageAt = now();
      session.messagesIn.mark();
    },
    [E.sent]: () => session.messagesOut.mark(),
    [E.server]: (link, version: number, time: string) => {
      link.serverVersion = typeof version === 'number' && Number.isFinite(version) ? version : null;
      link.connectionTime = typeof time === 'string' ? time : '';
    },
    [E.managedAccounts]: (link, list: string) => {
      link.accounts = typeof list === 'string' ? list.split(',').map((a) => a.trim()).filter(Boolean) : [];
      session.maybeReady(link);
    },
    [E.nextValidId]: (link, id: number) => {
      if (!Number.isSafeInteger(id)) return bad('nextValidId', id);
      gateway.onNextValidId(id);
      session.onNextValidId(link, id);
    },
    [E.disconnected]: (link) => session.socketClosed(link),
    [E.info]: (link, message: string, code: number) => onBrokerCode(parts, link, code, message, -1),
    [E.error]: (link, error: Error, code: number, reqId: number, advanced?: unknown) =>
      onBrokerCode(parts, link, code, error instanceof Error ? error.message : String(error), typeof reqId === 'number' ? reqId : -1, advanced),
    [E.currentTime]: (link) => {
      if (link.probeSentAt !== null) session.counters.lastRttMs = now() - link.probeSentAt;
      link.probeSentAt = null;
    },

    // Reference data
    [E.contractDetails]: (_link, reqId: number, details: unknown) => {
      const q = map.qualifiedContract(details);
      if (q) session.registry.push(reqId, q);
      else bad('contractDetails', details);
    },
    [E.contractDetailsEnd]: (_link, reqId: number) => session.registry.end(reqId),
    [E.securityDefinitionOptionParameter]: (_link, reqId: number, exchange: string, underConId: number, tradingClass: string, multiplier: string, expirations: string[], strikes: number[]) => {
      const row = map.chainParams(exchange, underConId, tradingClass, multiplier, expirations, strikes);
      if (row) session.registry.push(reqId, row);
      else bad('securityDefinitionOptionParameter', { exchange, tradingClass });
    },
    [E.securityDefinitionOptionParameterEnd]: (_link, reqId: number) => session.registry.end(reqId),

    // Market data
    [E.tickPrice]: (_link, reqId: number, field: number, value: number) => market.onTick(reqId, (q, t) => applyPrice(q, field, value, t)),
    [E.tickSize]: (_link, reqId: number, field: number, value: number) => market.onTick(reqId, (q, t) => applySize(q, field, value, t)),
    [E.tickGeneric]: (_link, reqId: number, field: number, value: number) => market.onTick(reqId, (q, t) => applyGeneric(q, field, value, t)),
    [E.tickString]: (_link, reqId: number, field: number, value: string) => market.onTick(reqId, (q, t) => applyString(q, field, value, t)),
    [E.tickOptionComputation]: (_link, reqId: number, field: number, _attrib: unknown, impliedVol: unknown, delta: unknown, optPrice: unknown, pvDividend: unknown, gamma: unknown, vega: unknown, theta: unknown, undPrice: unknown) =>
      market.onTick(reqId, (q, t) => applyOptionComputation(q, field, { impliedVol, delta, optPrice, pvDividend, gamma, vega, theta, undPrice }, t)),
    [E.marketDataType]: (_link, reqId: number, type: number) => {
      market.onTick(reqId, (q) => applyMarketDataType(q, type));
      if (type === 3 || type === 4) market.lines.markDelayed(reqId, true);
    },
    [E.tickSnapshotEnd]: (_link, reqId: number) => market.lines.snapshotEnded(reqId),

    // Orders
    [E.openOrder]: (link, orderId: number, contract: unknown, order: unknown, state: unknown) => {
      const ev = map.openOrderEvent(orderId, contract, order, state, link.target.clientId, now());
      if (!ev) return bad('openOrder', { orderId });
      gateway.openOrder(ev, order, state);
    },
    [E.orderStatus]: (link, orderId: number, status: string, filled: number, remaining: number, avgFillPrice: number, permId?: number, parentId?: number, lastFillPrice?: number, clientId?: number, whyHeld?: string, mktCapPrice?: number) => {
      const ev = map.orderStatusEvent({ orderId, status, filled, remaining, avgFillPrice, permId, parentId, lastFillPrice, clientId, whyHeld, mktCapPrice }, link.target.clientId, now());
      if (!ev) return bad('orderStatus', { orderId, status });
      gateway.orderStatus(ev);
    },
    [E.openOrderEnd]: () => account.openOrdersEnded(),
    [E.execDetails]: (_link, reqId: number, contract: unknown, execution: unknown) => {
      const ev = map.executionEvent(reqId, contract, execution, now());
      if (!ev) return bad('execDetails', execution);
      account.execution(reqId, ev);
    },
    [E.execDetailsEnd]: (_link, reqId: number) => session.registry.end(reqId),
    [E.commissionReport]: (_link, report: unknown) => {
      const ev = map.commissionEvent(report, now());
      if (!ev) return bad('commissionReport', report);
      account.commission(ev);
    },

    // Account
    [E.position]: (_link, acct: string, contract: unknown, pos: number, avgCost?: number) => {
      const ev = map.positionEvent(acct, contract, pos, avgCost, now());
      if (!ev) return bad('position', { account: acct });
      account.position(ev);
    },
    [E.positionEnd]: () => account.positionsEnded(),
    [E.accountSummary]: (_link, reqId: number, acct: string, tag: string, value: string, currency: string) => {
      const ev = map.accountValueEvent(acct, tag, value, currency, now());
      if (!ev) return bad('accountSummary', { account: acct, tag });
      if (session.registry.push(reqId, ev)) session.emitEvent(ev);
    },
    [E.accountSummaryEnd]: (_link, reqId: number) => session.registry.end(reqId),
    [E.pnl]: (_link, reqId: number, daily: number, unrealized?: number, realized?: number) => account.pnl(reqId, daily, unrealized, realized),
    [E.pnlSingle]: (_link, reqId: number, pos: number, daily: number, unrealized: number | undefined, realized: number | undefined, value: number) =>
      account.pnlSingle(reqId, pos, daily, unrealized, realized, value),
  };
}

/** Registers the table on a link's IBApi; messages for a link that is no longer current are ignored. */
export function registerInbound(session: Session, link: Link, handlers: Partial<Record<EventName, Handler>>): void {
  guardDecoder(link.ib, (e) => session.onDecodeError('a message from TWS', e));
  const ib = link.ib as unknown as { on(e: string, l: (...a: never[]) => void): void };
  for (const [event, fn] of Object.entries(handlers) as [EventName, Handler][]) {
    ib.on(event, ((...args: never[]) => {
      if (session.link !== link || link.ended) return;
      try {
        fn(link, ...args);
      } catch (e) {
        session.onDecodeError(`the ${event} handler`, e);
      }
    }) as never);
  }
}
