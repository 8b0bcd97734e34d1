// Message layouts at server versions 176, 178, 187 and 193, checked against @stoqey/ib's own decoder and encoder.
import { describe, expect, it } from 'vitest';
import * as enc from './encode';
import { decodeRequest } from './decode';
import { decodeWithStoqey, encodeWithStoqey } from '../../../../tests/support/stoqey-harness';
import { emptyContract, type ContractDetailsOut, type WireContract, type WireOrder } from './types';

const VERSIONS = [176, 178, 187, 193] as const;

const aaplStk: ContractDetailsOut = {
  contract: { ...emptyContract(), conId: 265598, symbol: 'AAPL', secType: 'STK', exchange: 'SMART', primaryExchange: 'NASDAQ', currency: 'USD', localSymbol: 'AAPL', tradingClass: 'NMS' },
  marketName: 'NMS', minTick: 0.01, orderTypes: 'ACTIVETIM,LMT,MKT,STP', validExchanges: 'SMART,NASDAQ', priceMagnifier: 1, underConId: 0, longName: 'APPLE INC',
  contractMonth: '', industry: 'Technology', category: 'Computers', subcategory: 'Computers', timeZoneId: 'US/Eastern',
  tradingHours: '20250102:0400-20250102:2000', liquidHours: '20250102:0930-20250102:1600', evMultiplier: 0, aggGroup: 1, underSymbol: '', underSecType: '',
  marketRuleIds: '26', realExpirationDate: '', lastTradeDate: '', stockType: 'COMMON', minSize: 1, sizeIncrement: 1, suggestedSizeIncrement: 1,
};

const aaplOpt: ContractDetailsOut = {
  ...aaplStk,
  contract: { ...emptyContract(), conId: 700001, symbol: 'AAPL', secType: 'OPT', lastTradeDateOrContractMonth: '20250117', strike: 200, right: 'C', multiplier: '100', exchange: 'SMART', currency: 'USD', localSymbol: 'AAPL  250117C00200000', tradingClass: 'AAPL' },
  marketName: 'AAPL', underConId: 265598, orderTypes: 'LMT,MKT', validExchanges: 'SMART,CBOE', tradingHours: '', liquidHours: '', industry: '', category: '', subcategory: '',
  underSymbol: 'AAPL', underSecType: 'STK', realExpirationDate: '20250117', lastTradeDate: '20250117', stockType: '',
};

function order(over: Partial<WireOrder> = {}): WireOrder {
  return {
    orderId: 1000, action: 'SELL', totalQuantity: 1, orderType: 'LMT', lmtPrice: 4.2, auxPrice: null, tif: 'DAY', ocaGroup: '', account: 'DU1234567', openClose: '', origin: 0,
    orderRef: 'strat-A:leg1', transmit: true, parentId: 0, blockOrder: false, sweepToFill: false, displaySize: null, triggerMethod: 0, outsideRth: false, hidden: false,
    orderComboLegPrices: [], smartComboRoutingParams: [], discretionaryAmt: 0, goodAfterTime: '', goodTillDate: '', modelCode: '', ocaType: 0, rule80A: '', allOrNone: false,
    minQty: null, percentOffset: null, trailStopPrice: null, trailingPercent: null, volatility: null, algoStrategy: '', whatIf: false, unsupported: [], cashQty: null,
    extOperator: '', manualOrderIndicator: null, ...over,
  };
}

const bag: WireContract = {
  ...emptyContract(), symbol: 'AAPL', secType: 'BAG', exchange: 'SMART', currency: 'USD',
  comboLegs: [
    { conId: 700001, ratio: 1, action: 'BUY', exchange: 'SMART', openClose: 0, shortSaleSlot: 0, designatedLocation: '', exemptCode: -1 },
    { conId: 700002, ratio: 1, action: 'SELL', exchange: 'SMART', openClose: 0, shortSaleSlot: 0, designatedLocation: '', exemptCode: -1 },
  ],
  comboLegsDescrip: '700001|1,700002|1',
};

