// IPC fuzz: every contract method, called over the real headless WebSocket, with payloads its schema refuses.
//
// Each method gets FUZZ_RUNS malformed argument objects (default 200; `FUZZ_RUNS=10000` for a long run): its own
// field names with hostile values, unknown and prototype keys, wrong top-level types, deep nesting, huge strings.
// Every payload is checked locally to fail the method's schema after the JSON round trip, so it must never reach a
// handler. The app must answer each one with a typed error value carrying a sentence (no schema path, no stack),
// never crash, and leave the settings and the journal exactly as they were (the journal file passes
// PRAGMA integrity_check afterwards). Random frames that are not calls at all are answered the same way.
import fc from 'fast-check';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { ErrorCode, METHOD_NAMES, methods, type MethodName } from '../../src/core/contract';
import type { ExecutionEvent } from '../../src/core/broker';
import { JOURNAL_FILE, openJournal } from '../../src/main/services/journal';
import { openSqlite } from '../../src/main/services/sqlite';
import { startHeadless, type HeadlessApp } from '../support/headless';
import { worldIntent } from '../support/journal-synthetic';

const RUNS = Number(process.env.FUZZ_RUNS ?? 200);
const SEED = fc.readConfigureGlobal().seed ?? Date.now() % 1_000_000;
/** Calls in flight at once on the one socket (the answers are matched by id). */
const IN_FLIGHT = 32;

interface Answer {
  type: 'result';
  id: number | string | null;
  result: { ok: boolean; value?: unknown; error?: { code: string; message: string } };
}

