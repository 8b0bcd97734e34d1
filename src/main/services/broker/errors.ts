// Broker errors: every TWS / client error code we meet, mapped to a typed error and one sentence a trader understands.
//
// TWS reports everything — fatal errors, order rejects, farm status — as "error" messages with a code. The
// table below decides what each code means for us (its kind and severity) and what the trader is told; the
// classes let callers branch with `instanceof` instead of comparing numbers.

export type BrokerErrorKind =
  | 'link-lost' // 1100, 2110: TWS lost IBKR's servers
  | 'link-restored-data-lost' // 1101
  | 'link-restored' // 1102
  | 'pacing' // 100
  | 'lines-exhausted' // 101
  | 'duplicate-ticker' // 102
  | 'duplicate-order-id' // 103
  | 'no-security' // 200
  | 'order-rejected' // 201, 110, 413 …
  | 'order-cancelled' // 202
  | 'unknown-ticker' // 300
  | 'invalid-request' // 321, 322
  | 'client-id-in-use' // 326
  | 'not-subscribed' // 354
  | 'delayed-data' // 10167, 10090
  | 'cancel-not-found' // 10147
  | 'cannot-cancel' // 10148, 161
  | 'farm-ok' // 2104, 2106, 2158, 2107, 2108, 2119
  | 'farm-broken' // 2103, 2105, 2157
  | 'notice' // 2100, 399, other 2xxx warnings
  | 'connect-failed' // 502 (client-side)
  | 'not-connected' // 504 (client-side)
  | 'unsupported-version' // 506, 503
  | 'decode' // a reply we could not read
  | 'timeout' // no answer in time (ours)
  | 'link-down' // we refuse to send while the link is lost (ours)
  | 'invalid-order' // refused before sending: bad tick, bad shape (ours)
  | 'disconnected' // the socket closed while a request was pending (ours)
  | 'broker'; // anything else: "broker said …"

export type BrokerSeverity = 'info' | 'warning' | 'error';

export interface ErrorSpec {
  kind: BrokerErrorKind;
  severity: BrokerSeverity;
  /** What the trader reads. `{msg}` is replaced by the broker's own text. */
  sentence: string;
}

