// Client → server messages: validated parsing by negotiated server version into typed requests.
// Length (~510 lines): the request union and one case per TWS message, read by server version; placeOrder alone is a long
// run of version-gated fields.
import { isUnsetText } from './fields';
import { type ComboLeg, emptyContract, type WireContract, type WireOrder } from './types';
import { SV } from './versions';

export const OUT = {
  REQ_MKT_DATA: 1, CANCEL_MKT_DATA: 2, PLACE_ORDER: 3, CANCEL_ORDER: 4, REQ_OPEN_ORDERS: 5, REQ_ACCOUNT_DATA: 6, REQ_EXECUTIONS: 7,
  REQ_IDS: 8, REQ_CONTRACT_DATA: 9, REQ_MKT_DEPTH: 10, CANCEL_MKT_DEPTH: 11, REQ_NEWS_BULLETINS: 12, CANCEL_NEWS_BULLETINS: 13,
  SET_SERVER_LOGLEVEL: 14, REQ_AUTO_OPEN_ORDERS: 15, REQ_ALL_OPEN_ORDERS: 16, REQ_MANAGED_ACCTS: 17, REQ_HISTORICAL_DATA: 20,
  EXERCISE_OPTIONS: 21, CANCEL_HISTORICAL_DATA: 25, REQ_CURRENT_TIME: 49, REQ_REAL_TIME_BARS: 50, CANCEL_REAL_TIME_BARS: 51,
  REQ_CALC_IMPLIED_VOLAT: 54, REQ_CALC_OPTION_PRICE: 55, CANCEL_CALC_IMPLIED_VOLAT: 56, CANCEL_CALC_OPTION_PRICE: 57,
  REQ_GLOBAL_CANCEL: 58, REQ_MARKET_DATA_TYPE: 59, REQ_POSITIONS: 61, REQ_ACCOUNT_SUMMARY: 62, CANCEL_ACCOUNT_SUMMARY: 63,
  CANCEL_POSITIONS: 64, START_API: 71, REQ_SEC_DEF_OPT_PARAMS: 78, REQ_MATCHING_SYMBOLS: 81, REQ_HEAD_TIMESTAMP: 87,
  REQ_POSITIONS_MULTI: 74, CANCEL_POSITIONS_MULTI: 75, REQ_ACCOUNT_UPDATES_MULTI: 76, CANCEL_ACCOUNT_UPDATES_MULTI: 77,
  REQ_MARKET_RULE: 91, REQ_PNL: 92, CANCEL_PNL: 93, REQ_PNL_SINGLE: 94, CANCEL_PNL_SINGLE: 95, REQ_COMPLETED_ORDERS: 99,
} as const;

/** A request that could not be read; `id` is the request/order id when it was readable. */
export class DecodeError extends Error {
  constructor(
    message: string,
    readonly id: number = -1,
  ) {
    super(message);
  }
}

/** Reads fields in order with TWS's conventions for empty and unset values. */
export class FieldReader {
  private i = 0;
  constructor(
    private readonly fields: readonly string[],
    private readonly what: string,
    public id = -1,
  ) {}

  get remaining(): number {
    return this.fields.length - this.i;
  }

  private take(name: string): string {
    const v = this.fields[this.i];
    if (v === undefined) throw new DecodeError(`${this.what}: missing field ${name}`, this.id);
    this.i++;
    return v;
  }

  str(name: string): string {
    return this.take(name);
  }

  /** Optional trailing string: "" when the client did not send it. */
  strOpt(): string {
    const v = this.fields[this.i];
    if (v === undefined) return '';
    this.i++;
    return v;
  }

  int(name: string): number {
    const s = this.take(name).trim();
    if (s === '') return 0;
    if (!/^[-+]?\d+$/.test(s)) throw new DecodeError(`${this.what}: ${name} is not an integer ("${s}")`, this.id);
    const n = Number(s);
    if (!Number.isSafeInteger(n)) throw new DecodeError(`${this.what}: ${name} out of range`, this.id);
    return n;
  }

