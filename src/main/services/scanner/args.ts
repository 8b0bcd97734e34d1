// Command-line arguments of `npm run scan`: parsed into a validated scan request and connection settings.
import { ScanRequest, type ScanFilters, type ScanRequestParsed, type SpreadKind } from '../../../core/contract';
import { issueSentence, type Issue } from '../../transport/issues';

export const SCAN_USAGE = `Usage: npm run scan -- --symbols SPY,QQQ [options]

Connection
  --host H               TWS / IB Gateway / paper exchange host (default 127.0.0.1)
  --port N               its API port (default 7497)
  --client-id N          API client id (default 77)
  --timeout S            give up after S seconds (default 600)

What to scan
  --symbols A,B          watchlist (required)
  --kind K               credit | debit | all, or a list of bull-put,bear-call,bull-call,bear-put (default credit)
  --dte A-B              calendar days to expiry (default 0-45)
  --delta A-B            short-leg |delta| band, e.g. 0.15-0.30
  --width A-B            width in strike points, e.g. 1-10 (either end may be empty: 2- or -10)
  --width-pct A-B        width as % of the underlying price
  --min-credit X         credit spreads: minimum net credit per share
  --max-debit X          debit spreads: maximum net debit per share
  --min-credit-width X   credit ÷ width minimum, as %
  --max-debit-width X    debit ÷ width maximum, as %
  --min-pop X            probability of profit minimum, %
  --min-ev X             expected value minimum, $ per spread
  --min-ror X            return on risk minimum, %
  --max-leg-spread X     each leg's bid-ask maximum, $
  --max-leg-spread-pct X each leg's bid-ask maximum, % of its mid
  --min-oi N             each leg's open interest minimum
  --min-volume N         each leg's volume minimum
  --max-age S            each leg's quote age maximum, seconds
  --max-exit-cost X      block when closing at today's spreads costs more than X % of max loss
  --score S              ror | pop | ev | edge (default ror)
  --basis B              mid | natural (default mid)
  --probability M        lognormal | smile: the model of a pop or ev score (default lognormal)
  --drift X              annual drift for POP/EV, % (default: risk-neutral)
  --top N                rows overall (default 50)
  --top-per-symbol N     rows kept per symbol (default: --top)
  --min-per-symbol N     per-symbol quota in the top: each symbol with candidates keeps its best N (default 3; 0 = by score alone)
  --mode M               guided (default: a sparse sample, then only the legs that can reach the top) | exhaustive
  --what-if-top N        IBKR's what-if (margin change, commission) for the best N rows (default 10; 0 = off; needs a session that may trade)

Output
  --json                 ranked rows as JSON on stdout (progress and timings go to stderr)
  --dump-chain FILE      also write the chain snapshots, model inputs and rows to FILE, to recompute any row`;

export interface ScanCliOptions {
  host: string;
  port: number;
  clientId: number;
  timeoutSec: number;
  json: boolean;
  dumpChain: string | null;
  request: ScanRequestParsed;
}

export type ParseResult = { ok: true; options: ScanCliOptions } | { ok: false; help: boolean; message: string };

const FLAGS = new Set([
  'host', 'port', 'client-id', 'timeout', 'symbols', 'kind', 'dte', 'delta', 'width', 'width-pct', 'min-credit', 'max-debit',
  'min-credit-width', 'max-debit-width', 'min-pop', 'min-ev', 'min-ror', 'max-leg-spread', 'max-leg-spread-pct', 'min-oi',
  'min-volume', 'max-age', 'max-exit-cost', 'score', 'basis', 'probability', 'drift', 'top', 'top-per-symbol', 'min-per-symbol', 'dump-chain', 'mode', 'what-if-top',
]);
const SWITCHES = new Set(['json', 'help']);

class ArgError extends Error {}

function number(name: string, text: string): number {
  const v = Number(text);
  if (text.trim() === '' || !Number.isFinite(v)) throw new ArgError(`--${name} must be a number, got "${text}".`);
  return v;
}

