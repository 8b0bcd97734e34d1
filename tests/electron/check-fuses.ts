// CI step: reads the fuse wire of the packaged Electron binary and fails unless it matches electron-builder.yml.
// Usage: npx tsx tests/electron/check-fuses.ts [releaseDir]   (run after `npm run dist`)
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { configuredFuses, packagedExecutable, ROOT } from './packaged';

interface FusesModule {
  getCurrentFuseWire(path: string): Promise<Record<string, number | string>>;
  FuseV1Options: Record<string, number | string>;
  FuseState: Record<string, number | string>;
}

const fuses = createRequire(import.meta.url)('@electron/fuses') as FusesModule;
const releaseDir = join(ROOT, process.argv[2] ?? 'release');
const exe = packagedExecutable(releaseDir);
if (!exe) {
  console.error(`No packaged app under ${releaseDir}: run \`npm run dist\` first.`);
  process.exit(1);
}
const wire = await fuses.getCurrentFuseWire(exe);
const problems: string[] = [];
for (const [name, want] of Object.entries(configuredFuses())) {
  const index = fuses.FuseV1Options[name];
  if (typeof index !== 'number') {
    problems.push(`${name}: unknown to @electron/fuses`);
    continue;
  }
  const state = wire[index];
  const got = state === fuses.FuseState.ENABLE ? true : state === fuses.FuseState.DISABLE ? false : `state ${String(state)}`;
  console.log(`${name.padEnd(40)} ${String(got)}`);
  if (got !== want) problems.push(`${name} is ${String(got)}, electron-builder.yml says ${String(want)}`);
}
if (problems.length) {
  console.error(`The packaged binary ${exe} does not carry the configured fuses:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}
console.log(`${exe}: every configured fuse is set.`);