/** The code table. Codes not here fall back to "The broker said: …" (severity by range). */
export const ERROR_TABLE: Readonly<Record<number, ErrorSpec>> = {
  100: { kind: 'pacing', severity: 'error', sentence: 'Too many messages were sent to IBKR in one second, so IBKR dropped one. SpreadDesk paces itself to prevent this; please report it.' },
  101: { kind: 'lines-exhausted', severity: 'error', sentence: 'All your market-data lines are in use. Close some quotes, or lower the scanner\'s share, or raise the line budget in Settings if your IBKR account allows more.' },
  102: { kind: 'duplicate-ticker', severity: 'error', sentence: 'A quote request reused an id that is still active at IBKR, so it was not started.' },
  103: { kind: 'duplicate-order-id', severity: 'error', sentence: 'IBKR refused the order because its order id was already used. Nothing was sent; try again.' },
  110: { kind: 'order-rejected', severity: 'error', sentence: 'The limit price is not a valid price increment for this contract.' },
  161: { kind: 'cannot-cancel', severity: 'error', sentence: 'The order cannot be cancelled in its current state.' },
  162: { kind: 'pacing', severity: 'error', sentence: 'IBKR is pacing historical-data requests; the request was refused. Wait a little and retry.' },
  200: { kind: 'no-security', severity: 'error', sentence: 'IBKR does not know this contract. Check the symbol, expiry, strike and right.' },
  201: { kind: 'order-rejected', severity: 'error', sentence: 'IBKR rejected the order: {msg}' },
  202: { kind: 'order-cancelled', severity: 'info', sentence: 'The order was cancelled.' },
  300: { kind: 'unknown-ticker', severity: 'info', sentence: 'IBKR had already dropped that quote subscription; nothing was left to cancel.' },
  321: { kind: 'invalid-request', severity: 'error', sentence: 'IBKR refused the request as invalid: {msg}' },
  322: { kind: 'invalid-request', severity: 'error', sentence: 'IBKR could not process the request: {msg}' },
  326: { kind: 'client-id-in-use', severity: 'error', sentence: 'Another program is already connected to TWS with this client id. Close it, or choose another client id in Settings; SpreadDesk keeps retrying with the same id.' },
  354: { kind: 'not-subscribed', severity: 'warning', sentence: 'Your IBKR account has no real-time market-data subscription for this contract; SpreadDesk switches to delayed data where IBKR allows it.' },
  399: { kind: 'notice', severity: 'info', sentence: 'IBKR order notice: {msg}' },
  413: { kind: 'order-rejected', severity: 'error', sentence: 'IBKR refused the what-if preview: {msg}' },
  502: { kind: 'connect-failed', severity: 'error', sentence: 'Could not reach TWS / IB Gateway. Check that it is running, that "Enable ActiveX and Socket Clients" is on, and that the port matches your profile.' },
  503: { kind: 'unsupported-version', severity: 'error', sentence: 'This TWS / IB Gateway is too old for SpreadDesk. Please update it.' },
  504: { kind: 'not-connected', severity: 'error', sentence: 'Not connected to the broker.' },
  506: { kind: 'unsupported-version', severity: 'error', sentence: 'TWS / IB Gateway answered with an API version SpreadDesk does not support. Please update one of them.' },
  1100: { kind: 'link-lost', severity: 'warning', sentence: 'TWS lost its connection to IBKR. New orders are paused until it comes back; working orders stay at IBKR.' },
  1101: { kind: 'link-restored-data-lost', severity: 'info', sentence: 'TWS is connected to IBKR again, but market data was lost; SpreadDesk is resubscribing your quotes and account streams.' },
  1102: { kind: 'link-restored', severity: 'info', sentence: 'TWS is connected to IBKR again, and no data was lost.' },
  1300: { kind: 'notice', severity: 'warning', sentence: 'TWS changed its API port; reconnect with the new port.' },
  2100: { kind: 'notice', severity: 'info', sentence: 'IBKR replaced an account-updates subscription: {msg}' },
  2103: { kind: 'farm-broken', severity: 'warning', sentence: 'A market-data farm connection is broken; quotes may pause until TWS reconnects it. ({msg})' },
  2104: { kind: 'farm-ok', severity: 'info', sentence: 'Market-data farm connected. ({msg})' },
  2105: { kind: 'farm-broken', severity: 'warning', sentence: 'A historical-data farm connection is broken; it usually recovers by itself. ({msg})' },
  2106: { kind: 'farm-ok', severity: 'info', sentence: 'Historical-data farm connected. ({msg})' },
  2107: { kind: 'farm-ok', severity: 'info', sentence: 'Historical-data farm is idle but available. ({msg})' },
  2108: { kind: 'farm-ok', severity: 'info', sentence: 'Market-data farm is idle but available. ({msg})' },
  2110: { kind: 'link-lost', severity: 'warning', sentence: 'TWS lost its connection to IBKR\'s servers and is restoring it. New orders are paused meanwhile.' },
  2119: { kind: 'farm-ok', severity: 'info', sentence: 'Market-data farm is connecting. ({msg})' },
  2157: { kind: 'farm-broken', severity: 'warning', sentence: 'The security-definition farm connection is broken; contract look-ups may be slow. ({msg})' },
  2158: { kind: 'farm-ok', severity: 'info', sentence: 'Security-definition farm connected. ({msg})' },
  10090: { kind: 'delayed-data', severity: 'warning', sentence: 'Part of this quote needs a market-data subscription you do not have: {msg}' },
  10147: { kind: 'cancel-not-found', severity: 'error', sentence: 'IBKR could not find the order to cancel; it may already have filled or been cancelled.' },
  10148: { kind: 'cannot-cancel', severity: 'error', sentence: 'The order can no longer be cancelled: {msg}' },
  10167: { kind: 'delayed-data', severity: 'warning', sentence: 'No real-time subscription for this contract: showing delayed market data (about 15 minutes old).' },
  10197: { kind: 'notice', severity: 'warning', sentence: 'No market data while another session with your login is live (competing session).' },
};

/** Codes that report farm status: shown to the trader as information, never as an error. */
export const FARM_CODES: ReadonlySet<number> = new Set(Object.entries(ERROR_TABLE).filter(([, s]) => s.kind === 'farm-ok' || s.kind === 'farm-broken').map(([c]) => Number(c)));

export function specFor(code: number | null): ErrorSpec {
  if (code !== null) {
    const known = ERROR_TABLE[code];
    if (known) return known;
    // 2100–2999 are warnings by IB's convention; 1100–1999 are system notices.
    if (code >= 2100 && code < 3000) return { kind: 'notice', severity: 'info', sentence: 'The broker said: {msg}' };
  }
  return { kind: 'broker', severity: 'error', sentence: 'The broker said: {msg}' };
}

/** The trader's sentence for a code and the broker's own text. */
export function userMessage(code: number | null, brokerText: string): string {
  const text = brokerText.trim() || 'no details given';
  return specFor(code).sentence.replace('{msg}', text);
}

export interface BrokerErrorInit {
  code: number | null;
  brokerMessage?: string;
  reqId?: number | null;
  userMessage?: string;
  cause?: unknown;
}

/** The base of every error the broker layer raises; `userMessage` is what a trader should read. */
export class BrokerError extends Error {
  readonly code: number | null;
  readonly kind: BrokerErrorKind;
  readonly severity: BrokerSeverity;
  readonly userMessage: string;
  readonly brokerMessage: string;
  readonly reqId: number | null;

