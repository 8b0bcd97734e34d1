// Benchmark runner: `npm run bench -- <name>` runs tests/bench/<name>.ts; with no name, runs them all.
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const available = readdirSync(here)
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.startsWith('_'))
  .map((f) => f.replace(/\.ts$/, ''))
  .sort();

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length > 0 ? wanted : available;
for (const name of names) {
  if (!available.includes(name)) {
    console.error(`No benchmark named "${name}". Available: ${available.join(', ')}`);
    process.exit(2);
  }
}
for (const name of names) {
  console.log(`\n=== bench: ${name} ===`);
  const mod = (await import(pathToFileURL(join(here, `${name}.ts`)).href)) as { default: (argv: string[]) => Promise<void> | void };
  await mod.default(process.argv.slice(2));
}