  /** An integer where unset sentinels mean null. */
  intOrNull(name: string): number | null {
    const s = this.take(name).trim();
    if (isUnsetText(s)) return null;
    if (!/^[-+]?\d+$/.test(s)) throw new DecodeError(`${this.what}: ${name} is not an integer ("${s}")`, this.id);
    return Number(s);
  }

  dbl(name: string): number {
    const s = this.take(name).trim();
    if (s === '') return 0;
    const n = Number(s);
    if (!Number.isFinite(n)) throw new DecodeError(`${this.what}: ${name} is not a number ("${s}")`, this.id);
    return n;
  }

  dblOrNull(name: string): number | null {
    const s = this.take(name).trim();
    if (isUnsetText(s)) return null;
    const n = Number(s);
    if (!Number.isFinite(n)) throw new DecodeError(`${this.what}: ${name} is not a number ("${s}")`, this.id);
    if (n >= 1e300) return null;
    return n;
  }

  bool(name: string): boolean {
    const s = this.take(name).trim().toLowerCase();
    if (s === '' || s === '0' || s === 'false') return false;
    if (s === '1' || s === 'true') return true;
    const n = Number(s);
    if (!Number.isFinite(n)) throw new DecodeError(`${this.what}: ${name} is not a boolean ("${s}")`, this.id);
    return n !== 0;
  }
}

export type Request =
  | { type: 'startApi'; clientId: number; capabilities: string }
  | { type: 'reqCurrentTime' }
  | { type: 'reqIds'; numIds: number }
  | { type: 'reqManagedAccts' }
  | { type: 'reqContractDetails'; reqId: number; contract: WireContract; includeExpired: boolean; secIdType: string; secId: string }
  | { type: 'reqSecDefOptParams'; reqId: number; underlyingSymbol: string; futFopExchange: string; underlyingSecType: string; underlyingConId: number }
  | { type: 'reqMarketDataType'; marketDataType: number }
  | { type: 'reqMktData'; reqId: number; contract: WireContract; genericTicks: string; snapshot: boolean; regulatorySnapshot: boolean; deltaNeutral: boolean }
  | { type: 'cancelMktData'; reqId: number }
  | { type: 'placeOrder'; orderId: number; contract: WireContract; order: WireOrder }
  | { type: 'cancelOrder'; orderId: number; manualOrderCancelTime: string }
  | { type: 'reqGlobalCancel' }
  | { type: 'reqOpenOrders' }
  | { type: 'reqAllOpenOrders' }
  | { type: 'reqAutoOpenOrders'; autoBind: boolean }
  | { type: 'reqExecutions'; reqId: number; filter: { clientId: number; acctCode: string; time: string; symbol: string; secType: string; exchange: string; side: string } }
  | { type: 'reqPositions' }
  | { type: 'cancelPositions' }
  | { type: 'reqAccountSummary'; reqId: number; group: string; tags: string }
  | { type: 'cancelAccountSummary'; reqId: number }
  | { type: 'reqAccountUpdates'; subscribe: boolean; account: string }
  | { type: 'reqPositionsMulti'; reqId: number; account: string; modelCode: string }
  | { type: 'cancelPositionsMulti'; reqId: number }
  | { type: 'reqAccountUpdatesMulti'; reqId: number; account: string; modelCode: string; ledgerAndNLV: boolean }
  | { type: 'cancelAccountUpdatesMulti'; reqId: number }
  | { type: 'reqPnL'; reqId: number; account: string; modelCode: string }
  | { type: 'cancelPnL'; reqId: number }
  | { type: 'reqPnLSingle'; reqId: number; account: string; modelCode: string; conId: number }
  | { type: 'cancelPnLSingle'; reqId: number }
  | { type: 'reqMarketRule'; marketRuleId: number }
  | { type: 'reqCompletedOrders'; apiOnly: boolean }
  | { type: 'unsupported'; msgId: number; reqId: number; name: string };

