// Contract resolution and contract-details records for the paper exchange (over the core market model).
import { type DayNum, dayToYmd, isTradingDay, parseYmd, utcToEt } from '../../core/sim/calendar';
import type { UnderlyingConfig } from '../../core/sim/config';
import type { MarketModel } from '../../core/sim/model';
import type { OptionContract } from '../../core/sim/universe';
import { emptyContract, type ContractDetailsOut, type WireContract } from './wire/types';

export type Leg = { inst: Single; ratio: number; action: 'BUY' | 'SELL' };
export type Single = { kind: 'underlying'; u: UnderlyingConfig } | { kind: 'option'; c: OptionContract };
export type Instrument = Single | { kind: 'bag'; symbol: string; legs: Leg[]; currency: string; exchange: string };

export type Resolution = { ok: true; inst: Instrument } | { ok: false; code: number; message: string };

export const NO_SECDEF = 'No security definition has been found for the request';

/** The conid of a single instrument. */
export function conIdOf(s: Single): number {
  return s.kind === 'underlying' ? s.u.conId : s.c.conId;
}

export function symbolOf(i: Instrument): string {
  return i.kind === 'underlying' ? i.u.symbol : i.kind === 'option' ? i.c.symbol : i.symbol;
}

/** Market rule ids we report (and answer reqMarketRule for). */
export const MARKET_RULES: Record<number, { lowEdge: number; increment: number }[]> = {
  26: [{ lowEdge: 0, increment: 0.01 }],
  32: [{ lowEdge: 0, increment: 0.01 }, { lowEdge: 3, increment: 0.05 }],
  33: [{ lowEdge: 0, increment: 0.05 }, { lowEdge: 3, increment: 0.1 }],
  110: [{ lowEdge: 0, increment: 0.01 }],
};

function ruleIdFor(inst: Single): string {
  if (inst.kind === 'underlying') return '26';
  return inst.c.tickRule === 'penny-all' ? '110' : inst.c.tickRule === 'penny' ? '32' : '33';
}

/** The canonical wire form of an instrument (what TWS echoes back in openOrder, positions, executions). */
export function wireContractOf(inst: Instrument): WireContract {
  const w = emptyContract();
  w.currency = 'USD';
  if (inst.kind === 'underlying') {
    const u = inst.u;
    w.conId = u.conId;
    w.symbol = u.symbol;
    w.secType = u.secType;
    w.exchange = u.exchange;
    w.primaryExchange = u.primaryExchange;
    w.localSymbol = u.symbol;
    w.tradingClass = u.secType === 'IND' ? u.symbol : u.primaryExchange === 'NASDAQ' ? 'NMS' : u.symbol;
    return w;
  }
  if (inst.kind === 'option') {
    const c = inst.c;
    w.conId = c.conId;
    w.symbol = c.symbol;
    w.secType = 'OPT';
    w.lastTradeDateOrContractMonth = c.expiry;
    w.strike = c.strike;
    w.right = c.right;
    w.multiplier = String(c.multiplier);
    w.exchange = 'SMART';
    w.localSymbol = c.localSymbol;
    w.tradingClass = c.tradingClass;
    return w;
  }
  w.symbol = inst.symbol;
  w.secType = 'BAG';
  w.exchange = inst.exchange || 'SMART';
  w.currency = inst.currency || 'USD';
  w.comboLegs = inst.legs.map((l) => ({ conId: conIdOf(l.inst), ratio: l.ratio, action: l.action, exchange: 'SMART', openClose: 0, shortSaleSlot: 0, designatedLocation: '', exemptCode: -1 }));
  w.comboLegsDescrip = inst.legs.map((l) => `${conIdOf(l.inst)}|${l.ratio}`).join(',');
  return w;
}

/** "YYYYMMDD:0930-YYYYMMDD:1600;…" for the next week of sessions, as TWS reports trading hours. */
export function hoursString(fromDay: DayNum, open: string, close: string, days = 7): string {
  const parts: string[] = [];
  for (let d = fromDay; d < fromDay + days; d++) {
    const ymd = dayToYmd(d);
    parts.push(isTradingDay(d) ? `${ymd}:${open}-${ymd}:${close}` : `${ymd}:CLOSED`);
  }
  return parts.join(';');
}

