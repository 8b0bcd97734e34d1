// Server → client messages, laid out for a negotiated server version (field lists as read by @stoqey/ib and ibapi).
import { ascii7, bool, dbl, dec, int, px, sig, UNSET_DOUBLE, UNSET_INT } from './fields';
import type { ContractDetailsOut, ExecutionOut, OrderStateOut, WireContract, WireOrder } from './types';
import { SV } from './versions';

export const IN = {
  TICK_PRICE: 1, TICK_SIZE: 2, ORDER_STATUS: 3, ERR_MSG: 4, OPEN_ORDER: 5, ACCT_VALUE: 6, PORTFOLIO_VALUE: 7, ACCT_UPDATE_TIME: 8,
  NEXT_VALID_ID: 9, CONTRACT_DATA: 10, EXECUTION_DATA: 11, MANAGED_ACCTS: 15, TICK_OPTION_COMPUTATION: 21, TICK_GENERIC: 45,
  TICK_STRING: 46, CURRENT_TIME: 49, CONTRACT_DATA_END: 52, OPEN_ORDER_END: 53, ACCT_DOWNLOAD_END: 54, EXECUTION_DATA_END: 55,
  TICK_SNAPSHOT_END: 57, MARKET_DATA_TYPE: 58, COMMISSION_REPORT: 59, POSITION: 61, POSITION_END: 62, ACCOUNT_SUMMARY: 63,
  ACCOUNT_SUMMARY_END: 64, SECURITY_DEFINITION_OPTION_PARAMETER: 75, SECURITY_DEFINITION_OPTION_PARAMETER_END: 76,
  POSITION_MULTI: 71, POSITION_MULTI_END: 72, ACCOUNT_UPDATE_MULTI: 73, ACCOUNT_UPDATE_MULTI_END: 74,
  TICK_REQ_PARAMS: 81, MARKET_RULE: 93, PNL: 94, PNL_SINGLE: 95,
} as const;

export type Fields = string[];

export function managedAccounts(accounts: string): Fields {
  return ['15', '1', accounts];
}

export function nextValidId(id: number): Fields {
  return ['9', '1', int(id)];
}

export function currentTime(epochSeconds: number): Fields {
  return ['49', '1', int(epochSeconds)];
}

/** errMsg: version 2; advancedOrderRejectJson from 166 (always "" or valid JSON: @stoqey JSON.parses it). */
export function error(sv: number, id: number, code: number, message: string, advancedJson = ''): Fields {
  const msg = sv >= SV.ENCODE_MSG_ASCII7 ? ascii7(message) : message;
  const f = ['4', '2', int(id), int(code), msg];
  if (sv >= SV.ADVANCED_ORDER_REJECT) f.push(advancedJson);
  return f;
}

export function contractData(sv: number, reqId: number, d: ContractDetailsOut): Fields {
  const c = d.contract;
  const f: Fields = ['10'];
  if (sv < SV.SIZE_RULES) f.push('8');
  f.push(int(reqId), c.symbol, c.secType, c.lastTradeDateOrContractMonth);
  if (sv >= SV.LAST_TRADE_DATE) f.push(d.lastTradeDate);
  f.push(c.strike === 0 ? '0' : px(c.strike), c.right, c.exchange, c.currency, c.localSymbol, d.marketName, c.tradingClass, int(c.conId), px(d.minTick));
  if (sv >= SV.MD_SIZE_MULTIPLIER && sv < SV.SIZE_RULES) f.push('1');
  f.push(c.multiplier, d.orderTypes, d.validExchanges, int(d.priceMagnifier), int(d.underConId));
  f.push(sv >= SV.ENCODE_MSG_ASCII7 ? ascii7(d.longName) : d.longName, c.primaryExchange);
  f.push(d.contractMonth, d.industry, d.category, d.subcategory, d.timeZoneId, d.tradingHours, d.liquidHours);
  f.push('', int(d.evMultiplier)); // evRule, evMultiplier
  f.push('0'); // secIdList count
  f.push(int(d.aggGroup), d.underSymbol, d.underSecType, d.marketRuleIds, d.realExpirationDate, d.stockType);
  if (sv >= SV.FRACTIONAL_SIZE_SUPPORT && sv < SV.SIZE_RULES) f.push(dec(d.sizeIncrement));
  if (sv >= SV.SIZE_RULES) f.push(dec(d.minSize), dec(d.sizeIncrement), dec(d.suggestedSizeIncrement));
  if (sv >= SV.INELIGIBILITY_REASONS) f.push('0');
  return f;
}

