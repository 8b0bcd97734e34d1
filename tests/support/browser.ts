// Test support: Debian's Chromium driven by playwright-core, with the flags this closed network needs.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { ROOT, startHeadless, type HeadlessApp } from './headless';

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS_DIR = join(ROOT, 'test-results');

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--no-first-run',
      '--disable-sync',
      '--disable-quic',
    ],
  });
  // playwright-core gives each launch its own fresh temporary profile.
}

export function artifactPath(name: string): string {
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
  return join(ARTIFACTS_DIR, name);
}

/** A headless app with a Chromium page on it, for one e2e suite; `close()` ends both. */
export interface TerminalSession {
  app: HeadlessApp;
  browser: Browser;
  page: Page;
  close(): Promise<void>;
}

export async function openTerminal(options: { connect: boolean }): Promise<TerminalSession> {
  const app = await startHeadless(options.connect ? {} : { extraArgs: ['--no-connect'] });
  // A browser that cannot start (e.g. no Chromium) must not leave the app running behind a failed suite.
  const browser = await launchBrowser().catch(async (e: unknown) => {
    await app.stop();
    throw e;
  });
  const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
  return {
    app,
    browser,
    page,
    async close() {
      await browser.close();
      await app.stop();
    },
  };
}
