// Pre-trade risk checks: evaluate(order, context) → one verdict per check, each with a code, a sentence and its numbers.
//
// Pure: the clock, quotes, account and limits all arrive in the context. Money is compared as integer micros
// (core/journal units), so "one dollar below the limit passes" holds exactly. A limit is itself allowed; crossing it
// blocks (the 0-DTE cutoff is a time: from the cutoff minute on, it blocks). A cancel passes every check: cancelling
// never adds risk, and HALTED must always let it through.
import { toMicros, fromMicros } from '../journal/units';
import { nyDate, toNewYork } from '../market/timezone';
import { sessionState } from '../market/calendar';
import type { LegQuoteFacts, RiskContext, RiskOrder, RiskOrderLeg, RiskVerdict } from './types';

const usd = (micros: number): string => `$${fromMicros(micros).toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
const pass = (code: string, message: string, numbers?: RiskVerdict['numbers']): RiskVerdict => ({ code, level: 'pass', message, ...(numbers ? { numbers } : {}) });
const block = (code: string, message: string, numbers?: RiskVerdict['numbers']): RiskVerdict => ({ code, level: 'block', message, ...(numbers ? { numbers } : {}) });
const warn = (code: string, message: string, numbers?: RiskVerdict['numbers']): RiskVerdict => ({ code, level: 'warn', message, ...(numbers ? { numbers } : {}) });

/** Same spread, side and size: the key the duplicate check compares. */
export function ticketKey(o: Pick<RiskOrder, 'symbol' | 'expiry' | 'intent' | 'quantity' | 'kind' | 'longStrike' | 'shortStrike'>): string {
  return `${o.symbol.toUpperCase()}|${isoOf(o.expiry)}|${o.kind}|${o.longStrike}/${o.shortStrike}|${o.intent}|${o.quantity}`;
}

/** A roll opens a new spread, so it is judged as an opening order. */
const opens = (o: RiskOrder): boolean => o.intent !== 'close';
const actionOf = (o: RiskOrder) => o.action ?? 'submit';
const quoteOf = (leg: RiskOrderLeg, ctx: RiskContext): LegQuoteFacts | undefined => (leg.conId === undefined ? undefined : ctx.legQuotes.find((q) => q.conId === leg.conId));

/** The signed cash per spread of the order's limit: + received (credit), − paid (debit). */
export function limitCashMicros(o: Pick<RiskOrder, 'limit'>): number {
  const m = toMicros(o.limit.amount);
  return o.limit.kind === 'credit' ? m : -m;
}

/**
 * The natural (crossing) cash per share: the streamed combo quote first, then the order's own natural, then leg
 * quotes (opening buys longs at the ask and sells shorts at the bid; closing the reverse).
 */
export function naturalCashMicros(o: RiskOrder, ctx: RiskContext): number | null {
  if (ctx.combo && ctx.combo.naturalCash !== null) return toMicros(ctx.combo.naturalCash);
  if (o.natural) return o.natural.kind === 'credit' ? toMicros(o.natural.amount) : -toMicros(o.natural.amount);
  if (o.legs.length === 0) return null;
  let cash = 0;
  for (const leg of o.legs) {
    const q = quoteOf(leg, ctx);
    const buying = (leg.side === 1) === opens(o);
    const px = buying ? q?.ask : q?.bid;
    if (px === null || px === undefined) return null;
    cash += buying ? -toMicros(px) : toMicros(px);
  }
  return cash;
}

const ONE_CENT = 10_000;

function isoOf(expiry: string): string {
  return /^\d{8}$/.test(expiry) ? `${expiry.slice(0, 4)}-${expiry.slice(4, 6)}-${expiry.slice(6, 8)}` : expiry;
}

function stateChecks(o: RiskOrder, ctx: RiskContext, isHeldClose: boolean): RiskVerdict[] {
  const out: RiskVerdict[] = [];
  if (!ctx.connected) out.push(block('NOT_CONNECTED', 'Not connected to the broker: no order can be sent.'));
  if (ctx.armRequired && !ctx.armed) out.push(block('NOT_ARMED', 'This is a LIVE account and it is not armed for this session: arm it (typing the account id) to send orders.', { account: ctx.account ?? '—' }));
  const t = ctx.trading;
  if (t.state === 'HALTED') out.push(block('HALTED', `Trading is HALTED: ${t.reason} Only cancels are allowed.`, { code: t.code }));
  else if (t.state === 'REDUCING' && !isHeldClose) {
    out.push(block('REDUCING', `Trading is REDUCING: ${t.reason} Only closes of spreads you hold and cancels are allowed.`, { code: t.code }));
  } else out.push(pass('TRADING_STATE', `Trading is ${t.state}.`));
  return out;
}

function sizeAndLossChecks(o: RiskOrder, ctx: RiskContext): RiskVerdict[] {
  const L = ctx.limits;
  const out: RiskVerdict[] = [];
  if (L.maxContractsPerOrder !== null) {
    const n = { quantity: o.quantity, limit: L.maxContractsPerOrder };
    out.push(o.quantity > L.maxContractsPerOrder
      ? block('MAX_CONTRACTS', `${o.quantity} spreads is more than the ${L.maxContractsPerOrder} allowed per order.`, n)
      : pass('MAX_CONTRACTS', `${o.quantity} of at most ${L.maxContractsPerOrder} spreads per order.`, n));
  }
  // A vertical bought for its width or more can only lose (the scan once offered a 1-wide call spread at a 1.36 debit).
  if (o.intent === 'open' && Number.isFinite(o.maxProfit) && o.maxProfit <= 0) {
    out.push(block('NO_PROFIT', `This spread cannot make money at this price: its max profit is ${o.maxProfit < 0 ? '−' : ''}${usd(toMicros(Math.abs(o.maxProfit)))}. A debit must be less than the strike width.`, { maxProfit: o.maxProfit }));
  }
  const lossU = Number.isFinite(o.maxLoss) && o.maxLoss >= 0 ? toMicros(o.maxLoss) : null;
  if (lossU === null) {
    if (L.maxLossPerTradeUsd !== null || L.maxLossPerTradePctOfNetLiq !== null) out.push(block('MAX_LOSS_UNKNOWN', 'The max loss of this order is not known, so the loss limits cannot be checked.'));
  } else {
    if (L.maxLossPerTradeUsd !== null) {
      const limU = toMicros(L.maxLossPerTradeUsd);
      const n = { maxLoss: fromMicros(lossU), limit: L.maxLossPerTradeUsd };
      out.push(lossU > limU
        ? block('MAX_LOSS_USD', `Max loss ${usd(lossU)} is above your ${usd(limU)} per-trade limit.`, n)
        : pass('MAX_LOSS_USD', `Max loss ${usd(lossU)} is within your ${usd(limU)} per-trade limit.`, n));
    }
    if (L.maxLossPerTradePctOfNetLiq !== null) {
      if (ctx.netLiquidation === null) out.push(block('MAX_LOSS_PCT', 'Net liquidation is not known yet, so the % of account loss limit cannot be checked.'));
      else {
        // Compare in micros: limit = NLV × pct / 100, rounded down to the micro (the stricter side).
        const limU = Math.floor((toMicros(ctx.netLiquidation) * L.maxLossPerTradePctOfNetLiq) / 100);
        const n = { maxLoss: fromMicros(lossU), netLiquidation: ctx.netLiquidation, pct: L.maxLossPerTradePctOfNetLiq, limit: fromMicros(limU) };
        out.push(lossU > limU
          ? block('MAX_LOSS_PCT', `Max loss ${usd(lossU)} is more than ${L.maxLossPerTradePctOfNetLiq}% of net liquidation (${usd(limU)}).`, n)
          : pass('MAX_LOSS_PCT', `Max loss ${usd(lossU)} is within ${L.maxLossPerTradePctOfNetLiq}% of net liquidation (${usd(limU)}).`, n));
      }
    }
  }
  if (L.maxOpenSpreads !== null) {
    const open = ctx.openSpreads.length;
    const n = { open, limit: L.maxOpenSpreads };
    out.push(open + 1 > L.maxOpenSpreads
      ? block('MAX_OPEN_SPREADS', `${open} spreads are open; a new one would pass your limit of ${L.maxOpenSpreads}.`, n)
      : pass('MAX_OPEN_SPREADS', `${open} of at most ${L.maxOpenSpreads} spreads open.`, n));
  }
  if (L.maxExposurePerUnderlyingUsd !== null && lossU !== null) {
    const sym = o.symbol.toUpperCase();
    const heldU = ctx.openSpreads.filter((s) => s.underlying.toUpperCase() === sym).reduce((a, s) => a + toMicros(s.maxLoss), 0);
    const limU = toMicros(L.maxExposurePerUnderlyingUsd);
    const n = { held: fromMicros(heldU), adding: fromMicros(lossU), limit: L.maxExposurePerUnderlyingUsd };
    out.push(heldU + lossU > limU
      ? block('MAX_EXPOSURE', `${sym} max loss would be ${usd(heldU + lossU)} (${usd(heldU)} held + ${usd(lossU)}), above your ${usd(limU)} limit per underlying.`, n)
      : pass('MAX_EXPOSURE', `${sym} max loss would be ${usd(heldU + lossU)} of at most ${usd(limU)}.`, n));
  }
  if (L.minBuyingPowerAfterUsd !== null) {
    const limU = toMicros(L.minBuyingPowerAfterUsd);
    const wi = ctx.whatIf;
    // Without IBKR's what-if, the core Reg-T model's margin for this order (for a vertical: its max loss).
    const regT = Number.isFinite(o.margin) && o.margin >= 0 ? toMicros(o.margin) : lossU;
    const marginU = wi && wi.initMarginChange !== null ? toMicros(wi.initMarginChange) : regT;
    const source = wi && wi.initMarginChange !== null ? 'IBKR what-if' : 'Reg-T estimate';
    if (ctx.buyingPower === null || marginU === null) out.push(block('BUYING_POWER', 'Buying power or the margin of this order is not known, so buying-power headroom cannot be checked.'));
    else {
      const afterU = toMicros(ctx.buyingPower) - marginU;
      const n = { buyingPower: ctx.buyingPower, margin: fromMicros(marginU), after: fromMicros(afterU), limit: L.minBuyingPowerAfterUsd, source };
      out.push(afterU < limU
        ? block('BUYING_POWER', `Buying power after this order would be ${usd(afterU)} (${source}), below your ${usd(limU)} minimum.`, n)
        : pass('BUYING_POWER', `Buying power after this order: ${usd(afterU)} (${source}).`, n));
    }
  }
  return out;
}

function marketChecks(o: RiskOrder, ctx: RiskContext, opening: boolean): RiskVerdict[] {
  const L = ctx.limits;
  const out: RiskVerdict[] = [];
  const sym = o.symbol.toUpperCase();
  if (opening) {
    if (L.denySymbols.includes(sym)) out.push(block('DENIED_SYMBOL', `${sym} is on your deny list.`));
    else if (L.allowSymbols.length > 0 && !L.allowSymbols.includes(sym)) out.push(block('NOT_ALLOWED_SYMBOL', `${sym} is not on your allow list (${L.allowSymbols.join(', ')}).`));
    else if (L.allowSymbols.length > 0 || L.denySymbols.length > 0) out.push(pass('SYMBOL_LIST', `${sym} is allowed.`));
    const session = sessionState(ctx.now);
    if (L.requireRegularSession && session !== 'regular') out.push(block('MARKET_CLOSED', `The market is ${session === 'closed' ? 'closed' : `in its ${session}-market session`}: new spreads open only 09:30–16:00 New York time.`, { session }));
    if (L.zeroDteCutoff !== null && isoOf(o.expiry) === nyDate(ctx.now)) {
      const [h, m] = L.zeroDteCutoff.split(':').map(Number) as [number, number];
      const ny = toNewYork(ctx.now);
      const nowText = `${String(ny.hour).padStart(2, '0')}:${String(ny.minute).padStart(2, '0')}`;
      out.push(ny.minuteOfDay >= h * 60 + m
        ? block('ZERO_DTE_CUTOFF', `This spread expires today and it is ${nowText} New York time, past your ${L.zeroDteCutoff} cutoff for opening 0-DTE spreads.`, { now: nowText, cutoff: L.zeroDteCutoff })
        : pass('ZERO_DTE_CUTOFF', `0-DTE: before your ${L.zeroDteCutoff} cutoff (now ${nowText} New York).`, { now: nowText, cutoff: L.zeroDteCutoff }));
    }
    for (const leg of o.legs) {
      const q = quoteOf(leg, ctx);
      const name = `${leg.side === 1 ? 'Long' : 'Short'} leg ${leg.strike}${leg.right}`;
      if (!q) continue;
      if (L.minLegBidUsd !== null && q.bid !== null && toMicros(q.bid) < toMicros(L.minLegBidUsd)) {
        out.push(block('LEG_MIN_BID', `${name} bids ${q.bid.toFixed(2)}, below your ${L.minLegBidUsd.toFixed(2)} minimum.`, { conId: leg.conId ?? 'unknown', bid: q.bid, limit: L.minLegBidUsd }));
      }
      if (L.maxLegSpreadPctOfMid !== null && q.bid !== null && q.ask !== null && q.ask > 0) {
        const widthU = toMicros(q.ask) - toMicros(q.bid);
        const midU2 = toMicros(q.ask) + toMicros(q.bid); // 2 × mid, to stay in integers
        // width / mid × 100 > pct  ⇔  width × 200 > pct × (2 × mid)
        if (widthU * 200 > L.maxLegSpreadPctOfMid * midU2) {
          const pct = Math.round((widthU * 2000) / midU2) / 10;
          out.push(block('LEG_WIDE', `${name} bid-ask ${q.bid.toFixed(2)}–${q.ask.toFixed(2)} is ${pct}% of its mid, wider than your ${L.maxLegSpreadPctOfMid}%.`, { conId: leg.conId ?? 'unknown', bid: q.bid, ask: q.ask, pct, limit: L.maxLegSpreadPctOfMid }));
        }
      }
      if (L.minOpenInterest !== null && q.openInterest !== null && q.openInterest !== undefined && q.openInterest < L.minOpenInterest) {
        out.push(block('LEG_OPEN_INTEREST', `${name} open interest ${q.openInterest} is below your minimum of ${L.minOpenInterest}.`, { conId: leg.conId ?? 'unknown', openInterest: q.openInterest, limit: L.minOpenInterest }));
      }
      if (L.minVolume !== null && q.volume !== null && q.volume !== undefined && q.volume < L.minVolume) {
        out.push(block('LEG_VOLUME', `${name} volume ${q.volume} is below your minimum of ${L.minVolume}.`, { conId: leg.conId ?? 'unknown', volume: q.volume, limit: L.minVolume }));
      }
    }
  }
  if (opening && (L.minLegBidUsd !== null || L.maxLegSpreadPctOfMid !== null || L.minOpenInterest !== null || L.minVolume !== null) && o.legs.some((l) => quoteOf(l, ctx) === undefined)) {
    out.push(warn('LIQUIDITY_UNKNOWN', 'A leg has no live quote here, so its liquidity (bid, width, open interest) was not checked.'));
  }
  if (L.maxQuoteAgeSec !== null) {
    // Live leg quotes when the service read them; else the age the ticket measured.
    const live = o.legs.map((leg) => quoteOf(leg, ctx));
    const ages = live.every((q) => q !== undefined)
      ? live.map((q) => (q!.updatedAt === null ? Number.POSITIVE_INFINITY : ctx.now - q!.updatedAt))
      : [o.quoteAgeMs ?? Number.POSITIVE_INFINITY];
    const oldest = Math.max(...ages);
    const n = { oldestSec: Number.isFinite(oldest) ? Math.floor(oldest / 1000) : 'none', limit: L.maxQuoteAgeSec };
    out.push(oldest > L.maxQuoteAgeSec * 1000
      ? block('STALE_QUOTE', Number.isFinite(oldest) ? `A leg quote is ${Math.floor(oldest / 1000)} s old, older than your ${L.maxQuoteAgeSec} s limit.` : 'A leg has no quote yet.', n)
      : pass('STALE_QUOTE', 'Quotes are fresh.', n));
  }
  if (L.maxTicksBeyondNatural !== null) {
    const natU = naturalCashMicros(o, ctx);
    if (natU === null) out.push(warn('PRICE_SANITY', 'No live natural price for this combo, so the limit could not be compared with it.'));
    else {
      const limitU = limitCashMicros(o);
      const beyond = Math.ceil((natU - limitU) / ONE_CENT); // ticks more aggressive than natural (combo tick = $0.01)
      const n = { limitCash: fromMicros(limitU), naturalCash: fromMicros(natU), ticksBeyond: beyond, limit: L.maxTicksBeyondNatural };
      out.push(beyond > L.maxTicksBeyondNatural
        ? block('FAT_FINGER', `Your limit is ${beyond} ticks worse than the natural price (${usd(Math.abs(natU))} ${natU >= 0 ? 'credit' : 'debit'}); at most ${L.maxTicksBeyondNatural} allowed.`, n)
        : pass('FAT_FINGER', 'Limit price is within range of the natural price.', n));
    }
  }
  if (L.duplicateWindowSec !== null && (actionOf(o) === 'submit' || actionOf(o) === 'preview')) {
    const key = ticketKey(o);
    const last = ctx.recentTickets.filter((r) => r.key === key).reduce((a, r) => Math.max(a, r.at), Number.NEGATIVE_INFINITY);
    const ago = ctx.now - last;
    out.push(ago < L.duplicateWindowSec * 1000
      ? block('DUPLICATE', `The same ticket was sent ${Math.floor(ago / 1000)} s ago; wait ${L.duplicateWindowSec} s or change it.`, { secondsAgo: Math.floor(ago / 1000), limit: L.duplicateWindowSec })
      : pass('DUPLICATE', 'Not a repeat of a recent ticket.'));
  }
  return out;
}

/** The held spread a close reduces: by journal id, else by symbol, expiry and strikes. */
function heldSpread(o: RiskOrder, ctx: RiskContext) {
  if (o.intent !== 'close') return undefined;
  if (o.spreadId !== null && o.spreadId !== undefined) return ctx.openSpreads.find((s) => s.spreadId === o.spreadId);
  return ctx.openSpreads.find((s) => s.underlying.toUpperCase() === o.symbol.toUpperCase() && s.expiry !== undefined && isoOf(s.expiry) === isoOf(o.expiry) && s.longStrike === o.longStrike && s.shortStrike === o.shortStrike);
}

/** Every check's verdict for one order. The order is allowed when no verdict is `block`. */
export function evaluate(order: RiskOrder, ctx: RiskContext): RiskVerdict[] {
  if (actionOf(order) === 'cancel') return [pass('CANCEL', 'Cancels are always allowed.')];
  const held = heldSpread(order, ctx);
  const out = stateChecks(order, ctx, held !== undefined);
  if (opens(order)) out.push(...sizeAndLossChecks(order, ctx));
  else if (!held) out.push(block('NOT_HELD', 'This close names a spread that is not open.'));
  else if (order.quantity > held.quantity) out.push(block('CLOSE_TOO_LARGE', `Closing ${order.quantity} spreads but only ${held.quantity} are held.`, { quantity: order.quantity, held: held.quantity }));
  else out.push(pass('CLOSE_SIZE', `Closing ${order.quantity} of ${held.quantity} held.`));
  out.push(...marketChecks(order, ctx, opens(order)));
  return out;
}

export function isAllowed(verdicts: readonly RiskVerdict[]): boolean {
  return !verdicts.some((v) => v.level === 'block');
}