export function contractDataEnd(reqId: number): Fields {
  return ['52', '1', int(reqId)];
}

export function secDefOptParams(reqId: number, exchange: string, underConId: number, tradingClass: string, multiplier: number, expirations: string[], strikes: number[]): Fields {
  return ['75', int(reqId), exchange, int(underConId), tradingClass, String(multiplier), int(expirations.length), ...expirations, int(strikes.length), ...strikes.map(px)];
}

export function secDefOptParamsEnd(reqId: number): Fields {
  return ['76', int(reqId)];
}

export function marketDataType(reqId: number, type: number): Fields {
  return ['58', '1', int(reqId), int(type)];
}

export function tickReqParams(reqId: number, minTick: number, bboExchange: string, snapshotPermissions: number): Fields {
  return ['81', int(reqId), px(minTick), bboExchange, int(snapshotPermissions)];
}

/** tickPrice version 6: price, size, attribute mask (bit0 canAutoExecute, bit1 pastLimit, bit2 preOpen). */
export function tickPrice(reqId: number, tickType: number, price: number, size: number, mask: number): Fields {
  return ['1', '6', int(reqId), int(tickType), px(price), dec(size), int(mask)];
}

export function tickSize(reqId: number, tickType: number, size: number): Fields {
  return ['2', '6', int(reqId), int(tickType), dec(size)];
}

export function tickGeneric(reqId: number, tickType: number, value: number): Fields {
  return ['45', '6', int(reqId), int(tickType), sig(value, 8)];
}

export function tickString(reqId: number, tickType: number, value: string): Fields {
  return ['46', '6', int(reqId), int(tickType), value];
}

export interface OptionComputation {
  impliedVol: number | null;
  delta: number | null;
  optPrice: number | null;
  pvDividend: number | null;
  gamma: number | null;
  vega: number | null;
  theta: number | null;
  undPrice: number | null;
}

/** tickOptionComputation: tickAttrib from 156 (version field before); sentinels −1/−2 for "not computed". */
export function tickOptionComputation(sv: number, reqId: number, tickType: number, c: OptionComputation, priceBased = true): Fields {
  const f: Fields = ['21'];
  if (sv < SV.PRICE_BASED_VOLATILITY) f.push('6');
  f.push(int(reqId), int(tickType));
  if (sv >= SV.PRICE_BASED_VOLATILITY) f.push(priceBased ? '1' : '0');
  const or = (x: number | null, sentinel: string, digits = 6): string => (x === null || !Number.isFinite(x) ? sentinel : sig(x, digits));
  f.push(or(c.impliedVol, '-1'), or(c.delta, '-2'), c.optPrice === null ? '-1' : px(c.optPrice), or(c.pvDividend, '-1'));
  f.push(or(c.gamma, '-2'), or(c.vega, '-2'), or(c.theta, '-2'), c.undPrice === null ? '-1' : px(c.undPrice));
  return f;
}

export function tickSnapshotEnd(reqId: number): Fields {
  return ['57', '1', int(reqId)];
}

