// E2E: every ag-grid in the terminal works with only the registered modules (GRID_MODULES in grid-theme.ts): a scan
// fills the grid, keyboard focus, its column filter and sort work, the tooltips, selection, Orders, Executions and Journal grids render;
// ag-grid reports a feature whose module is missing as a console error ("AG Grid: error #200"), and none appears.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { openTerminal, type TerminalSession } from '../support/browser';

describe('ag-grid with the trimmed module list (headless, Local paper, Chromium)', () => {
  let session: TerminalSession;
  let page: Page;
  const gridMessages: string[] = [];
  const pageErrors: string[] = [];

  beforeAll(async () => {
    session = await openTerminal({ connect: true });
    page = session.page;
    page.on('console', (m) => /ag[- ]?grid|error #\d+/i.test(m.text()) && gridMessages.push(`${m.type()}: ${m.text()}`));
    page.on('pageerror', (e) => pageErrors.push(String(e)));
  });
  afterAll(async () => {
    await session?.close();
  });

  it('scanner grid: rows, sorting, a column filter, selection, with no missing-module message', async () => {
    await page.goto(session.app.url);
    await expect.poll(() => page.getByTestId('status-connection').textContent(), { timeout: 30_000 }).toMatch(/^● connected/);
    await expect.poll(() => page.getByTestId('scan-start').isEnabled(), { timeout: 20_000 }).toBe(true);
    await page.getByTestId('scan-symbols').fill('SPY');
    await page.getByTestId('scan-dte-max').fill('21');
    await page.getByTestId('scan-symbols').press('Enter');
    const rows = page.locator('.scan-grid .ag-row[row-id]');
    await expect.poll(() => rows.count(), { timeout: 60_000 }).toBeGreaterThan(2);
    await expect.poll(() => page.getByTestId('scan-progress').getAttribute('data-state'), { timeout: 90_000, interval: 500 }).toBe('complete');

    // ArrowDown from the watchlist focuses the first row (RowApiModule, ScrollApiModule).
    await page.getByTestId('scan-symbols').press('ArrowDown');
    await expect.poll(() => page.locator('.scan-grid .ag-cell-focus').count(), { timeout: 10_000 }).toBeGreaterThan(0);

    // Sort by a header click (core) and open the Symbol column's filter (TextFilterModule) and type into it.
    await page.locator('.scan-grid .ag-header-cell[col-id="symbol"] .ag-header-cell-text').click();
    await expect.poll(() => page.locator('.scan-grid .ag-header-cell[col-id="symbol"]').getAttribute('aria-sort')).toMatch(/ascending|descending/);
    const header = page.locator('.scan-grid .ag-header-cell[col-id="symbol"]');
    await header.hover();
    await header.locator('.ag-header-cell-filter-button, .ag-header-cell-menu-button').first().click();
    const filterInput = page.locator('.ag-filter input[type="text"], .ag-filter-body input').first();
    await filterInput.waitFor({ state: 'visible', timeout: 10_000 });
    await filterInput.fill('SPY');
    await expect.poll(() => rows.count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await page.keyboard.press('Escape');

    // Select a row (RowSelectionModule, RowApiModule) and hover a header with a tooltip (TooltipModule).
    await rows.first().click();
    await page.locator('.scan-grid .ag-header-cell[col-id="rank"]').hover();
    await expect.poll(() => page.locator('.ag-tooltip').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    expect(gridMessages).toEqual([]);
  }, 180_000);

  it('Orders, Executions and Journal grids render with no missing-module message', async () => {
    for (const tab of ['orders', 'executions', 'journal']) {
      await page.getByTestId(`tab-${tab}`).click();
      await expect.poll(() => page.locator('[role="tabpanel"] .ag-root, [role="tabpanel"] .empty-state').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    }
    expect(gridMessages).toEqual([]);
    expect(pageErrors).toEqual([]);
  }, 60_000);
});
