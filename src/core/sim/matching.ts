// Matching rules of the paper exchange: when a working order fills against the simulated quotes, how much, at what price.

export interface LegQuote {
  bid: number;
  ask: number;
  bidSize: number;
  askSize: number;
}

export interface ComboLegSpec {
  ratio: number;
  action: 'BUY' | 'SELL';
}

export type OrderKind = 'LMT' | 'MKT' | 'STP' | 'STP LMT';

export interface WorkingOrder {
  action: 'BUY' | 'SELL';
  orderType: OrderKind;
  lmtPrice: number | null;
  auxPrice: number | null;
  remaining: number;
  /** Stop orders become live once triggered. */
  triggered: boolean;
}

export interface FillModel {
  /** 'displayed': a fill takes at most the size shown on the other side; 'none': all at once. */
  partial: 'displayed' | 'none';
  /** Optional cap on contracts per fill (makes partial fills certain, e.g. for tests). */
  maxQtyPerFill: number | null;
  /** Chance per simulated minute that a limit resting inside the spread fills (scaled by how close it is to the far side). */
  restingFillRatePerMin: number;
}

export const DEFAULT_FILL_MODEL: FillModel = { partial: 'displayed', maxQtyPerFill: null, restingFillRatePerMin: 0.6 };

export interface Draws {
  /** Uniform draws in (0, 1) from the exchange's seeded stream. */
  u1: number;
  u2: number;
}

export interface MatchResult {
  triggered: boolean;
  fill: { qty: number; price: number } | null;
}

/** The natural quote of a combo: bid = Σ buys' bids − Σ sells' asks; ask = Σ buys' asks − Σ sells' bids (cents). */
export function comboNatural(legs: readonly ComboLegSpec[], quotes: readonly LegQuote[]): LegQuote {
  let bid = 0;
  let ask = 0;
  let bidSize = Infinity;
  let askSize = Infinity;
  legs.forEach((l, i) => {
    const q = quotes[i];
    if (!q) return;
    if (l.action === 'BUY') {
      bid += l.ratio * q.bid;
      ask += l.ratio * q.ask;
      bidSize = Math.min(bidSize, Math.floor(q.bidSize / l.ratio));
      askSize = Math.min(askSize, Math.floor(q.askSize / l.ratio));
    } else {
      bid -= l.ratio * q.ask;
      ask -= l.ratio * q.bid;
      bidSize = Math.min(bidSize, Math.floor(q.askSize / l.ratio));
      askSize = Math.min(askSize, Math.floor(q.bidSize / l.ratio));
    }
  });
  return { bid: r2(bid), ask: r2(ask), bidSize: Number.isFinite(bidSize) ? bidSize : 0, askSize: Number.isFinite(askSize) ? askSize : 0 };
}

/** Whether a stop has triggered: a BUY stop when the ask reaches the stop price, a SELL stop when the bid does. */
export function stopTriggered(o: WorkingOrder, q: LegQuote): boolean {
  if (o.orderType !== 'STP' && o.orderType !== 'STP LMT') return true;
  if (o.triggered) return true;
  if (o.auxPrice === null) return false;
  return o.action === 'BUY' ? q.ask >= o.auxPrice - 1e-9 : q.bid <= o.auxPrice + 1e-9 && q.bid > 0;
}

function cap(qty: number, shown: number, model: FillModel): number {
  let n = qty;
  if (model.partial === 'displayed') n = Math.min(n, Math.max(1, shown));
  if (model.maxQtyPerFill !== null) n = Math.min(n, model.maxQtyPerFill);
  return Math.max(0, Math.floor(n));
}

/**
 * One evaluation of a working order against a quote (a single instrument's, or a combo's natural quote).
 * Marketable orders fill at the far side (never worse than the limit); `atLimit` makes them fill at the limit
 * instead (combos fill at their net limit). Limits resting inside the spread fill at the limit with a
 * probability that grows with elapsed simulated time and with closeness to the far side.
 */
