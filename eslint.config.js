// Lint config: the layer rules of ARCHITECTURE.md are enforced here so the build keeps the architecture.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

const ioModules = [
  'electron', 'better-sqlite3', 'ws', 'pino', 'pino-roll', '@stoqey/ib',
  'fs', 'fs/promises', 'path', 'net', 'os', 'child_process', 'http', 'https', 'crypto', 'url',
  'worker_threads', 'dgram', 'tls', 'zlib', 'stream', 'events', 'util', 'process',
];
const uiModules = ['react', 'react-dom', 'react-dom/client', 'zustand', 'ag-grid-react', 'ag-grid-community', 'lightweight-charts'];

/** Rule: core is pure — no I/O, no UI, nothing outside core. */
export const coreLayer = {
  paths: [...ioModules, ...uiModules].map((name) => ({ name, message: 'src/core is pure: no I/O or UI imports (ARCHITECTURE rule 1).' })),
  patterns: [
    { group: ['node:*'], message: 'src/core is pure: no node:* imports (ARCHITECTURE rule 1).' },
    { group: ['**/main/**', '**/renderer/**', '**/preload/**', 'react-dom/*', 'ag-grid-*'], message: 'src/core imports only src/core.' },
  ],
};
/** Rule: only main/electron and the Electron transport import 'electron'. */
const mainLayer = {
  paths: [{ name: 'electron', message: "Only src/main/electron/ and transport/ipc.electron.ts import 'electron' (ARCHITECTURE rule 2)." }],
  patterns: [{ group: ['**/renderer/**', '**/preload/**'], message: 'main does not import the renderer or preload.' }],
};
/** Rule: the renderer talks to main only through the contract, via its platform client. */
const rendererLayer = {
  paths: ioModules.map((name) => ({ name, message: 'The renderer imports only core, itself and UI libraries; it reaches main through the contract.' })),
  patterns: [
    { group: ['node:*'], message: 'The renderer has no Node APIs.' },
    { group: ['**/main/**', '**/preload/**'], message: 'The renderer reaches main only through the contract (platform client).' },
  ],
};

export default tseslint.config(
  { ignores: ['dist/**', 'release/**', '.tsbuild/**', 'node_modules/**', 'test-results/**', 'tests/fixtures/lint/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-console': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ...tseslint.configs.disableTypeChecked,
    languageOptions: { parserOptions: { projectService: false, project: null }, globals: { ...globals.node } },
  },
  { files: ['src/core/**/*.ts'], ignores: ['src/core/**/*.test.ts'], rules: { 'no-restricted-imports': ['error', coreLayer] } },
  {
    files: ['src/main/**/*.ts'],
    ignores: ['src/main/electron/**', 'src/main/transport/ipc.electron.ts'],
    rules: { 'no-restricted-imports': ['error', mainLayer] },
  },
  {
    files: ['src/renderer/**/*.ts', 'src/renderer/**/*.tsx'],
    languageOptions: { globals: { ...globals.browser } },
    rules: { 'no-restricted-imports': ['error', rendererLayer] },
  },
);
