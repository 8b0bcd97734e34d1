// Command line: `npm run paper -- --port 7497 --seed 42 --speed 1 --config <file> [--host H] [--db <file>] [--record F | --replay F]`.
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { startPaperExchange, type SimCommand } from './index';

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
                          [--mode open|nyse] [--lines 100] [--paused] [--start 2026-03-10T14:30:00Z] [--record F] [--replay F] [--verbose]
  --paused  start with simulated time frozen (comparable runs); type "resume" on stdin to let it run
Controls on stdin when it is a terminal or with --controls (one per line): pause | resume | speed N | jump MINUTES | gap SYMBOL PCT | vol POINTS | widen FACTOR
                                  | noise POINTS | halt SYMBOL | unhalt SYMBOL | drop SECONDS | reset | status
  --start   the simulated start instant (ISO text or epoch ms); default now, moved into a session in open mode
  --record F  write the session's market path to F (seed, start, every control with its instant, a price mark a minute)
  --replay F  replay the session recorded in F: its seed, config, mode, speed and start replace those flags, and its
              controls come back when simulated time reaches them (practise the same morning twice)`;

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
    paused: args['paused'] === 'true',
    ...(args['record'] !== undefined ? { record: args['record'] } : {}),
    ...(args['replay'] !== undefined ? { replay: args['replay'] } : {}),
    ...(args['start'] !== undefined ? { startAt: /^\d+$/.test(args['start']) ? Number(args['start']) : args['start'] } : {}),
    log: args['verbose'] ? (line) => console.error(`[paper] ${line}`) : undefined,
  });
  const st = await handle.sim.control({ op: 'status' });
  console.log(
    `SpreadDesk paper exchange listening on ${handle.host}:${handle.port} (seed ${st.seed ?? num('seed', 42)}, speed ${st.speed}x, ${st.mode ?? mode} session, account ${handle.accountId}${args['db'] ? `, books ${args['db']}` : ''}${st.paused ? ', paused' : ''})`,
  );
  if (args['replay']) console.log(`Replaying ${args['replay']} from ${new Date(st.now ?? 0).toISOString()}`);
  if (args['record']) console.log(`Recording the market path to ${args['record']}`);
  // Practice controls typed on stdin (the same operations as the app's sim.* methods).
  const toCommand = (line: string): SimCommand | null => {
    const [op = '', a = '', b = ''] = line.trim().split(/\s+/);
    const n = (x: string): number => Number(x);
    switch (op.toLowerCase()) {
      case 'status': return { op: 'status' };
      case 'pause': return { op: 'pause' };
      case 'resume': return { op: 'resume' };
      case 'speed': return { op: 'setSpeed', speed: n(a) };
      case 'jump': return { op: 'jump', by: n(a) * 60_000 };
      case 'gap': return { op: 'scenario', scenario: { kind: 'gap', symbol: a.toUpperCase(), pct: n(b) } };
      case 'vol': return { op: 'scenario', scenario: { kind: 'volShock', points: n(a) } };
      case 'widen': return { op: 'scenario', scenario: { kind: 'widen', factor: n(a) } };
      case 'noise': return { op: 'scenario', scenario: { kind: 'ivNoise', points: n(a) } };
      case 'halt': return { op: 'scenario', scenario: { kind: 'halt', symbol: a.toUpperCase(), halted: true } };
      case 'unhalt': return { op: 'scenario', scenario: { kind: 'halt', symbol: a.toUpperCase(), halted: false } };
      case 'drop': return { op: 'scenario', scenario: { kind: 'connectionLoss', seconds: n(a), dataLost: false } };
      case 'reset': return { op: 'scenario', scenario: { kind: 'reset' } };
      default: return null;
    }
  };
  if (process.stdin.isTTY || args['controls'] === 'true') {
    const rl = createInterface({ input: process.stdin });
    rl.on('line', (line) => {
      if (line.trim() === '') return;
      const cmd = toCommand(line);
      if (!cmd) {
        console.log('Unknown control. Try: pause, resume, speed 60, jump 30, gap SPY -3, vol 5, widen 2, noise 1, halt SPY, unhalt SPY, drop 10, reset, status');
        return;
      }
      handle.sim
        .control(cmd)
        .then((st) => console.log(`${new Date(st.now ?? 0).toISOString()} speed ${st.speed}x${st.paused ? ' PAUSED' : ''} scenario ${JSON.stringify(st.scenario)}`))
        .catch((e: unknown) => console.log(e instanceof Error ? e.message : String(e)));
    });
  }
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
