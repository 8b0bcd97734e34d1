// The scanner's screenshot: a 5-symbol watchlist scan (SPY, QQQ, IWM, AAPL, MSFT, DTE 0–45) on the Local paper exchange
// at 1440×900, the top row selected, written to docs/screenshots/scanner-5-symbols.png. It checks what the picture is
// for — every symbol has rows, the key columns are on screen — and fails otherwise. Run after `npm run build`:
// `npx tsx tests/support/scanner-screenshot.ts`.
import { join } from 'node:path';
import { openTerminal } from './browser';
import { ROOT } from './headless';

const SYMBOLS = ['SPY', 'QQQ', 'IWM', 'AAPL', 'MSFT'];
/** The columns a trader reads a row by; each must be in the grid's visible width. */
const KEY_COLUMNS = ['symbol', 'expiry', 'strikes', 'priceMid', 'ror', 'pop', 'popSmile', 'ev', 'shortDelta'];

async function until<T>(what: string, f: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f().catch(() => undefined as T);
    if (v !== undefined && ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

const t = await openTerminal({ connect: true });
try {
  const { page, app } = t;
  await page.goto(app.url);
  await until('connected', async () => (await page.getByTestId('status-connection').textContent()) ?? '', (s) => s.startsWith('● connected'));
  await until('scan enabled', () => page.getByTestId('scan-start').isEnabled(), Boolean);
  await page.getByTestId('scan-symbols').fill(SYMBOLS.join(', '));
  await page.getByTestId('scan-dte-min').fill('0');
  await page.getByTestId('scan-dte-max').fill('45');
  await page.getByTestId('scan-symbols').press('Enter');
  await until('the scan', () => page.getByTestId('scan-progress').getAttribute('data-state'), (s) => s === 'complete', 300_000);
  await page.getByTestId('scan-symbols').focus();
  await page.keyboard.press('ArrowDown');
  // The rows on screen get their open interest once the top is ranked.
  await until('OI of the selected row', async () => (await page.getByTestId('scan-details').textContent()) ?? '', (s) => /OI short\/long\s*[\d,]+\/[\d,]+/.test(s), 30_000);
  for (const close of await page.locator('.toasts .toast-close').all()) await close.click();

  const symbols = new Set(await page.locator('.scan-grid .ag-row [col-id="symbol"]').allTextContents());
  const missing = SYMBOLS.filter((s) => !symbols.has(s));
  const grid = await page.locator('.scan-grid').boundingBox();
  const hidden: string[] = [];
  for (const col of KEY_COLUMNS) {
    const box = await page.locator(`.scan-grid .ag-header-cell[col-id="${col}"]`).boundingBox();
    if (!box || !grid || box.x < grid.x - 1 || box.x + box.width > grid.x + grid.width + 1) hidden.push(col);
  }
  const path = join(ROOT, 'docs', 'screenshots', 'scanner-5-symbols.png');
  await page.screenshot({ path });
  console.log(`wrote ${path}; symbols on screen: ${[...symbols].sort().join(', ')}`);
  if (missing.length > 0 || hidden.length > 0) throw new Error(`symbols without rows on screen: ${missing.join(', ') || 'none'}; key columns not visible: ${hidden.join(', ') || 'none'}`);
} finally {
  await t.close();
}