export function evaluate(o: WorkingOrder, q: LegQuote, model: FillModel, elapsedMs: number, draws: Draws, atLimit = false): MatchResult {
  const triggered = stopTriggered(o, q);
  if (!triggered || o.remaining <= 0) return { triggered, fill: null };
  const isMarket = o.orderType === 'MKT' || o.orderType === 'STP';
  const buy = o.action === 'BUY';
  const far = buy ? q.ask : q.bid;
  const farSize = buy ? q.askSize : q.bidSize;
  const near = buy ? q.bid : q.ask;
  const farExists = buy ? q.ask > 0 || (atLimit && farSize > 0) : q.bid > 0 || (atLimit && farSize > 0);
  if (isMarket) {
    if (!farExists || farSize <= 0) return { triggered, fill: null };
    const qty = cap(o.remaining, farSize, model);
    return { triggered, fill: qty > 0 ? { qty, price: far } : null };
  }
  const limit = o.lmtPrice;
  if (limit === null) return { triggered, fill: null };
  const marketable = buy ? far <= limit + 1e-9 : far >= limit - 1e-9;
  if (marketable && farExists && farSize > 0) {
    const qty = cap(o.remaining, farSize, model);
    return { triggered, fill: qty > 0 ? { qty, price: atLimit ? limit : far } : null };
  }
  // Resting: inside the spread (or at the touch) someone may cross to us.
  const width = Math.abs(far - near);
  if (width <= 0 || elapsedMs <= 0) return { triggered, fill: null };
  const improve = buy ? limit - near : near - limit; // how far past our own side's best we are
  if (improve < -1e-9) return { triggered, fill: null }; // behind the market: no fills
  const closeness = Math.min(1, Math.max(0.1, improve / width));
  const p = 1 - Math.exp(-model.restingFillRatePerMin * closeness * (elapsedMs / 60_000));
  if (draws.u1 >= p) return { triggered, fill: null };
  const passiveSize = Math.max(1, Math.ceil(Math.max(1, farSize) * draws.u2 * 0.5));
  const qty = cap(Math.min(o.remaining, passiveSize), farSize, model);
  return { triggered, fill: qty > 0 ? { qty, price: limit } : null };
}

/**
 * Leg prices for a combo fill at a net price: start from each leg's natural price (what the combo's
 * direction trades at), then move the difference onto legs so Σ BUY legs − Σ SELL legs = net exactly
 * (in cents), never pushing a leg below zero.
 */
export function legPricesForNet(legs: readonly ComboLegSpec[], quotes: readonly LegQuote[], comboAction: 'BUY' | 'SELL', net: number): number[] {
  const prices = legs.map((l, i) => {
    const q = quotes[i] as LegQuote;
    const effBuy = (l.action === 'BUY') === (comboAction === 'BUY');
    return effBuy ? q.ask : q.bid;
  });
  const netOf = (): number => legs.reduce((a, l, i) => a + (l.action === 'BUY' ? 1 : -1) * l.ratio * (prices[i] ?? 0), 0);
  let diffCents = Math.round((net - netOf()) * 100);
  // Raise BUY legs / lower SELL legs to add; the reverse to subtract. Spread it over legs that can take it.
  for (let pass = 0; pass < 2 && diffCents !== 0; pass++) {
    for (let i = 0; i < legs.length && diffCents !== 0; i++) {
      const l = legs[i] as ComboLegSpec;
      const dir = (l.action === 'BUY' ? 1 : -1) * Math.sign(diffCents);
      const cur = Math.round((prices[i] ?? 0) * 100);
      const steps = Math.floor(Math.abs(diffCents) / l.ratio);
      if (steps === 0) continue;
      const room = dir > 0 ? steps : Math.min(steps, cur);
      if (room <= 0) continue;
      prices[i] = (cur + dir * room) / 100;
      diffCents -= Math.sign(diffCents) * room * l.ratio;
    }
  }
  return prices.map((p) => Math.round(p * 100) / 100);
}

function r2(x: number): number {
  return Math.round(x * 100) / 100;
}
