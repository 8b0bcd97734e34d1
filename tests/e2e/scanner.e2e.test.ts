// E2E: run a scan in the Scanner panel against Local paper — progress mid-scan, ranked rows, keyboard, payoff, Ticket.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { artifactPath, launchBrowser } from '../support/browser';
import { startHeadless, type HeadlessApp } from '../support/headless';

describe('scanner panel (headless, Local paper, Chromium)', () => {
  let app: HeadlessApp;
  let browser: Browser;
  let page: Page;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    app = await startHeadless();
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    page.on('pageerror', (e) => consoleErrors.push(`${String(e)} ${e.stack ?? ''}`));
  });
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
  });

  it('runs a scan: progress with ETA mid-scan, rows that update in place, a complete state at the end', async () => {
    await page.goto(app.url);
    await expect.poll(() => page.getByTestId('status-connection').textContent(), { timeout: 20_000 }).toMatch(/^● connected/);
    const panel = page.getByTestId('panel-scanner');
    await expect.poll(() => page.getByTestId('scan-start').isEnabled()).toBe(true);

    // `/` focuses the watchlist; type it, set the DTE range, press Enter to scan.
    await page.locator('body').click({ position: { x: 700, y: 880 } });
    await page.keyboard.press('/');
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('data-testid'))).toBe('scan-symbols');
    await page.keyboard.press('ControlOrMeta+a');
    await page.keyboard.type('SPY, QQQ, AAPL');
    await page.getByTestId('scan-dte-max').fill('21');
    await page.getByTestId('scan-symbols').press('Enter');

    // Mid-scan: the progress strip counts quotes and shows an ETA, and ranked rows are already in.
    await expect.poll(() => page.getByTestId('scan-progress').getAttribute('data-state'), { timeout: 60_000 }).toBe('quoting');
    await expect.poll(() => page.locator('.scan-grid .ag-row[row-id]').evaluateAll((els) => new Set(els.map((e) => e.getAttribute('row-id'))).size), { timeout: 60_000 }).toBeGreaterThan(5);
    expect(await page.getByTestId('scan-eta').textContent()).toMatch(/^ETA \d/);
    expect(await page.getByTestId('scan-progress-count').textContent()).toMatch(/^[\d,]+\/[\d,]+ quotes$/);
    expect(await page.getByTestId('scan-stop').isVisible()).toBe(true);
    await page.screenshot({ path: artifactPath('scanner-mid-scan-1440x900.png') });
    await panel.screenshot({ path: artifactPath('scanner-panel-mid-scan.png') });

    // A row keeps its DOM identity (row id = fingerprint) while the scan re-ranks around it.
    const firstId = await page.locator('.scan-grid .ag-row[row-id]').first().getAttribute('row-id');
    expect(firstId).toMatch(/^(SPY|QQQ|AAPL):(bull-put|bear-call):\d{8}:[\d.]+\/[\d.]+$/);

    await expect.poll(() => page.getByTestId('scan-progress').getAttribute('data-state'), { timeout: 240_000, interval: 500 }).toBe('complete');
    const count = await page.getByTestId('scan-progress-count').textContent();
    const [quoted, planned] = (count ?? '').replace(/,/g, '').split(' ')[0]!.split('/').map(Number);
    // Every planned quote is answered or reported failed: the count (which includes failed quotes) is full, or the
    // strip names the symbols that could not be scanned (a busy machine can time out a symbol's chain lookup).
    if (quoted !== planned) expect(await page.getByTestId('scan-symbol-errors').textContent()).toMatch(/⚠ (SPY|QQQ|AAPL)/);
    expect(quoted).toBeGreaterThan(0);
    expect(await page.getByTestId('scan-start').isVisible()).toBe(true);
    const ids = await page.locator('.scan-grid .ag-row[row-id]').evaluateAll((els) => [...new Set(els.map((e) => e.getAttribute('row-id')))]);
    expect(ids.length).toBeGreaterThan(10);
    // Credits are labelled, never bare signed numbers.
    const mids = await page.locator('.scan-grid .ag-row [col-id="priceMid"]').allTextContents();
    expect(mids.length).toBeGreaterThan(0);
    for (const m of mids) expect(m).toMatch(/^\d+\.\d{2} (cr|db)$/);
    // Broker-verified rows: the best rows carry IBKR's margin change (a number from the what-if, never a guess); the
    // rest are blank, and every blank cell's tooltip says why.
    const margins = await page.locator('.scan-grid .ag-row [col-id="whatIfMargin"]').allTextContents();
    console.log('[what-if] margin cells', JSON.stringify(margins.slice(0, 12)));
    expect(margins.some((m) => /^\d[\d,]*\.\d{2}$/.test(m))).toBe(true);
    for (const m of margins) expect(m).toMatch(/^(\d[\d,]*\.\d{2}|—|)$/);
    // The column sits right of the key columns: scroll the grid to it for a picture, then back.
    const viewport = panel.locator('.scan-grid .ag-body-horizontal-scroll-viewport').first();
    await viewport.evaluate((el) => (el.scrollLeft = el.scrollWidth));
    await page.waitForTimeout(300);
    await panel.screenshot({ path: artifactPath('scanner-panel-what-if.png') });
    await viewport.evaluate((el) => (el.scrollLeft = 0));
  }, 360_000);

  it('keyboard: arrows select rows and draw the payoff, Enter sends the spread to the Ticket', async () => {
    await page.getByTestId('scan-symbols').focus();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.getByTestId('scan-details').textContent()).toMatch(/Open in Ticket/);
    // The first row is on screen, so the grid reported it and its legs' open interest came in (tick-101 lines).
    await expect.poll(() => page.getByTestId('scan-details').textContent(), { timeout: 30_000 }).toMatch(/OI short\/long\s*[\d,]+\/[\d,]+/);
    const first = await page.getByTestId('scan-details').locator('.scan-details-title').textContent();
    await page.keyboard.press('ArrowDown');
    await expect.poll(() => page.getByTestId('scan-details').locator('.scan-details-title').textContent()).not.toBe(first);
    expect(await page.getByTestId('scan-payoff').locator('canvas').count()).toBeGreaterThan(0);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('status-bar').textContent()).toMatch(/to the Ticket/);
    await page.screenshot({ path: artifactPath('scanner-complete-1440x900.png') });
    await page.getByTestId('panel-scanner').screenshot({ path: artifactPath('scanner-panel-complete.png') });
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.waitForTimeout(800);
    await page.screenshot({ path: artifactPath('scanner-complete-1280x720.png') });
    // Nothing in the panel overflows its box at the smaller size.
    const overflow = await page.getByTestId('panel-scanner').evaluate((el) => {
      const box = el.getBoundingClientRect();
      return [...el.querySelectorAll('.scan-form *, .scan-progress *, .scan-details *')].filter((c) => {
        const r = c.getBoundingClientRect();
        return r.width > 0 && (r.right > box.right + 1 || r.bottom > box.bottom + 1);
      }).length;
    });
    expect(overflow).toBe(0);
    await page.setViewportSize({ width: 1440, height: 900 });
  }, 60_000);

  it('sorts by a column, and the grid layout survives a reload', async () => {
    await page.locator('.scan-grid .ag-header-cell[col-id="pop"]').click();
    await page.waitForTimeout(1_000);
    await page.reload();
    await expect.poll(() => page.getByTestId('status-connection').textContent(), { timeout: 20_000 }).toMatch(/^● connected/);
    await expect.poll(() => page.locator('.scan-grid .ag-row[row-id]').evaluateAll((els) => new Set(els.map((e) => e.getAttribute('row-id'))).size), { timeout: 60_000 }).toBeGreaterThan(5);
    expect(await page.locator('.scan-grid .ag-header-cell[col-id="pop"]').getAttribute('aria-sort')).toBe('ascending');
    // The form came back too.
    expect(await page.getByTestId('scan-symbols').inputValue()).toBe('SPY, QQQ, AAPL');
    expect(await page.getByTestId('scan-dte-max').inputValue()).toBe('21');
  }, 60_000);

  it('EV σ sits beside EV and reads like it; ranking by POP offers the probability model and the strip names it', async () => {
    await page.setViewportSize({ width: 1440, height: 900 });
    const cells = (col: string) => page.locator(`.scan-grid .ag-row [col-id="${col}"]`).allTextContents();
    // EV σ is off by default (the key columns must fit 1440 px); the Columns chooser shows it, and it stays shown.
    await page.getByTestId('scan-columns').click();
    const evSmileBox = page.getByTestId('scan-columns-menu').getByLabel('EV σ', { exact: true });
    await evSmileBox.click();
    await expect.poll(() => evSmileBox.isChecked(), { timeout: 10_000 }).toBe(true);
    await page.getByTestId('scan-columns').click();
    // Past the right edge at 1440 with the default columns: scroll it into the screenshot.
    await page.locator('.scan-grid .ag-body-horizontal-scroll-viewport').evaluate((el) => el.scrollTo({ left: el.scrollWidth }));
    await expect.poll(async () => (await cells('evSmile')).length, { timeout: 10_000 }).toBeGreaterThan(0);
    const colIndex = (col: string) => page.locator(`.scan-grid .ag-header-cell[col-id="${col}"]`).getAttribute('aria-colindex');
    expect(Number(await colIndex('evSmile'))).toBe(Number(await colIndex('ev')) + 1);
    console.log('[ev σ] evSmile', JSON.stringify((await cells('evSmile')).slice(0, 5)), 'ev', JSON.stringify((await cells('ev')).slice(0, 5)));
    for (const v of await cells('evSmile')) expect(v).toMatch(/^([+−]?[\d,]+\.\d{2}|—)$/);
    expect((await cells('evSmile')).some((v) => v !== '—')).toBe(true);
    await page.waitForTimeout(1_500);
    expect(await page.locator('.scan-grid .ag-header-cell[col-id="evSmile"]').count(), 'still shown a moment later').toBe(1);
    await page.screenshot({ path: artifactPath('scanner-ev-smile-1440x900.png') });

    expect(await page.getByTestId('scan-probability-model').count()).toBe(0);
    await page.getByTestId('scan-score').selectOption('pop');
    await page.getByTestId('scan-probability-model').selectOption('smile');
    await expect.poll(() => page.getByTestId('scan-ranked-by').textContent()).toMatch(/Ranked by POP σ \(smile\) @ mid/);
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.waitForTimeout(500);
    const overflow = await page.getByTestId('panel-scanner').evaluate((el) => {
      const box = el.getBoundingClientRect();
      return [...el.querySelectorAll('.scan-form *')].filter((c) => c.getBoundingClientRect().width > 0 && c.getBoundingClientRect().right > box.right + 1).length;
    });
    expect(overflow).toBe(0);
    await page.getByTestId('panel-scanner').screenshot({ path: artifactPath('scanner-smile-rank-1280x720.png') });
    // Back to the form the other tests use (it is saved in settings).
    await page.getByTestId('scan-score').selectOption('ror');
    await page.setViewportSize({ width: 1440, height: 900 });
  }, 60_000);

  it('grid honesty: ages keep counting after the scan, a row past a minute is shown stale, unknown metrics are blank with a reason', async () => {
    // A second window on the same app with a controllable clock: the last scan's rows arrive through scan.latest.
    const honest = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    try {
      await honest.clock.install();
      await honest.goto(app.url);
      await expect.poll(() => honest.getByTestId('status-connection').textContent(), { timeout: 20_000 }).toMatch(/^● connected/);
      const rowIds = () => honest.locator('.scan-grid .ag-row[row-id]').evaluateAll((els) => new Set(els.map((e) => e.getAttribute('row-id'))).size);
      await expect.poll(rowIds, { timeout: 10_000 }).toBeGreaterThan(5);
      const cells = (col: string) => honest.locator(`.scan-grid .ag-row [col-id="${col}"]`).allTextContents();
      // The smile POP sits beside the lognormal one; a metric is a percentage or a dash, never a made-up number.
      console.log('[honesty] popSmile', JSON.stringify((await cells('popSmile')).slice(0, 5)), 'pop', JSON.stringify((await cells('pop')).slice(0, 5)));
      for (const v of await cells('popSmile')) expect(v).toMatch(/^(\d+\.\d%|—)$/);
      expect((await cells('popSmile')).some((v) => v !== '—')).toBe(true);
      for (const v of await cells('pop')) expect(v).toMatch(/^(\d+\.\d%|—)$/);
      const fresh = await cells('completeness');
      expect(fresh.length).toBeGreaterThan(0);
      // Two minutes later with no new quote: every row says stale, fades, and its age says how old its numbers are.
      await honest.clock.fastForward('02:00');
      // The narrow Data column shows a stale row's age in its badge (the word is its state and tooltip).
      await expect.poll(async () => (await cells('completeness')).every((v) => /^\d+m$/.test(v)), { timeout: 10_000 }).toBe(true);
      expect(await honest.locator('.scan-grid .scan-badge[data-state="stale"]').count()).toBe(await honest.locator('.scan-grid .scan-badge').count());
      for (const v of await cells('quoteAgeMs')) expect(v).toMatch(/^\d+m$/);
      const faded = await honest.locator('.scan-grid .ag-row[row-id].scan-row-stale').count();
      expect(faded).toBe(await honest.locator('.scan-grid .ag-row[row-id]').count());
      await honest.screenshot({ path: artifactPath('scanner-stale-1440x900.png') });
      await honest.setViewportSize({ width: 1280, height: 720 });
      await honest.waitForTimeout(500);
      await honest.screenshot({ path: artifactPath('scanner-stale-1280x720.png') });
    } finally {
      await honest.close();
    }
  }, 60_000);

  it('saves a preset, and Stop ends a running scan', async () => {
    await page.getByTestId('scan-preset-save').click();
    await page.getByTestId('scan-preset-name').fill('Weekly credit');
    await page.getByTestId('scan-preset-name').press('Enter');
    await expect.poll(() => page.getByTestId('scan-preset').locator('option').allTextContents()).toContain('Weekly credit');
    await page.getByTestId('scan-start').click();
    await expect.poll(() => page.getByTestId('scan-progress').getAttribute('data-state'), { timeout: 60_000 }).toBe('quoting');
    await page.getByTestId('scan-stop').click();
    await expect.poll(() => page.getByTestId('scan-progress').getAttribute('data-state'), { timeout: 60_000 }).toBe('stopped');
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.waitForTimeout(300);
    await page.screenshot({ path: artifactPath('scanner-stopped-1280x720.png') });
    expect(consoleErrors).toEqual([]);
  }, 60_000);
});