/** orderStatus: no version from 131, where mktCapPrice was added. */
export function orderStatus(
  sv: number,
  s: { orderId: number; status: string; filled: number; remaining: number; avgFillPrice: number; permId: number; parentId: number; lastFillPrice: number; clientId: number; whyHeld: string; mktCapPrice: number },
): Fields {
  const f: Fields = ['3'];
  if (sv < SV.MARKET_CAP_PRICE) f.push('6');
  f.push(int(s.orderId), s.status, dec(s.filled), dec(s.remaining), px(s.avgFillPrice), int(s.permId), int(s.parentId), px(s.lastFillPrice), int(s.clientId), s.whyHeld);
  if (sv >= SV.MARKET_CAP_PRICE) f.push(px(s.mktCapPrice));
  return f;
}

const optD = (x: number | null | undefined): string => (x === null || x === undefined ? UNSET_DOUBLE : px(x));
const optI = (x: number | null | undefined): string => (x === null || x === undefined ? UNSET_INT : int(x));

/**
 * openOrder at sv ≥ 145 (no version field). Field order follows Appendix A of the reference; counts for a
 * plain order: 128 @176, 127 @178, 130 @187, 133 @193.
 */
export function openOrder(sv: number, o: { order: WireOrder; contract: WireContract; clientId: number; permId: number; state: OrderStateOut }): Fields {
  const { order: od, contract: c, state: st } = o;
  const f: Fields = ['5'];
  if (sv < SV.ORDER_CONTAINER) f.push(int(sv));
  f.push(int(od.orderId));
  f.push(int(c.conId), c.symbol, c.secType, c.lastTradeDateOrContractMonth, c.strike === 0 ? '0.0' : px(c.strike), c.right, c.multiplier, c.exchange, c.currency, c.localSymbol, c.tradingClass);
  f.push(od.action, dec(od.totalQuantity), od.orderType, optD(od.lmtPrice), optD(od.auxPrice), od.tif, od.ocaGroup, od.account, od.openClose, int(od.origin), od.orderRef);
  f.push(int(o.clientId), int(o.permId), bool(od.outsideRth), bool(od.hidden), dbl(od.discretionaryAmt), od.goodAfterTime);
  f.push(''); // sharesAllocation (deprecated)
  f.push('', '', ''); // faGroup, faMethod, faPercentage
  if (sv < SV.FA_PROFILE_DESUPPORT) f.push(''); // faProfile
  f.push(od.modelCode, od.goodTillDate, od.rule80A, optD(od.percentOffset), ''); // …, settlingFirm
  f.push('0', '', '-1'); // shortSaleSlot, designatedLocation, exemptCode
  f.push('0'); // auctionStrategy
  f.push(UNSET_DOUBLE, UNSET_DOUBLE, UNSET_DOUBLE); // startingPrice, stockRefPrice, delta
  f.push(UNSET_DOUBLE, UNSET_DOUBLE); // stockRangeLower, stockRangeUpper
  f.push(optI(od.displaySize), bool(od.blockOrder), bool(od.sweepToFill), bool(od.allOrNone), optI(od.minQty), int(od.ocaType));
  f.push('0', '0', UNSET_DOUBLE); // eTradeOnly, firmQuoteOnly, nbboPriceCap
  f.push(int(od.parentId), int(od.triggerMethod));
  f.push(optD(od.volatility), '0', '', UNSET_DOUBLE); // volatility, volatilityType, deltaNeutralOrderType, deltaNeutralAuxPrice
  f.push('0', '0'); // continuousUpdate, referencePriceType
  f.push(optD(od.trailStopPrice), optD(od.trailingPercent));
  f.push(UNSET_DOUBLE, UNSET_INT); // basisPoints, basisPointsType
  f.push(c.comboLegsDescrip, int(c.comboLegs.length));
  for (const l of c.comboLegs) f.push(int(l.conId), int(l.ratio), l.action, l.exchange, int(l.openClose), int(l.shortSaleSlot), l.designatedLocation, int(l.exemptCode));
  f.push(int(od.orderComboLegPrices.length), ...od.orderComboLegPrices.map(optD));
  f.push(int(od.smartComboRoutingParams.length));
  for (const p of od.smartComboRoutingParams) f.push(p.tag, p.value);
  f.push(UNSET_INT, UNSET_INT, UNSET_DOUBLE); // scaleInitLevelSize, scaleSubsLevelSize, scalePriceIncrement
  f.push(''); // hedgeType
  f.push('0', '', '', '0', '0'); // optOutSmartRouting, clearingAccount, clearingIntent, notHeld, deltaNeutralContract flag
  f.push(od.algoStrategy);
  if (od.algoStrategy !== '') f.push('0');
  f.push('0', bool(od.whatIf), st.status); // solicited, whatIf, status
  if (sv >= SV.WHAT_IF_EXT_FIELDS) {
    f.push(optD(st.initMarginBefore), optD(st.maintMarginBefore), optD(st.equityWithLoanBefore));
    f.push(optD(st.initMarginChange), optD(st.maintMarginChange), optD(st.equityWithLoanChange));
  }
  f.push(optD(st.initMarginAfter), optD(st.maintMarginAfter), optD(st.equityWithLoanAfter));
  f.push(optD(st.commission), optD(st.minCommission), optD(st.maxCommission), st.commissionCurrency ?? '', st.warningText ?? '');
  f.push('0', '0'); // randomizeSize, randomizePrice
  f.push('0'); // conditions count
  f.push('', UNSET_DOUBLE, UNSET_DOUBLE, UNSET_DOUBLE, UNSET_DOUBLE, UNSET_DOUBLE, UNSET_DOUBLE, '0'); // adjusted order params
  f.push('', '', ''); // soft dollar tier name, value, display name
  f.push(optD(od.cashQty));
  f.push('0', '0', '0', '0'); // dontUseAutoPriceForHedge, isOmsContainer, discretionaryUpToLimitPrice, usePriceMgmtAlgo
  f.push(UNSET_INT, UNSET_INT, '0'); // duration, postToAts, autoCancelParent
  f.push(UNSET_INT, UNSET_INT, UNSET_DOUBLE, UNSET_DOUBLE, UNSET_DOUBLE); // minTradeQty … midOffsetAtHalf
  if (sv >= SV.CUSTOMER_ACCOUNT) f.push('');
  if (sv >= SV.PROFESSIONAL_CUSTOMER) f.push('0');
  if (sv >= SV.BOND_ACCRUED_INTEREST) f.push('');
  if (sv >= SV.INCLUDE_OVERNIGHT) f.push('0');
  if (sv >= SV.CME_TAGGING_FIELDS_IN_OPEN_ORDER) f.push(od.extOperator, optI(od.manualOrderIndicator));
  return f;
}

