// Ticket preview: leg quotes, net mid/natural, risk/reward, Reg-T margin and commission, IBKR's what-if, verdicts, sentence.
import { ContractFailure, Ticket, type TicketPreview } from '../../../core/contract';
import { ticketAnalytics } from '../../../core/orders/analytics';
import { nextLadderStep } from '../../../core/orders/ladder';
import { bagToNet, expectedNetKind, netToMicros, rightOf, verticalBag } from '../../../core/orders/ticket';
import type { RiskGate } from '../../../core/risk/types';
import { roundToTick, TICKS_COMBO, toDollars, toMicros, type Micros, type NetPrice } from '../../../core/spreads';
import type { IbBroker } from '../broker/ib-broker';
import type { LegQuoteCache } from './quotes';
import { previewRoll } from './roll-preview';
import { verticalOrderRequest } from './vertical-order';

export interface PreviewDeps {
  broker: Pick<IbBroker, 'whatIf'>;
  quotes: LegQuoteCache;
  gate: RiskGate;
  now?: () => number;
  /** How long to wait for IBKR's what-if before showing the core model alone. */
  whatIfTimeoutMs?: number;
}

const dollars = (n: NetPrice) => ({ amount: toDollars(n.amount), kind: n.kind });

export async function previewTicket(deps: PreviewDeps, raw: unknown): Promise<TicketPreview> {
  const now = deps.now ?? Date.now;
  const parsed = Ticket.safeParse(raw);
  if (!parsed.success) throw new ContractFailure('VALIDATION', `The ticket is not valid: ${parsed.error.issues[0]?.message ?? 'check the fields'}.`);
  const t = parsed.data;
  if (t.intent === 'roll') return previewRoll(deps, t);
  const intent = t.intent === 'close' ? 'close' : 'open';
  const action = intent === 'open' ? 'BUY' : 'SELL';
  const right = rightOf(t.kind);
  const contracts = await deps.quotes.contracts(t.symbol, t.expiry, right);
  const legsOf = [
    { strike: t.longStrike, action: 'BUY' as const },
    { strike: t.shortStrike, action: 'SELL' as const },
  ].map((l) => ({ ...l, contract: contracts.find((c) => c.strike !== null && Math.abs(c.strike - l.strike) < 1e-6) ?? null }));
  const missing = legsOf.find((l) => !l.contract);
  if (missing) throw new ContractFailure('NOT_FOUND', `${t.symbol} ${t.expiry} has no ${right === 'C' ? 'call' : 'put'} at ${missing.strike}.`);
  const quotes = await Promise.all(legsOf.map((l) => deps.quotes.quote(l.contract?.conId ?? 0)));
  const at = now();
  const legs = legsOf.map((l, i) => {
    const q = quotes[i];
    const mid = q && q.bid !== null && q.ask !== null ? (q.bid + q.ask) / 2 : null;
    return {
      conId: l.contract?.conId ?? null, symbol: t.symbol, expiry: t.expiry, strike: l.strike, right, action: intent === 'open' ? l.action : l.action === 'BUY' ? ('SELL' as const) : ('BUY' as const), ratio: 1,
      bid: q?.bid ?? null, ask: q?.ask ?? null, mid, quoteAgeMs: q?.updatedAt ? Math.max(0, at - q.updatedAt) : null, iv: q?.model?.impliedVol ?? null, delta: q?.model?.delta ?? null,
    };
  });
  const [lq, sq] = quotes;
  const quote = lq && sq && lq.bid !== null && lq.ask !== null && sq.bid !== null && sq.ask !== null ? { bid: (toMicros(lq.bid) - toMicros(sq.ask)) as Micros, ask: (toMicros(lq.ask) - toMicros(sq.bid)) as Micros } : null;
  const netMid = quote ? bagToNet(action, Math.round((quote.bid + quote.ask) / 2) as Micros) : null;
  const netNatural = quote ? bagToNet(action, action === 'BUY' ? quote.ask : quote.bid) : null;
  let limit: NetPrice = netToMicros(t.limit);
  let walkCap: NetPrice | null = null;
  if (t.pricing.mode === 'walk' && quote) {
    const policy = { stepTicks: t.pricing.stepTicks, intervalMs: t.pricing.intervalSec * 1000, capPct: t.pricing.capPct, maxSteps: t.pricing.maxSteps, endAction: t.pricing.endAction };
    const first = nextLadderStep({ action, quote, stale: false, table: TICKS_COMBO, policy, elapsedMs: 0, current: null });
    if (t.pricing.start === 'mid' && first.type === 'limit') limit = bagToNet(action, first.price);
    const mid = Math.round((quote.bid + quote.ask) / 2);
    const nat = action === 'BUY' ? quote.ask : quote.bid;
    walkCap = bagToNet(action, roundToTick(Math.round(mid + ((nat - mid) * policy.capPct) / 100) as Micros, TICKS_COMBO, action === 'BUY' ? 'down' : 'up'));
  }
  const bag = verticalBag(t, intent, t.quantity, limit, TICKS_COMBO, walkCap);
  const width = Math.abs(t.longStrike - t.shortStrike);
  const amt = toDollars(limit.amount);
  const credit = expectedNetKind(t.kind, 'open') === 'credit';
  const units = 100 * t.quantity;
  const maxProfit = (credit ? amt : width - amt) * units;
  const maxLoss = (credit ? width - amt : amt) * units;
  const low = Math.min(t.longStrike, t.shortStrike);
  const high = Math.max(t.longStrike, t.shortStrike);
  const breakeven = t.kind === 'bull-call' || t.kind === 'bear-call' ? low + (credit ? amt : amt) : high - amt;
  const regTMargin = credit ? width * units : amt * units;
  const commission = Math.max(1, 0.65 * 2 * t.quantity);
  let whatIf: TicketPreview['whatIf'] = null;
  let whatIfUnavailable: string | null = null;
  if (bag.ok && legs[0]?.conId && legs[1]?.conId) {
    try {
      const w = await Promise.race([
        deps.broker.whatIf(verticalOrderRequest({ ticketId: `preview-${at}`, symbol: t.symbol, action: bag.value.action, quantity: t.quantity, net: limit, legConIds: [legs[0].conId, legs[1].conId] })),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('IBKR did not answer the what-if in time')), deps.whatIfTimeoutMs ?? 3000).unref?.()),
      ]);
      whatIf = { marginChange: w.initMarginChange, commission: w.commission, equityWithLoanAfter: w.equityWithLoanAfter };
    } catch (e) {
      whatIfUnavailable = e && typeof e === 'object' && 'userMessage' in e ? String(e.userMessage) : e instanceof Error ? e.message : String(e);
    }
  } else whatIfUnavailable = bag.ok ? 'The legs are not qualified.' : bag.message;
  // Odds and greeks from the legs' model IVs and the underlying price TWS computed them at (tick 13).
  const model = quotes.map((q) => q?.model ?? null);
  const spot = model.find((m) => m?.undPrice !== null && m?.undPrice !== undefined && m.undPrice > 0)?.undPrice ?? null;
  const exits = t.exits ? { ...(t.exits.profitTargetPct !== undefined ? { profitTarget: t.exits.profitTargetPct / 100 } : {}), ...(t.exits.stop?.basis === 'maxLossPct' ? { stopLoss: t.exits.stop.value / 100 } : {}) } : null;
  const odds = intent === 'open' && limit.amount > 0
    ? ticketAnalytics({ kind: t.kind, symbol: t.symbol, expiry: t.expiry, longStrike: t.longStrike, shortStrike: t.shortStrike, quantity: t.quantity, entry: limit, spot, ivLong: model[0]?.impliedVol ?? null, ivShort: model[1]?.impliedVol ?? null, nowMs: at, exits })
    : null;
  const check = await deps.gate.check({
    ticketId: 'preview', action: 'preview', symbol: t.symbol, kind: t.kind, expiry: t.expiry, longStrike: t.longStrike, shortStrike: t.shortStrike, intent: t.intent, quantity: t.quantity,
    limit: dollars(limit), mid: netMid ? dollars(netMid) : null, natural: netNatural ? dollars(netNatural) : null, multiplier: 100, maxLoss, maxProfit, margin: regTMargin, commission,
    // With conIds the risk service checks the same live leg quotes a submit would (liquidity, staleness).
    legs: legs.map((l) => ({ symbol: t.symbol, expiry: t.expiry, strike: l.strike, right, side: l.strike === t.longStrike ? 1 : -1, ratio: 1, ...(l.conId ? { conId: l.conId } : {}) })),
    quoteAgeMs: legs.reduce<number | null>((m, l) => (l.quoteAgeMs === null ? m : Math.max(m ?? 0, l.quoteAgeMs)), null), pop: odds?.pop ?? null, at,
  });
  const verdicts = bag.ok ? check.verdicts : [...check.verdicts, { code: `TICKET_${bag.code}`, level: 'block' as const, message: bag.message }];
  return {
    ticket: t, legs, netMid: netMid ? dollars(netMid) : null, netNatural: netNatural ? dollars(netNatural) : null, limit: dollars(limit), walkCap: walkCap ? dollars(walkCap) : null,
    maxProfit, maxLoss, breakevens: [breakeven], pop: odds?.pop ?? null, pMaxProfit: odds?.pMaxProfit ?? null, ev: odds?.ev ?? null,
    greeks: odds?.greeks ?? { delta: null, gamma: null, thetaPerDay: null, vega: null }, exitOdds: odds?.exitOdds ?? null,
    regTMargin, commission, whatIf, whatIfUnavailable, verdicts, allowed: check.allowed && bag.ok, sentence: bag.ok ? bag.value.sentence : '', at,
  };
}