/** A socket that sends frames and hands back result frames by id (and id-less ones in order). */
async function open(app: HeadlessApp) {
  const ws = new WebSocket(`ws://127.0.0.1:${app.port}/ws?token=${encodeURIComponent(app.token)}`);
  await new Promise<void>((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
  const byId = new Map<number | string, (a: Answer) => void>();
  const anonymous: Array<(a: Answer) => void> = [];
  ws.on('message', (data) => {
    const f = JSON.parse(String(data)) as Answer | { type: 'event' };
    if (f.type !== 'result') return;
    const to = f.id === null ? anonymous.shift() : byId.get(f.id);
    if (f.id !== null) byId.delete(f.id);
    to?.(f);
  });
  let next = 1;
  const answered = (register: (r: (a: Answer) => void) => void, what: string): Promise<Answer> =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no answer within 60 s to ${what}`)), 60_000);
      register((a) => {
        clearTimeout(timer);
        resolve(a);
      });
    });
  return {
    ws,
    /** Sends one call frame whose args are `argsJson` verbatim. */
    call(method: string, argsJson: string): Promise<Answer> {
      const id = next++;
      const p = answered((r) => byId.set(id, r), `${method} ${argsJson.slice(0, 200)}`);
      ws.send(`{"type":"call","id":${id},"method":${JSON.stringify(method)},"args":${argsJson}}`);
      return p;
    },
    /** Sends a raw frame and waits for the next answer (with the frame's id when it has one). */
    raw(text: string, id: number | string | null): Promise<Answer> {
      const p = answered((r) => (id === null ? anonymous.push(r) : byId.set(id, r)), `frame ${text.slice(0, 200)}`);
      ws.send(text);
      return p;
    },
    async value(method: MethodName, args: unknown = {}): Promise<unknown> {
      const a = await this.call(method, JSON.stringify(args));
      if (!a.result.ok) throw new Error(`${method}: ${a.result.error?.message}`);
      return a.result.value;
    },
  };
}

// ——— generators ———

const HOSTILE_KEYS = ['__proto__', 'constructor', 'prototype', 'toString', 'then', 'extra', ''];
const hugeString = fc.integer({ min: 5_000, max: 60_000 }).map((n) => 'x'.repeat(n));
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.anything({ maxDepth: 3, maxKeys: 5 }),
  fc.string({ maxLength: 200 }),
  fc.constantFrom('', ' ', '\u0000', '../../etc/passwd', '<script>alert(1)</script>', 'NaN', '-1', '1e999', 'SPY', 'bull-put', 'local-paper', 'Ω≈ç√∫'),
  fc.constantFrom(0, -1, -0.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, 2 ** 31, 0.1 + 0.2, 65_536),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(fc.anything({ maxDepth: 2 }), { maxLength: 30 }),
  hugeString,
);

function nest(depth: number, leaf: unknown): unknown {
  let v = leaf;
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

/** Malformed argument objects for one method, built from its own field names. */
function payloads(name: MethodName): fc.Arbitrary<unknown> {
  const shape = (methods[name].args as unknown as { shape?: Record<string, unknown> }).shape ?? {};
  const keys = Object.keys(shape);
  const key = fc.constantFrom(...(keys.length ? keys : ['x']), ...HOSTILE_KEYS);
  return fc.oneof(
    // Not an object at all.
    fc.oneof(fc.string({ maxLength: 50 }), fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.array(hostileValue, { maxLength: 5 })),
    // The method's own fields (some) with hostile values.
    fc.dictionary(fc.constantFrom(...(keys.length ? keys : ['x'])), hostileValue, { minKeys: 1, maxKeys: Math.max(1, keys.length) }),
    // Own fields plus unknown or prototype keys.
    fc.dictionary(key, hostileValue, { minKeys: 1, maxKeys: 6 }),
    // Every own field, one nested deep.
    fc.tuple(fc.constantFrom(...(keys.length ? keys : ['x'])), fc.integer({ min: 20, max: 400 }), hostileValue).map(([k, depth, leaf]) => ({ [k]: nest(depth, leaf) })),
  );
}

/** What the server will see: the JSON round trip drops undefined, turns NaN into null, -0 into 0. */
function overTheWire(v: unknown): string | null {
  try {
    const text = JSON.stringify(v);
    return typeof text === 'string' ? text : null;
  } catch {
    return null; // e.g. a BigInt: not a payload a client could send
  }
}

// ——— what an answer to a malformed call must look like ———

const CODES = new Set<string>(ErrorCode.options);

/** Why `message` is not a trader-readable sentence, or null when it is one. */
function sentenceProblem(message: unknown): string | null {
  if (typeof message !== 'string' || message.trim().length === 0) return 'no message';
  if (message.length > 2_000) return 'a message longer than 2,000 characters';
  // Quoted user input may contain anything; judge the app's own words.
  const own = message.replace(/“[^”]*”/g, '“…”').replace(/"[^"]*"/g, '"…"');
  if (/\n\s*at\s|\bat\s+\S+\s+\(|\.(ts|js|cjs|mjs):\d+/.test(own)) return 'a stack trace';
  if (/^\s*[[{]/.test(own) || /"(code|path|expected|issues)"\s*:/.test(message)) return 'a JSON dump';
  if (/\b[A-Za-z_]\w*(\.\w+)*\.\d+\b/.test(own.replace(/\d+\.\d+/g, '0'))) return 'a schema path';
  if (!/[.!?)]$/.test(own.trim())) return 'no full stop at the end';
  return null;
}

describe('the sentence check the fuzz relies on', () => {
  it('passes sentences and catches schema paths, stacks, JSON dumps and fragments', () => {
    expect(sentenceProblem('Port must be between 1 and 65535.')).toBeNull();
    expect(sentenceProblem('Symbol “a.b.0”: invalid input.')).toBeNull(); // quoted user input is not judged
    expect(sentenceProblem('Short delta: must be at most 0.95.')).toBeNull();
    expect(sentenceProblem('patch.profiles.0.port: Too small')).toBe('a schema path');
    expect(sentenceProblem('Failed.\n    at doSubmit (/app/src/main/x.ts:198:30)')).toBe('a stack trace');
    expect(sentenceProblem('[{"code":"invalid_type","path":["a"]}]')).toBe('a JSON dump');
    expect(sentenceProblem('Invalid input')).toBe('no full stop at the end');
    expect(sentenceProblem('')).toBe('no message');
  });
});

describe('IPC fuzz over the headless WebSocket', () => {
  let app: HeadlessApp;
  let client: Awaited<ReturnType<typeof open>>;
  let dataDir: string;
  let before: { settings: unknown; trades: unknown; status: unknown; summary: unknown; risk: unknown };

  beforeAll(async () => {
    // A journal with a spread in it, so "intact" means something.
    dataDir = mkdtempSync(join(tmpdir(), 'spreaddesk-fuzz-'));
    const opened = openJournal({ dataDir, newTicketId: () => 'sd-fuzz-seeded-1' });
    if (!opened.ok) throw new Error(opened.error.message);
    const j = opened.value.journal;
    const intent = j.recordIntent(worldIntent([1, 2], 2, { orderId: 9001, clientId: 7 }));
    if (!intent.ok) throw new Error(intent.error.message);
    const exec = (n: number, side: 'BOT' | 'SLD', conId: number, price: number): ExecutionEvent => ({
      type: 'execution', receivedAt: Date.UTC(2025, 2, 3, 15, n), orderId: 9001, clientId: 7, permId: 0, orderRef: intent.value.ticketId,
      contract: { conId, symbol: 'SPY', secType: 'OPT', lastTradeDateOrContractMonth: '20250321', strike: conId === 1 ? 405 : 400, right: 'P', multiplier: '100' },
      execId: `fuzz-${n}.01`, time: '20250303-15:00:00', acctNumber: 'DU1234567', side, shares: 2, price,
    });
    for (const e of [exec(1, 'SLD', 1, 2.1), exec(2, 'BOT', 2, 0.9)]) {
      const r = j.ingest(e);
      if (!r.ok) throw new Error(r.error.message);
    }
    const note = j.setNote(intent.value.spreadId, 'seeded before the fuzz');
    if (!note.ok) throw new Error(note.error.message);
    j.close();

    app = await startHeadless({ dataDir, extraArgs: ['--no-connect'] });
    client = await open(app);
    before = {
      settings: await client.value('settings.get'),
      trades: await client.value('journal.trades'),
      status: await client.value('journal.status'),
      summary: await client.value('journal.summary'),
      risk: await client.value('risk.get'),
    };
    expect((before.trades as { trades: unknown[] }).trades.length).toBeGreaterThan(0);
  });

  afterAll(async () => {
    client?.ws.close();
    await app?.stop();
  });

  it(`answers ${RUNS} malformed payloads to each of the ${METHOD_NAMES.length} methods with a typed error and a sentence (seed ${SEED})`, async () => {
    const failures: string[] = [];
    let sent = 0;
    for (const [i, name] of METHOD_NAMES.entries()) {
      const schema = methods[name].args;
      const texts = fc
        .sample(payloads(name), { numRuns: RUNS * 2, seed: SEED + i })
        .map(overTheWire)
        .filter((t): t is string => t !== null && !schema.safeParse(JSON.parse(t) ?? {}).success) // null args mean {} (dispatch.ts)
        .slice(0, RUNS);
      expect(texts.length, `${name}: enough malformed payloads`).toBeGreaterThanOrEqual(Math.min(RUNS, 50));
      for (let k = 0; k < texts.length; k += IN_FLIGHT) {
        const batch = texts.slice(k, k + IN_FLIGHT);
        const answers = await Promise.all(batch.map((t) => client.call(name, t)));
        answers.forEach((a, n) => {
          const why =
            a.result.ok ? 'accepted'
            : !CODES.has(a.result.error?.code ?? '') ? `untyped code ${a.result.error?.code}`
            : a.result.error?.code !== 'VALIDATION' ? `code ${a.result.error?.code} (expected VALIDATION)`
            : sentenceProblem(a.result.error?.message);
          if (why && failures.length < 20) failures.push(`${name} ${batch[n]!.slice(0, 160)} → ${why}: ${JSON.stringify(a.result).slice(0, 300)}`);
        });
        sent += batch.length;
      }
    }
    console.log(`[ipc fuzz] ${sent} malformed calls over ${METHOD_NAMES.length} methods (FUZZ_RUNS=${RUNS}, seed ${SEED}); ${failures.length} bad answers`);
    expect(failures).toEqual([]);
    expect(app.child.exitCode).toBeNull();
  }, 1_800_000);

  it('answers random frames that are not calls, and keeps the socket', async () => {
    const frames = fc.sample(
      fc.oneof(
        fc.string({ maxLength: 200 }),
        fc.json().filter((t) => {
          const v = JSON.parse(t) as { type?: unknown } | null;
          return v === null || typeof v !== 'object' || v.type !== 'call';
        }),
        fc.record({ type: fc.constant('call'), id: fc.oneof(fc.double(), fc.string({ minLength: 65, maxLength: 80 }), fc.constant(null), fc.object()), method: fc.anything() }).map((v) => JSON.stringify(v)),
      ),
      { numRuns: Math.max(100, Math.floor(RUNS / 2)), seed: SEED },
    );
    for (const f of frames) {
      const a = await client.raw(f, null);
      expect(a.result.ok, f).toBe(false);
      expect(a.result.error?.code, f).toBe('VALIDATION');
    }
    // A well-formed call to an unknown method is answered under its own id.
    const unknown = await client.raw(JSON.stringify({ type: 'call', id: 'x-1', method: 'order.explode', args: {} }), 'x-1');
    expect(unknown.result.error?.code).toBe('UNKNOWN_METHOD');
    expect(client.ws.readyState).toBe(WebSocket.OPEN);
  }, 600_000);

  it('leaves the settings and the journal exactly as they were, and the journal file passes integrity_check', async () => {
    expect(await client.value('settings.get')).toEqual(before.settings);
    expect(await client.value('journal.trades')).toEqual(before.trades);
    expect(await client.value('journal.summary')).toEqual(before.summary);
    expect(await client.value('risk.get')).toEqual(before.risk);
    expect(await client.value('journal.status')).toEqual(before.status);
    expect(app.child.exitCode).toBeNull();
    expect(app.output()).not.toMatch(/uncaught|unhandled/i);
    client.ws.close();
    await app.stop();
    const db = openSqlite(join(dataDir, JOURNAL_FILE), { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  }, 120_000);
});