function readContractHead(r: FieldReader, withConId = true): WireContract {
  const c = emptyContract();
  if (withConId) c.conId = r.int('conId');
  c.symbol = r.str('symbol');
  c.secType = r.str('secType').toUpperCase();
  c.lastTradeDateOrContractMonth = r.str('lastTradeDateOrContractMonth');
  c.strike = r.dblOrNull('strike') ?? 0;
  c.right = r.str('right').toUpperCase();
  c.multiplier = r.str('multiplier');
  c.exchange = r.str('exchange').toUpperCase();
  c.primaryExchange = r.str('primaryExch').toUpperCase();
  c.currency = r.str('currency').toUpperCase();
  c.localSymbol = r.str('localSymbol');
  c.tradingClass = r.str('tradingClass').toUpperCase();
  return c;
}

/** Messages whose request id sits right after the version field: used to address "not supported" errors. */
const UNSUPPORTED_NAMES: Record<number, string> = {
  [OUT.REQ_MKT_DEPTH]: 'reqMktDepth', [OUT.CANCEL_MKT_DEPTH]: 'cancelMktDepth', [OUT.REQ_NEWS_BULLETINS]: 'reqNewsBulletins',
  [OUT.CANCEL_NEWS_BULLETINS]: 'cancelNewsBulletins', [OUT.SET_SERVER_LOGLEVEL]: 'setServerLogLevel', [OUT.REQ_HISTORICAL_DATA]: 'reqHistoricalData',
  [OUT.EXERCISE_OPTIONS]: 'exerciseOptions', [OUT.CANCEL_HISTORICAL_DATA]: 'cancelHistoricalData', [OUT.REQ_REAL_TIME_BARS]: 'reqRealTimeBars',
  [OUT.CANCEL_REAL_TIME_BARS]: 'cancelRealTimeBars', [OUT.REQ_CALC_IMPLIED_VOLAT]: 'calculateImpliedVolatility', [OUT.REQ_CALC_OPTION_PRICE]: 'calculateOptionPrice',
  [OUT.CANCEL_CALC_IMPLIED_VOLAT]: 'cancelCalculateImpliedVolatility', [OUT.CANCEL_CALC_OPTION_PRICE]: 'cancelCalculateOptionPrice',
  [OUT.REQ_MATCHING_SYMBOLS]: 'reqMatchingSymbols', [OUT.REQ_HEAD_TIMESTAMP]: 'reqHeadTimestamp',
};

/** Where the request id sits for unsupported messages (index into fields), when it has one. */
const REQ_ID_INDEX: Record<number, number> = {
  [OUT.REQ_MKT_DEPTH]: 2, [OUT.CANCEL_MKT_DEPTH]: 2, [OUT.REQ_HISTORICAL_DATA]: 1, [OUT.CANCEL_HISTORICAL_DATA]: 2, [OUT.REQ_REAL_TIME_BARS]: 2,
  [OUT.CANCEL_REAL_TIME_BARS]: 2, [OUT.REQ_CALC_IMPLIED_VOLAT]: 2, [OUT.REQ_CALC_OPTION_PRICE]: 2, [OUT.CANCEL_CALC_IMPLIED_VOLAT]: 2,
  [OUT.CANCEL_CALC_OPTION_PRICE]: 2, [OUT.REQ_MATCHING_SYMBOLS]: 1, [OUT.REQ_HEAD_TIMESTAMP]: 1, [OUT.EXERCISE_OPTIONS]: 2,
};