export function openOrderEnd(): Fields {
  return ['53', '1'];
}

/** completedOrdersEnd (no version field). */
export function completedOrdersEnd(): Fields {
  return ['102'];
}

/** execDetails: no version from 136; pendingPriceRevision from 178. */
export function execDetails(sv: number, e: ExecutionOut): Fields {
  const c = e.contract;
  const f: Fields = ['11'];
  if (sv < SV.LAST_LIQUIDITY) f.push('10');
  f.push(int(e.reqId), int(e.orderId), int(c.conId), c.symbol, c.secType, c.lastTradeDateOrContractMonth, c.strike === 0 ? '0.0' : px(c.strike), c.right, c.multiplier, c.exchange, c.currency, c.localSymbol, c.tradingClass);
  f.push(e.execId, e.time, e.account, e.exchange, e.side, dec(e.shares), px(e.price), int(e.permId), int(e.clientId), int(e.liquidation), dec(e.cumQty), px(e.avgPrice), e.orderRef);
  f.push('', '0'); // evRule, evMultiplier
  f.push(''); // modelCode
  if (sv >= SV.LAST_LIQUIDITY) f.push(int(e.lastLiquidity));
  if (sv >= SV.PENDING_PRICE_REVISION) f.push('0');
  return f;
}

export function execDetailsEnd(reqId: number): Fields {
  return ['55', '1', int(reqId)];
}

