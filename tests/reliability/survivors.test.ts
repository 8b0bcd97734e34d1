// The survivor check finds a process of this clone that outlives its starter, and only those.
import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT, projectProcesses, reportAndStop, survivors } from './survivors';

const started: ChildProcess[] = [];
const sleeper = (cwd: string, ...args: string[]): ChildProcess => {
  const ch = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 120000)', ...args], { cwd, stdio: 'ignore' });
  started.push(ch);
  return ch;
};

afterAll(async () => {
  await Promise.all(started.map((ch) => (ch.exitCode === null && ch.signalCode === null ? new Promise((r) => (ch.once('exit', r), ch.kill('SIGKILL'))) : undefined)));
});

describe.runIf(process.platform === 'linux')('survivor check', () => {
  it('reports a process started in the clone or naming it, not one elsewhere, and stops what it reports', async () => {
    const before = new Set(projectProcesses().map((p) => p.pid));
    const inside = sleeper(ROOT);
    const naming = sleeper(tmpdir(), ROOT);
    const elsewhere = sleeper(tmpdir());
    const left = await survivors(before, 0);
    const pids = left.map((p) => p.pid);
    expect(pids).toContain(inside.pid);
    expect(pids).toContain(naming.pid);
    expect(pids).not.toContain(elsewhere.pid);
    const lines = reportAndStop(left.filter((p) => p.pid === inside.pid || p.pid === naming.pid));
    expect(lines).toHaveLength(2);
    await Promise.all([inside, naming].map((ch) => (ch.exitCode === null && ch.signalCode === null ? new Promise((r) => ch.once('exit', r)) : undefined)));
    expect(inside.signalCode).toBe('SIGKILL');
    expect(naming.signalCode).toBe('SIGKILL');
  });
});
