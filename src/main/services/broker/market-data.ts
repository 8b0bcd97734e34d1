// MarketData: quotes over market-data lines — streaming subscriptions shared per contract, snapshots rotated
// through free lines, and the fall-back to delayed data when TWS says there is no live subscription (354).
import type { Contract } from '@stoqey/ib';
import type { BrokerError } from './errors';
import { ours } from './errors';
import { LineManager, type LineListener, type LinePort, type StreamStatus } from './lines';
import type { Session } from './session';
import { emptyQuote } from './quotes';
import type { Quote, QuoteContract, QuoteListener, QuoteOptions, QuoteSubscription, SnapshotOptions } from './types';
import { safe, toQuoteWire, withTimeout } from './wire';

/** What a market-data line asks for. */
export interface LineSpec {
  contract: Contract;
  genericTicks: string;
}

interface QuoteLineListener extends LineListener {
  onQuote?(q: Quote): void;
}

export class MarketData {
  readonly lines: LineManager<LineSpec>;
  /** 1 = live, 3 = delayed where there is no live subscription. */
  marketDataType: 1 | 3 = 1;
  private readonly streamQuotes = new Map<string, { quote: Quote; subs: number }>();
  private readonly snapshotQuotes = new Map<number, Quote>();

  constructor(private readonly session: Session, lineBudget: number) {
    this.lines = new LineManager<LineSpec>({ budget: lineBudget, port: this.linePort(), timers: session.timers, snapshotTimeoutMs: session.opts.snapshotTimeoutMs });
  }

  private linePort(): LinePort<LineSpec> {
    const session = this.session;
    return {
      nextId: () => session.registry.nextId(),
      request: (reqId, spec, snapshot, priority) => {
        if (snapshot) this.snapshotQuotes.set(reqId, emptyQuote(spec.contract.conId ?? 0));
        const job = session.send(priority, snapshot ? 'snapshot' : 'reqMktData', (api) => api.reqMktData(reqId, spec.contract, snapshot ? '' : spec.genericTicks, snapshot, false));
        // A request dropped by the pacer (disconnect) is handled by the line manager's own disconnect path.
        job.promise.catch(() => undefined);
        return { dropIfQueued: () => job.cancel(), sent: job.promise };
      },
      cancel: (reqId) => session.send('order', 'cancelMktData', (api) => api.cancelMktData(reqId)).promise,
      retired: (reqId) => {
        this.snapshotQuotes.delete(reqId);
      },
    };
  }

  // ——— lifecycle (session hooks) ———

  /** After the handshake: the market-data type chosen earlier, then the lines that lived on the last link. */
  ready(): void {
    if (this.marketDataType !== 1) this.session.send('order', 'reqMarketDataType', (api) => api.reqMarketDataType(this.marketDataType));
    this.lines.connectedAgain();
  }

  dropped(): void {
    this.lines.disconnected();
    this.snapshotQuotes.clear();
  }

  suspend(): Promise<void> {
    return withTimeout(this.lines.suspend(), 2_000);
  }

  /** Applies one inbound tick to the snapshot or stream quote that owns `reqId`. */
  onTick(reqId: number, apply: (q: Quote, now: number) => boolean): void {
    const now = this.session.timers.now();
    const snap = this.snapshotQuotes.get(reqId);
    if (snap) {
      apply(snap, now);
      return;
    }
    const owner = this.lines.ownerOf(reqId);
    if (owner?.kind !== 'stream') return;
    const state = this.streamQuotes.get(owner.key);
    if (!state || !apply(state.quote, now)) return;
    const copy = { ...state.quote };
    for (const l of this.lines.listenersFor(reqId) as QuoteLineListener[]) safe(() => l.onQuote?.(copy));
  }

  /** An error bound to a line: delayed-data notices, the 354 fall-back, or the line's failure. */
  onLineError(id: number, code: number, err: BrokerError, nonFatal: boolean): void {
    if (code === 10167 || code === 10090) {
      this.lines.markDelayed(id, true);
      return;
    }
    if (code === 354 && this.marketDataType === 1) {
      this.useDelayedData();
      this.lines.requeue(id, err);
      return;
    }
    if (code === 300 || nonFatal) return;
    this.lines.failed(id, err);
  }

  private useDelayedData(): void {
    if (this.marketDataType === 3) return;
    this.marketDataType = 3;
    // Type 3 = delayed where there is no subscription, live where there is: safe to set for the whole session.
    this.session.send('order', 'reqMarketDataType', (api) => api.reqMarketDataType(3));
    this.session.notice({ level: 'warn', code: 354, message: 'No real-time market-data subscription for some contracts: SpreadDesk now asks for delayed data where live is unavailable (marked "delayed").', at: this.session.timers.now() });
    this.session.emitStatus();
  }

  subscribeQuote(contract: QuoteContract, listener: QuoteListener = {}, options: QuoteOptions = {}): QuoteSubscription {
    if (!Number.isSafeInteger(contract.conId) || contract.conId <= 0) throw ours.invalidOrder('A quote needs the contract\'s conId; qualify it first.');
    const generic = (options.genericTicks ?? '').replace(/\s+/g, '');
    const key = `${contract.conId}|${contract.exchange ?? 'SMART'}|${generic}`;
    let state = this.streamQuotes.get(key);
    if (!state) {
      state = { quote: emptyQuote(contract.conId), subs: 0 };
      this.streamQuotes.set(key, state);
    }
    state.subs++;
    const holder = state;
    let status: StreamStatus = 'waiting';
    let error: BrokerError | null = null;
    const lineListener: QuoteLineListener = {
      onStatus: (s, d) => {
        status = s;
        error = d.error ?? null;
        if (d.delayed) holder.quote.delayed = true;
        safe(() => listener.onStatus?.(s, error));
      },
      onQuote: (q) => listener.onQuote?.(q),
    };
    const lease = this.lines.acquire(key, { contract: toQuoteWire(contract), genericTicks: generic }, lineListener);
    let released = false;
    return {
      conId: contract.conId,
      get status() {
        return status;
      },
      get error() {
        return error;
      },
      latest: () => (holder.quote.updatedAt === null ? null : { ...holder.quote }),
      release: () => {
        if (released) return;
        released = true;
        lease.release();
        holder.subs--;
        if (holder.subs <= 0 && this.streamQuotes.get(key) === holder) this.streamQuotes.delete(key);
      },
    };
  }

  async snapshotQuote(contract: QuoteContract, options: SnapshotOptions = {}): Promise<Quote> {
    this.session.requireConnected();
    if (!Number.isSafeInteger(contract.conId) || contract.conId <= 0) throw ours.invalidOrder('A quote needs the contract\'s conId; qualify it first.');
    const reqId = await this.lines.snapshot({ contract: toQuoteWire(contract), genericTicks: '' }, options.priority ?? 'scan', options.signal);
    const quote = this.snapshotQuotes.get(reqId) ?? emptyQuote(contract.conId);
    this.snapshotQuotes.delete(reqId);
    return quote;
  }
}