describe.each(VERSIONS)('server → client layouts at sv %i decode cleanly in @stoqey/ib', (sv) => {
  it('connection and simple messages', () => {
    const d = decodeWithStoqey(sv, [
      enc.managedAccounts('DU1234567'), enc.nextValidId(1000), enc.currentTime(1795257642),
      enc.error(sv, -1, 2104, 'Market data farm connection is OK:usfarm'), enc.error(sv, 7, 200, 'No security definition has been found for the request'),
    ]);
    expect(d.errors.map((e) => e.code)).toEqual([200]);
    expect(d.errors[0]?.reqId).toBe(7);
    expect(d.infos).toEqual([{ message: 'Market data farm connection is OK:usfarm', code: 2104 }]);
    expect(d.events.map((e) => e.name)).toEqual(['managedAccounts', 'nextValidId', 'currentTime']);
    expect(d.events[1]?.args).toEqual([1000]);
  });

  it('contractData (STK, OPT) and end', () => {
    const d = decodeWithStoqey(sv, [enc.contractData(sv, 11, aaplStk), enc.contractData(sv, 12, aaplOpt), enc.contractDataEnd(12)]);
    expect(d.errors).toEqual([]);
    const [stk, opt] = d.events.filter((e) => e.name === 'contractDetails').map((e) => e.args[1] as Record<string, unknown> & { contract: Record<string, unknown> });
    expect(stk?.contract).toMatchObject({ conId: 265598, symbol: 'AAPL', secType: 'STK', primaryExch: 'NASDAQ' });
    expect(stk?.stockType).toBe('COMMON');
    expect(opt?.contract).toMatchObject({ conId: 700001, strike: 200, right: 'C', multiplier: 100, lastTradeDateOrContractMonth: '20250117', localSymbol: 'AAPL  250117C00200000' });
    expect(opt).toMatchObject({ underConId: 265598, underSymbol: 'AAPL', realExpirationDate: '20250117', minTick: 0.01 });
    if (sv >= 182) expect(opt?.contract['lastTradeDate']).toBe('20250117');
  });

  it('security definition option parameters', () => {
    const d = decodeWithStoqey(sv, [enc.secDefOptParams(13, 'SMART', 265598, 'AAPL', 100, ['20250117', '20250221'], [190, 200, 210]), enc.secDefOptParamsEnd(13)]);
    expect(d.errors).toEqual([]);
    expect(d.events[0]?.args).toEqual([13, 'SMART', 265598, 'AAPL', 100, ['20250117', '20250221'], [190, 200, 210]]);
    expect(d.events[1]?.name).toBe('securityDefinitionOptionParameterEnd');
  });

  it('market data ticks, option computation and snapshot end', () => {
    const d = decodeWithStoqey(sv, [
      enc.marketDataType(15, 1), enc.tickReqParams(15, 0.01, '9c0001', 3), enc.tickPrice(15, 1, 4.1, 12, 1), enc.tickSize(15, 0, 12),
      enc.tickPrice(15, 2, 4.2, 15, 1), enc.tickSize(15, 8, 1234), enc.tickString(15, 45, '1795257642'), enc.tickGeneric(15, 24, 0.29),
      enc.tickOptionComputation(sv, 15, 13, { impliedVol: 0.31, delta: 0.52, optPrice: 4.15, pvDividend: 0, gamma: 0.03, vega: 0.21, theta: -0.05, undPrice: 201.5 }),
      enc.tickOptionComputation(sv, 15, 10, { impliedVol: null, delta: null, optPrice: null, pvDividend: null, gamma: null, vega: null, theta: null, undPrice: null }),
      enc.tickSnapshotEnd(15),
    ]);
    expect(d.errors).toEqual([]);
    const comps = d.events.filter((e) => e.name === 'tickOptionComputation').map((e) => e.args);
    expect(comps[0]).toEqual([15, 13, 1, 0.31, 0.52, 4.15, 0, 0.03, 0.21, -0.05, 201.5]);
    expect(comps[1]?.slice(3)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined, undefined, undefined]);
    const bidSizes = d.events.filter((e) => e.name === 'tickSize' && e.args[1] === 0);
    expect(bidSizes.map((e) => e.args[2])).toEqual([12]);
    expect(d.events.at(-1)?.name).toBe('tickSnapshotEnd');
  });

  it('openOrder (single, BAG, what-if) and orderStatus', () => {
    const single = enc.openOrder(sv, { order: order(), contract: aaplOpt.contract, clientId: 7, permId: 5000001, state: { status: 'Submitted' } });
    const expected = sv >= 193 ? 133 : sv >= 189 ? 131 : sv >= 187 ? 130 : sv >= 177 ? 127 : 128;
    expect(single.length).toBe(expected);
    const combo = enc.openOrder(sv, {
      order: order({ orderId: 1001, action: 'BUY', orderType: 'LMT', lmtPrice: -1.25, smartComboRoutingParams: [{ tag: 'NonGuaranteed', value: '1' }] }),
      contract: bag, clientId: 7, permId: 5000002, state: { status: 'PreSubmitted' },
    });
    const whatIf = enc.openOrder(sv, {
      order: order({ orderId: 1002, whatIf: true }), contract: bag, clientId: 7, permId: 5000003,
      state: { status: 'PreSubmitted', initMarginBefore: 2000, maintMarginBefore: 2000, equityWithLoanBefore: 100000, initMarginChange: 1000, maintMarginChange: 1000, equityWithLoanChange: -1.5, initMarginAfter: 3000, maintMarginAfter: 3000, equityWithLoanAfter: 99998.5, commission: 1.3, commissionCurrency: 'USD' },
    });
    const status = enc.orderStatus(sv, { orderId: 1000, status: 'Filled', filled: 2, remaining: 0, avgFillPrice: 4.15, permId: 5000001, parentId: 0, lastFillPrice: 4.15, clientId: 7, whyHeld: '', mktCapPrice: 0 });
    const d = decodeWithStoqey(sv, [single, combo, whatIf, status, enc.completedOrdersEnd(), enc.openOrderEnd()]);
    expect(d.errors).toEqual([]);
    const oo = d.events.filter((e) => e.name === 'openOrder').map((e) => e.args as [number, Record<string, unknown>, Record<string, unknown>, Record<string, unknown>]);
    expect(oo[0]?.[2]).toMatchObject({ orderId: 1000, action: 'SELL', totalQuantity: 1, lmtPrice: 4.2, orderRef: 'strat-A:leg1', clientId: 7, permId: 5000001, tif: 'DAY', account: 'DU1234567' });
    expect(oo[0]?.[3]).toMatchObject({ status: 'Submitted' });
    expect(oo[1]?.[1]).toMatchObject({ secType: 'BAG', comboLegsDescription: '700001|1,700002|1' });
    expect((oo[1]?.[1]['comboLegs'] as unknown[]).length).toBe(2);
    expect(oo[1]?.[2]).toMatchObject({ lmtPrice: -1.25, smartComboRoutingParams: [{ tag: 'NonGuaranteed', value: '1' }] });
    expect(oo[2]?.[2]).toMatchObject({ whatIf: true });
    expect(oo[2]?.[3]).toMatchObject({ initMarginChange: 1000, maintMarginChange: 1000, equityWithLoanChange: -1.5, commission: 1.3, commissionCurrency: 'USD' });
    expect(d.events.find((e) => e.name === 'orderStatus')?.args).toEqual([1000, 'Filled', 2, 0, 4.15, 5000001, 0, 4.15, 7, '', 0]);
    expect(d.events.at(-1)?.name).toBe('openOrderEnd');
  });

  it('executions, commission reports, positions, account and P&L', () => {
    const exec = enc.execDetails(sv, {
      reqId: -1, orderId: 1001, contract: aaplOpt.contract, execId: '0000e0d5.1001.01.01', time: '20250102 09:31:05 US/Eastern', account: 'DU1234567', exchange: 'CBOE',
      side: 'BOT', shares: 2, price: 4.15, permId: 5000002, clientId: 7, liquidation: 0, cumQty: 2, avgPrice: 4.15, orderRef: 'strat-A:spread', lastLiquidity: 2,
    });
    const d = decodeWithStoqey(sv, [
      exec, enc.execDetailsEnd(16), enc.commissionReport('0000e0d5.1001.01.01', 1.3, 'USD', null),
      enc.position('DU1234567', aaplOpt.contract, -2, 415.5), enc.positionEnd(),
      enc.accountSummary(17, 'DU1234567', 'NetLiquidation', '100000.00', 'USD'), enc.accountSummaryEnd(17),
      enc.accountValue('NetLiquidation', '100000.00', 'USD', 'DU1234567'),
      enc.portfolioValue(aaplStk.contract, 100, 190, 19000, 185.25, 475, 0, 'DU1234567'), enc.accountUpdateTime('09:31'), enc.accountDownloadEnd('DU1234567'),
      enc.pnl(sv, 18, 120.5, 475, 0), enc.pnlSingle(sv, 19, 100, 35, 475, 0, 19000),
    ]);
    expect(d.errors).toEqual([]);
    const ex = d.events[0]?.args as [number, Record<string, unknown>, Record<string, unknown>];
    expect(ex[0]).toBe(-1);
    expect(ex[2]).toMatchObject({ orderId: 1001, execId: '0000e0d5.1001.01.01', side: 'BOT', shares: 2, price: 4.15, clientId: 7, cumQty: 2, avgPrice: 4.15, orderRef: 'strat-A:spread' });
    const cr = d.events.find((e) => e.name === 'commissionReport')?.args[0] as Record<string, unknown>;
    expect(cr).toMatchObject({ execId: '0000e0d5.1001.01.01', commission: 1.3, currency: 'USD', realizedPNL: undefined });
    expect(d.events.find((e) => e.name === 'position')?.args.slice(2)).toEqual([-2, 415.5]);
    expect(d.events.find((e) => e.name === 'accountSummary')?.args).toEqual([17, 'DU1234567', 'NetLiquidation', '100000.00', 'USD']);
    expect(d.events.find((e) => e.name === 'updatePortfolio')?.args.slice(1)).toEqual([100, 190, 19000, 185.25, 475, 0, 'DU1234567']);
    expect(d.events.find((e) => e.name === 'pnl')?.args).toEqual([18, 120.5, 475, 0]);
    expect(d.events.find((e) => e.name === 'pnlSingle')?.args).toEqual([19, 100, 35, 475, 0, 19000]);
  });
});

