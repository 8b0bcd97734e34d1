// Start-up: milliseconds from spawning the built headless app to the page's first contentful paint, and the bytes
// the first screen downloads, and when the work panels (Scanner, Ticket, tabs — a lazily loaded chunk) are on screen. `npm run bench -- startup` (needs `npm run build` and Chromium). Prints figures only.
import { performance } from 'node:perf_hooks';
import { launchBrowser } from '../support/browser';
import { startHeadless } from '../support/headless';

const RUNS = 5;

export default async function startup(): Promise<void> {
  const browser = await launchBrowser();
  const rows: { total: number; ready: number; fcp: number; panels: number; bytes: number; decoded: number }[] = [];
  try {
    for (let i = 0; i < RUNS; i++) {
      const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
      const t0 = performance.now();
      const app = await startHeadless({ extraArgs: ['--no-connect'] });
      const ready = performance.now() - t0;
      try {
        const t1 = performance.now();
        await page.goto(app.url, { waitUntil: 'load' });
        await page.getByTestId('status-bar').waitFor({ state: 'visible' });
        await page.waitForFunction(() => (globalThis as unknown as { performance: { getEntriesByName(n: string): unknown[] } }).performance.getEntriesByName('first-contentful-paint').length > 0, undefined, { timeout: 10_000 });
        // Milliseconds after navigation start at which the Scanner and Ticket panels (not their loading frames) exist.
        const panels = (await (
          await page.waitForFunction(
            () => {
              const g = globalThis as unknown as { document: { querySelector(s: string): unknown }; performance: { now(): number } };
              return g.document.querySelector('[data-testid="panel-scanner"]') && g.document.querySelector('[data-testid="panel-ticket"]') ? g.performance.now() : 0;
            },
            undefined,
            { timeout: 20_000, polling: 'raf' },
          )
        ).jsonValue()) as number;
        const m = await page.evaluate(() => {
          const perf = (globalThis as unknown as { performance: { getEntriesByName(n: string): { startTime: number }[]; getEntriesByType(t: string): { transferSize: number; decodedBodySize: number }[] } }).performance;
          const fcp = perf.getEntriesByName('first-contentful-paint')[0]?.startTime ?? Number.NaN;
          const res = [...perf.getEntriesByType('navigation'), ...perf.getEntriesByType('resource')];
          return { fcp, bytes: res.reduce((s, r) => s + r.transferSize, 0), decoded: res.reduce((s, r) => s + r.decodedBodySize, 0) };
        });
        rows.push({ total: t1 - t0 + m.fcp, ready, fcp: m.fcp, panels: t1 - t0 + panels, bytes: m.bytes, decoded: m.decoded });
      } finally {
        await page.close();
        await app.stop();
      }
    }
  } finally {
    await browser.close();
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  console.log(`runs: ${RUNS} (headless --no-connect, Chromium 1440x900, cold browser cache each run)`);
  console.log(`first paint after spawn: median ${median(rows.map((r) => r.total)).toFixed(0)} ms (min ${Math.min(...rows.map((r) => r.total)).toFixed(0)}, max ${Math.max(...rows.map((r) => r.total)).toFixed(0)})`);
  console.log(`  spawn → URL printed:   median ${median(rows.map((r) => r.ready)).toFixed(0)} ms`);
  console.log(`  navigation → FCP:      median ${median(rows.map((r) => r.fcp)).toFixed(0)} ms`);
  console.log(`panels on screen after spawn: median ${median(rows.map((r) => r.panels)).toFixed(0)} ms (min ${Math.min(...rows.map((r) => r.panels)).toFixed(0)}, max ${Math.max(...rows.map((r) => r.panels)).toFixed(0)})`);
  console.log(`first screen transfer:   ${(median(rows.map((r) => r.bytes)) / 1024).toFixed(0)} KiB on the wire, ${(median(rows.map((r) => r.decoded)) / 1024).toFixed(0)} KiB decoded`);
}
