// Integration: the app runs the Local paper exchange on a worker thread — from source (tsx) and from the built app.
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SimStatus } from '../../src/core/contract';
import type { PaperThread } from '../../src/main/paper/thread';
import { createServices, type Services } from '../../src/main/services/app';
import { silentLogger } from '../../src/main/services/logging';
import { callMain, startHeadless, type HeadlessApp } from '../support/headless';

const ctx = { transport: 'direct' } as const;

describe('the Local paper exchange on its own thread', () => {
  let services: Services | undefined;
  let app: HeadlessApp | undefined;
  afterAll(async () => {
    await services?.close();
    await app?.stop();
  });

  it('createServices starts it in a worker (not on the main thread); stats reach the app and sim controls cross over', async () => {
    services = await createServices({ mode: 'headless', dataDir: mkdtempSync(join(tmpdir(), 'sd-thread-')), version: '0.0.0-test', logger: silentLogger(), strictContract: true });
    expect((await services.dispatcher.dispatch('connection.connect', {}, ctx)).ok).toBe(true);
    const paper = services.broker.paper() as unknown as PaperThread;
    expect(paper.threadId).toBeGreaterThan(0);
    // The app's own client is connected to the exchange on the thread; the pushed statistics show it.
    await expect.poll(() => paper.stats().clients, { timeout: 10_000 }).toBeGreaterThanOrEqual(1);
    const snap = await paper.snapshot();
    expect(snap.clients.some((c) => c.clientId === services?.broker.status().clientId)).toBe(true);
    const res = await services.dispatcher.dispatch('sim.pause', {}, ctx);
    expect(res).toMatchObject({ ok: true, value: { active: true, paused: true } });
    // A failed control on the thread comes back as a sentence, not a stack.
    const back = await services.dispatcher.dispatch('sim.jump', { to: 0 }, ctx);
    expect(back).toMatchObject({ ok: false, error: { code: 'CONFLICT', message: 'Simulated time only runs forward.' } });
    await services.close();
    services = undefined;
  }, 60_000);

  it('the built app (dist/main/headless.cjs) runs it from dist/main/paper-worker.cjs', async () => {
    app = await startHeadless({ extraArgs: ['--no-connect'] });
    expect(await callMain(app, 'connection.connect')).toMatchObject({ ok: true });
    const st = await callMain(app, 'sim.status');
    expect(st.ok).toBe(true);
    expect((st.value as SimStatus).active).toBe(true);
    // The app's log file (info level) records where the exchange runs.
    const logs = (): string => {
      const dir = join(app?.dataDir ?? '', 'logs');
      return readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8')).join('');
    };
    await expect.poll(logs, { timeout: 10_000 }).toContain('local paper exchange running on a worker thread');
    expect(logs()).not.toContain('the paper exchange thread did not start');
    expect(app.output()).not.toContain('the paper exchange thread did not start');
  }, 60_000);
});
