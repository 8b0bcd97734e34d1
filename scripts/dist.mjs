// `npm run dist`: build and package with electron-builder; without the Electron binary it only validates the config.
// `npm run dist -- --smoke`: an unpacked build for the Electron smoke test (tests/electron/smoke.test.ts) that differs
// from the release in one fuse: Playwright's _electron attaches through `--inspect`, which the release fuses refuse.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { ROOT, findElectronBinary } from './electron-env.mjs';

const build = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const config = readFileSync(join(ROOT, 'electron-builder.yml'), 'utf8');
const problems = [];
for (const key of ['appId:', 'productName:', 'files:', 'npmRebuild: false', 'asarUnpack:', 'electronFuses:', 'mac:', 'win:', 'linux:']) if (!config.includes(key)) problems.push(`electron-builder.yml lacks ${key}`);
for (const f of ['dist/main/electron-main.cjs', 'dist/main/preload.cjs', 'dist/renderer/index.html', 'resources/entitlements.mac.plist', 'resources/icon.svg', 'resources/icon.png']) if (!existsSync(join(ROOT, f))) problems.push(`missing ${f}`);
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
if (pkg.main !== 'dist/main/electron-main.cjs') problems.push(`package.json main is ${pkg.main}, expected dist/main/electron-main.cjs`);
if (problems.length) {
  console.error(`Packaging config is not valid:\n- ${problems.join('\n- ')}`);
  process.exit(1);
}

if (!findElectronBinary()) {
  console.log('Electron binary absent on this machine: validated the packaging config and the build only; no installer was built.');
  process.exit(0);
}
const smoke = process.argv.includes('--smoke');
const passthrough = process.argv.slice(2).filter((a) => a !== '--smoke');
let configFile = 'electron-builder.yml';
if (smoke) {
  // js-yaml comes with electron-builder; the release config stays the one source, changed in two fields only.
  const yaml = createRequire(join(ROOT, 'package.json'))('js-yaml');
  const cfg = yaml.load(config);
  cfg.electronFuses = { ...cfg.electronFuses, enableNodeCliInspectArguments: true };
  cfg.directories = { ...cfg.directories, output: 'release/smoke' };
  mkdirSync(join(ROOT, 'release'), { recursive: true });
  configFile = join('release', 'electron-builder.smoke.json');
  writeFileSync(join(ROOT, configFile), JSON.stringify(cfg, null, 2));
  console.log('Smoke build: release fuses except EnableNodeCliInspectArguments (on, for Playwright), unpacked into release/smoke.');
  passthrough.push('--dir');
}
const res = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'electron-builder', 'cli.js'), '--config', configFile, ...passthrough], {
  cwd: ROOT,
  stdio: 'inherit',
});
process.exit(res.status ?? 1);