/** Parses one client message at a negotiated server version. Throws DecodeError on malformed input. */
export function decodeRequest(sv: number, fields: readonly string[]): Request {
  const head = fields[0];
  if (head === undefined || !/^\d+$/.test(head.trim())) throw new DecodeError(`Unreadable message id "${head ?? ''}"`);
  const msgId = Number(head);
  const r = new FieldReader(fields.slice(1), `message ${msgId}`);
  switch (msgId) {
    case OUT.START_API: {
      r.int('version');
      const clientId = r.int('clientId');
      return { type: 'startApi', clientId, capabilities: r.strOpt() };
    }
    case OUT.REQ_CURRENT_TIME:
      r.int('version');
      return { type: 'reqCurrentTime' };
    case OUT.REQ_IDS:
      r.int('version');
      return { type: 'reqIds', numIds: r.remaining > 0 ? r.int('numIds') : 1 };
    case OUT.REQ_MANAGED_ACCTS:
      r.int('version');
      return { type: 'reqManagedAccts' };
    case OUT.REQ_CONTRACT_DATA: {
      r.int('version');
      const reqId = r.int('reqId');
      r.id = reqId;
      const contract = readContractHead(r);
      const includeExpired = r.bool('includeExpired');
      const secIdType = r.str('secIdType');
      const secId = r.str('secId');
      if (sv >= SV.BOND_ISSUERID) r.strOpt(); // issuerId
      return { type: 'reqContractDetails', reqId, contract, includeExpired, secIdType, secId };
    }
    case OUT.REQ_SEC_DEF_OPT_PARAMS: {
      const reqId = r.int('reqId');
      r.id = reqId;
      return {
        type: 'reqSecDefOptParams', reqId, underlyingSymbol: r.str('underlyingSymbol').toUpperCase(), futFopExchange: r.str('futFopExchange').toUpperCase(),
        underlyingSecType: r.str('underlyingSecType').toUpperCase(), underlyingConId: r.int('underlyingConId'),
      };
    }
    case OUT.REQ_MARKET_DATA_TYPE:
      r.int('version');
      return { type: 'reqMarketDataType', marketDataType: r.int('marketDataType') };
    case OUT.REQ_MKT_DATA: {
      r.int('version');
      const reqId = r.int('reqId');
      r.id = reqId;
      const contract = readContractHead(r);
      if (contract.secType === 'BAG') {
        const n = r.int('comboLegsCount');
        if (n < 0 || n > 16) throw new DecodeError('reqMktData: bad combo leg count', reqId);
        for (let i = 0; i < n; i++) {
          contract.comboLegs.push({ conId: r.int('leg.conId'), ratio: r.int('leg.ratio'), action: r.str('leg.action').toUpperCase(), exchange: r.str('leg.exchange'), openClose: 0, shortSaleSlot: 0, designatedLocation: '', exemptCode: -1 });
        }
      }
      const deltaNeutral = r.bool('deltaNeutral');
      if (deltaNeutral) {
        r.int('dn.conId');
        r.dbl('dn.delta');
        r.dbl('dn.price');
      }
      const genericTicks = r.str('genericTickList');
      const snapshot = r.bool('snapshot');
      const regulatorySnapshot = r.remaining > 0 ? r.bool('regulatorySnapshot') : false;
      r.strOpt(); // mktDataOptions
      return { type: 'reqMktData', reqId, contract, genericTicks, snapshot, regulatorySnapshot, deltaNeutral };
    }
    case OUT.CANCEL_MKT_DATA:
      r.int('version');
      return { type: 'cancelMktData', reqId: r.int('reqId') };
    case OUT.PLACE_ORDER:
      return decodePlaceOrder(sv, r);
    case OUT.CANCEL_ORDER: {
      if (sv < SV.CME_TAGGING_FIELDS) r.int('version');
      const orderId = r.int('orderId');
      const manualOrderCancelTime = sv >= SV.MANUAL_ORDER_TIME ? r.strOpt() : '';
      return { type: 'cancelOrder', orderId, manualOrderCancelTime };
    }
    case OUT.REQ_GLOBAL_CANCEL:
      return { type: 'reqGlobalCancel' };
    case OUT.REQ_OPEN_ORDERS:
      return { type: 'reqOpenOrders' };
    case OUT.REQ_ALL_OPEN_ORDERS:
      return { type: 'reqAllOpenOrders' };
    case OUT.REQ_AUTO_OPEN_ORDERS:
      r.int('version');
      return { type: 'reqAutoOpenOrders', autoBind: r.bool('autoBind') };
    case OUT.REQ_EXECUTIONS: {
      r.int('version');
      const reqId = r.int('reqId');
      r.id = reqId;
      const filter = {
        clientId: r.remaining > 0 ? r.int('clientId') : 0,
        acctCode: r.strOpt(),
        time: r.strOpt(),
        symbol: r.strOpt().toUpperCase(),
        secType: r.strOpt().toUpperCase(),
        exchange: r.strOpt().toUpperCase(),
        side: r.strOpt().toUpperCase(),
      };
      return { type: 'reqExecutions', reqId, filter };
    }
    case OUT.REQ_POSITIONS:
      return { type: 'reqPositions' };
    case OUT.CANCEL_POSITIONS:
      return { type: 'cancelPositions' };
    case OUT.REQ_ACCOUNT_SUMMARY: {
      r.int('version');
      const reqId = r.int('reqId');
      r.id = reqId;
      return { type: 'reqAccountSummary', reqId, group: r.str('group'), tags: r.str('tags') };
    }
    case OUT.CANCEL_ACCOUNT_SUMMARY:
      r.int('version');
      return { type: 'cancelAccountSummary', reqId: r.int('reqId') };
    case OUT.REQ_ACCOUNT_DATA: {
      r.int('version');
      const subscribe = r.bool('subscribe');
      return { type: 'reqAccountUpdates', subscribe, account: r.strOpt() };
    }
    case OUT.REQ_POSITIONS_MULTI: {
      r.int('version');
      const reqId = r.int('reqId');
      r.id = reqId;
      return { type: 'reqPositionsMulti', reqId, account: r.strOpt(), modelCode: r.strOpt() };
    }
    case OUT.CANCEL_POSITIONS_MULTI:
      r.int('version');
      return { type: 'cancelPositionsMulti', reqId: r.int('reqId') };
    case OUT.REQ_ACCOUNT_UPDATES_MULTI: {
      r.int('version');
      const reqId = r.int('reqId');
      r.id = reqId;
      const account = r.strOpt();
      const modelCode = r.strOpt();
      return { type: 'reqAccountUpdatesMulti', reqId, account, modelCode, ledgerAndNLV: r.remaining > 0 ? r.bool('ledgerAndNLV') : false };
    }
    case OUT.CANCEL_ACCOUNT_UPDATES_MULTI:
      r.int('version');
      return { type: 'cancelAccountUpdatesMulti', reqId: r.int('reqId') };
    case OUT.REQ_PNL: {
      const reqId = r.int('reqId');
      r.id = reqId;
      return { type: 'reqPnL', reqId, account: r.str('account'), modelCode: r.strOpt() };
    }
    case OUT.CANCEL_PNL:
      return { type: 'cancelPnL', reqId: r.int('reqId') };
    case OUT.REQ_PNL_SINGLE: {
      const reqId = r.int('reqId');
      r.id = reqId;
      return { type: 'reqPnLSingle', reqId, account: r.str('account'), modelCode: r.str('modelCode'), conId: r.int('conId') };
    }
    case OUT.CANCEL_PNL_SINGLE:
      return { type: 'cancelPnLSingle', reqId: r.int('reqId') };
    case OUT.REQ_MARKET_RULE:
      return { type: 'reqMarketRule', marketRuleId: r.int('marketRuleId') };
    case OUT.REQ_COMPLETED_ORDERS:
      return { type: 'reqCompletedOrders', apiOnly: r.remaining > 0 ? r.bool('apiOnly') : false };
    default: {
      const name = UNSUPPORTED_NAMES[msgId];
      const idx = REQ_ID_INDEX[msgId];
      const raw = idx !== undefined ? fields[idx] : undefined;
      const reqId = raw !== undefined && /^-?\d+$/.test(raw) ? Number(raw) : -1;
      return { type: 'unsupported', msgId, reqId, name: name ?? `message id ${msgId}` };
    }
  }
}

