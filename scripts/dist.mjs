// `npm run dist`: build and package with electron-builder; without the Electron binary it only validates the config.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
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
const res = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'electron-builder', 'cli.js'), '--config', 'electron-builder.yml', ...process.argv.slice(2)], {
  cwd: ROOT,
  stdio: 'inherit',
});
process.exit(res.status ?? 1);
