// Build: the renderer with Vite, then main (Electron + headless entries) and the preload as Node bundles.
import { builtinModules } from 'node:module';
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { build, defineConfig, type Plugin } from 'vite';
import pkg from './package.json' with { type: 'json' };

const root = import.meta.dirname;
// Pure-JS dependencies loaded at start-up are bundled: Node resolves and reads ~400 small files for them otherwise
// (zod 95, pino-roll's date-fns 304), which was most of main's start-up work. Native, worker-loaded (pino's
// transports) and lazily loaded (@stoqey/ib) packages stay external.
const bundled = new Set(['zod', 'pino-roll', 'date-fns']);
const nodeExternals = [
  'electron',
  ...builtinModules,
  ...builtinModules.map((m) => `node:${m}`),
  ...Object.keys(pkg.dependencies).filter((d) => !bundled.has(d)),
];

/** Builds a CommonJS bundle for Node/Electron; dependencies stay external except where `bundleAll`. */
async function buildNode(entries: Record<string, string>, bundleAll: boolean): Promise<void> {
  await build({
    configFile: false,
    root,
    logLevel: 'warn',
    build: {
      outDir: resolve(root, 'dist/main'),
      emptyOutDir: false,
      target: 'node20',
      minify: false,
      sourcemap: true,
      ssr: true,
      rollupOptions: {
        input: entries,
        external: bundleAll ? ['electron'] : nodeExternals,
        output: { format: 'cjs', entryFileNames: '[name].cjs', chunkFileNames: 'chunks/[name]-[hash].cjs' },
      },
    },
    // The sandboxed preload can require only 'electron', so it carries its few imports inside.
    ssr: bundleAll ? { noExternal: true } : { noExternal: [...bundled] },
  });
}

function mainAndPreload(): Plugin {
  return {
    name: 'spreaddesk-main-and-preload',
    apply: 'build',
    async closeBundle() {
      await buildNode(
        {
          headless: resolve(root, 'src/main/headless.ts'),
          'electron-main': resolve(root, 'src/main/electron/main.ts'),
          // The Local paper exchange's worker thread (src/main/paper/thread.ts loads it beside the bundle).
          'paper-worker': resolve(root, 'src/main/paper/worker.ts'),
        },
        false,
      );
      await buildNode({ preload: resolve(root, 'src/preload/index.ts') }, true);
    },
  };
}

export default defineConfig({
  root: resolve(root, 'src/renderer'),
  base: './',
  plugins: [react(), mainAndPreload()],
  build: {
    outDir: resolve(root, 'dist/renderer'),
    emptyOutDir: true,
    target: 'chrome130',
    sourcemap: true,
    chunkSizeWarningLimit: 2500,
  },
  server: { host: '127.0.0.1' },
});
