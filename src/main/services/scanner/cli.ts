// `npm run scan`: one scan against TWS, IB Gateway or the paper exchange, ranked rows printed (or as JSON), for
// automation and for checking results by hand. Progress and timings go to stderr so stdout stays reproducible.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ScanProgress, ScanRow } from '../../../core/contract';
import { chainToJson } from '../../../core/scanner';
import { IbBroker } from '../broker/ib-broker';
import { silentLogger } from '../logging';
import { SCAN_USAGE, parseScanArgs, type ScanCliOptions } from './args';
import { DEFAULT_RATE, STALE_AFTER_MS, createScannerService, type ScanOutcome } from './service';

export interface CliIo {
  out(text: string): void;
  err(text: string): void;
}

const stdio: CliIo = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

/** A row without the fields that depend on when the scan ran (quote ages, the what-if's time), so equal markets print equal JSON. */
function stableRow(r: ScanRow): Omit<ScanRow, 'quoteAgeMs'> {
  const { quoteAgeMs: _age, ...rest } = r;
  return { ...rest, short: { ...rest.short, quoteTime: null }, long: { ...rest.long, quoteTime: null }, ...(rest.whatIf ? { whatIf: { ...rest.whatIf, at: 0 } } : {}) };
}

function fmt(n: number | null, d = 2): string {
  return n === null ? '—' : n.toFixed(d);
}

function table(rows: readonly ScanRow[]): string {
  const head = ['#', 'symbol', 'kind', 'expiry', 'dte', 'strikes', 'mid', 'natural', 'max P', 'max L', 'ROR', 'POP', 'EV', 'Δ short', 'IV'];
  const lines = rows.map((r, i) => [
    String(i + 1), r.symbol, r.kind, r.expiry, String(r.dte), `${r.shortStrike}/${r.longStrike}`,
    `${fmt(r.priceMid)} ${r.isCredit ? 'cr' : 'db'}`, `${fmt(r.priceNatural)} ${r.isCredit ? 'cr' : 'db'}`,
    fmt(r.maxProfit), fmt(r.maxLoss), `${fmt(r.ror * 100, 1)}%`, r.pop === null ? '—' : `${fmt(r.pop * 100, 1)}%`, fmt(r.ev), fmt(r.shortDelta, 3), r.shortIv === null ? '—' : `${fmt(r.shortIv * 100, 1)}%`,
  ]);
  const widths = head.map((h, c) => Math.max(h.length, ...lines.map((l) => (l[c] ?? '').length)));
  const pad = (cells: string[]) => cells.map((cell, c) => (c <= 5 ? cell.padEnd(widths[c] ?? 0) : cell.padStart(widths[c] ?? 0))).join('  ');
  return [pad(head), ...lines.map(pad)].join('\n') + '\n';
}

/** What --dump-chain writes: every input a reader needs to recompute each row with src/core/scanner. */
export function dumpOf(options: ScanCliOptions, outcome: ScanOutcome, drift: number | undefined): unknown {
  return {
    format: 'spreaddesk.scan-dump/1',
    howToRecompute:
      'For each chain, new ScanEngine().scanChain(chainFromJson(chain), { filters, scoring, topPerSymbol, drift, now: rankedAt, staleAfterMs }) ' +
      'from src/core/scanner gives that symbol\'s rows; mergeTop(lists, top, minPerSymbol) gives `rows`. Quote ages are rankedAt − quoteTime.',
    asOf: outcome.asOf,
    asOfIso: new Date(outcome.asOf).toISOString(),
    rankedAt: outcome.rankedAt,
    request: options.request,
    model: {
      rate: outcome.chains[0]?.rate ?? options.request.rate ?? DEFAULT_RATE,
      divYield: outcome.chains[0]?.divYield ?? options.request.divYield ?? 0,
      drift: drift ?? null,
      driftRule: 'null = risk-neutral (rate − divYield)',
      staleAfterMs: STALE_AFTER_MS,
      popRule: 'lognormal at the IV of the leg the breakeven is measured from (credit: short leg, debit: long leg), breakeven at the scoring basis',
      evRule: 'each leg’s expected payoff at expiry at its own IV (undiscounted) plus the net cash at open, × multiplier',
      smileRule: 'popSmile/evSmile: risk-neutral from the expiry’s PCHIP IV smile (Breeden–Litzenberger, core/scanner/smile.ts); evSmile = ∫ P(S_T > x) dx over the strikes (undiscounted) plus the net cash at open, × multiplier; scoring.probabilityModel smile ranks POP / EV-risk by them (lognormal where an expiry has no smile)',
      edgeRule: 'leg theo = broker model price (theo column) else BSM at the leg IV; edge = (long theo − short theo + net cash) × multiplier',
      tYearsRule: 'ACT/365 from asOf to the expiry instant (PM close 16:00 ET, AM-settled classes 09:30 ET)',
    },
    chains: outcome.chains.map(chainToJson),
    progress: outcome.progress,
    rows: outcome.results.rows,
  };
}

