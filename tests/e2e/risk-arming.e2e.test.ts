// E2E (issue 12): a LIVE profile (pointed at a paper exchange) is read-only until armed — the Ticket shows why Send is
// blocked, the header's Arm takes the typed account id, and only then can the order be sent (Chromium).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startPaperExchange, type PaperExchangeHandle } from '../../src/main/paper';
import { artifactPath, launchBrowser } from '../support/browser';
import { callMain, startHeadless, type HeadlessApp } from '../support/headless';

describe('live-account arming (headless, Chromium, a LIVE profile on the paper exchange)', () => {
  let ex: PaperExchangeHandle;
  let app: HeadlessApp;
  let browser: Awaited<ReturnType<typeof launchBrowser>>;

  beforeAll(async () => {
    ex = await startPaperExchange({ port: 0, seed: 7 });
    app = await startHeadless({ extraArgs: ['--no-connect'] });
    const saved = await callMain(app, 'settings.update', { patch: { activeProfile: 'tws-live', profiles: [{ id: 'tws-live', host: '127.0.0.1', port: ex.port, clientId: 41 }] } });
    expect(saved.ok).toBe(true);
    // A LIVE profile follows the wall clock, so on a weekend or at night the session check would block the order
    // this test sends after arming; arming is what is under test here.
    expect((await callMain(app, 'risk.update', { limits: { requireRegularSession: false } })).ok).toBe(true);
    expect((await callMain(app, 'connection.connect', {})).ok).toBe(true);
    browser = await launchBrowser();
  }, 90_000);
  afterAll(async () => {
    await browser?.close();
    await app?.stop();
    await ex?.close();
  });

  it('Send stays disabled with the reason until the account is armed with its typed id; then the order goes out', async () => {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await page.goto(app.url);
    await expect.poll(() => page.getByTestId('status-connection').textContent(), { timeout: 30_000 }).toMatch(/^● connected/);
    await page.getByTestId('arm').waitFor({ timeout: 30_000 });

    // A spread from a scan row, priced at its natural so it would fill at once if it were allowed out.
    await expect.poll(() => page.getByTestId('scan-start').isEnabled(), { timeout: 20_000 }).toBe(true);
    await page.getByTestId('scan-symbols').fill('SPY');
    await page.getByTestId('scan-dte-max').fill('21');
    await page.getByTestId('scan-symbols').press('Enter');
    await expect.poll(() => page.getByTestId('scan-progress').getAttribute('data-state'), { timeout: 120_000, interval: 500 }).toBe('complete');
    await page.getByTestId('scan-symbols').focus();
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByTestId('ticket').isVisible(), { timeout: 10_000 }).toBe(true);
    await page.getByTestId('ticket-policy').selectOption('fixed');

    // Not armed: the preview carries the NOT_ARMED block, and the ticket says so where Send would be.
    await expect.poll(() => page.getByTestId('ticket-verdicts').textContent(), { timeout: 30_000 }).toContain('LIVE account');
    expect(await page.getByTestId('ticket-blocker').textContent()).toMatch(/^Risk check blocks it: .*LIVE account/);
    expect(await page.getByTestId('ticket-preview').isDisabled()).toBe(true);
    await page.screenshot({ path: artifactPath('ticket-blocked-not-armed-1440x900.png') });
    await page.getByTestId('panel-ticket').screenshot({ path: artifactPath('ticket-blocked-not-armed-panel.png') });
    const before = ex.account().openOrders;

    // Arm: the wrong id keeps the button disabled; the exact id arms this session.
    await page.getByTestId('arm').click();
    await page.getByTestId('arm-input').fill('DU0000000');
    expect(await page.getByTestId('arm-confirm').isDisabled()).toBe(true);
    await page.getByTestId('arm-input').fill(ex.accountId);
    await page.getByTestId('arm-confirm').click();
    await page.getByTestId('disarm').waitFor({ timeout: 10_000 });
    expect(await callMain(app, 'risk.get', {})).toMatchObject({ ok: true });
    expect(ex.account().openOrders).toBe(before);

    // Armed: a fresh preview passes the arming check and the order can be confirmed and sent.
    const natural = (await page.locator('.tk-price .tk-fact').nth(1).locator('.num').textContent()) ?? '';
    const m = /^(\d+\.\d{2}) (cr|db)$/.exec(natural.trim());
    expect(m).not.toBeNull();
    await page.getByTestId('ticket-limit').fill(m![1]!);
    await expect.poll(() => page.getByTestId('ticket-verdicts').textContent(), { timeout: 30_000 }).not.toContain('LIVE account');
    await expect.poll(async () => ((await page.getByTestId('ticket-preview').isEnabled()) ? 'enabled' : await page.getByTestId('ticket-blocker').textContent()), { timeout: 30_000 }).toBe('enabled');
    await page.getByTestId('ticket-limit').press('Control+Enter');
    await expect.poll(() => page.getByTestId('ticket-sentence').textContent(), { timeout: 10_000 }).toMatch(/^(SELL|BUY) 1 SPY /);
    await page.getByTestId('ticket-send').click();
    await page.getByTestId('tab-orders').click();
    await expect.poll(() => page.locator('[data-testid="orders-blotter"] .ag-row').count(), { timeout: 60_000, interval: 500 }).toBeGreaterThan(0);
    await page.screenshot({ path: artifactPath('ticket-armed-sent-1440x900.png') });
    await page.close();
  }, 300_000);
});
