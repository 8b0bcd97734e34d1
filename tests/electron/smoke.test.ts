// Electron smoke test of the packaged app (Playwright _electron): it starts, opens its journal, connects to the
// local paper exchange (its SQLite store) and scans one symbol. Run where Electron exists (CI, a desktop):
//   npm run dist -- --smoke && npx vitest run --config vitest.electron.config.ts   (Linux without a display: xvfb-run)
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { packagedExecutable, ROOT } from './packaged';

type Bridge = { spreaddesk: { invoke(method: string, args: unknown): Promise<{ ok: boolean; value?: unknown; error?: { message: string } }> } };

const releaseDir = process.env.SPREADDESK_RELEASE_DIR ?? join(ROOT, 'release', 'smoke');

describe('packaged SpreadDesk (Electron)', () => {
  let app: ElectronApplication;
  let page: Page;
  const dataDir = mkdtempSync(join(tmpdir(), 'sd-electron-'));
  const errors: string[] = [];

  beforeAll(async () => {
    const executablePath = packagedExecutable(releaseDir);
    if (!executablePath) throw new Error(`No packaged app under ${releaseDir}: run \`npm run dist -- --smoke\` first.`);
    app = await _electron.launch({ executablePath, args: [`--data-dir=${dataDir}`], timeout: 90_000 });
    page = await app.firstWindow();
    page.on('pageerror', (e) => errors.push(String(e)));
  });
  afterAll(async () => {
    await app?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const invoke = (method: string, args: unknown = {}) => page.evaluate(([m, a]) => (globalThis as unknown as Bridge).spreaddesk.invoke(m as string, a), [method, args] as const);

  it('runs packaged, from the ASAR, with the app:// renderer and no DevTools', async () => {
    expect(await app.evaluate(({ app: a }) => a.isPackaged)).toBe(true);
    expect(await app.evaluate(({ app: a }) => a.getAppPath())).toMatch(/app\.asar$/);
    expect(page.url()).toMatch(/^app:\/\/spreaddesk\//);
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.webContents.isDevToolsOpened())).toBe(false);
  });

  it('opens its journal (better-sqlite3 loaded from app.asar.unpacked)', async () => {
    const status = await invoke('journal.status');
    expect(status.ok, JSON.stringify(status)).toBe(true);
    expect(status.value).toMatchObject({ available: true });
    expect(existsSync(join(dataDir, 'journal.sqlite'))).toBe(true);
  });

  it('connects to the local paper exchange (its store opens too)', async () => {
    await expect.poll(() => page.getByTestId('status-connection').textContent(), { timeout: 60_000 }).toMatch(/^● connected/);
    expect(existsSync(join(dataDir, 'paper-exchange.sqlite'))).toBe(true);
  });

  it('scans one symbol and shows ranked rows', async () => {
    await expect.poll(() => page.getByTestId('scan-start').isEnabled(), { timeout: 30_000 }).toBe(true);
    await page.getByTestId('scan-symbols').fill('SPY');
    await page.getByTestId('scan-dte-max').fill('14');
    await page.getByTestId('scan-start').click();
    await expect.poll(() => page.getByTestId('scan-progress').getAttribute('data-state'), { timeout: 120_000, interval: 500 }).toBe('complete');
    const rows = await page.locator('.scan-grid .ag-row[row-id]').evaluateAll((els) => new Set(els.map((e) => e.getAttribute('row-id'))).size);
    expect(rows).toBeGreaterThan(0);
    mkdirSync(join(ROOT, 'test-results'), { recursive: true });
    await page.screenshot({ path: join(ROOT, 'test-results', `electron-smoke-${process.platform}.png`) });
    expect(errors).toEqual([]);
  });
});