describe('byte-exact against the @stoqey/ib capture (sv 193)', () => {
  it('contractData for AAPL STK', () => {
    const captured = '10|11|AAPL|STK|||0||SMART|USD|AAPL|NMS|NMS|265598|0.01||ACTIVETIM,LMT,MKT,STP|SMART,NASDAQ|1|0|APPLE INC|NASDAQ||Technology|Computers|Computers|US/Eastern|20250102:0400-20250102:2000|20250102:0930-20250102:1600||0|0|1|||26||COMMON|1|1|1|0';
    expect(enc.contractData(193, 11, aaplStk).join('|')).toBe(captured);
  });

  it('orderStatus and errors', () => {
    expect(enc.orderStatus(193, { orderId: 1000, status: 'PreSubmitted', filled: 0, remaining: 1, avgFillPrice: 0, permId: 5000001, parentId: 0, lastFillPrice: 0, clientId: 7, whyHeld: '', mktCapPrice: 0 }).join('|')).toBe('3|1000|PreSubmitted|0|1|0.0|5000001|0|0.0|7||0.0');
    expect(enc.error(193, 99999, 10147, 'OrderId 99999 that needs to be cancelled is not found.').join('|')).toBe('4|2|99999|10147|OrderId 99999 that needs to be cancelled is not found.|');
    expect(enc.error(176, -1, 2104, 'ok').length).toBe(6);
    expect(enc.tickOptionComputation(193, 15, 13, { impliedVol: 0.31, delta: 0.52, optPrice: 4.15, pvDividend: 0, gamma: 0.03, vega: 0.21, theta: -0.05, undPrice: 201.5 }).join('|')).toBe('21|15|13|1|0.31|0.52|4.15|0.0|0.03|0.21|-0.05|201.5');
  });
});

