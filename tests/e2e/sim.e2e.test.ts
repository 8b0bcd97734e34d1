// E2E: the SIMULATED TIME badge and the simulated session/clock on the status bar, and the simulation controls, in Chromium.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { artifactPath, openTerminal, type TerminalSession } from '../support/browser';
import { callMain } from '../support/headless';

describe('simulation controls (headless, Chromium)', () => {
  let t: TerminalSession;
  let page: Page;

  beforeAll(async () => {
    t = await openTerminal({ connect: true });
    page = t.page;
  }, 60_000);
  afterAll(async () => {
    await t?.close();
  });

  it('the status bar carries the SIMULATED TIME badge and the simulated session and New York clock', async () => {
    await page.goto(t.app.url);
    await expect.poll(() => page.getByTestId('status-connection').textContent(), { timeout: 30_000 }).toMatch(/^● connected/);
    const badge = page.getByTestId('sim-badge');
    await badge.waitFor({ state: 'visible', timeout: 20_000 });
    expect(await badge.textContent()).toContain('SIMULATED TIME');
    const status = (await callMain(t.app, 'sim.status')).value as { now: number; paused: boolean };
    // The default 'open' mode is always inside a session, whatever the wall clock says.
    expect(await page.getByTestId('status-session').textContent()).toMatch(/^Market open/);
    expect(await page.getByTestId('status-clock').getAttribute('title')).toBe('Simulated New York time (not the wall clock)');
    expect(status.paused).toBe(false);
    await page.getByTestId('status-bar').screenshot({ path: artifactPath('sim-status-bar.png') });
    await page.screenshot({ path: artifactPath('sim-1440x900.png') });
  });

  it('the controls pause the market (the clock on screen stops), jump it forward and apply a vol shock', async () => {
    await page.getByTestId('sim-badge').click();
    const dialog = page.getByTestId('sim-controls');
    await dialog.waitFor({ state: 'visible' });
    await dialog.getByRole('button', { name: 'Pause' }).click();
    await expect.poll(() => page.getByTestId('sim-badge').textContent()).toContain('PAUSED');
    const frozen = await page.getByTestId('status-clock').textContent();
    await page.waitForTimeout(1500);
    expect(await page.getByTestId('status-clock').textContent()).toBe(frozen);
    const before = ((await callMain(t.app, 'sim.status')).value as { now: number }).now;
    await dialog.getByRole('button', { name: '+1 h' }).click();
    await expect.poll(async () => ((await callMain(t.app, 'sim.status')).value as { now: number }).now).toBeGreaterThanOrEqual(before + 3_600_000);
    await dialog.getByLabel('Vol shock points').fill('5');
    await dialog.getByRole('button', { name: 'Apply' }).first().click();
    await expect.poll(() => page.getByTestId('sim-scenario').textContent()).toContain('vol +5.0 pts');
    await page.screenshot({ path: artifactPath('sim-controls-1440x900.png') });
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.screenshot({ path: artifactPath('sim-controls-1280x720.png') });
    await dialog.getByRole('button', { name: 'Close' }).click();
    await page.screenshot({ path: artifactPath('sim-1280x720.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
  });
});