/** Runs the CLI; resolves with the process exit code. */
export async function runScanCli(argv: readonly string[], io: CliIo = stdio): Promise<number> {
  const parsed = parseScanArgs(argv);
  if (!parsed.ok) {
    if (parsed.help) {
      io.out(`${SCAN_USAGE}\n`);
      return 0;
    }
    io.err(`${parsed.message}\n\n${SCAN_USAGE}\n`);
    return 2;
  }
  const o = parsed.options;
  const dataDir = mkdtempSync(join(tmpdir(), 'spreaddesk-scan-'));
  const broker = new IbBroker({ dataDir, logger: silentLogger() });
  const started = Date.now();
  let lastLine = 0;
  const bus = {
    emit(name: string, payload: unknown) {
      if (name !== 'scan.progress') return;
      const p = payload as ScanProgress;
      const t = Date.now();
      if (t - lastLine < 1000 && p.state === 'quoting') return;
      lastLine = t;
      io.err(`[scan] ${p.state} ${p.quoted}/${p.planned} quotes${p.etaMs ? `, ETA ${(p.etaMs / 1000).toFixed(0)} s` : ''}${p.message ? ` — ${p.message}` : ''}\n`);
    },
  };
  const scanner = createScannerService({ broker, bus });
  const timer = setTimeout(() => {
    io.err(`[scan] timed out after ${o.timeoutSec} s\n`);
    void scanner.stop();
  }, o.timeoutSec * 1000);
  try {
    await broker.connect({ profile: 'tws-paper', host: o.host, port: o.port, clientId: o.clientId, live: false, simulated: false });
    const outBefore = broker.diagnostics().messagesOut.total;
    const handle = await scanner.start(o.request);
    const outcome = await handle.done;
    const seconds = (Date.now() - started) / 1000;
    const sent = broker.diagnostics().messagesOut.total - outBefore;
    io.err(`[scan] ${o.request.mode}: ${outcome.progress.state} in ${seconds.toFixed(1)} s; ${sent} messages sent (${outcome.requests.snapshots} snapshots, ${outcome.requests.streams} streams); ${outcome.results.passed} of ${outcome.results.evaluated} candidates passed\n`);
    // The follow-up after completion (IBKR's what-if for the best rows), reported apart from the scan's own cost.
    const after = await outcome.followUp;
    const followUpSent = broker.diagnostics().messagesOut.total - outBefore - sent;
    if (after.whatIf > 0) io.err(`[scan] then ${after.whatIf} what-ifs for the best rows (${followUpSent} messages)\n`);
    for (const s of outcome.progress.symbols) if (s.error) io.err(`[scan] ${s.error}\n`);
    if (o.dumpChain) {
      const path = resolve(o.dumpChain);
      writeFileSync(path, JSON.stringify(dumpOf(o, outcome, o.request.drift), null, 1));
      io.err(`[scan] chain snapshot written to ${path}\n`);
    }
    const rows = scanner.latest().results?.rows ?? outcome.results.rows;
    if (o.json) {
      const doc = {
        format: 'spreaddesk.scan/1',
        asOf: new Date(outcome.asOf).toISOString(),
        request: o.request,
        state: outcome.progress.state,
        // What this run cost (varies run to run, as do the per-symbol planned/quoted counts of a guided scan, whose
        // refinement follows the order snapshots answer in; the rows are reproducible on a frozen market).
        run: { mode: o.request.mode, messagesSent: sent, seconds: Math.round(seconds * 1000) / 1000, snapshots: outcome.requests.snapshots, streams: outcome.requests.streams, openInterestLines: after.openInterest, whatIfs: after.whatIf, followUpMessages: followUpSent },
        symbols: outcome.progress.symbols.map((s) => ({ ...s, spot: outcome.chains.find((c) => c.symbol === s.symbol)?.spot ?? null })),
        rows: rows.map(stableRow),
      };
      io.out(`${JSON.stringify(doc, null, 1)}\n`);
    } else {
      io.out(rows.length ? table(rows) : 'No spread passed the filters.\n');
    }
    return outcome.progress.state === 'complete' ? 0 : 1;
  } catch (e) {
    io.err(`[scan] ${e instanceof Error ? e.message : String(e)}\n`);
    return 1;
  } finally {
    clearTimeout(timer);
    await scanner.close();
    await broker.close().catch(() => undefined);
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const isMain = process.argv[1] !== undefined && import.meta.url === pathToFileURL(resolve(process.argv[1])).href;
if (isMain) {
  void runScanCli(process.argv.slice(2)).then((code) => process.exit(code));
}
