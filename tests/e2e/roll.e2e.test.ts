// E2E: roll from the Positions tab — a held spread is rolled to a later expiry as ONE 4-leg combo through the execution
// service: the form previews the four legs and the net, sends at a net price, the roll fills and Positions shows the new
// spread (Local paper, Chromium).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderRow, PositionsSnapshot, ScanResults } from '../../src/core/contract';
import { artifactPath, openTerminal, type TerminalSession } from '../support/browser';
import { callMain } from '../support/headless';

describe('roll from Positions (headless, Local paper, Chromium)', () => {
  let t: TerminalSession;
  const pageErrors: string[] = [];
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
  const positions = async () => (await callMain(t.app, 'positions.list', {})).value as PositionsSnapshot;

  beforeAll(async () => {
    t = await openTerminal({ connect: true });
    t.page.on('pageerror', (e) => pageErrors.push(String(e)));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('previews and sends a roll of a held spread as one 4-leg combo; the new spread replaces the old', async () => {
    const { page } = t;
    await page.goto(t.app.url);
    await expect.poll(() => page.getByTestId('status-connection').textContent(), { timeout: 30_000 }).toMatch(/^● connected/);
    // A repeated ticket shape (the roll previews twice) and the fat-finger distance from natural are not what this test is about.
    expect((await callMain(t.app, 'risk.update', { limits: { maxQuoteAgeSec: null, duplicateWindowSec: null, maxTicksBeyondNatural: null } })).ok).toBe(true);
    // Hold a spread: scan, open the best row in the Ticket, send it at natural.
    await expect.poll(() => page.getByTestId('scan-start').isEnabled(), { timeout: 30_000 }).toBe(true);
    await page.getByTestId('scan-symbols').fill('SPY');
    await page.getByTestId('scan-dte-max').fill('45');
    await page.getByTestId('scan-symbols').press('Enter');
    await expect.poll(() => page.getByTestId('scan-progress').getAttribute('data-state'), { timeout: 120_000, interval: 500 }).toBe('complete');
    // The best row with a later expiry among the rows (the market is the day's simulation: the best row itself may sit at the last one).
    const results = ((await callMain(t.app, 'scan.latest', {})).value as { results: ScanResults | null }).results;
    const rows = results?.rows ?? [];
    const lastExpiry = rows.map((r) => r.expiry).sort().at(-1);
    const pick = rows.find((r) => r.expiry < lastExpiry!);
    expect(pick, 'the scan found rows at two expiries or more').toBeDefined();
    await page.locator(`.scan-grid .ag-row[row-id="${pick!.fingerprint}"]`).first().dblclick();
    await expect.poll(() => page.getByTestId('ticket').isVisible(), { timeout: 10_000 }).toBe(true);
    await page.getByTestId('ticket-target').fill('');
    await page.getByTestId('ticket-policy').selectOption('fixed');
    await expect.poll(() => page.locator('.tk-price .tk-fact').nth(1).locator('.num').textContent(), { timeout: 20_000 }).toMatch(/^\d+\.\d{2} (cr|db)$/);
    // Ten cents through natural (the fat-finger limit is off above) so a moving simulated market cannot leave it resting.
    const [entryAmt, entryKind] = ((await page.locator('.tk-price .tk-fact').nth(1).locator('.num').textContent()) ?? '').trim().split(' ') as [string, 'cr' | 'db'];
    await page.getByTestId('ticket-limit').fill(Math.max(0.01, Number(entryAmt) + (entryKind === 'cr' ? -0.1 : 0.1)).toFixed(2));
    await expect.poll(() => page.getByTestId('ticket-preview').isEnabled(), { timeout: 20_000 }).toBe(true);
    await page.getByTestId('ticket-limit').press('Control+Enter');
    await expect.poll(() => page.getByTestId('ticket-sentence').textContent(), { timeout: 10_000 }).toMatch(/^(SELL|BUY) 1 SPY/);
    await page.getByTestId('ticket-send').click();
    await expect.poll(async () => (await positions()).spreads.length, { timeout: 60_000, interval: 500 }).toBe(1);
    const held = (await positions()).spreads[0]!;

    // The roll target: the same kind and strikes at a later expiry the scan saw (its legs exist and quote).
    expect(held.expiry).toBe(pick!.expiry);
    const later = [...new Set(rows.filter((r) => r.symbol === held.symbol && r.expiry > held.expiry).map((r) => r.expiry))].sort()[0];
    expect(later, 'the scan found a later expiry to roll to').toBeDefined();

    await page.getByTestId('tab-positions').click();
    const row = page.locator(`[data-testid="positions-grid"] .ag-row[row-id="s${held.spreadId}"]`);
    await expect.poll(() => row.locator('[col-id="broker"]').textContent(), { timeout: 30_000, interval: 500 }).toBe('✓ held');
    await row.locator('[col-id="kind"]').click();
    await page.getByTestId('position-roll-open').click();
    await expect.poll(() => page.getByTestId('roll-form').isVisible(), { timeout: 5_000 }).toBe(true);
    await page.getByTestId('roll-expiry').fill(`${later!.slice(0, 4)}-${later!.slice(4, 6)}-${later!.slice(6)}`);
    // Preview with no limit prices the four legs and fills in the net mid.
    await page.getByTestId('roll-preview').click();
    await expect.poll(() => page.getByTestId('roll-sentence').textContent(), { timeout: 30_000 }).toMatch(/^ROLL 1 SPY .* to .* spread for a \d+\.\d{2} (credit|debit)$/);
    expect(await page.locator('.roll-legs tbody tr').count()).toBe(4);
    expect(await page.getByTestId('roll-limit').inputValue()).toMatch(/^\d+\.\d{2}$/);
    await shoot('roll-preview');

    // Send marketable: natural, ten cents worse, so a moving simulated market cannot leave it resting.
    const nat = ((await page.getByTestId('roll-natural').textContent()) ?? '').trim();
    expect(nat).toMatch(/^\d+\.\d{2} (cr|db)$/);
    const [amt, kind] = nat.split(' ') as [string, 'cr' | 'db'];
    const cash = Math.round(((kind === 'cr' ? Number(amt) : -Number(amt)) - 0.1) * 100) / 100;
    await page.getByTestId('roll-limit').fill(Math.abs(cash).toFixed(2));
    await page.getByTestId('roll-kind').selectOption(cash >= 0 ? 'credit' : 'debit');
    await page.getByTestId('roll-preview').click();
    await expect.poll(() => page.getByTestId('roll-sentence').textContent(), { timeout: 30_000 }).toContain(`for a ${Math.abs(cash).toFixed(2)} ${cash >= 0 ? 'credit' : 'debit'}`);
    expect(await page.locator('[data-testid="roll-verdict"].tk-error').allTextContents(), 'no risk check blocks the roll').toEqual([]);
    await expect.poll(() => page.getByTestId('roll-send').isEnabled(), { timeout: 30_000 }).toBe(true);
    await page.getByTestId('roll-send').click();
    await expect.poll(() => page.getByTestId('roll-form').count(), { timeout: 30_000 }).toBe(0);

    // One order went out, as a roll, and it filled; Positions now holds the later spread instead of the old one.
    const roll = async () => ((await callMain(t.app, 'orders.list', {})).value as OrderRow[]).filter((o) => o.intent === 'roll');
    await expect.poll(async () => (await roll()).map((o) => o.status), { timeout: 60_000, interval: 500 }).toEqual(['Filled']);
    expect((await roll())[0]!.sentence).toMatch(/^ROLL 1 SPY/);
    await expect.poll(async () => (await positions()).spreads.map((s) => `${s.expiry} ${s.shortStrike}/${s.longStrike}`), { timeout: 60_000, interval: 500 }).toEqual([`${later} ${held.shortStrike}/${held.longStrike}`]);
    await expect.poll(() => page.locator(`[data-testid="positions-grid"] .ag-row[row-id="s${held.spreadId}"]`).count(), { timeout: 30_000 }).toBe(0);
    await page.getByTestId('tab-orders').click();
    await expect.poll(() => page.locator('[data-testid="orders-blotter"] .ag-row').count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    // The roll's row names the spread it closed and the one it opened, not the old spread alone.
    const rollRow = page.locator(`[data-testid="orders-blotter"] .ag-row[row-id="${(await roll())[0]!.orderId}"]`);
    const short = (e: string) => `${e.slice(4, 6)}-${e.slice(6)}`;
    await expect.poll(() => rollRow.locator('[col-id="expiry"]').textContent(), { timeout: 10_000 }).toBe(`${held.expiry.slice(0, 4)}-${short(held.expiry)} → ${later!.slice(0, 4) === held.expiry.slice(0, 4) ? short(later!) : `${later!.slice(0, 4)}-${short(later!)}`}`);
    expect(await rollRow.locator('[col-id="strikes"]').textContent()).toBe(`${held.shortStrike}/${held.longStrike}`);
    await shoot('roll-orders');
    expect(pageErrors).toEqual([]);
  }, 300_000);
});