export function commissionReport(execId: string, commission: number, currency: string, realizedPnl: number | null): Fields {
  return ['59', '1', execId, px(commission), currency, realizedPnl === null ? UNSET_DOUBLE : px(realizedPnl), UNSET_DOUBLE, '0'];
}

export function position(account: string, c: WireContract, pos: number, avgCost: number): Fields {
  return ['61', '3', account, int(c.conId), c.symbol, c.secType, c.lastTradeDateOrContractMonth, c.strike === 0 ? '0.0' : px(c.strike), c.right, c.multiplier, c.exchange, c.currency, c.localSymbol, c.tradingClass, dec(pos), px(avgCost)];
}

export function positionEnd(): Fields {
  return ['62', '1'];
}

export function positionMulti(reqId: number, account: string, c: WireContract, pos: number, avgCost: number, modelCode: string): Fields {
  return ['71', '1', int(reqId), account, int(c.conId), c.symbol, c.secType, c.lastTradeDateOrContractMonth, c.strike === 0 ? '0.0' : px(c.strike), c.right, c.multiplier, c.exchange, c.currency, c.localSymbol, c.tradingClass, dec(pos), px(avgCost), modelCode];
}

export function positionMultiEnd(reqId: number): Fields {
  return ['72', '1', int(reqId)];
}

export function accountUpdateMulti(reqId: number, account: string, modelCode: string, key: string, value: string, currency: string): Fields {
  return ['73', '1', int(reqId), account, modelCode, key, value, currency];
}

export function accountUpdateMultiEnd(reqId: number): Fields {
  return ['74', '1', int(reqId)];
}

export function accountSummary(reqId: number, account: string, tag: string, value: string, currency: string): Fields {
  return ['63', '1', int(reqId), account, tag, value, currency];
}

export function accountSummaryEnd(reqId: number): Fields {
  return ['64', '1', int(reqId)];
}

export function accountValue(key: string, value: string, currency: string, account: string): Fields {
  return ['6', '2', key, value, currency, account];
}

export function portfolioValue(c: WireContract, pos: number, marketPrice: number, marketValue: number, avgCost: number, unrealized: number, realized: number, account: string): Fields {
  return [
    '7', '8', int(c.conId), c.symbol, c.secType, c.lastTradeDateOrContractMonth, c.strike === 0 ? '0.0' : px(c.strike), c.right, c.multiplier, c.primaryExchange, c.currency, c.localSymbol, c.tradingClass,
    dec(pos), px(marketPrice), px(marketValue), px(avgCost), px(unrealized), px(realized), account,
  ];
}

export function accountUpdateTime(hhmm: string): Fields {
  return ['8', '1', hhmm];
}

export function accountDownloadEnd(account: string): Fields {
  return ['54', '1', account];
}

export function pnl(sv: number, reqId: number, daily: number, unrealized: number, realized: number): Fields {
  const f = ['94', int(reqId), px(daily)];
  if (sv >= SV.UNREALIZED_PNL) f.push(px(unrealized));
  if (sv >= SV.REALIZED_PNL) f.push(px(realized));
  return f;
}

export function pnlSingle(sv: number, reqId: number, pos: number, daily: number, unrealized: number, realized: number, value: number): Fields {
  const f = ['95', int(reqId), dec(pos), px(daily)];
  if (sv >= SV.UNREALIZED_PNL) f.push(px(unrealized));
  if (sv >= SV.REALIZED_PNL) f.push(px(realized));
  f.push(px(value));
  return f;
}

export function marketRule(id: number, increments: { lowEdge: number; increment: number }[]): Fields {
  const f = ['93', int(id), int(increments.length)];
  for (const i of increments) f.push(px(i.lowEdge), px(i.increment));
  return f;
}