  constructor(kind: BrokerErrorKind, init: BrokerErrorInit) {
    const brokerMessage = init.brokerMessage ?? '';
    const user = init.userMessage ?? userMessage(init.code, brokerMessage);
    super(user, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.code = init.code;
    this.kind = kind;
    this.severity = specFor(init.code).severity;
    this.userMessage = user;
    this.brokerMessage = brokerMessage;
    this.reqId = init.reqId ?? null;
  }
}

export class LinkLostError extends BrokerError {}
export class PacingViolationError extends BrokerError {}
export class LinesExhaustedError extends BrokerError {}
export class DuplicateTickerIdError extends BrokerError {}
export class DuplicateOrderIdError extends BrokerError {}
export class NoSecurityDefinitionError extends BrokerError {}
export class OrderRejectedError extends BrokerError {}
export class OrderCancelledError extends BrokerError {}
export class UnknownTickerIdError extends BrokerError {}
export class InvalidRequestError extends BrokerError {}
export class ClientIdInUseError extends BrokerError {}
export class MarketDataNotSubscribedError extends BrokerError {}
export class CancelNotFoundError extends BrokerError {}
export class CannotCancelError extends BrokerError {}
export class ConnectFailedError extends BrokerError {}
export class NotConnectedError extends BrokerError {}
export class UnsupportedVersionError extends BrokerError {}
export class DecodeError extends BrokerError {}
export class RequestTimeoutError extends BrokerError {}
export class InvalidOrderError extends BrokerError {}
export class DisconnectedError extends BrokerError {}
/** Any code without a dedicated class: the trader reads "The broker said: …". */
export class BrokerSaidError extends BrokerError {}

type BrokerErrorClass = new (kind: BrokerErrorKind, init: BrokerErrorInit) => BrokerError;

const CLASS_BY_KIND: Partial<Record<BrokerErrorKind, BrokerErrorClass>> = {
  'link-lost': LinkLostError,
  'link-down': LinkLostError,
  pacing: PacingViolationError,
  'lines-exhausted': LinesExhaustedError,
  'duplicate-ticker': DuplicateTickerIdError,
  'duplicate-order-id': DuplicateOrderIdError,
  'no-security': NoSecurityDefinitionError,
  'order-rejected': OrderRejectedError,
  'order-cancelled': OrderCancelledError,
  'unknown-ticker': UnknownTickerIdError,
  'invalid-request': InvalidRequestError,
  'client-id-in-use': ClientIdInUseError,
  'not-subscribed': MarketDataNotSubscribedError,
  'cancel-not-found': CancelNotFoundError,
  'cannot-cancel': CannotCancelError,
  'connect-failed': ConnectFailedError,
  'not-connected': NotConnectedError,
  'unsupported-version': UnsupportedVersionError,
  decode: DecodeError,
  timeout: RequestTimeoutError,
  'invalid-order': InvalidOrderError,
  disconnected: DisconnectedError,
};

/** Builds the typed error for a broker (or client-library) error code. */
export function fromBrokerCode(code: number, brokerMessage: string, reqId: number | null = null): BrokerError {
  const spec = specFor(code);
  const Cls = CLASS_BY_KIND[spec.kind] ?? BrokerSaidError;
  return new Cls(spec.kind, { code, brokerMessage, reqId });
}

/** Errors SpreadDesk raises itself (no TWS code). */
export const ours = {
  timeout: (what: string, ms: number, reqId: number | null = null) =>
    new RequestTimeoutError('timeout', { code: null, reqId, userMessage: `The broker did not answer ${what} within ${Math.round(ms / 100) / 10} s.` }),
  notConnected: (detail = 'Not connected to the broker.') => new NotConnectedError('not-connected', { code: 504, userMessage: detail }),
  disconnected: (what: string) => new DisconnectedError('disconnected', { code: null, userMessage: `The connection to the broker closed before ${what} finished.` }),
  linkDown: () =>
    new LinkLostError('link-down', { code: 1100, userMessage: 'New orders are paused: TWS has lost its connection to IBKR. They are allowed again when TWS reports the link restored.' }),
  invalidOrder: (why: string) => new InvalidOrderError('invalid-order', { code: null, userMessage: why }),
  decode: (what: string, cause?: unknown) => new DecodeError('decode', { code: null, userMessage: `A broker message could not be read (${what}); it was skipped.`, cause }),
};

/** Severity for display: farm notices and restores are information, not failures. */
export function isInformational(code: number | null): boolean {
  return specFor(code).severity === 'info';
}

/** What a failure says to the trader: a broker error's sentence, else the error's message. */
export function errorSentence(e: unknown): string {
  if (e && typeof e === 'object' && 'userMessage' in e && typeof e.userMessage === 'string') return e.userMessage;
  return e instanceof Error ? e.message : String(e);
}
