// E2E: a fill raises a desktop notification (browser Notification API, permission granted) and a toast; muting fills in the
// settings suppresses both for the next fill, while the fill still reaches the log (headless, Local paper, Chromium).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BrowserContext, Page } from 'playwright-core';
import type { PositionsSnapshot } from '../../src/core/contract';
import { artifactPath, openTerminal, type TerminalSession } from '../support/browser';
import { callMain } from '../support/headless';

interface Recorded {
  title: string;
  body: string;
}

describe('notifications (headless, Local paper, Chromium with notification permission)', () => {
  let t: TerminalSession;
  let context: BrowserContext;
  let page: Page;
  const pageErrors: string[] = [];
  let ticket: { symbol: string; expiry: string; kind: string; longStrike: number; shortStrike: number } | null = null;

  const notes = () => page.evaluate(() => (globalThis as unknown as { __notes: Recorded[] }).__notes);
  const toasts = () => page.locator('.toasts .toast').allTextContents();

  /** Sends one spread through its natural price with order.submit and waits until main says it is filled. */
  const fill = async (ticketId: string): Promise<number> => {
    const base = { ...ticket!, quantity: 1, limit: { amount: 0.01, kind: 'debit' } };
    const preview = await callMain(t.app, 'ticket.preview', { ticket: base });
    const natural = (preview.value as { netNatural: { amount: number; kind: string } | null }).netNatural;
    expect(natural).not.toBeNull();
    // Ten cents through natural (the fat-finger limit is off) so a moving simulated market cannot leave it resting.
    const through = natural!.kind === 'debit' ? { amount: Math.round((natural!.amount + 0.1) * 100) / 100, kind: 'debit' } : { amount: Math.max(0.01, Math.round((natural!.amount - 0.1) * 100) / 100), kind: 'credit' };
    const sent = await callMain(t.app, 'order.submit', { ticketId, ticket: { ...base, limit: through } });
    expect(sent.ok, JSON.stringify(sent.error)).toBe(true);
    const orderId = (sent.value as { orderId: number }).orderId;
    await expect
      .poll(async () => ((await callMain(t.app, 'orders.list', { includeDone: true, limit: 50 })).value as { orderId: number; status: string }[]).find((o) => o.orderId === orderId)?.status, { timeout: 60_000, interval: 300 })
      .toBe('Filled');
    return orderId;
  };

  beforeAll(async () => {
    t = await openTerminal({ connect: true });
    context = await t.browser.newContext({ viewport: { width: 1440, height: 900 } });
    await context.grantPermissions(['notifications'], { origin: t.app.origin });
    // Record every desktop notification the page creates (headless Chromium shows none on screen).
    await context.addInitScript(() => {
      type Ctor = (new (title: string, options?: { body?: string }) => unknown) & { permission: string; requestPermission: () => Promise<string> };
      const w = globalThis as unknown as { __notes: Recorded[]; Notification: Ctor };
      w.__notes = [];
      const Real = w.Notification;
      const Recording = function (title: string, options?: { body?: string }) {
        w.__notes.push({ title, body: options?.body ?? '' });
        return new Real(title, options);
      } as unknown as Ctor;
      Object.defineProperty(Recording, 'permission', { get: () => Real.permission });
      Recording.requestPermission = Real.requestPermission.bind(Real);
      w.Notification = Recording;
    });
    page = await context.newPage();
    page.on('pageerror', (e) => pageErrors.push(String(e)));
  }, 60_000);
  afterAll(async () => {
    await context?.close();
    await t?.close();
  });

  it('a fill shows a desktop notification and a toast', async () => {
    await page.goto(t.app.url);
    await expect.poll(() => page.getByTestId('status-connection').textContent(), { timeout: 30_000 }).toMatch(/^● connected/);
    expect(await page.evaluate(() => (globalThis as unknown as { Notification: { permission: string } }).Notification.permission)).toBe('granted');
    // As in positions.e2e: a preview followed by its send is not a repeat here, and the quote-age check is not what this tests.
    expect((await callMain(t.app, 'risk.update', { limits: { maxQuoteAgeSec: null, duplicateWindowSec: null, maxTicksBeyondNatural: null } })).ok).toBe(true);
    // A bull call spread from a scan of SPY (main's own scanner, through the contract); at most 70 % of its width at
    // natural, since ranking by POP alone puts deep in-the-money spreads whose natural debit exceeds their width first.
    // An unbounded score (POP) quotes the whole plan: about two minutes on an idle 2-core machine, more under load.
    expect((await callMain(t.app, 'scan.start', { symbols: ['SPY'], filters: { kinds: ['bull-call'], dte: { min: 5, max: 30 }, maxDebitToWidth: 0.7 }, scoring: { by: 'pop', basis: 'natural' }, top: 500, topPerSymbol: 500 })).ok).toBe(true);
    await expect
      .poll(async () => {
        const latest = (await callMain(t.app, 'scan.latest', {})).value as { results: { final: boolean; rows: { symbol: string; expiry: string; kind: string; longStrike: number; shortStrike: number; priceNatural: number }[] } | null };
        // Near the money (a debit of 1 to 4 per share): far-out legs bid nothing, which the risk checks rightly refuse;
        // and well inside its width, so the debit sent ten cents through natural can still make money (NO_PROFIT).
        const row = latest.results?.final ? latest.results.rows.find((r) => r.priceNatural >= 1 && r.priceNatural <= 4 && r.priceNatural + 0.2 < Math.abs(r.longStrike - r.shortStrike)) : undefined;
        if (row) ticket = { symbol: row.symbol, expiry: row.expiry, kind: row.kind, longStrike: row.longStrike, shortStrike: row.shortStrike };
        return ticket !== null;
      }, { timeout: 240_000, interval: 500 })
      .toBe(true);

    const orderId = await fill('e2e-notify-0001');
    await expect.poll(async () => (await notes()).filter((n) => n.title === 'Order filled').length, { timeout: 20_000, interval: 200 }).toBe(1);
    const [note] = (await notes()).filter((n) => n.title === 'Order filled');
    expect(note!.body).toMatch(new RegExp(`^Filled #${orderId} SPY .*: 1 spread at \\d+\\.\\d{2} db\\.$`));
    await expect.poll(toasts, { timeout: 10_000 }).toContainEqual(expect.stringContaining(`Order filled: Filled #${orderId} SPY`));
    await page.waitForTimeout(300);
    await page.screenshot({ path: artifactPath('notification-fill-toast-1440x900.png') });
    await page.setViewportSize({ width: 1280, height: 720 });
    await page.waitForTimeout(500);
    await page.screenshot({ path: artifactPath('notification-fill-toast-1280x720.png') });
    await page.setViewportSize({ width: 1440, height: 900 });
  }, 300_000);

  it('muting fills in the settings suppresses the notification and the toast of the next fill; the log keeps it', async () => {
    const settings = (await callMain(t.app, 'settings.get', {})).value as { ui: { notifications: Record<string, boolean> } };
    const muted = await callMain(t.app, 'settings.update', { patch: { ui: { notifications: { ...settings.ui.notifications, fills: false } } } });
    expect(muted.ok).toBe(true);
    const before = (await notes()).length;
    const orderId = await fill('e2e-notify-0002');
    // The spread shows in Positions (so the fill's events have reached this window), and the log has the fill.
    await expect.poll(async () => ((await callMain(t.app, 'positions.list', {})).value as PositionsSnapshot).spreads.reduce((a, s) => a + s.quantity, 0), { timeout: 30_000, interval: 300 }).toBeGreaterThanOrEqual(2);
    await page.getByTestId('tab-orders').click();
    await expect.poll(() => page.locator(`text=#${orderId}`).count(), { timeout: 20_000, interval: 300 }).toBeGreaterThan(0);
    await page.waitForTimeout(2_000);
    expect((await notes()).slice(before)).toEqual([]);
    expect((await toasts()).some((x) => x.includes(`#${orderId}`))).toBe(false);
    // Unmuted again, the next fill notifies.
    expect((await callMain(t.app, 'settings.update', { patch: { ui: { notifications: { ...settings.ui.notifications, fills: true } } } })).ok).toBe(true);
    const third = await fill('e2e-notify-0003');
    await expect.poll(async () => (await notes()).slice(before).map((n) => n.body.startsWith(`Filled #${third} `)), { timeout: 20_000, interval: 200 }).toEqual([true]);
    expect(pageErrors).toEqual([]);
  }, 300_000);
});