export function details(inst: Single, t: number): ContractDetailsOut {
  const today = utcToEt(t).day;
  const contract = wireContractOf(inst);
  if (inst.kind === 'underlying') {
    const u = inst.u;
    const isIndex = u.secType === 'IND';
    return {
      contract,
      marketName: contract.tradingClass,
      minTick: 0.01,
      orderTypes: isIndex ? '' : 'ACTIVETIM,AD,ADJUST,ALERT,ALGO,ALLOC,AVGCOST,BASKET,DAY,GTC,IOC,LIT,LMT,MIT,MKT,MOC,NONALGO,OCA,REL,STP,STPLMT,TRAIL,WHATIF',
      validExchanges: isIndex ? 'CBOE' : [...new Set(['SMART', u.primaryExchange, 'ARCA', 'BATS', 'IEX'])].join(','),
      priceMagnifier: 1,
      underConId: 0,
      longName: u.longName,
      contractMonth: '',
      industry: u.industry,
      category: u.category,
      subcategory: u.subcategory,
      timeZoneId: 'US/Eastern',
      tradingHours: isIndex ? hoursString(today, '0930', '1600') : hoursString(today, '0400', '2000'),
      liquidHours: hoursString(today, '0930', '1600'),
      evMultiplier: 0,
      aggGroup: isIndex ? 2147483647 : 1,
      underSymbol: '',
      underSecType: '',
      marketRuleIds: ruleIdFor(inst),
      realExpirationDate: '',
      lastTradeDate: '',
      stockType: isIndex ? '' : u.category === 'Equity Fund' ? 'ETF' : 'COMMON',
      minSize: isIndex ? 0 : 1,
      sizeIncrement: isIndex ? 0 : 1,
      suggestedSizeIncrement: isIndex ? 0 : 100,
    };
  }
  const c = inst.c;
  const u = c.cls.underlying;
  const rule = ruleIdFor(inst);
  return {
    contract,
    marketName: c.tradingClass,
    minTick: c.tickRule === 'nickel-dime' ? 0.05 : 0.01,
    orderTypes: 'ACTIVETIM,AD,ADJUST,ALERT,ALLOC,AVGCOST,BASKET,COND,CONDORDER,DAY,DIS,GTC,IOC,LIT,LMT,MIT,MKT,NONALGO,OCA,REL,STP,STPLMT,TRAIL,WHATIF',
    validExchanges: c.cls.cfg.exchanges.join(','),
    priceMagnifier: 1,
    underConId: u.conId,
    longName: u.longName,
    contractMonth: c.expiry.slice(0, 6),
    industry: u.industry,
    category: u.category,
    subcategory: u.subcategory,
    timeZoneId: 'US/Eastern',
    tradingHours: hoursString(today, '0930', '1600'),
    liquidHours: hoursString(today, '0930', '1600'),
    evMultiplier: 0,
    aggGroup: 2,
    underSymbol: u.symbol,
    underSecType: u.secType,
    marketRuleIds: c.cls.cfg.exchanges.map(() => rule).join(','),
    realExpirationDate: c.expiry,
    lastTradeDate: dayToYmd(c.lastTradeDay),
    stockType: '',
    minSize: 1,
    sizeIncrement: 1,
    suggestedSizeIncrement: 1,
  };
}

function normRight(r: string): 'C' | 'P' | null | 'bad' {
  const s = r.trim().toUpperCase();
  if (s === '' || s === '?' || s === '0') return null;
  if (s === 'C' || s === 'CALL') return 'C';
  if (s === 'P' || s === 'PUT') return 'P';
  return 'bad';
}

/** Every single instrument matching a (possibly partial) contract description, for reqContractDetails. */
export function findContracts(model: MarketModel, wc: WireContract, t: number): Single[] {
  if (wc.currency && wc.currency !== 'USD') return [];
  if (wc.conId > 0) {
    const u = model.underlyingByConId(wc.conId);
    if (u) return [{ kind: 'underlying', u }];
    const c = model.option(wc.conId, t);
    return c && model.isListed(c, t) ? [{ kind: 'option', c }] : [];
  }
  const sec = wc.secType;
  if (sec === 'STK' || sec === 'IND') {
    const u = model.underlying(wc.symbol || wc.localSymbol);
    if (!u || u.secType !== sec) return [];
    if (wc.exchange && !['SMART', u.exchange, u.primaryExchange, 'CBOE'].includes(wc.exchange)) return [];
    return [{ kind: 'underlying', u }];
  }
  if (sec === 'OPT') {
    const right = normRight(wc.right);
    if (right === 'bad') return [];
    const exp = wc.lastTradeDateOrContractMonth.trim();
    if (exp && !(/^\d{6}$/.test(exp) || parseYmd(exp) !== null)) return [];
    const mult = wc.multiplier.trim() === '' ? undefined : Number(wc.multiplier);
    const list = model.findOptions(
      {
        symbol: wc.symbol || undefined,
        tradingClass: wc.tradingClass || undefined,
        expiry: exp || undefined,
        strike: wc.strike > 0 ? wc.strike : undefined,
        right: right ?? undefined,
        multiplier: mult !== undefined && Number.isFinite(mult) ? mult : undefined,
        exchange: wc.exchange || undefined,
        localSymbol: wc.localSymbol || undefined,
      },
      t,
    );
    return list.map((c) => ({ kind: 'option', c }));
  }
  return [];
}

/**
 * Resolves a request's contract to exactly one instrument (market data and orders need that). BAG legs are
 * resolved by conid. Ambiguous descriptions are refused like TWS does.
 */
export function resolveContract(model: MarketModel, wc: WireContract, t: number): Resolution {
  if (wc.secType === 'BAG') {
    if (wc.comboLegs.length === 0) return { ok: false, code: 321, message: "Error validating request.-'bN' : cause - Invalid combo: no legs" };
    const legs: Leg[] = [];
    for (const l of wc.comboLegs) {
      if (l.action !== 'BUY' && l.action !== 'SELL') return { ok: false, code: 321, message: `Error validating request.-'bN' : cause - Invalid leg action ${l.action}` };
      if (!Number.isInteger(l.ratio) || l.ratio <= 0) return { ok: false, code: 321, message: `Error validating request.-'bN' : cause - Invalid leg ratio ${l.ratio}` };
      const found = findContracts(model, { ...emptyContract(), conId: l.conId }, t);
      const inst = found[0];
      if (!inst) return { ok: false, code: 200, message: `${NO_SECDEF} (combo leg conId ${l.conId})` };
      legs.push({ inst, ratio: l.ratio, action: l.action });
    }
    const symbols = new Set(legs.map((l) => (l.inst.kind === 'underlying' ? l.inst.u.symbol : l.inst.c.symbol)));
    return { ok: true, inst: { kind: 'bag', symbol: wc.symbol || [...symbols].join(','), legs, currency: wc.currency || 'USD', exchange: wc.exchange || 'SMART' } };
  }
  const found = findContracts(model, wc, t);
  if (found.length === 0) return { ok: false, code: 200, message: NO_SECDEF };
  if (found.length > 1) return { ok: false, code: 200, message: `The contract description specified for ${wc.symbol || wc.localSymbol} is ambiguous.` };
  return { ok: true, inst: found[0] as Single };
}
