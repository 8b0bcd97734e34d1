// ReferenceData: contract details and option chains, cached per session endpoint.
//
// Two endpoints (the local paper exchange and a TWS, or two TWS logins) can list different chains under the same
// symbol and conId, so every cache key starts with the endpoint, and a switch of target clears the cache: a
// profile switch never serves the previous exchange's chain.
import { NoSecurityDefinitionError, ours } from './errors';
import type { Session } from './session';
import type { ConnectTarget, ContractQuery, OptionChainParams, OptionRight, QualifiedContract } from './types';
import { describeQuery, endpointOf, toWireContract } from './wire';

const CHAIN_TTL_MS = 3_600_000;

export class ReferenceData {
  private readonly cache = new Map<string, { at: number; value: unknown }>();
  private endpoint = '';

  constructor(private readonly session: Session) {}

  /** Session hook: a new target is being connected. */
  targetChanging(target: ConnectTarget): void {
    const next = `${target.profile}@${endpointOf(target)}`;
    if (next !== this.endpoint) this.cache.clear();
    this.endpoint = next;
  }

  /** Entries held (diagnostics and tests). */
  cacheSize(): number {
    return this.cache.size;
  }

  private cached<T>(key: string, ttlMs: number, load: () => Promise<T>): Promise<T> {
    const fullKey = `${this.endpoint}|${key}`;
    const now = this.session.timers.now();
    const hit = this.cache.get(fullKey);
    if (hit && now - hit.at < ttlMs) return Promise.resolve(hit.value as T);
    return load().then((value) => {
      // Only keep what was loaded from the endpoint still connected.
      if (fullKey.startsWith(`${this.endpoint}|`)) this.cache.set(fullKey, { at: this.session.timers.now(), value });
      return value;
    });
  }

  qualify(query: ContractQuery): Promise<QualifiedContract[]> {
    const contract = toWireContract(query);
    // "No security definition" (200) answers the question — nothing matches — so it is an empty list, not a failure.
    return this.session.request<QualifiedContract, QualifiedContract[]>('contractDetails', 'quote', `the contract details for ${describeQuery(query)}`, (api, reqId) => api.reqContractDetails(reqId, contract), (items) => items).catch((e: unknown) => {
      if (e instanceof NoSecurityDefinitionError) return [];
      throw e;
    });
  }

  optionChainParams(u: { symbol: string; secType: 'STK' | 'IND'; conId: number; exchange?: string }): Promise<OptionChainParams[]> {
    return this.cached(`chain|${u.symbol}|${u.secType}|${u.conId}|${u.exchange ?? ''}`, CHAIN_TTL_MS, () =>
      this.session.request<OptionChainParams, OptionChainParams[]>(
        'secDefOptParams',
        'quote',
        `the option chain of ${u.symbol}`,
        (api, reqId) => api.reqSecDefOptParams(reqId, u.symbol, u.exchange ?? '', u.secType as never, u.conId),
        (rows) => rows,
      ),
    );
  }

  optionContracts(q: { symbol: string; expiry: string; tradingClass?: string; right?: OptionRight; exchange?: string; currency?: string }): Promise<QualifiedContract[]> {
    // YYYYMM asks for a whole contract month in one request (TWS takes a month in lastTradeDateOrContractMonth): a scan
    // over many weekly expiries then spends one message per month instead of one per expiry.
    if (!/^\d{8}$/.test(q.expiry) && !/^\d{6}$/.test(q.expiry)) return Promise.reject(ours.invalidOrder(`Expiry must be YYYYMMDD (or a month, YYYYMM), got "${q.expiry}".`));
    return this.cached(`optc|${q.symbol}|${q.expiry}|${q.tradingClass ?? ''}|${q.right ?? ''}|${q.exchange ?? ''}`, CHAIN_TTL_MS, () =>
      this.qualify({ secType: 'OPT', symbol: q.symbol, expiry: q.expiry, tradingClass: q.tradingClass, right: q.right, exchange: q.exchange ?? 'SMART', currency: q.currency ?? 'USD' }).then((list) =>
        list
          .filter((c) => c.secType === 'OPT' && c.expiry !== null && c.expiry.startsWith(q.expiry) && c.strike !== null && c.right !== null)
          .sort((a, b) => (a.right ?? '').localeCompare(b.right ?? '') || (a.strike ?? 0) - (b.strike ?? 0)),
      ),
    );
  }
}