describe.each(VERSIONS)('client → server requests at sv %i (encoded by @stoqey/ib)', (sv) => {
  const one = (call: Parameters<typeof encodeWithStoqey>[1]) => {
    const [fields] = encodeWithStoqey(sv, call);
    if (!fields) throw new Error('nothing encoded');
    return decodeRequest(sv, fields);
  };

  it('placeOrder: single option LMT with orderRef', () => {
    const req = one((e) => e.placeOrder(1000, { conId: 700001, symbol: 'AAPL', secType: 'OPT' as never, lastTradeDateOrContractMonth: '20250117', strike: 200, right: 'C' as never, multiplier: 100, exchange: 'SMART', currency: 'USD' }, { action: 'SELL' as never, totalQuantity: 1, orderType: 'LMT' as never, lmtPrice: 4.2, tif: 'DAY' as never, account: 'DU1234567', orderRef: 'strat-A:leg1', transmit: true }));
    expect(req.type).toBe('placeOrder');
    if (req.type !== 'placeOrder') return;
    expect(req.orderId).toBe(1000);
    expect(req.contract).toMatchObject({ conId: 700001, symbol: 'AAPL', secType: 'OPT', strike: 200, right: 'C' });
    expect(req.order).toMatchObject({ action: 'SELL', totalQuantity: 1, orderType: 'LMT', lmtPrice: 4.2, auxPrice: null, tif: 'DAY', orderRef: 'strat-A:leg1', transmit: true, whatIf: false, unsupported: [] });
  });

  it('placeOrder: BAG with NonGuaranteed and what-if', () => {
    const contract = { symbol: 'AAPL', secType: 'BAG' as never, exchange: 'SMART', currency: 'USD', comboLegs: [{ conId: 700001, ratio: 1, action: 'BUY' as never, exchange: 'SMART' }, { conId: 700002, ratio: 1, action: 'SELL' as never, exchange: 'SMART' }] };
    const req = one((e) => e.placeOrder(1002, contract, { action: 'SELL' as never, totalQuantity: 2, orderType: 'LMT' as never, lmtPrice: 1.25, orderRef: 'whatif', transmit: true, whatIf: true, smartComboRoutingParams: [{ tag: 'NonGuaranteed', value: '1' }], ocaGroup: 'g1', ocaType: 1, parentId: 0 }));
    if (req.type !== 'placeOrder') throw new Error(req.type);
    expect(req.contract.comboLegs.map((l) => [l.conId, l.ratio, l.action])).toEqual([[700001, 1, 'BUY'], [700002, 1, 'SELL']]);
    expect(req.order).toMatchObject({ action: 'SELL', totalQuantity: 2, lmtPrice: 1.25, whatIf: true, transmit: true, ocaGroup: 'g1', ocaType: 1, smartComboRoutingParams: [{ tag: 'NonGuaranteed', value: '1' }] });
  });

  it('cancelOrder, reqGlobalCancel and the simple requests', () => {
    expect(one((e) => e.cancelOrder(1000, {}))).toMatchObject({ type: 'cancelOrder', orderId: 1000 });
    expect(one((e) => e.reqGlobalCancel({}))).toEqual({ type: 'reqGlobalCancel' });
    expect(one((e) => e.reqCurrentTime())).toEqual({ type: 'reqCurrentTime' });
    expect(one((e) => e.reqIds(0))).toEqual({ type: 'reqIds', numIds: 0 });
    expect(one((e) => e.reqManagedAccts())).toEqual({ type: 'reqManagedAccts' });
    expect(one((e) => e.reqMarketDataType(3))).toEqual({ type: 'reqMarketDataType', marketDataType: 3 });
    expect(one((e) => e.reqOpenOrders())).toEqual({ type: 'reqOpenOrders' });
    expect(one((e) => e.reqAllOpenOrders())).toEqual({ type: 'reqAllOpenOrders' });
    expect(one((e) => e.reqPositions())).toEqual({ type: 'reqPositions' });
    expect(one((e) => e.cancelMktData(15))).toEqual({ type: 'cancelMktData', reqId: 15 });
    expect(one((e) => e.reqAccountSummary(17, 'All', 'NetLiquidation,BuyingPower'))).toEqual({ type: 'reqAccountSummary', reqId: 17, group: 'All', tags: 'NetLiquidation,BuyingPower' });
    expect(one((e) => e.reqAccountUpdates(true, 'DU1234567'))).toEqual({ type: 'reqAccountUpdates', subscribe: true, account: 'DU1234567' });
    expect(one((e) => e.reqPnL(18, 'DU1234567', ''))).toEqual({ type: 'reqPnL', reqId: 18, account: 'DU1234567', modelCode: '' });
    expect(one((e) => e.reqPnLSingle(19, 'DU1234567', '', 265598))).toEqual({ type: 'reqPnLSingle', reqId: 19, account: 'DU1234567', modelCode: '', conId: 265598 });
    expect(one((e) => e.reqSecDefOptParams(13, 'AAPL', '', 'STK' as never, 265598))).toEqual({ type: 'reqSecDefOptParams', reqId: 13, underlyingSymbol: 'AAPL', futFopExchange: '', underlyingSecType: 'STK', underlyingConId: 265598 });
    expect(one((e) => e.reqExecutions(16, { clientId: 7, symbol: 'AAPL' } as never))).toMatchObject({ type: 'reqExecutions', reqId: 16, filter: { clientId: 7, symbol: 'AAPL' } });
  });

  it('reqContractDetails and reqMktData (single and BAG)', () => {
    expect(one((e) => e.reqContractDetails(12, { symbol: 'AAPL', secType: 'OPT' as never, lastTradeDateOrContractMonth: '20250117', right: 'C' as never, exchange: 'SMART', currency: 'USD' }))).toMatchObject({
      type: 'reqContractDetails', reqId: 12, contract: { symbol: 'AAPL', secType: 'OPT', lastTradeDateOrContractMonth: '20250117', right: 'C', strike: 0 },
    });
    expect(one((e) => e.reqMktData(15, { symbol: 'AAPL', secType: 'OPT' as never, lastTradeDateOrContractMonth: '20250117', strike: 200, right: 'C' as never, multiplier: 100, exchange: 'SMART', currency: 'USD' }, '100,101,106', false, false))).toMatchObject({
      type: 'reqMktData', reqId: 15, genericTicks: '100,101,106', snapshot: false, contract: { strike: 200, right: 'C' },
    });
    const bagReq = one((e) => e.reqMktData(16, { symbol: 'AAPL', secType: 'BAG' as never, exchange: 'SMART', currency: 'USD', comboLegs: [{ conId: 700001, ratio: 1, action: 'BUY' as never, exchange: 'SMART' }, { conId: 700002, ratio: 1, action: 'SELL' as never, exchange: 'SMART' }] }, '', true, false));
    expect(bagReq).toMatchObject({ type: 'reqMktData', reqId: 16, snapshot: true });
    if (bagReq.type === 'reqMktData') expect(bagReq.contract.comboLegs.length).toBe(2);
  });
});

