// E2E: a screen that never lies — token gone from the address bar, market session and NY clock, a typo shown on its
// field as a sentence, a switch to LIVE clears simulated rows, and a dead backend greys everything out.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { artifactPath, openTerminal, type TerminalSession } from '../support/browser';
import type { HeadlessApp } from '../support/headless';

const rowCount = (page: Page) => page.locator('.scan-grid .ag-row[row-id]').evaluateAll((els) => new Set(els.map((e) => e.getAttribute('row-id'))).size);

describe('honest screen (headless, Local paper, Chromium)', () => {
  let session: TerminalSession;
  let app: HeadlessApp;
  let page: Page;
  const pageErrors: string[] = [];

  beforeAll(async () => {
    session = await openTerminal({ connect: true });
    ({ app, page } = session);
    page.on('pageerror', (e) => pageErrors.push(String(e)));
  });
  afterAll(async () => {
    await session?.close();
  });

  it('removes the token from the address bar after load; a reload still works', async () => {
    await page.goto(app.url);
    await expect.poll(() => page.getByTestId('status-connection').textContent(), { timeout: 30_000 }).toMatch(/^● connected/);
    expect(page.url()).not.toContain('token');
    expect(page.url()).toBe(`${app.origin}/`);
    await page.reload();
    await expect.poll(() => page.getByTestId('status-connection').textContent(), { timeout: 30_000 }).toMatch(/^● connected/);
    expect(page.url()).not.toContain('token');
  });

  it('shows the market session and the New York clock in the status bar', async () => {
    expect(await page.getByTestId('status-session').textContent()).toMatch(/^(Pre-market|Market open|After hours|Market closed)( · .+)?$/);
    expect(await page.getByTestId('status-clock').textContent()).toMatch(/^NY \d{2}:\d{2}:\d{2}$/);
    await page.getByTestId('status-bar').screenshot({ path: artifactPath('status-bar-session-clock.png') });
  });

  it('puts a watchlist typo on the field as a sentence, toasted once, never a schema path', async () => {
    await expect.poll(() => page.getByTestId('scan-start').isEnabled(), { timeout: 20_000 }).toBe(true);
    await page.getByTestId('scan-symbols').fill('SPY, SP$Y');
    await page.getByTestId('scan-symbols').press('Enter');
    const msg = page.getByTestId('field-error-symbols');
    await expect.poll(() => msg.textContent(), { timeout: 10_000 }).toBe('“SP$Y” is not a ticker symbol: symbols are 1–12 letters, digits or dots.');
    expect(await page.getByTestId('scan-symbols').getAttribute('aria-invalid')).toBe('true');
    const body = (await page.locator('body').textContent()) ?? '';
    expect(body).not.toContain('patch.ui');
    expect(body).not.toContain('scannerForm');
    // The save and the scan both failed on the same typo: one toast, not two.
    expect(await page.locator('.toast', { hasText: 'is not a ticker symbol' }).count()).toBe(1);
    await page.screenshot({ path: artifactPath('field-validation-1440x900.png') });
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.screenshot({ path: artifactPath('field-validation-1280x720.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
    // Editing the field withdraws the message.
    await page.getByTestId('scan-symbols').fill('SPY');
    await expect.poll(() => msg.count()).toBe(0);
  });

  it('a switch to a LIVE profile clears the simulated rows', async () => {
    await page.getByTestId('scan-dte-max').fill('7');
    await page.getByTestId('scan-start').click();
    await expect.poll(() => rowCount(page), { timeout: 60_000 }).toBeGreaterThan(0);
    await page.getByTestId('open-settings').click();
    const dialog = page.getByTestId('settings-dialog');
    await dialog.waitFor({ state: 'visible' });
    await dialog.getByLabel('Use TWS live').check();
    await dialog.getByTestId('save-settings').click();
    await dialog.waitFor({ state: 'hidden' });
    await expect.poll(() => page.getByTestId('mode-badge').textContent()).toBe('LIVE');
    // Nothing from the simulated account under the LIVE banner: not its connection, account or trading state.
    await expect.poll(() => page.getByTestId('status-connection').textContent(), { timeout: 10_000 }).not.toMatch(/connected ·/);
    expect(await page.getByTestId('header-connection').textContent()).not.toMatch(/Connectionconnected$/);
    expect(await page.locator('[data-testid="status-account"]', { hasText: 'SIMULATED' }).count()).toBe(0);
    expect(await page.getByTestId('status-trading').textContent()).not.toBe('trading ACTIVE');
    await expect.poll(() => rowCount(page), { timeout: 10_000 }).toBe(0);
    expect(await page.getByTestId('scan-progress').getAttribute('data-state')).toBeNull();
    await page.screenshot({ path: artifactPath('profile-live-no-stale-rows-1440x900.png') });
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.screenshot({ path: artifactPath('profile-live-no-stale-rows-1280x720.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
  });

  it('when the backend is gone: "SpreadDesk is not responding", live data greyed, actions off', async () => {
    app.child.kill('SIGKILL');
    await expect.poll(() => page.getByTestId('not-responding').isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await page.getByTestId('not-responding').textContent()).toContain('SpreadDesk is not responding');
    expect(await page.getByTestId('header-connection').textContent()).toContain('not responding');
    expect(await page.getByTestId('status-trading').textContent()).toBe('trading —');
    expect(await page.getByTestId('open-settings').isDisabled()).toBe(true);
    expect(await page.locator('main.workspace').getAttribute('inert')).not.toBeNull();
    // Inert: a click on Scan does nothing and focus cannot enter the workspace.
    await page.getByTestId('scan-symbols').focus();
    expect(await page.evaluate(() => (globalThis as unknown as { document: { activeElement: { getAttribute(n: string): string | null } | null } }).document.activeElement?.getAttribute('data-testid') ?? null)).not.toBe('scan-symbols');
    await page.screenshot({ path: artifactPath('backend-gone-1440x900.png') });
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.screenshot({ path: artifactPath('backend-gone-1280x720.png') });
    expect(pageErrors).toEqual([]);
  });

  it('Esc closes dialogs and ? opens the shortcuts sheet', async () => {
    // The backend is gone, but the shortcuts sheet is local.
    await page.locator('body').press('?');
    await page.getByTestId('shortcuts-dialog').waitFor({ state: 'visible' });
    expect(await page.getByTestId('shortcuts-dialog').textContent()).toContain('Focus the watchlist');
    await page.keyboard.press('Escape');
    await page.getByTestId('shortcuts-dialog').waitFor({ state: 'hidden' });
  });
});