/** "A-B", "A-", "-B" or "A" (exactly A). Negative numbers are not ranges here. */
function range(name: string, text: string, scale = 1): { min?: number; max?: number } {
  const m = /^\s*([0-9.]*)\s*(-?)\s*([0-9.]*)\s*$/.exec(text);
  if (!m || (m[1] === '' && m[3] === '')) throw new ArgError(`--${name} must be a range like 1-10, got "${text}".`);
  const out: { min?: number; max?: number } = {};
  if (m[1] !== '') out.min = number(name, m[1] as string) * scale;
  if (m[3] !== '') out.max = number(name, m[3] as string) * scale;
  if (m[2] === '' && out.min !== undefined) out.max = out.min;
  if (out.min !== undefined && out.max !== undefined && out.min > out.max) throw new ArgError(`--${name}: the lower end ${text.split('-')[0]} is above the upper end.`);
  return out;
}

function kinds(text: string): SpreadKind[] {
  const t = text.trim().toLowerCase();
  if (t === 'credit') return ['bull-put', 'bear-call'];
  if (t === 'debit') return ['bull-call', 'bear-put'];
  if (t === 'all') return ['bull-put', 'bear-call', 'bull-call', 'bear-put'];
  const list = t.split(',').map((k) => k.trim()).filter(Boolean);
  const known: SpreadKind[] = ['bull-put', 'bear-call', 'bull-call', 'bear-put'];
  for (const k of list) if (!known.includes(k as SpreadKind)) throw new ArgError(`--kind: unknown kind "${k}" (credit, debit, all, or ${known.join(', ')}).`);
  if (list.length === 0) throw new ArgError('--kind is empty.');
  return [...new Set(list)] as SpreadKind[];
}

/** The flag that sets each request field, so a value the contract refuses is reported by the flag the user typed. */
const FLAG_OF: Record<string, string> = {
  symbols: 'symbols', kinds: 'kind', dte: 'dte', shortDelta: 'delta', width: 'width', widthOfSpot: 'width-pct',
  minCredit: 'min-credit', maxDebit: 'max-debit', minCreditToWidth: 'min-credit-width', maxDebitToWidth: 'max-debit-width',
  minPop: 'min-pop', minEv: 'min-ev', minRor: 'min-ror', maxLegSpread: 'max-leg-spread', maxLegSpreadOfMid: 'max-leg-spread-pct',
  minOi: 'min-oi', minVolume: 'min-volume', maxQuoteAgeSec: 'max-age', maxExitCostOfMaxLoss: 'max-exit-cost',
  scoring: 'score', top: 'top', topPerSymbol: 'top-per-symbol', minPerSymbol: 'min-per-symbol', whatIfTop: 'what-if-top', mode: 'mode', drift: 'drift',
};

/** `--delta (max): too big: …` for the issue at `filters.shortDelta.max`; the contract's sentence when no flag sets it. */
function flagSentence(issue: Issue, candidate: unknown): string {
  const key = issue.path[0] === 'filters' ? issue.path[1] : issue.path[0];
  const flag = typeof key === 'string' ? FLAG_OF[key] : undefined;
  if (!flag) return issueSentence(issue, candidate);
  const bound = issue.path.find((k) => k === 'min' || k === 'max');
  const m = issue.message;
  return `--${flag}${bound ? ` (${String(bound)})` : ''}: ${m.length > 1 && /^[A-Z][a-z]/.test(m) ? m[0]!.toLowerCase() + m.slice(1) : m}.`;
}

