// E2E: Settings → Risk (limits with units, validation sentences, save) and the kill switch (Ctrl+Shift+K, confirm, report, HALTED, typed reset) in Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { artifactPath, openTerminal, type TerminalSession } from '../support/browser';
import { callMain, type HeadlessApp } from '../support/headless';

describe('risk UI (headless, Chromium)', () => {
  let session: TerminalSession;
  let app: HeadlessApp;
  let page: Page;

  beforeAll(async () => {
    session = await openTerminal({ connect: true });
    ({ app, page } = session);
    await page.goto(app.url);
    await page.getByText('trading ACTIVE').waitFor({ timeout: 30_000 });
  }, 60_000);
  afterAll(async () => {
    await session?.close();
  });

  it('Settings → Risk lists every limit with its unit and what it blocks; a bad value gets a trader sentence; a good one saves', async () => {
    await page.getByTestId('open-settings').click();
    const section = page.getByTestId('risk-settings');
    await section.scrollIntoViewIfNeeded();
    expect(await section.locator('tr[data-limit]').count()).toBe(21);
    expect(await section.locator('tr[data-limit="maxLossPerTradeUsd"] .risk-blocks').textContent()).toContain('max loss');
    await page.getByLabel('Max contracts per order (contracts)').fill('2.5');
    await page.getByTestId('save-risk').click();
    await expect.poll(() => section.getByRole('alert').textContent()).toContain('Max contracts per order must be a whole number');
    await page.getByLabel('Max contracts per order (contracts)').fill('12');
    await page.getByTestId('save-risk').click();
    await expect.poll(() => section.getByRole('status').textContent()).toBe('Risk limits saved.');
    const saved = await callMain(app, 'risk.get', {});
    expect(saved).toMatchObject({ ok: true, value: { limits: { maxContractsPerOrder: 12 } } });
    await page.screenshot({ path: artifactPath('risk-settings-1440x900.png') });
    await page.setViewportSize({ width: 1280, height: 720 });
    await section.scrollIntoViewIfNeeded();
    await page.screenshot({ path: artifactPath('risk-settings-1280x720.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.keyboard.press('Escape');
  }, 60_000);

  it('Ctrl+Shift+K opens the kill switch; confirming cancels, HALTS and shows the report; a typed RESET clears it', async () => {
    await page.keyboard.press('Control+Shift+K');
    await expect.poll(() => page.getByTestId('kill-dialog').isVisible()).toBe(true);
    await page.getByTestId('kill-flatten').check();
    await page.getByTestId('kill-confirm').click();
    await expect.poll(() => page.getByTestId('kill-report').isVisible(), { timeout: 20_000 }).toBe(true);
    expect(await page.getByTestId('kill-summary').textContent()).toContain('Trading is HALTED');
    expect(await page.getByTestId('kill-report').textContent()).toContain('Trading HALTED until you reset it.');
    await page.screenshot({ path: artifactPath('kill-report-1440x900.png') });
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.screenshot({ path: artifactPath('kill-report-1280x720.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByTestId('kill-dialog').getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => page.getByTestId('status-trading').textContent()).toBe('trading HALTED');
    expect(await page.getByTestId('status-trading').getAttribute('title')).toContain('kill switch');
    await page.getByTestId('reset-halt').click();
    expect(await page.getByTestId('reset-confirm').isDisabled()).toBe(true);
    await page.getByTestId('reset-input').fill('RESET');
    await page.getByTestId('reset-confirm').click();
    await expect.poll(() => page.getByTestId('status-trading').textContent(), { timeout: 10_000 }).toBe('trading ACTIVE');
  }, 60_000);
});
