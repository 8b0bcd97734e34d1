// `npm start`: build, then launch Electron; without the Electron binary, say so and start headless instead.
import { spawn, spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT, findElectronBinary } from './electron-env.mjs';

const passthrough = process.argv.slice(2);
const build = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'vite', 'bin', 'vite.js'), 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
if (build.status !== 0) process.exit(build.status ?? 1);

const electron = findElectronBinary();
let child;
if (electron) {
  // better-sqlite3 is a Node-API addon: the same binary in node_modules loads under Electron, nothing to rebuild.
  child = spawn(electron, [ROOT, ...passthrough], { cwd: ROOT, stdio: 'inherit' });
} else {
  console.log('The Electron binary is not installed on this machine (its download was skipped), so SpreadDesk starts in headless mode: open the URL below in a browser.');
  child = spawn(process.execPath, [join(ROOT, 'dist', 'main', 'headless.cjs'), ...passthrough], { cwd: ROOT, stdio: 'inherit' });
}
for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
child.on('exit', (code) => process.exit(code ?? 0));