/** Parses argv (without node and the script); every error names the flag and what was expected. */
export function parseScanArgs(argv: readonly string[]): ParseResult {
  const values = new Map<string, string>();
  const switches = new Set<string>();
  try {
    for (let i = 0; i < argv.length; i++) {
      const raw = argv[i] as string;
      if (!raw.startsWith('--')) throw new ArgError(`Unexpected argument "${raw}".`);
      const eq = raw.indexOf('=');
      const name = raw.slice(2, eq < 0 ? undefined : eq);
      if (SWITCHES.has(name)) {
        switches.add(name);
        continue;
      }
      if (!FLAGS.has(name)) throw new ArgError(`Unknown option --${name}.`);
      const value = eq >= 0 ? raw.slice(eq + 1) : argv[++i];
      if (value === undefined) throw new ArgError(`--${name} needs a value.`);
      values.set(name, value);
    }
    if (switches.has('help')) return { ok: false, help: true, message: SCAN_USAGE };
    const symbolsText = values.get('symbols');
    if (!symbolsText) throw new ArgError('--symbols is required, e.g. --symbols SPY,QQQ.');
    const get = (n: string) => values.get(n);
    const num = (n: string, scale = 1) => (get(n) === undefined ? undefined : number(n, get(n) as string) * scale);
    const dte = range('dte', get('dte') ?? '0-45');
    const filters: ScanFilters = {
      kinds: kinds(get('kind') ?? 'credit'),
      dte: { min: dte.min ?? 0, max: dte.max ?? 3650 },
    };
    if (get('delta') !== undefined) filters.shortDelta = range('delta', get('delta') as string);
    if (get('width') !== undefined) filters.width = range('width', get('width') as string);
    if (get('width-pct') !== undefined) filters.widthOfSpot = range('width-pct', get('width-pct') as string, 0.01);
    const assign = <K extends keyof ScanFilters>(key: K, v: ScanFilters[K] | undefined) => {
      if (v !== undefined) filters[key] = v;
    };
    assign('minCredit', num('min-credit'));
    assign('maxDebit', num('max-debit'));
    assign('minCreditToWidth', num('min-credit-width', 0.01));
    assign('maxDebitToWidth', num('max-debit-width', 0.01));
    assign('minPop', num('min-pop', 0.01));
    assign('minEv', num('min-ev'));
    assign('minRor', num('min-ror', 0.01));
    assign('maxLegSpread', num('max-leg-spread'));
    assign('maxLegSpreadOfMid', num('max-leg-spread-pct', 0.01));
    assign('minOi', num('min-oi'));
    assign('minVolume', num('min-volume'));
    assign('maxQuoteAgeSec', num('max-age'));
    assign('maxExitCostOfMaxLoss', num('max-exit-cost', 0.01));
    const scoreText = (get('score') ?? 'ror').toLowerCase();
    const by = ({ ror: 'ror', pop: 'pop', ev: 'evPerRisk', evperrisk: 'evPerRisk', edge: 'edge' } as const)[scoreText as 'ror'];
    if (!by) throw new ArgError(`--score must be ror, pop, ev or edge, got "${scoreText}".`);
    const basis = (get('basis') ?? 'mid').toLowerCase();
    if (basis !== 'mid' && basis !== 'natural') throw new ArgError(`--basis must be mid or natural, got "${basis}".`);
    const probabilityModel = get('probability')?.toLowerCase();
    if (probabilityModel !== undefined && probabilityModel !== 'lognormal' && probabilityModel !== 'smile') throw new ArgError(`--probability must be lognormal or smile, got "${probabilityModel}".`);
    const mode = (get('mode') ?? 'guided').toLowerCase();
    if (mode !== 'guided' && mode !== 'exhaustive') throw new ArgError(`--mode must be guided or exhaustive, got "${mode}".`);
    const top = num('top') ?? 50;
    const candidate = {
      symbols: symbolsText.split(',').map((s) => s.trim()).filter(Boolean),
      filters,
      scoring: { by, basis, ...(probabilityModel !== undefined ? { probabilityModel } : {}) },
      top,
      topPerSymbol: num('top-per-symbol') ?? Math.min(500, top),
      ...(num('min-per-symbol') !== undefined ? { minPerSymbol: num('min-per-symbol') } : {}),
      ...(num('what-if-top') !== undefined ? { whatIfTop: num('what-if-top') } : {}),
      mode,
      ...(get('drift') !== undefined ? { drift: num('drift', 0.01) } : {}),
    };
    const request = ScanRequest.safeParse(candidate);
    if (!request.success) throw new ArgError([...new Set(request.error.issues.map((i) => flagSentence(i, candidate)))].slice(0, 3).join(' '));
    const port = num('port') ?? 7497;
    const clientId = num('client-id') ?? 77;
    const timeoutSec = num('timeout') ?? 600;
    if (!Number.isInteger(port) || port < 1 || port > 65535) throw new ArgError(`--port must be 1–65535, got ${get('port')}.`);
    if (!Number.isInteger(clientId) || clientId < 0) throw new ArgError(`--client-id must be a whole number ≥ 0, got ${get('client-id')}.`);
    if (!(timeoutSec > 0)) throw new ArgError('--timeout must be positive.');
    return {
      ok: true,
      options: { host: get('host') ?? '127.0.0.1', port, clientId, timeoutSec, json: switches.has('json'), dumpChain: get('dump-chain') ?? null, request: request.data },
    };
  } catch (e) {
    if (e instanceof ArgError) return { ok: false, help: false, message: e.message };
    throw e;
  }
}
