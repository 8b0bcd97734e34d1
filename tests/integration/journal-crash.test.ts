// Crash test: a child process journals as fast as it can and is killed with SIGKILL at random moments.
//
// After every kill the journal must open with integrity ok (nothing moved aside) and hold every
// write the child acknowledged. Default 40 trials in `npm test`; the full run:
//   JOURNAL_CRASH_TRIALS=200 npx vitest run tests/integration/journal-crash.test.ts
import Database from 'better-sqlite3';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src/core/options/rng';
import { openJournal } from '../../src/main/services/journal';

const TRIALS = Number(process.env.JOURNAL_CRASH_TRIALS ?? 40);
const SEED = Number(process.env.JOURNAL_CRASH_SEED ?? Date.now() % 1_000_000);
const root = resolve(import.meta.dirname, '../..');
const writer = join(root, 'tests/fixtures/journal/crash-writer.ts');

interface Acks {
  intents: string[];
  execs: string[];
  notes: Map<number, number>;
  ready: boolean;
  errors: string[];
}

function runTrial(dataDir: string, trial: number, rnd: () => number): Promise<Acks & { killedBeforeReady: boolean }> {
  return new Promise((done, fail) => {
    const acks: Acks = { intents: [], execs: [], notes: new Map(), ready: false, errors: [] };
    const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', writer, dataDir, String(trial), String(SEED + trial)], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let buffer = '';
    let stderr = '';
    let killed = false;
    // One kill in six lands during start-up (opening, creating, migrating); the rest while writing.
    const early = rnd() < 1 / 6;
    const kill = () => {
      if (!killed) {
        killed = true;
        child.kill('SIGKILL');
      }
    };
    const killedBeforeReady = early;
    if (early) setTimeout(kill, rnd() * 400);
    child.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      let nl: number;
      while ((nl = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, nl);
        buffer = buffer.slice(nl + 1);
        const [kind, a, b, c] = line.split(' ');
        if (kind === 'ready') {
          acks.ready = true;
          if (!early) setTimeout(kill, 5 + rnd() * 250);
        } else if (kind === 'error') acks.errors.push(line);
        else if (kind === 'ack' && a === 'intent') acks.intents.push(b!);
        else if (kind === 'ack' && a === 'exec') acks.execs.push(b!);
        else if (kind === 'ack' && a === 'batch') {
          const [t, start, size] = [Number(b), Number(c), Number(line.split(' ')[4])];
          for (let k = 0; k < size; k++) acks.execs.push(`t${t}-${start + k}.01`);
        } else if (kind === 'ack' && a === 'note') acks.notes.set(Number(b), Number(c));
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
    const guard = setTimeout(kill, 10_000);
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      if (signal !== 'SIGKILL') fail(new Error(`writer exited by itself (code ${code}): ${stderr.slice(0, 2000)}`));
      else done({ ...acks, killedBeforeReady });
    });
  });
}

describe('journal crash safety', () => {
  it(
    `every acknowledged write survives SIGKILL at random points (${TRIALS} trials, seed ${SEED})`,
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'journal-crash-'));
      const rnd = seededRandom(SEED);
      const totals = { trials: 0, acked: 0, early: 0, withAcks: 0 };
      try {
        for (let trial = 0; trial < TRIALS; trial++) {
          const acks = await runTrial(dir, trial, rnd);
          expect(acks.errors).toEqual([]);
          totals.trials++;
          if (acks.killedBeforeReady) totals.early++;

          const opened = openJournal({ dataDir: dir });
          if (!opened.ok) throw new Error(`trial ${trial}: ${opened.error.message}`);
          const { journal, status, warnings } = opened.value;
          try {
            expect(warnings, `trial ${trial}`).toEqual([]);
            expect(status, `trial ${trial}`).not.toBe('recovered');
            expect(journal.db.pragma('integrity_check', { simple: true }), `trial ${trial}`).toBe('ok');
            const ticket = journal.db.prepare('SELECT 1 FROM tickets WHERE id = ?').pluck();
            for (const id of acks.intents) expect(ticket.get(id), `trial ${trial}: intent ${id}`).toBe(1);
            const execution = journal.db.prepare('SELECT 1 FROM executions WHERE exec_id = ?').pluck();
            for (const id of acks.execs) expect(execution.get(id), `trial ${trial}: execution ${id}`).toBe(1);
            const note = journal.db.prepare('SELECT body FROM trade_notes WHERE spread_id = ?').pluck();
            for (const [spreadId, counter] of acks.notes) {
              // A later note may have committed just before the kill, without its ack.
              const body = note.get(spreadId) as string | undefined;
              expect(Number(body?.split(' ')[1]), `trial ${trial}: note on ${spreadId}`).toBeGreaterThanOrEqual(counter);
            }
            const acked = acks.intents.length + acks.execs.length + acks.notes.size;
            totals.acked += acked;
            if (acked > 0) totals.withAcks++;
          } finally {
            journal.close();
          }
        }
        const check = new Database(join(dir, 'journal.sqlite'), { readonly: true });
        const rows = check.prepare('SELECT (SELECT count(*) FROM executions) AS executions, (SELECT count(*) FROM tickets) AS tickets').get();
        check.close();
        console.log(`journal crash test: ${totals.trials} trials (${totals.early} killed during start-up, ${totals.withAcks} after acks), ${totals.acked} acknowledged writes verified; journal holds`, rows);
        expect(totals.trials).toBe(TRIALS);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
    TRIALS * 15_000 + 60_000, // a budget for a loaded machine (npm run test:stress), not a speed goal
  );
});
