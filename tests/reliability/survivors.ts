// Survivor check: processes of this clone that outlive the test suite (a leaked exchange, app, browser or worker).
//
// A process belongs to the clone when its command line names the clone's path or its working directory is inside it.
// `list` prints those running now (before the suite); `check FILE` fails when any process not in FILE is still
// running after a short grace, prints each one, and stops it (it was started by the suite). Linux only (/proc);
// elsewhere it says so and passes.
//
//   node --import tsx tests/reliability/survivors.ts list > before.txt
//   … run the suite …
//   node --import tsx tests/reliability/survivors.ts check before.txt
import { existsSync, readFileSync, readdirSync, readlinkSync } from 'node:fs';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '..', '..');

export interface ProjectProcess {
  pid: number;
  ppid: number;
  args: string;
}

function read(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null; // gone meanwhile, or not ours to read
  }
}

function parentOf(pid: number): number {
  const stat = read(`/proc/${pid}/stat`);
  // The command name (field 2) may hold spaces and parentheses; the parent pid is the second field after its last ')'.
  return stat ? Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]) : 0;
}

/** This process and its ancestors: the check never reports the shell or runner that invoked it (nor itself). */
function selfAndAncestors(): Set<number> {
  const out = new Set<number>();
  for (let pid = process.pid; pid > 1 && !out.has(pid); pid = parentOf(pid)) out.add(pid);
  return out;
}

/**
 * Every running process whose command line names `root` or whose working directory is inside it, except this one and
 * its ancestors; `ignoreOwnChildren` also leaves out this process's children (a runner's own helpers, e.g. tsx's esbuild).
 */
export function projectProcesses(root = ROOT, ignoreOwnChildren = false): ProjectProcess[] {
  if (!existsSync('/proc/self/cmdline')) return [];
  const mine = selfAndAncestors();
  const out: ProjectProcess[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    const pid = Number(name);
    if (mine.has(pid)) continue;
    const args = read(`/proc/${pid}/cmdline`)?.split('\0').join(' ').trim();
    if (!args) continue; // a kernel thread or a zombie
    let cwd = '';
    try {
      cwd = readlinkSync(`/proc/${pid}/cwd`);
    } catch {
      // another user's process: its working directory is not ours to read
    }
    if (args.includes(root) || cwd === root || cwd.startsWith(`${root}/`)) out.push({ pid, ppid: parentOf(pid), args });
  }
  return ignoreOwnChildren ? out.filter((p) => p.ppid !== process.pid) : out;
}

/** Processes of the clone that were not running before (pids in `before`), after waiting up to `graceMs` for them to end. */
export async function survivors(before: ReadonlySet<number>, graceMs = 3_000, ignoreOwnChildren = false): Promise<ProjectProcess[]> {
  const end = Date.now() + graceMs;
  for (;;) {
    const left = projectProcesses(ROOT, ignoreOwnChildren).filter((p) => !before.has(p.pid));
    if (left.length === 0 || Date.now() > end) return left;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Stops survivors (SIGKILL, by pid) and returns the lines that describe them. */
export function reportAndStop(left: readonly ProjectProcess[]): string[] {
  return left.map((p) => {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // ended on its own meanwhile
    }
    return `  pid ${p.pid} (parent ${p.ppid}): ${p.args.length > 300 ? `${p.args.slice(0, 300)}…` : p.args}`;
  });
}

async function main(argv: string[]): Promise<number> {
  const [cmd, file] = argv;
  if (!existsSync('/proc/self/cmdline')) {
    console.error('survivors: no /proc on this system; the check is skipped.');
    return 0;
  }
  if (cmd === 'list') {
    for (const p of projectProcesses(ROOT, true)) console.log(p.pid);
    return 0;
  }
  if (cmd === 'check' && file) {
    const before = new Set(
      readFileSync(file, 'utf8')
        .split('\n')
        .filter((l) => /^\d+$/.test(l.trim()))
        .map(Number),
    );
    const left = await survivors(before, 3_000, true);
    if (left.length === 0) {
      console.log('survivors: no process of this clone outlived the suite.');
      return 0;
    }
    console.error(`survivors: ${left.length} process(es) of this clone outlived the suite (now stopped):`);
    for (const line of reportAndStop(left)) console.error(line);
    return 1;
  }
  console.error('usage: survivors.ts list | check BEFORE_FILE');
  return 2;
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) process.exitCode = await main(process.argv.slice(2));
