// Headless entry: the same main services under plain Node, the renderer and the contract served on loopback.
import { spawn } from 'node:child_process';
import { existsSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import pkg from '../../package.json';
import { defaultDataDir } from './paths';
import { createServices } from './services/app';
import { createLogger } from './services/logging';
import { browserCommand, OPEN_PAGE_FILE, writeOpenPage } from './transport/open-page';
import { startWsServer } from './transport/ws-server';

const USAGE = `Usage: npm run headless -- [--port N] [--data-dir DIR] [--no-open] [--no-connect]
  --port N        loopback port to serve on (0 picks a free one; default 5199)
  --data-dir DIR  where settings, the journal and logs live (default: ${defaultDataDir()})
  --no-open       do not open a browser
  --no-connect    do not connect to the active profile at start (connect from the Diagnostics tab)`;

function staticDirCandidates(): string[] {
  const entry = process.argv[1] ? dirname(resolve(process.argv[1])) : process.cwd();
  return [join(entry, '..', 'renderer'), resolve('dist', 'renderer')];
}

/** Opens the UI through a 0600 redirect file, so the token never appears on a command line (ps shows argv). */
function openBrowser(dataDir: string, url: string): void {
  try {
    const { cmd, args } = browserCommand(writeOpenPage(dataDir, url));
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => undefined);
    child.unref();
  } catch {
    // No browser opener on this machine: the printed URL is enough.
  }
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string', default: '5199' },
        'data-dir': { type: 'string' },
        'static-dir': { type: 'string' },
        'no-open': { type: 'boolean', default: false },
        'no-connect': { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (e) {
    console.error(`${(e as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    console.error(`--port must be a whole number from 0 to 65535, got "${values.port}".`);
    process.exit(2);
  }
  const dataDir = resolve(values['data-dir'] ?? defaultDataDir());
  const staticDir = values['static-dir'] ? resolve(values['static-dir']) : staticDirCandidates().find((d) => existsSync(join(d, 'index.html')));
  if (!staticDir) {
    console.error('The renderer is not built. Run `npm run build` first (npm run headless does this for you).');
    process.exit(1);
  }

  const logger = await createLogger({ dataDir, stdout: true });
  // Like TWS, the terminal connects to the active profile at start; Local paper needs no account.
  const services = await createServices({ mode: 'headless', dataDir, version: pkg.version, logger, autoConnect: !values['no-connect'] });
  const server = await startWsServer({ dispatcher: services.dispatcher, bus: services.bus, logger, staticDir, port });
  logger.info({ port: server.port, dataDir }, 'headless started');

  console.log(`SpreadDesk ${pkg.version} (headless) is serving the UI at ${server.url}`);
  console.log(`Data directory: ${dataDir}`);
  if (!values['no-open'] && !process.env.CI) openBrowser(dataDir, server.url);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down');
    await server.close();
    await services.close();
    rmSync(join(dataDir, OPEN_PAGE_FILE), { force: true });
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}

main().catch((e: unknown) => {
  console.error('SpreadDesk headless failed to start:', e instanceof Error ? e.message : e);
  process.exit(1);
});
