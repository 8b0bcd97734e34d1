import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { browserCommand, OPEN_PAGE_FILE, writeOpenPage } from './open-page';

describe('opening the headless UI', () => {
  const dir = mkdtempSync(join(tmpdir(), 'sd-open-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const url = 'http://127.0.0.1:5199/?token=SECRET-token_123';

  it('writes an owner-only redirect page that holds the tokened URL', () => {
    writeFileSync(join(dir, OPEN_PAGE_FILE), 'old', { mode: 0o644 });
    const file = writeOpenPage(dir, url);
    expect(file).toBe(join(dir, OPEN_PAGE_FILE));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readFileSync(file, 'utf8')).toContain(`content="0;url=${url}"`);
  });

  it('starts the browser with the file path only: the token is on no command line', () => {
    const file = writeOpenPage(dir, url);
    for (const p of ['linux', 'darwin', 'win32'] as const) {
      const { cmd, args } = browserCommand(file, p);
      expect(`${cmd} ${args.join(' ')}`).not.toContain('SECRET');
      expect(args).toContain(file);
    }
    expect(browserCommand(file, 'linux').cmd).toBe('xdg-open');
  });
});
