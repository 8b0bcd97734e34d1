// E2E: the headless UI in Chromium — layout, SIMULATED badge, Settings validation and persistence.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { artifactPath, openTerminal, type TerminalSession } from '../support/browser';
import { callMain, startHeadless, type HeadlessApp } from '../support/headless';

describe('terminal shell (headless, Chromium)', () => {
  let session: TerminalSession;
  let app: HeadlessApp;
  let page: Page;

  beforeAll(async () => {
    // This suite checks the shell before any connection, so it starts without connecting.
    session = await openTerminal({ connect: false });
    ({ app, page } = session);
  });
  afterAll(async () => {
    await session?.close();
  });

  it('shows the layout and the SIMULATED badge for the default Local paper profile', async () => {
    const consoleErrors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && consoleErrors.push(m.text()));
    await page.goto(app.url);
    await expect.poll(() => page.getByTestId('mode-badge').textContent()).toBe('SIMULATED');
    // The work panels are a lazily loaded chunk: they follow the shell's first paint.
    for (const id of ['panel-scanner', 'panel-ticket', 'status-bar']) await expect.poll(() => page.getByTestId(id).isVisible(), { timeout: 20_000 }).toBe(true);
    for (const tab of ['positions', 'orders', 'executions', 'pnl', 'journal', 'diagnostics']) expect(await page.getByTestId(`tab-${tab}`).isVisible()).toBe(true);
    expect(await page.getByTestId('header-connection').textContent()).toContain('disconnected');
    expect(await page.getByTestId('header-profile').textContent()).toContain('Local paper');
    expect(await page.getByTestId('status-trading').textContent()).toBe('trading HALTED');
    expect(await page.getByTestId('status-trading').getAttribute('title')).toBe('Not connected to the broker.');
    // The frame border carries the mode colour (violet for simulated).
    const border = await page.getByTestId('app-frame').evaluate((el) => (globalThis as unknown as { getComputedStyle(e: unknown): { borderTopColor: string } }).getComputedStyle(el).borderTopColor);
    expect(border).toBe('rgb(139, 92, 246)');
    await page.screenshot({ path: artifactPath('main-1440x900.png') });
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.screenshot({ path: artifactPath('main-1280x720.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
    expect(consoleErrors).toEqual([]);
  });

  it('rejects an invalid TWS paper port without saving, then saves a valid one that survives a reload', async () => {
    await page.getByTestId('open-settings').click();
    const dialog = page.getByTestId('settings-dialog');
    await dialog.waitFor({ state: 'visible' });
    const port = dialog.getByLabel('TWS paper port');
    expect(await port.inputValue()).toBe('7497');

    await port.fill('70000');
    await expect.poll(() => dialog.getByRole('alert').first().textContent()).toContain('Port must be between 1 and 65535');
    expect(await dialog.getByTestId('save-settings').isDisabled()).toBe(true);
    await port.fill('12ab');
    await expect.poll(() => dialog.getByRole('alert').first().textContent()).toContain('whole number');
    await page.screenshot({ path: artifactPath('settings-invalid.png') });

    // Nothing was saved: main still has 7497.
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.reload();
    await page.getByTestId('open-settings').click();
    expect(await page.getByTestId('settings-dialog').getByLabel('TWS paper port').inputValue()).toBe('7497');

    await page.getByTestId('settings-dialog').getByLabel('TWS paper port').fill('7498');
    await page.getByTestId('save-settings').click();
    await page.getByTestId('settings-dialog').waitFor({ state: 'hidden' });

    await page.reload();
    await page.getByTestId('open-settings').click();
    expect(await page.getByTestId('settings-dialog').getByLabel('TWS paper port').inputValue()).toBe('7498');
    await page.keyboard.press('Escape');
  });

  it('persists a resized splitter across a reload', async () => {
    const handle = page.locator('[data-split="top-horizontal"] > .split-handle');
    expect(await handle.getAttribute('aria-valuenow')).toBe('66');
    await handle.focus();
    for (let i = 0; i < 3; i++) await page.keyboard.press('ArrowLeft');
    expect(await handle.getAttribute('aria-valuenow')).toBe('60');
    await expect.poll(async () => (await page.locator('[data-split="top-horizontal"] > .split-pane').first().getAttribute('style')) ?? '').toContain('60%');
    // The size is saved through settings.update; poll main's copy before reloading.
    await expect
      .poll(async () => ((await callMain(app, 'settings.get')).value as { ui: { panelSizes: Record<string, number[]> } }).ui.panelSizes['top-horizontal'])
      .toEqual([60, 40]);
    await page.reload();
    await expect.poll(() => page.locator('[data-split="top-horizontal"] > .split-handle').getAttribute('aria-valuenow')).toBe('60');
  });
});

describe('start-up connection', () => {
  it('connects to the active profile (Local paper) at start unless --no-connect is given', async () => {
    const app = await startHeadless();
    try {
      await expect
        .poll(async () => (await callMain(app, 'connection.get')).value as { state: string; isSimulated: boolean; accounts: string[] }, { timeout: 20_000 })
        .toMatchObject({ state: 'connected', isSimulated: true, accounts: [expect.stringMatching(/^DU/)] });
      // Trading opens only after the journal is reconciled with the exchange.
      await expect.poll(async () => (await callMain(app, 'trading.get')).value, { timeout: 20_000 }).toMatchObject({ state: 'ACTIVE' });
    } finally {
      await app.stop();
    }
  });
});
