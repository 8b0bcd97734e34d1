// E2E: a scripted session (scan → Ticket → send → fill) shows in Positions as a spread with live P&L and in the P&L tab; the
// spread is closed from Positions through the execution service and its realised P&L shows (Local paper, Chromium).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PnlSummary, PositionsSnapshot } from '../../src/core/contract';
import { artifactPath, openTerminal, type TerminalSession } from '../support/browser';
import { callMain } from '../support/headless';

describe('positions and P&L tabs (headless, Local paper, Chromium)', () => {
  let t: TerminalSession;
  const consoleErrors: string[] = [];
  const shoot = async (name: string) => {
    const { page } = t;
    await page.waitForTimeout(400);
    await page.screenshot({ path: artifactPath(`${name}-1440x900.png`) });
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.waitForTimeout(600);
    await page.screenshot({ path: artifactPath(`${name}-1280x720.png`) });
    await page.setViewportSize({ width: 1440, height: 900 });
    await page.waitForTimeout(300);
  };

  beforeAll(async () => {
    t = await openTerminal({ connect: true });
    t.page.on('pageerror', (e) => consoleErrors.push(String(e)));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('an empty book says what to do next', async () => {
    const { page } = t;
    await page.goto(t.app.url);
    await expect.poll(() => page.getByTestId('status-connection').textContent(), { timeout: 20_000 }).toMatch(/^● connected/);
    // A preview followed by its send counts as a repeat ticket; quote age and the fat-finger distance from natural are
    // not what this test is about.
    expect((await callMain(t.app, 'risk.update', { limits: { maxQuoteAgeSec: null, duplicateWindowSec: null, maxTicksBeyondNatural: null } })).ok).toBe(true);
    await page.getByTestId('tab-positions').click();
    await expect.poll(() => page.locator('.bottom-tabs .empty-title').first().textContent(), { timeout: 10_000 }).toBe('No open positions');
    await shoot('positions-empty');
  }, 60_000);

  it('a filled spread shows in Positions as one spread with live P&L, legs on Enter, and in the P&L tab', async () => {
    const { page } = t;
    await expect.poll(() => page.getByTestId('scan-start').isEnabled(), { timeout: 20_000 }).toBe(true);
    await page.getByTestId('scan-symbols').fill('SPY');
    await page.getByTestId('scan-dte-max').fill('21');
    await page.getByTestId('scan-symbols').press('Enter');
    await expect.poll(() => page.getByTestId('scan-progress').getAttribute('data-state'), { timeout: 90_000, interval: 500 }).toBe('complete');
    await page.getByTestId('scan-symbols').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('ticket').isVisible(), { timeout: 10_000 }).toBe(true);
    await page.getByTestId('ticket-target').fill('');
    await page.getByTestId('ticket-policy').selectOption('fixed');
    await expect.poll(() => page.locator('.tk-price .tk-fact').nth(1).locator('.num').textContent(), { timeout: 20_000 }).toMatch(/^\d+\.\d{2} (cr|db)$/);
    // Ten cents through natural (the fat-finger limit is off above) so a moving simulated market cannot leave it resting.
    const [natural, side] = ((await page.locator('.tk-price .tk-fact').nth(1).locator('.num').textContent()) ?? '').trim().split(' ') as [string, 'cr' | 'db'];
    await page.getByTestId('ticket-limit').fill(Math.max(0.01, Number(natural) + (side === 'cr' ? -0.1 : 0.1)).toFixed(2));
    await expect.poll(() => page.getByTestId('ticket-preview').isEnabled(), { timeout: 20_000 }).toBe(true);
    await page.getByTestId('ticket-limit').press('Control+Enter');
    await expect.poll(() => page.getByTestId('ticket-sentence').textContent(), { timeout: 10_000 }).toMatch(/^(SELL|BUY) 1 SPY/);
    await page.getByTestId('ticket-send').click();

    await page.getByTestId('tab-positions').click();
    await expect.poll(async () => ((await callMain(t.app, 'positions.list', {})).value as PositionsSnapshot).spreads.length, { timeout: 60_000, interval: 500 }).toBe(1);
    const id = ((await callMain(t.app, 'positions.list', {})).value as PositionsSnapshot).spreads[0]!.spreadId;
    // One grid row per spread (its pinned and scrolling parts share the row id).
    const firstRow = page.locator(`[data-testid="positions-grid"] .ag-row[row-id="s${id}"]`);
    await expect.poll(() => firstRow.locator('[col-id="broker"]').textContent(), { timeout: 30_000, interval: 500 }).toBe('✓ held');
    await expect.poll(() => firstRow.locator('[col-id="unrealised"]').textContent(), { timeout: 30_000, interval: 500 }).toMatch(/^([+\u2212][\d,]+\.\d{2}|0\.00)$/);
    expect(await firstRow.locator('[col-id="entry"]').textContent()).toMatch(/^\d+\.\d{2} (cr|db)$/);
    expect(await firstRow.locator('[col-id="qty"]').textContent()).toBe('1');
    // Main agrees with the screen: one spread, matched at the broker, marked.
    const listed = await callMain(t.app, 'positions.list', {});
    const snap = listed.value as PositionsSnapshot;
    expect(snap.spreads).toHaveLength(1);
    expect(snap.spreads[0]).toMatchObject({ symbol: 'SPY', quantity: 1, broker: 'matched' });
    await shoot('positions');
    // Keyboard: focus the row, Enter shows the two legs (journal → broker quantities).
    await firstRow.locator('[col-id="kind"]').click();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('[data-testid="positions-grid"] .ag-row.pos-leg [col-id="qty"]').count(), { timeout: 5_000 }).toBe(2);
    const legQty = await page.locator('[data-testid="positions-grid"] .ag-row.pos-leg [col-id="qty"]').allTextContents();
    expect(legQty).toEqual(['1 → 1', '-1 → -1']);
    await shoot('positions-legs');

    await page.getByTestId('tab-pnl').click();
    await expect.poll(() => page.getByTestId('pnl-open').textContent(), { timeout: 20_000 }).toBe('1');
    await expect.poll(() => page.getByTestId('pnl-netliq').textContent(), { timeout: 40_000, interval: 500 }).toMatch(/^[\d,]+\.\d{2}$/);
    await expect.poll(() => page.getByTestId('pnl-intraday-chart').count(), { timeout: 20_000 }).toBe(1);
    await shoot('pnl');
  }, 240_000);

  it('sets exits, then closes the spread from Positions (one combo through the execution service); the realised P&L shows and equals the journal', async () => {
    const { page } = t;
    await page.getByTestId('tab-positions').click();
    await page.locator('[data-testid="positions-grid"] .ag-row:not(.pos-leg) [col-id="kind"]').first().click();
    // Exit rules set on the position show in its row (alert only: no auto close here).
    await page.getByTestId('position-exits-open').click();
    await page.getByTestId('exit-target').fill('90');
    await page.getByTestId('exit-dte').fill('1');
    await shoot('positions-exits');
    await page.getByTestId('exit-save').click();
    await expect.poll(() => page.locator('[data-testid="positions-grid"] .ag-row:not(.pos-leg) [col-id="exit"]').first().textContent(), { timeout: 10_000 }).toMatch(/^tgt 90% · 1 DTE/);
    await page.getByTestId('position-close-open').click();
    await expect.poll(() => page.getByTestId('position-close-limit').inputValue()).toMatch(/^\d+\.\d{2}$/);
    await shoot('positions-close');
    await page.getByTestId('position-close-send').click();
    await expect.poll(() => page.locator('.bottom-tabs .empty-title').first().textContent().catch(() => ''), { timeout: 60_000, interval: 500 }).toBe('No open positions');
    const summary = (await callMain(t.app, 'pnl.summary', {})).value as PnlSummary;
    expect(summary.openSpreads).toBe(0);
    const trades = (await callMain(t.app, 'journal.trades', { filter: { status: 'closed' }, limit: 10 })).value as { trades: { netPnl: number }[] };
    expect(trades.trades).toHaveLength(1);
    // Commissions can land after the fill: wait until the summary and the journal agree to the cent.
    await expect
      .poll(async () => {
        const s = (await callMain(t.app, 'pnl.summary', {})).value as PnlSummary;
        const j = (await callMain(t.app, 'journal.trades', { filter: { status: 'closed' }, limit: 10 })).value as { trades: { netPnl: number }[] };
        return Math.round(s.realisedToday * 100) === Math.round((j.trades[0]?.netPnl ?? NaN) * 100);
      }, { timeout: 20_000, interval: 500 })
      .toBe(true);
    await page.getByTestId('tab-pnl').click();
    await expect.poll(() => page.getByTestId('pnl-realised').textContent(), { timeout: 20_000 }).toMatch(/^([+\u2212][\d,]+\.\d{2}|0\.00)$/);
    await expect.poll(() => page.getByTestId('pnl-open').textContent(), { timeout: 20_000 }).toBe('0');
    await shoot('pnl-after-close');
    expect(consoleErrors).toEqual([]);
  }, 120_000);
});
