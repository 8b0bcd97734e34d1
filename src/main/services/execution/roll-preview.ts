// Roll preview: the one 4-leg BAG a roll sends (close the held spread, open the new one) priced from live leg quotes.
//
// The net is the BAG as bought (BUY): + = a debit paid, − = a credit received. Its mid and natural are the sums of the
// four legs (BUY legs at the ask, SELL legs at the bid for natural). Risk figures are those the execution service's gate
// sees for a roll: the new spread's full width as the bound on loss (a roll's net says nothing about risk alone).
import { ContractFailure, type TicketParsed, type TicketPreview } from '../../../core/contract';
import { bagToNet, netToMicros, rightOf, rollBag } from '../../../core/orders/ticket';
import type { RiskGate } from '../../../core/risk/types';
import { TICKS_COMBO, toDollars, toMicros, type Micros, type NetPrice } from '../../../core/spreads';
import type { LegQuoteCache } from './quotes';

export interface RollPreviewDeps {
  quotes: LegQuoteCache;
  gate: RiskGate;
  now?: () => number;
}

const dollars = (n: NetPrice) => ({ amount: toDollars(n.amount), kind: n.kind });

async function legIds(quotes: LegQuoteCache, s: { symbol: string; expiry: string; kind: TicketParsed['kind']; longStrike: number; shortStrike: number }): Promise<[number, number]> {
  const right = rightOf(s.kind);
  const contracts = await quotes.contracts(s.symbol, s.expiry, right);
  const find = (k: number) => contracts.find((c) => c.strike !== null && Math.abs(c.strike - k) < 1e-6)?.conId;
  const long = find(s.longStrike);
  const short = find(s.shortStrike);
  if (long === undefined || short === undefined) {
    throw new ContractFailure('NOT_FOUND', `${s.symbol} ${s.expiry} has no ${right === 'C' ? 'call' : 'put'} at ${long === undefined ? s.longStrike : s.shortStrike}.`);
  }
  return [long, short];
}

export async function previewRoll(deps: RollPreviewDeps, t: TicketParsed): Promise<TicketPreview> {
  const now = deps.now ?? Date.now;
  const to = t.rollTo;
  if (!to) throw new ContractFailure('VALIDATION', 'A roll needs the spread to roll to.');
  if (to.symbol !== t.symbol) throw new ContractFailure('VALIDATION', 'A roll stays on the same underlying.');
  const [oldIds, newIds] = await Promise.all([legIds(deps.quotes, t), legIds(deps.quotes, to)]);
  const conIds = [oldIds[0], oldIds[1], newIds[0], newIds[1]];
  const limit = netToMicros(t.limit);
  const bag = rollBag(t, to, t.quantity, limit, TICKS_COMBO);
  const sharesLeg = new Set(conIds).size !== 4;
  const quotes = await Promise.all(conIds.map((c) => deps.quotes.quote(c).catch(() => null)));
  const at = now();
  // BAG legs in rollBag's order: the old spread reversed (sell its long, buy its short), then the new one as held.
  const actions = bag.ok ? bag.value.legs.map((l) => l.action) : (['SELL', 'BUY', 'BUY', 'SELL'] as const);
  const spreads = [t, t, to, to];
  const strikes = [t.longStrike, t.shortStrike, to.longStrike, to.shortStrike];
  const legs = conIds.map((conId, i) => {
    const q = quotes[i];
    const s = spreads[i] as typeof t;
    return {
      conId, symbol: t.symbol, expiry: s.expiry, strike: strikes[i] as number, right: rightOf(s.kind), action: actions[i] as 'BUY' | 'SELL', ratio: 1,
      bid: q?.bid ?? null, ask: q?.ask ?? null, mid: q && q.bid !== null && q.ask !== null ? (q.bid + q.ask) / 2 : null,
      quoteAgeMs: q?.updatedAt ? Math.max(0, at - q.updatedAt) : null, iv: q?.model?.impliedVol ?? null, delta: q?.model?.delta ?? null,
    };
  });
  let midU: number | null = 0;
  let natU: number | null = 0;
  for (const l of legs) {
    const sign = l.action === 'BUY' ? 1 : -1;
    midU = midU === null || l.bid === null || l.ask === null ? null : midU + sign * Math.round((toMicros(l.bid) + toMicros(l.ask)) / 2);
    const px = l.action === 'BUY' ? l.ask : l.bid;
    natU = natU === null || px === null ? null : natU + sign * toMicros(px);
  }
  const netMid = midU === null ? null : bagToNet('BUY', midU as Micros);
  const netNatural = natU === null ? null : bagToNet('BUY', natU as Micros);
  const width = Math.abs(to.longStrike - to.shortStrike);
  const units = 100 * t.quantity;
  const commission = Math.max(1, 0.65 * 4 * t.quantity);
  const check = await deps.gate.check({
    ticketId: 'preview', action: 'preview', symbol: t.symbol, kind: to.kind, expiry: to.expiry, longStrike: to.longStrike, shortStrike: to.shortStrike, intent: 'roll', quantity: t.quantity,
    ...(t.spreadId !== undefined ? { spreadId: t.spreadId } : {}),
    limit: dollars(limit), mid: netMid ? dollars(netMid) : null, natural: netNatural ? dollars(netNatural) : null, multiplier: 100, maxLoss: width * units, maxProfit: width * units, margin: width * units, commission,
    legs: legs.map((l) => ({ symbol: l.symbol, expiry: l.expiry, strike: l.strike, right: l.right, side: l.action === 'BUY' ? 1 : -1, ratio: 1, conId: l.conId })),
    quoteAgeMs: legs.reduce<number | null>((m, l) => (l.quoteAgeMs === null ? m : Math.max(m ?? 0, l.quoteAgeMs)), null), pop: null, at,
  });
  const verdicts = [...check.verdicts];
  if (!bag.ok) verdicts.push({ code: `TICKET_${bag.code}`, level: 'block', message: bag.message });
  if (sharesLeg) verdicts.push({ code: 'TICKET_ROLL_SAME_LEG', level: 'block', message: 'The new spread shares a leg with the old one; roll to other strikes or expiry.' });
  if (t.pricing.mode !== 'fixed') verdicts.push({ code: 'TICKET_ROLL_WALK', level: 'block', message: 'A roll is sent at a fixed net price; walking a 4-leg net is not offered.' });
  const allowed = check.allowed && bag.ok && !sharesLeg && t.pricing.mode === 'fixed';
  return {
    ticket: t, legs, netMid: netMid ? dollars(netMid) : null, netNatural: netNatural ? dollars(netNatural) : null, limit: dollars(limit), walkCap: null,
    maxProfit: width * units, maxLoss: width * units, breakevens: [], pop: null, pMaxProfit: null, ev: null,
    greeks: { delta: null, gamma: null, thetaPerDay: null, vega: null }, exitOdds: null,
    regTMargin: width * units, commission, whatIf: null, whatIfUnavailable: 'IBKR’s what-if is not asked for a 4-leg roll.', verdicts, allowed, sentence: bag.ok ? bag.value.sentence : '', at,
  };
}
