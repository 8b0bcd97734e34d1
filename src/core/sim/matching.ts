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
 *
 * Marketable orders (a limit at or through the far side, or a market order) fill at the far side — the
 * natural price available — never at the limit: a BUY limit 0.30 above the ask pays the ask, as an
 * exchange's price improvement gives it. `combo` only says that a zero or negative far side is a real
 * price (a credit combo's natural), not a missing quote.
 *
 * Resting limits (inside the spread, or at the near side) fill at the limit price with the
 * **resting fill model** — the chance that someone crosses to us within `elapsedMs` is
 *
 *     p = 1 − exp(−rate × closeness × elapsedMin),  closeness = clamp((limit − near) / (far − near), 0.1, 1)
 *
 * for a BUY (mirror for a SELL: (near − limit) / (near − far)), where `near` is our own side's best (bid for
 * a BUY) and `far` the natural price, and `rate` = `restingFillRatePerMin` (default 0.6). So at the near
 * side closeness is floored at 0.1 (≈ 5.8 % per minute), at mid it is 0.5 (≈ 26 % per minute), and one tick
 * short of the natural it approaches 1 (≈ 45 % per minute). Behind the near side nothing fills. The size of a
 * resting fill is a seeded share of the far side's displayed size (at least 1).
 */
export function evaluate(o: WorkingOrder, q: LegQuote, model: FillModel, elapsedMs: number, draws: Draws, combo = false): MatchResult {
  const triggered = stopTriggered(o, q);
  if (!triggered || o.remaining <= 0) return { triggered, fill: null };
  const isMarket = o.orderType === 'MKT' || o.orderType === 'STP';
  const buy = o.action === 'BUY';
  const far = buy ? q.ask : q.bid;
  const farSize = buy ? q.askSize : q.bidSize;
  const near = buy ? q.bid : q.ask;
  const farExists = buy ? q.ask > 0 || (combo && farSize > 0) : q.bid > 0 || (combo && farSize > 0);
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
    return { triggered, fill: qty > 0 ? { qty, price: far } : null };
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
 * Leg prices for a combo fill at a net price between the combo's near and natural sides: start from each
 * leg's natural price (the ask of a leg the fill buys, the bid of one it sells — which sums to the natural),
 * then move legs toward their other side until Σ BUY legs − Σ SELL legs = net exactly (in cents). Every leg
 * stays within its own bid/ask, so no print lies outside its option's market. A net outside the combo's
 * [bid, ask] cannot be split that way; the remainder then goes on the first ratio-1 leg (not reached by
 * the matching, which fills marketable combos at the natural and resting ones inside the spread).
 */
export function legPricesForNet(legs: readonly ComboLegSpec[], quotes: readonly LegQuote[], comboAction: 'BUY' | 'SELL', net: number): number[] {
  const cents = legs.map((l, i) => {
    const q = quotes[i] as LegQuote;
    const effBuy = (l.action === 'BUY') === (comboAction === 'BUY');
    return Math.round((effBuy ? q.ask : q.bid) * 100);
  });
  const netCents = (): number => legs.reduce((a, l, i) => a + (l.action === 'BUY' ? 1 : -1) * l.ratio * (cents[i] ?? 0), 0);
  let diff = Math.round(net * 100) - netCents();
  for (let i = 0; i < legs.length && diff !== 0; i++) {
    const l = legs[i] as ComboLegSpec;
    const q = quotes[i] as LegQuote;
    const lo = Math.round(q.bid * 100);
    const hi = Math.round(q.ask * 100);
    const cur = cents[i] ?? 0;
    // Raising a BUY leg (or lowering a SELL leg) raises the net by ratio per cent.
    const dir = (l.action === 'BUY' ? 1 : -1) * Math.sign(diff);
    const room = dir > 0 ? hi - cur : cur - lo;
    const steps = Math.min(room, Math.floor(Math.abs(diff) / l.ratio));
    if (steps <= 0) continue;
    cents[i] = cur + dir * steps;
    diff -= Math.sign(diff) * steps * l.ratio;
  }
  if (diff !== 0) {
    const i = Math.max(0, legs.findIndex((l) => l.ratio === 1));
    const l = legs[i] as ComboLegSpec;
    cents[i] = Math.max(0, (cents[i] ?? 0) + (l.action === 'BUY' ? 1 : -1) * diff);
  }
  return cents.map((c) => c / 100);
}

function r2(x: number): number {
  return Math.round(x * 100) / 100;
}
