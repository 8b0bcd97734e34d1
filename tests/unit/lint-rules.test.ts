// The layer rules are enforced by ESLint: deliberate violations must fail lint.
import { ESLint } from 'eslint';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../support/headless';

// Layer rules are path-based and need no type information, so lint virtual files at the paths they govern.
const untyped = new ESLint({
  cwd: ROOT,
  overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
  ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
});

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await untyped.lintText(code, { filePath: join(ROOT, filePath) });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer rules (eslint)', () => {
  it('core may not import I/O, UI or other layers', async () => {
    expect(await restricted('src/core/options/bad.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n")).toHaveLength(1);
    expect(await restricted('src/core/options/bad.ts', "import fs from 'fs';\nexport const x = fs;\n")).toHaveLength(1);
    expect(await restricted('src/core/options/bad.ts', "import Database from 'better-sqlite3';\nexport const x = Database;\n")).toHaveLength(1);
    expect(await restricted('src/core/options/bad.ts', "import { IBApi } from '@stoqey/ib';\nexport const x = IBApi;\n")).toHaveLength(1);
    expect(await restricted('src/core/options/bad.ts', "import { useState } from 'react';\nexport const x = useState;\n")).toHaveLength(1);
    expect(await restricted('src/core/options/bad.ts', "import { x as y } from '../../main/services/app';\nexport const x = y;\n")).toHaveLength(1);
    expect(await restricted('src/core/options/good.ts', "import { z } from 'zod';\nimport { methods } from '../contract';\nexport const x = [z, methods];\n")).toEqual([]);
  });

  it("only main/electron and the Electron transport import 'electron'", async () => {
    expect(await restricted('src/main/services/bad.ts', "import { app } from 'electron';\nexport const x = app;\n")).toHaveLength(1);
    expect(await restricted('src/main/transport/ws-server.ts', "import { app } from 'electron';\nexport const x = app;\n")).toHaveLength(1);
    expect(await restricted('src/main/electron/main.ts', "import { app } from 'electron';\nexport const x = app;\n")).toEqual([]);
    expect(await restricted('src/main/transport/ipc.electron.ts', "import { ipcMain } from 'electron';\nexport const x = ipcMain;\n")).toEqual([]);
  });

  it('the renderer imports only core, itself and UI libraries', async () => {
    expect(await restricted('src/renderer/bad.ts', "import { app } from 'electron';\nexport const x = app;\n")).toHaveLength(1);
    expect(await restricted('src/renderer/bad.ts', "import { readFile } from 'node:fs/promises';\nexport const x = readFile;\n")).toHaveLength(1);
    expect(await restricted('src/renderer/bad.ts', "import { createServices } from '../main/services/app';\nexport const x = createServices;\n")).toHaveLength(1);
    expect(await restricted('src/renderer/good.ts', "import { methods } from '../core/contract';\nimport { create } from 'zustand';\nexport const x = [methods, create];\n")).toEqual([]);
  });

  it('a floating promise fails typed lint (fixture file)', async () => {
    const fixture = join(ROOT, 'tests/fixtures/lint/floating-promise.ts');
    const typed = new ESLint({
      cwd: ROOT,
      ignore: false,
      overrideConfig: { languageOptions: { parserOptions: { projectService: { allowDefaultProject: ['tests/fixtures/lint/*.ts'] } } } },
    });
    const [result] = await typed.lintText(readFileSync(fixture, 'utf8'), { filePath: fixture });
    expect(result?.messages.map((m) => m.ruleId)).toContain('@typescript-eslint/no-floating-promises');
  });

  it('the real tree passes the layer rules (the same config npm test lints with)', async () => {
    const results = await untyped.lintFiles(['src/core/contract/**/*.ts', 'src/main/**/*.ts', 'src/preload/**/*.ts', 'src/renderer/**/*.{ts,tsx}']);
    expect(results.flatMap((r) => r.messages.map((m) => `${r.filePath}: ${m.message}`))).toEqual([]);
  });
});
