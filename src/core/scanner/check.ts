// Checks a finished row against the filters from the row's own fields: what a reader of the output can verify.
import { CREDIT_KINDS, type ScanFilters, type ScanRow } from '../contract/scanner';
import { MIN_NET } from './metrics';

/** Slack: the engine's own 1e-9 bound slack (filters.ts) plus room for values recomputed in a different order. */
const EPS = 3e-9;
const ge = (x: number, bound: number) => x >= bound - EPS * Math.max(1, Math.abs(bound));
const le = (x: number, bound: number) => x <= bound + EPS * Math.max(1, Math.abs(bound));

/** The names of the filters (and internal consistency rules) a row breaks; empty when it satisfies all. */
export function violations(row: ScanRow, f: ScanFilters, now: number): string[] {
  const v: string[] = [];
  const price = row.basis === 'mid' ? row.priceMid : row.priceNatural;
  const credit = CREDIT_KINDS.includes(row.kind);
  if (credit !== row.isCredit) v.push('isCredit');
  if (!f.kinds.includes(row.kind)) v.push('kinds');
  if (row.dte < f.dte.min || row.dte > f.dte.max) v.push('dte');
  if (row.width !== Math.abs(row.longStrike - row.shortStrike)) v.push('width-consistency');
  const d = row.short.delta === null ? NaN : Math.abs(row.short.delta);
  if (f.shortDelta?.min !== undefined && !ge(d, f.shortDelta.min)) v.push('shortDelta.min');
  if (f.shortDelta?.max !== undefined && !le(d, f.shortDelta.max)) v.push('shortDelta.max');
  if (f.width?.min !== undefined && !ge(row.width, f.width.min)) v.push('width.min');
  if (f.width?.max !== undefined && !le(row.width, f.width.max)) v.push('width.max');
  if (f.widthOfSpot?.min !== undefined && !ge(row.width / row.spot, f.widthOfSpot.min)) v.push('widthOfSpot.min');
  if (f.widthOfSpot?.max !== undefined && !le(row.width / row.spot, f.widthOfSpot.max)) v.push('widthOfSpot.max');
  if (!(price > MIN_NET - EPS && price < row.width - MIN_NET + EPS)) v.push('price-sane');
  if (credit && f.minCredit !== undefined && !ge(price, f.minCredit)) v.push('minCredit');
  if (!credit && f.maxDebit !== undefined && !le(price, f.maxDebit)) v.push('maxDebit');
  if (credit && f.minCreditToWidth !== undefined && !ge(price / row.width, f.minCreditToWidth)) v.push('minCreditToWidth');
  if (!credit && f.maxDebitToWidth !== undefined && !le(price / row.width, f.maxDebitToWidth)) v.push('maxDebitToWidth');
  const m = row.multiplier;
  const maxProfit = (credit ? price : row.width - price) * m;
  const maxLoss = (credit ? row.width - price : price) * m;
  if (Math.abs(maxProfit - row.maxProfit) > 1e-6 || Math.abs(maxLoss - row.maxLoss) > 1e-6) v.push('maxProfit/maxLoss-consistency');
  if (Math.abs(row.ror - maxProfit / maxLoss) > 1e-9 * Math.max(1, row.ror)) v.push('ror-consistency');
  if (f.minRor !== undefined && !ge(row.ror, f.minRor)) v.push('minRor');
  if (f.minPop !== undefined && !(row.pop !== null && ge(row.pop, f.minPop))) v.push('minPop');
  if (f.minEv !== undefined && !(row.ev !== null && ge(row.ev, f.minEv))) v.push('minEv');
  for (const [name, leg] of [['short', row.short], ['long', row.long]] as const) {
    const spread = leg.ask - leg.bid;
    if (!(leg.bid >= 0 && leg.ask >= leg.bid && leg.ask > 0)) v.push(`${name}.quote`);
    if (f.maxLegSpread !== undefined && !le(spread, f.maxLegSpread)) v.push(`${name}.maxLegSpread`);
    if (f.maxLegSpreadOfMid !== undefined && !le(spread / ((leg.bid + leg.ask) / 2), f.maxLegSpreadOfMid)) v.push(`${name}.maxLegSpreadOfMid`);
    if (f.minOi !== undefined && !(leg.openInterest !== null && leg.openInterest >= f.minOi)) v.push(`${name}.minOi`);
    if (f.minVolume !== undefined && !(leg.volume !== null && leg.volume >= f.minVolume)) v.push(`${name}.minVolume`);
    if (f.maxQuoteAgeSec !== undefined && !(leg.quoteTime !== null && now - leg.quoteTime <= f.maxQuoteAgeSec * 1000)) v.push(`${name}.maxQuoteAgeSec`);
  }
  if (f.maxExitCostOfMaxLoss !== undefined) {
    const exitCost = ((row.short.ask - row.short.bid) / 2 + (row.long.ask - row.long.bid) / 2) * m;
    if (!le(exitCost, f.maxExitCostOfMaxLoss * maxLoss)) v.push('maxExitCostOfMaxLoss');
  }
  return v;
}