describe('requests captured from the official Python client (sv 187)', () => {
  const parse = (text: string) => decodeRequest(187, text.split('|'));
  it('placeOrder LMT, BAG MKT and what-if; cancel; executions; contract details', () => {
    const lmt = parse('3|1000|0|AAPL|OPT|20250117|200.0|C|100|SMART||USD|||||SELL|1|LMT|4.2||||||0|py-leg|1|0|0|0|0|0|0|0||0|||||||0||-1|0|||0|||0|0||0||||||0|||||0|||||||||||0|||0|0|||0||0|0|0|0||1.7976931348623157e+308|1.7976931348623157e+308|1.7976931348623157e+308|1.7976931348623157e+308|1.7976931348623157e+308|0||||1.7976931348623157e+308|||||0|0|0||2147483647|2147483647|0||||0||2147483647');
    expect(lmt).toMatchObject({ type: 'placeOrder', orderId: 1000, order: { action: 'SELL', totalQuantity: 1, lmtPrice: 4.2, orderRef: 'py-leg', transmit: true, whatIf: false, cashQty: null, unsupported: [] } });
    const bagMkt = parse('3|1001|0|AAPL|BAG||0.0|||SMART||USD|||||BUY|2|MKT|||||||0||1|0|0|0|0|0|0|0|2|700001|1|BUY|SMART|0|0||-1|700002|1|SELL|SMART|0|0||-1|0|1|NonGuaranteed|1||0|||||||0||-1|0|||0|||0|0||0||||||0|||||0|||||||||||0|||0|0|||0||0|0|0|0||1.7976931348623157e+308|1.7976931348623157e+308|1.7976931348623157e+308|1.7976931348623157e+308|1.7976931348623157e+308|0||||1.7976931348623157e+308|||||0|0|0||2147483647|2147483647|0||||0||2147483647');
    expect(bagMkt).toMatchObject({ type: 'placeOrder', orderId: 1001, order: { action: 'BUY', totalQuantity: 2, orderType: 'MKT', lmtPrice: null, smartComboRoutingParams: [{ tag: 'NonGuaranteed', value: '1' }] } });
    const whatIf = parse('3|1002|0|AAPL|BAG||0.0|||SMART||USD|||||SELL|1|LMT|1.25||||||0||1|0|0|0|0|0|0|0|2|700001|1|BUY|SMART|0|0||-1|700002|1|SELL|SMART|0|0||-1|0|0||0|||||||0||-1|0|||0|||0|0||0||||||0|||||0|||||||||||0|||0|0|||1||0|0|0|0||1.7976931348623157e+308|1.7976931348623157e+308|1.7976931348623157e+308|1.7976931348623157e+308|1.7976931348623157e+308|0||||1.7976931348623157e+308|||||0|0|0||2147483647|2147483647|0||||0||2147483647');
    expect(whatIf).toMatchObject({ type: 'placeOrder', order: { whatIf: true, lmtPrice: 1.25 } });
    expect(parse('4|1|1000||||2147483647')).toMatchObject({ type: 'cancelOrder', orderId: 1000 });
    expect(parse('7|3|16|0||||||')).toMatchObject({ type: 'reqExecutions', reqId: 16, filter: { clientId: 0 } });
    expect(parse('9|8|11|0|AAPL|STK||0.0|||SMART||USD|||0|||')).toMatchObject({ type: 'reqContractDetails', reqId: 11, contract: { symbol: 'AAPL', secType: 'STK', exchange: 'SMART' } });
    expect(parse('1|11|15|0|AAPL|OPT|20250117|200.0|C|100|SMART||USD|||0|100,101,106|0|0|')).toMatchObject({ type: 'reqMktData', reqId: 15, genericTicks: '100,101,106' });
  });

  it('malformed requests raise DecodeError carrying the request id', () => {
    expect(() => decodeRequest(193, ['9', '8', 'abc'])).toThrow(/reqId is not an integer/);
    expect(() => decodeRequest(193, ['1', '11', '15', '0', 'AAPL'])).toThrow(expect.objectContaining({ id: 15 }));
    expect(() => decodeRequest(193, ['x'])).toThrow(/Unreadable message id/);
    expect(decodeRequest(193, ['20', '1', '5'])).toMatchObject({ type: 'unsupported', name: 'reqHistoricalData', reqId: 1 });
  });
});
