// Structured logging: pino to a size-rotated file in the data directory, secrets redacted.
import { chmodSync, mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import pino from 'pino';

export type Logger = pino.Logger;

/** Paths whose values never reach a log line. */
const REDACT = ['token', '*.token', 'password', '*.password', 'authorization', '*.authorization', 'headers.cookie', 'url'];

export interface LoggingOptions {
  dataDir: string;
  level?: pino.LevelWithSilent;
  /** Also print to stdout (headless CLI); off in tests. */
  stdout?: boolean;
}

export async function createLogger(options: LoggingOptions): Promise<Logger> {
  const dir = join(options.dataDir, 'logs');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  // Logs name accounts and orders: owner-only, like settings.json. `mode` applies to files pino-roll creates;
  // files from an older version are tightened here.
  if (process.platform !== 'win32') for (const f of readdirSync(dir)) chmodSync(join(dir, f), 0o600);
  // pino-roll as a plain stream (no worker thread) so it also works inside a bundled Electron main.
  const { default: roll } = await import('pino-roll');
  const file = await roll({ file: join(dir, 'spreaddesk'), extension: '.log', size: '10m', limit: { count: 5 }, mkdir: true, mode: 0o600 });
  const streams: pino.StreamEntry[] = [{ stream: file }];
  if (options.stdout) streams.push({ stream: process.stdout, level: 'warn' });
  return pino({ level: options.level ?? 'info', redact: { paths: REDACT, censor: '[redacted]' }, base: { app: 'spreaddesk' } }, pino.multistream(streams));
}

/** A logger that discards everything, for unit tests. */
export function silentLogger(): Logger {
  return pino({ level: 'silent' });
}
