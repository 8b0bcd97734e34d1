// Command line: `npm run paper -- --port 7497 --seed 42 --speed 1 --config <file> [--host H] [--db <file>]`.
import { readFileSync } from 'node:fs';
import { startPaperExchange } from './index';

function parseArgs(argv: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] ?? '';
    if (!a.startsWith('--')) continue;
    const eq = a.indexOf('=');
    if (eq > 0) out[a.slice(2, eq)] = a.slice(eq + 1);
    else {
      const next = argv[i + 1];
      if (next !== undefined && !next.startsWith('--')) {
        out[a.slice(2)] = next;
        i++;
      } else out[a.slice(2)] = 'true';
    }
  }
  return out;
}

const USAGE = `Usage: npm run paper -- [--port 7497] [--host 127.0.0.1] [--seed 42] [--speed 1] [--config file.json] [--db books.sqlite]
                          [--mode open|nyse] [--lines 100] [--verbose]`;

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  if (args['help']) {
    console.log(USAGE);
    return;
  }
  const num = (k: string, d: number): number => {
    const v = args[k];
    if (v === undefined) return d;
    const n = Number(v);
    if (!Number.isFinite(n)) throw new Error(`--${k} must be a number`);
    return n;
  };
  const config = args['config'] ? (JSON.parse(readFileSync(args['config'], 'utf8')) as unknown) : {};
  const mode = args['mode'] === 'nyse' ? 'nyse' : 'open';
  const handle = await startPaperExchange({
    port: num('port', 7497),
    host: args['host'] ?? '127.0.0.1',
    seed: num('seed', 42),
    speed: num('speed', 1),
    config,
    sessionMode: mode,
    lineBudget: num('lines', 100),
    db: args['db'],
    log: args['verbose'] ? (line) => console.error(`[paper] ${line}`) : undefined,
  });
  console.log(
    `SpreadDesk paper exchange listening on ${handle.host}:${handle.port} (seed ${num('seed', 42)}, speed ${num('speed', 1)}x, ${mode} session, account ${handle.accountId}${args['db'] ? `, books ${args['db']}` : ''})`,
  );
  const stop = (): void => {
    void handle.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : String(e));
  process.exit(1);
});
