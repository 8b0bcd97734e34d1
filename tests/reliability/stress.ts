// `npm run test:stress`: the integration, e2e and reliability suites with a CPU hog on every core, then the survivor check.
//
// CI may run on a developer's busy machine; a test that depends on the machine's speed is a defect. This runs the
// suites that touch sockets, processes and Chromium while one busy-looping process per core competes for the CPU.
// The hogs are started and stopped (by pid, whatever the outcome) by this script. Extra arguments go to vitest,
// e.g. `npm run test:stress -- tests/e2e/scanner.e2e.test.ts`. STRESS_HOGS=N overrides the number of hogs.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { availableParallelism, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, projectProcesses, reportAndStop, survivors } from './survivors';

const hogCount = Number(process.env.STRESS_HOGS ?? availableParallelism());
const extra = process.argv.slice(2);
const targets = extra.some((a) => !a.startsWith('-')) ? extra : ['tests/integration', 'tests/e2e', 'tests/reliability', ...extra];

function stopAll(hogs: readonly ChildProcess[]): void {
  for (const h of hogs) if (h.exitCode === null && h.signalCode === null) h.kill('SIGKILL');
}

async function main(): Promise<number> {
  // The e2e tests start the built app; build before the hogs start (the build is not what is under test).
  const build = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) return build.status ?? 1;

  const before = new Set(projectProcesses(ROOT, true).map((p) => p.pid));
  // Each hog is a plain busy loop in its own process, outside the clone (so the survivor check does not count it).
  const hogs = Array.from({ length: hogCount }, () => spawn(process.execPath, ['-e', 'for (;;) {}'], { cwd: tmpdir(), stdio: 'ignore' }));
  const onSignal = (sig: NodeJS.Signals): void => {
    stopAll(hogs);
    process.kill(process.pid, sig);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const started = Date.now();
  let code: number;
  try {
    console.log(`[stress] ${hogs.length} CPU hog(s) running (pids ${hogs.map((h) => h.pid).join(', ')}); vitest run ${targets.join(' ')}`);
    const vitest = spawn(process.execPath, [join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', ...targets], { cwd: ROOT, stdio: 'inherit', env: { ...process.env, SPREADDESK_STRESS: '1' } });
    code = await new Promise<number>((done) => vitest.once('exit', (c, s) => done(c ?? (s ? 1 : 0))));
  } finally {
    stopAll(hogs);
    await Promise.all(hogs.map((h) => (h.exitCode === null && h.signalCode === null ? new Promise((r) => h.once('exit', r)) : undefined)));
  }
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  console.log(`[stress] vitest exited ${code} after ${minutes} min under ${hogCount} hog(s); load average now ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const left = await survivors(before, 3_000, true);
  if (left.length > 0) {
    console.error(`[stress] ${left.length} process(es) of this clone outlived the suite (now stopped):`);
    for (const line of reportAndStop(left)) console.error(line);
    return code || 1;
  }
  console.log('[stress] no process of this clone outlived the suite.');
  return code;
}

process.exitCode = await main();
