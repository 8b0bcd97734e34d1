// E2E: scan → row → Ticket → preview → confirm → send → walk → fill, the Orders and Executions tabs, modify and cancel (Local paper, Chromium).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { artifactPath, openTerminal, type TerminalSession } from '../support/browser';
import { callMain } from '../support/headless';

describe('ticket, orders and executions (headless, Local paper, Chromium)', () => {
  let t: TerminalSession;
  const consoleErrors: string[] = [];

  beforeAll(async () => {
    t = await openTerminal({ connect: true });
    t.page.on('pageerror', (e) => consoleErrors.push(String(e)));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('opens a scanner row in the Ticket with Enter and previews it (local math, then the server preview)', async () => {
    const { page } = t;
    await page.goto(t.app.url);
    await expect.poll(() => page.getByTestId('status-connection').textContent(), { timeout: 20_000 }).toMatch(/^● connected/);
    await expect.poll(() => page.getByTestId('scan-start').isEnabled(), { timeout: 20_000 }).toBe(true);
    await page.getByTestId('scan-symbols').fill('SPY');
    await page.getByTestId('scan-dte-max').fill('21');
    await page.getByTestId('scan-symbols').press('Enter');
    await expect.poll(() => page.getByTestId('scan-progress').getAttribute('data-state'), { timeout: 90_000, interval: 500 }).toBe('complete');
    await page.getByTestId('scan-symbols').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('ticket').isVisible(), { timeout: 10_000 }).toBe(true);
    expect(await page.getByTestId('ticket-symbol').inputValue()).toBe('SPY');
    expect(await page.getByTestId('ticket-limit').inputValue()).toMatch(/^\d+\.\d{2}$/);
    // A profit target shows the odds of reaching it first (local barrier model).
    await page.getByTestId('ticket-target').fill('50');
    await expect.poll(() => page.getByTestId('ticket-p-target').textContent()).toMatch(/^\d+\.\d%$/);
    // ↑ steps one tick.
    const before = Number(await page.getByTestId('ticket-limit').inputValue());
    await page.getByTestId('ticket-limit').press('ArrowUp');
    expect(Number(await page.getByTestId('ticket-limit').inputValue())).toBeCloseTo(before + 0.01, 6);
    await page.getByTestId('ticket-limit').press('ArrowDown');
    await expect.poll(() => page.getByTestId('ticket-verdicts').textContent(), { timeout: 20_000 }).not.toMatch(/Checking/);
    await page.waitForTimeout(500);
    await page.screenshot({ path: artifactPath('ticket-preview-1440x900.png') });
    await page.getByTestId('panel-ticket').screenshot({ path: artifactPath('ticket-panel-preview.png') });
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.waitForTimeout(600);
    await page.screenshot({ path: artifactPath('ticket-preview-1280x720.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
    // Sent without exits here (they would add a target order after the fill); the manual-legs test below shows them.
    await page.getByTestId('ticket-target').fill('');
  }, 180_000);

  it('Ctrl+Enter shows the exact sentence; a second explicit confirm sends; the walk steps toward natural and fills; Orders and Executions show it', async () => {
    const { page } = t;
    // Walk: start three ticks short of natural, step every second, cap at natural (100 % of mid → natural), so the
    // walk reaches a marketable price within its four steps.
    await page.getByTestId('ticket-policy').selectOption('walk');
    await page.getByTestId('ticket-walk-step').fill('1');
    await page.getByTestId('ticket-walk-cap').fill('100');
    const natural = (await page.locator('.tk-price .tk-fact').nth(1).locator('.num').textContent()) ?? '';
    const m = /^(\d+\.\d{2}) (cr|db)$/.exec(natural.trim());
    expect(m).not.toBeNull();
    const start = (Number(m![1]) + (m![2] === 'cr' ? 0.03 : -0.03)).toFixed(2);
    await page.getByTestId('ticket-limit').fill(start);
    await expect.poll(() => page.getByTestId('ticket-preview').isEnabled(), { timeout: 20_000 }).toBe(true);
    await page.getByTestId('ticket-limit').press('Control+Enter');
    await expect.poll(() => page.getByTestId('ticket-sentence').textContent(), { timeout: 10_000 }).toMatch(new RegExp(`^(SELL|BUY) 1 SPY .* spread for a ${start.replace('.', '\\.')} (credit|debit), walking to at most \\d+\\.\\d{2}`));
    await page.screenshot({ path: artifactPath('ticket-confirm-1440x900.png') });
    await page.getByTestId('ticket-send').click();
    await page.getByTestId('tab-orders').click();
    const first = page.locator('[data-testid="orders-blotter"] .ag-row').first();
    // The Walk column shows the step, its state and the cap while it works (a resting fill may come first).
    await expect.poll(async () => `${await first.locator('[col-id="status"]').textContent()} ${await first.locator('[col-id="walk"]').textContent()}`, { timeout: 60_000, interval: 250 }).toMatch(/(^Filled )|( [1-4]\/4 (walking|at cap|done) → \d+\.\d{2} (cr|db)$)/);
    await page.screenshot({ path: artifactPath('orders-walking-1440x900.png') });
    await expect.poll(() => first.locator('[col-id="status"]').textContent(), { timeout: 60_000, interval: 500 }).toBe('Filled');
    await expect.poll(() => first.locator('[col-id="walk"]').textContent(), { timeout: 10_000 }).toMatch(/^\d\/4 done → /);
    await page.waitForTimeout(500);
    await page.screenshot({ path: artifactPath('orders-filled-1440x900.png') });
    await page.getByTestId('tab-executions').click();
    await expect.poll(() => page.locator('[data-testid="executions-blotter"] .ag-row').count(), { timeout: 30_000 }).toBeGreaterThan(0);
    await page.waitForTimeout(300);
    await page.screenshot({ path: artifactPath('executions-1440x900.png') });
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: artifactPath('executions-1280x720.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.getByTestId('tab-journal').click();
    // The Journal lists the filled spread as an open trade.
    await expect.poll(() => page.locator('.bottom-tabs [role="tabpanel"] .ag-row').first().textContent(), { timeout: 20_000 }).toMatch(/SPY.*open/);
    await page.waitForTimeout(500);
    await page.screenshot({ path: artifactPath('journal-after-fill-1440x900.png') });
  }, 120_000);

  it('modifies and cancels a working order, with Ctrl+. asking before cancelling all', async () => {
    const { page } = t;
    // The same spread again within seconds is what this test needs, not the risk engine's repeat-ticket guard.
    expect((await callMain(t.app, 'risk.update', { limits: { duplicateWindowSec: null } })).ok).toBe(true);
    // A limit far from the market keeps the order working: a credit near the width, or a one-cent debit, fixed.
    await page.getByTestId('ticket-policy').selectOption('fixed');
    const width = Math.abs(Number(await page.getByTestId('ticket-short').inputValue()) - Number(await page.getByTestId('ticket-long').inputValue()));
    const isCredit = /cr$/.test(((await page.locator('.tk-price .tk-fact').first().locator('.num').textContent()) ?? '').trim());
    const far = isCredit ? width - 0.05 : 0.01;
    const modified = isCredit ? width - 0.06 : 0.02;
    await page.getByTestId('ticket-limit').fill(far.toFixed(2));
    await expect.poll(() => page.getByTestId('ticket-preview').isEnabled(), { timeout: 20_000 }).toBe(true);
    await page.getByTestId('ticket-preview').click();
    await page.getByTestId('ticket-send').click();
    await page.getByTestId('tab-orders').click();
    const firstStatus = () => page.locator('[data-testid="orders-blotter"] .ag-row [col-id="status"]').first().textContent();
    await expect.poll(firstStatus, { timeout: 30_000 }).toMatch(/^(Working|Held at IBKR)$/);
    await page.locator('[data-testid="orders-blotter"] .ag-row').first().click();
    await page.getByTestId('order-modify-open').click();
    await page.getByTestId('order-modify-limit').fill(modified.toFixed(2));
    await page.getByTestId('order-modify-apply').click();
    await expect.poll(() => page.locator('[data-testid="orders-blotter"] .ag-row [col-id="limit"]').first().textContent(), { timeout: 30_000 }).toBe(`${modified.toFixed(2)} ${isCredit ? 'cr' : 'db'}`);
    await page.screenshot({ path: artifactPath('orders-working-1440x900.png') });
    await page.keyboard.press('Control+.');
    await expect.poll(() => page.getByTestId('orders-cancel-all-confirm').isVisible()).toBe(true);
    await page.screenshot({ path: artifactPath('orders-cancel-all-1280x720.png') });
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByTestId('orders-cancel-all-confirm').count()).toBe(0);
    await page.getByTestId('order-cancel').click();
    await expect.poll(firstStatus, { timeout: 30_000 }).toMatch(/Cancelled/);
    expect(consoleErrors).toEqual([]);
  }, 120_000);

  it('manual legs (no scanner row): POP, EV, greeks and the exit odds come from the server preview', async () => {
    const { page } = t;
    const value = (id: string) => page.getByTestId(id).inputValue();
    // The same spread, priced at its mid (the limit on screen was walked away by the modify test).
    const mid = /^(\d+\.\d{2}) (cr|db)$/.exec(((await page.locator('.tk-price .tk-fact').nth(0).locator('.num').textContent()) ?? '').trim());
    expect(mid).not.toBeNull();
    const legs = { symbol: await value('ticket-symbol'), expiry: await value('ticket-expiry'), kind: await value('ticket-kind'), short: await value('ticket-short'), long: await value('ticket-long'), limit: mid![1]! };
    await page.getByTestId('ticket-new').click();
    await page.getByTestId('ticket-symbol').fill(legs.symbol);
    await page.getByTestId('ticket-expiry').fill(legs.expiry);
    await page.getByTestId('ticket-kind').selectOption(legs.kind);
    await page.getByTestId('ticket-short').fill(legs.short);
    await page.getByTestId('ticket-long').fill(legs.long);
    await page.getByTestId('ticket-limit').fill(legs.limit);
    await page.getByTestId('ticket-target').fill('50');
    await page.getByTestId('ticket-stop').fill('50');
    // Without a row there are no IVs locally: these figures can only be the server's (legs' model IVs).
    await expect.poll(() => page.getByTestId('ticket-facts').textContent(), { timeout: 30_000 }).toMatch(/POP\s*\d+\.\d%/);
    expect(await page.getByTestId('ticket-facts').textContent()).toMatch(/Δ\s*[−+-]?\d/);
    await expect.poll(() => page.getByTestId('ticket-p-target').textContent(), { timeout: 30_000 }).toMatch(/^\d+\.\d%$/);
    await page.waitForTimeout(300);
    await page.screenshot({ path: artifactPath('ticket-manual-server-odds-1440x900.png') });
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.waitForTimeout(600);
    await page.screenshot({ path: artifactPath('ticket-manual-server-odds-1280x720.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
    expect(consoleErrors).toEqual([]);
  }, 90_000);
});
