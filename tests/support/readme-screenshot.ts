// The README's screenshot: a populated terminal (scan results, a previewed ticket, a held spread) on the Local paper
// exchange, written to docs/screenshot.png. Run after `npm run build`: `npx tsx tests/support/readme-screenshot.ts`.
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import type { PositionsSnapshot } from '../../src/core/contract';
import { openTerminal } from './browser';
import { callMain, ROOT } from './headless';

/** Polls until `f` gives what `ok` accepts, or fails with `what`. */
async function until<T>(what: string, f: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 60_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await f().catch(() => undefined as T);
    if (v !== undefined && ok(v)) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** Opens the scanner row `index` (0 = best) in the Ticket, priced `through` dollars past natural, and previews it. */
async function ticketFromRow(page: Page, index: number, through: number): Promise<void> {
  await page.getByTestId('scan-symbols').focus();
  for (let i = 0; i <= index; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await until('the ticket', () => page.getByTestId('ticket').isVisible(), Boolean, 10_000);
  await page.getByTestId('ticket-target').fill('');
  await page.getByTestId('ticket-policy').selectOption('fixed');
  const natural = page.locator('.tk-price .tk-fact').nth(1).locator('.num');
  const text = await until('a natural price', async () => ((await natural.textContent()) ?? '').trim(), (t) => /^\d+\.\d{2} (cr|db)$/.test(t), 20_000);
  const [amount, side] = text.split(' ') as [string, 'cr' | 'db'];
  await page.getByTestId('ticket-limit').fill(Math.max(0.01, Number(amount) + (side === 'cr' ? -through : through)).toFixed(2));
  await until('preview enabled', () => page.getByTestId('ticket-preview').isEnabled(), Boolean, 20_000);
  await page.getByTestId('ticket-limit').press('Control+Enter');
  await until('the sentence', async () => (await page.getByTestId('ticket-sentence').textContent()) ?? '', (t) => /^(SELL|BUY) \d+ /.test(t), 10_000);
}

const t = await openTerminal({ connect: true });
try {
  const { page, app } = t;
  await page.goto(app.url);
  await until('connected', async () => (await page.getByTestId('status-connection').textContent()) ?? '', (s) => s.startsWith('● connected'));
  // A picture, not a trade plan: the repeat-ticket window and the fat-finger distance would only get in the way.
  await callMain(app, 'risk.update', { limits: { duplicateWindowSec: null, maxTicksBeyondNatural: null, maxQuoteAgeSec: null } });
  await until('scan enabled', () => page.getByTestId('scan-start').isEnabled(), Boolean);
  await page.getByTestId('scan-symbols').fill('SPY, QQQ, IWM');
  await page.getByTestId('scan-dte-max').fill('45');
  await page.getByTestId('scan-symbols').press('Enter');
  await until('the scan', () => page.getByTestId('scan-progress').getAttribute('data-state'), (s) => s === 'complete', 180_000);
  // Hold one spread (sent marketable so it fills), then leave a second one previewed in the Ticket.
  await ticketFromRow(page, 0, 0.1);
  await page.getByTestId('ticket-send').click();
  await until('a held spread', async () => ((await callMain(app, 'positions.list', {})).value as PositionsSnapshot).spreads.length, (n) => n >= 1);
  await ticketFromRow(page, 2, 0);
  await page.getByTestId('tab-positions').click();
  await until('the position row', () => page.locator('[data-testid="positions-grid"] .ag-row').count(), (n) => n >= 1, 30_000);
  await page.waitForTimeout(1500);
  for (const close of await page.locator('.toasts .toast-close').all()) await close.click(); // the toasts would cover Positions
  const path = join(ROOT, 'docs', 'screenshot.png');
  await page.screenshot({ path });
  console.log(`wrote ${path}`);
} finally {
  await t.close();
}
