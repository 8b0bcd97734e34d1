// Opening the headless UI in a browser without putting the token on a command line (visible to every local user in ps).
import { chmodSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const OPEN_PAGE_FILE = 'open-spreaddesk.html';

const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/**
 * Writes a tiny owner-only (0600) page in the data directory that redirects to the tokened URL; the browser is then
 * started with this file's path. Returns the path.
 */
export function writeOpenPage(dataDir: string, url: string): string {
  const file = join(dataDir, OPEN_PAGE_FILE);
  rmSync(file, { force: true }); // a new file gets mode 0600 at creation; never widen an old one
  const html = `<!doctype html><meta charset="utf-8"><meta name="referrer" content="no-referrer"><meta http-equiv="refresh" content="0;url=${escapeAttr(url)}"><title>SpreadDesk</title><p>Opening SpreadDesk…</p>\n`;
  writeFileSync(file, html, { mode: 0o600, flag: 'wx' });
  if (process.platform !== 'win32') chmodSync(file, 0o600);
  return file;
}

/** The command that opens `target` (a file path) in the default browser on this platform. */
export function browserCommand(target: string, platform: NodeJS.Platform = process.platform): { cmd: string; args: string[] } {
  if (platform === 'darwin') return { cmd: 'open', args: [target] };
  if (platform === 'win32') return { cmd: 'cmd', args: ['/c', 'start', '', target] };
  return { cmd: 'xdg-open', args: [target] };
}