function decodePlaceOrder(sv: number, r: FieldReader): Request {
  if (sv < SV.ORDER_CONTAINER) r.int('version');
  const orderId = r.int('orderId');
  r.id = orderId;
  const contract = readContractHead(r);
  r.str('secIdType');
  r.str('secId');
  const unsupported: string[] = [];
  const action = r.str('action').toUpperCase();
  const totalQuantity = r.dbl('totalQuantity');
  const orderType = r.str('orderType').toUpperCase();
  const lmtPrice = r.dblOrNull('lmtPrice');
  const auxPrice = r.dblOrNull('auxPrice');
  const tif = r.str('tif').toUpperCase();
  const ocaGroup = r.str('ocaGroup');
  const account = r.str('account');
  const openClose = r.str('openClose');
  const origin = r.int('origin');
  const orderRef = r.str('orderRef');
  const transmit = r.bool('transmit');
  const parentId = r.int('parentId');
  const blockOrder = r.bool('blockOrder');
  const sweepToFill = r.bool('sweepToFill');
  const displaySize = r.intOrNull('displaySize');
  const triggerMethod = r.int('triggerMethod');
  const outsideRth = r.bool('outsideRth');
  const hidden = r.bool('hidden');
  const orderComboLegPrices: (number | null)[] = [];
  const smartComboRoutingParams: { tag: string; value: string }[] = [];
  if (contract.secType === 'BAG') {
    const n = r.int('comboLegsCount');
    if (n < 0 || n > 16) throw new DecodeError('placeOrder: bad combo leg count', orderId);
    for (let i = 0; i < n; i++) {
      const leg: ComboLeg = {
        conId: r.int('leg.conId'), ratio: r.int('leg.ratio'), action: r.str('leg.action').toUpperCase(), exchange: r.str('leg.exchange'),
        openClose: r.int('leg.openClose'), shortSaleSlot: r.int('leg.shortSaleSlot'), designatedLocation: r.str('leg.designatedLocation'), exemptCode: r.intOrNull('leg.exemptCode') ?? -1,
      };
      contract.comboLegs.push(leg);
    }
    const m = r.int('orderComboLegsCount');
    if (m < 0 || m > 16) throw new DecodeError('placeOrder: bad order combo leg count', orderId);
    for (let i = 0; i < m; i++) orderComboLegPrices.push(r.dblOrNull('orderComboLeg.price'));
    const p = r.int('smartComboRoutingParamsCount');
    if (p < 0 || p > 64) throw new DecodeError('placeOrder: bad smart combo routing params count', orderId);
    for (let i = 0; i < p; i++) smartComboRoutingParams.push({ tag: r.str('tag'), value: r.str('value') });
  }
  r.str('sharesAllocation');
  const discretionaryAmt = r.dblOrNull('discretionaryAmt') ?? 0;
  const goodAfterTime = r.str('goodAfterTime');
  const goodTillDate = r.str('goodTillDate');
  r.str('faGroup');
  r.str('faMethod');
  r.str('faPercentage');
  if (sv < SV.FA_PROFILE_DESUPPORT) r.str('faProfile');
  const modelCode = r.str('modelCode');
  r.int('shortSaleSlot');
  r.str('designatedLocation');
  r.intOrNull('exemptCode');
  const ocaType = r.int('ocaType');
  const rule80A = r.str('rule80A');
  r.str('settlingFirm');
  const allOrNone = r.bool('allOrNone');
  const minQty = r.intOrNull('minQty');
  const percentOffset = r.dblOrNull('percentOffset');
  r.bool('eTradeOnly');
  r.bool('firmQuoteOnly');
  r.dblOrNull('nbboPriceCap');
  r.intOrNull('auctionStrategy');
  r.dblOrNull('startingPrice');
  r.dblOrNull('stockRefPrice');
  r.dblOrNull('delta');
  r.dblOrNull('stockRangeLower');
  r.dblOrNull('stockRangeUpper');
  r.bool('overridePercentageConstraints');
  const volatility = r.dblOrNull('volatility');
  r.intOrNull('volatilityType');
  const dnType = r.str('deltaNeutralOrderType');
  r.dblOrNull('deltaNeutralAuxPrice');
  if (dnType !== '' && dnType.toUpperCase() !== 'NONE') {
    unsupported.push('delta-neutral orders');
    for (let i = 0; i < 8; i++) r.str('deltaNeutral');
  }
  r.intOrNull('continuousUpdate');
  r.intOrNull('referencePriceType');
  const trailStopPrice = r.dblOrNull('trailStopPrice');
  const trailingPercent = r.dblOrNull('trailingPercent');
  r.intOrNull('scaleInitLevelSize');
  r.intOrNull('scaleSubsLevelSize');
  const scaleInc = r.dblOrNull('scalePriceIncrement');
  if (scaleInc !== null && scaleInc > 0) {
    unsupported.push('scale orders');
    for (let i = 0; i < 7; i++) r.str('scale');
  }
  r.str('scaleTable');
  r.str('activeStartTime');
  r.str('activeStopTime');
  const hedgeType = r.str('hedgeType');
  if (hedgeType !== '') {
    unsupported.push('hedge orders');
    r.str('hedgeParam');
  }
  r.bool('optOutSmartRouting');
  r.str('clearingAccount');
  r.str('clearingIntent');
  r.bool('notHeld');
  if (r.bool('deltaNeutralContract')) {
    r.int('dnc.conId');
    r.dbl('dnc.delta');
    r.dbl('dnc.price');
  }
  const algoStrategy = r.str('algoStrategy');
  if (algoStrategy !== '') {
    unsupported.push(`algo ${algoStrategy}`);
    const n = r.int('algoParamsCount');
    for (let i = 0; i < n; i++) {
      r.str('tag');
      r.str('value');
    }
  }
  r.str('algoId');
  const whatIf = r.bool('whatIf');
  // The remaining fields (misc options, conditions, adjusted orders, MiFID, CME tags …) do not change what
  // this exchange simulates; they are read leniently so an unusual tail cannot make a valid order fail.
  let cashQty: number | null = null;
  let extOperator = '';
  let manualOrderIndicator: number | null = null;
  try {
    r.str('orderMiscOptions');
    r.bool('solicited');
    r.bool('randomizeSize');
    r.bool('randomizePrice');
    if (orderType === 'PEG BENCH') for (let i = 0; i < 5; i++) r.str('pegBench');
    const nCond = r.int('conditionsCount');
    if (nCond > 0) unsupported.push('order conditions');
  } catch {
    // tolerate truncated tails
  }
  if (unsupported.includes('order conditions')) {
    // Conditions make the tail variable-length; the fields after them are not needed.
  } else {
    try {
      r.str('adjustedOrderType');
      r.dblOrNull('triggerPrice');
      r.dblOrNull('lmtPriceOffset');
      r.dblOrNull('adjustedStopPrice');
      r.dblOrNull('adjustedStopLimitPrice');
      r.dblOrNull('adjustedTrailingAmount');
      r.intOrNull('adjustableTrailingUnit');
      extOperator = r.str('extOperator');
      r.str('softDollarTierName');
      r.str('softDollarTierValue');
      cashQty = r.dblOrNull('cashQty');
      if (cashQty !== null) unsupported.push('cash quantity');
      if (sv >= SV.CME_TAGGING_FIELDS && r.remaining > 0) {
        const raw = [...Array(r.remaining).keys()].map(() => r.strOpt());
        const last = raw[raw.length - 1] ?? '';
        manualOrderIndicator = /^-?\d+$/.test(last) && last !== '2147483647' ? Number(last) : null;
      }
    } catch {
      // tolerate truncated tails
    }
  }
  if (contract.secType !== 'BAG' && contract.comboLegs.length > 0) throw new DecodeError('placeOrder: combo legs on a non-BAG contract', orderId);
  const order: WireOrder = {
    orderId, action, totalQuantity, orderType, lmtPrice, auxPrice, tif, ocaGroup, account, openClose, origin, orderRef, transmit, parentId,
    blockOrder, sweepToFill, displaySize, triggerMethod, outsideRth, hidden, orderComboLegPrices, smartComboRoutingParams, discretionaryAmt,
    goodAfterTime, goodTillDate, modelCode, ocaType, rule80A, allOrNone, minQty, percentOffset, trailStopPrice, trailingPercent, volatility,
    algoStrategy, whatIf, unsupported, cashQty, extOperator, manualOrderIndicator,
  };
  return { type: 'placeOrder', orderId, contract, order };
}
