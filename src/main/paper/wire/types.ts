// Wire-level records: what the exchange reads from and writes to TWS API messages.

export interface ComboLeg {
  conId: number;
  ratio: number;
  action: string;
  exchange: string;
  openClose: number;
  shortSaleSlot: number;
  designatedLocation: string;
  exemptCode: number;
}

/** A contract as it travels in requests and replies. */
export interface WireContract {
  conId: number;
  symbol: string;
  secType: string;
  lastTradeDateOrContractMonth: string;
  strike: number;
  right: string;
  multiplier: string;
  exchange: string;
  primaryExchange: string;
  currency: string;
  localSymbol: string;
  tradingClass: string;
  comboLegs: ComboLeg[];
  comboLegsDescrip: string;
}

export function emptyContract(): WireContract {
  return {
    conId: 0, symbol: '', secType: '', lastTradeDateOrContractMonth: '', strike: 0, right: '', multiplier: '', exchange: '',
    primaryExchange: '', currency: '', localSymbol: '', tradingClass: '', comboLegs: [], comboLegsDescrip: '',
  };
}

export interface ContractDetailsOut {
  contract: WireContract;
  marketName: string;
  minTick: number;
  orderTypes: string;
  validExchanges: string;
  priceMagnifier: number;
  underConId: number;
  longName: string;
  contractMonth: string;
  industry: string;
  category: string;
  subcategory: string;
  timeZoneId: string;
  tradingHours: string;
  liquidHours: string;
  evMultiplier: number;
  aggGroup: number;
  underSymbol: string;
  underSecType: string;
  marketRuleIds: string;
  realExpirationDate: string;
  lastTradeDate: string;
  stockType: string;
  minSize: number;
  sizeIncrement: number;
  suggestedSizeIncrement: number;
}

/** The order fields the exchange reads from placeOrder (and echoes in openOrder). */
export interface WireOrder {
  orderId: number;
  action: string;
  totalQuantity: number;
  orderType: string;
  lmtPrice: number | null;
  auxPrice: number | null;
  tif: string;
  ocaGroup: string;
  account: string;
  openClose: string;
  origin: number;
  orderRef: string;
  transmit: boolean;
  parentId: number;
  blockOrder: boolean;
  sweepToFill: boolean;
  displaySize: number | null;
  triggerMethod: number;
  outsideRth: boolean;
  hidden: boolean;
  orderComboLegPrices: (number | null)[];
  smartComboRoutingParams: { tag: string; value: string }[];
  discretionaryAmt: number;
  goodAfterTime: string;
  goodTillDate: string;
  modelCode: string;
  ocaType: number;
  rule80A: string;
  allOrNone: boolean;
  minQty: number | null;
  percentOffset: number | null;
  trailStopPrice: number | null;
  trailingPercent: number | null;
  volatility: number | null;
  algoStrategy: string;
  whatIf: boolean;
  /** True when the order carried features this exchange does not simulate (conditions, scale, hedge, delta-neutral …). */
  unsupported: string[];
  cashQty: number | null;
  extOperator: string;
  manualOrderIndicator: number | null;
}

export interface OrderStateOut {
  status: string;
  initMarginBefore?: number | null;
  maintMarginBefore?: number | null;
  equityWithLoanBefore?: number | null;
  initMarginChange?: number | null;
  maintMarginChange?: number | null;
  equityWithLoanChange?: number | null;
  initMarginAfter?: number | null;
  maintMarginAfter?: number | null;
  equityWithLoanAfter?: number | null;
  commission?: number | null;
  minCommission?: number | null;
  maxCommission?: number | null;
  commissionCurrency?: string;
  warningText?: string;
}

export interface ExecutionOut {
  reqId: number;
  orderId: number;
  contract: WireContract;
  execId: string;
  time: string;
  account: string;
  exchange: string;
  side: 'BOT' | 'SLD';
  shares: number;
  price: number;
  permId: number;
  clientId: number;
  liquidation: number;
  cumQty: number;
  avgPrice: number;
  orderRef: string;
  lastLiquidity: number;
}
