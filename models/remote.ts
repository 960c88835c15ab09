/**
 * A model adapter run in a child process, behind the same task interface.
 *
 * Heavy in-process inference holds the event loop: onnxruntime-node 1.21's `session.run` runs the native call on
 * the calling JavaScript thread, and it must not be used from worker threads while the main thread uses it too
 * (microsoft/onnxruntime#24486). A production model (transformers.js on real weights: a multilingual encoder, a
 * translator, a causal LM) takes hundreds of milliseconds to seconds per batch, which would stall every HTTP request
 * of the process running the jobs. `remoteModel` loads the adapter in a child process instead (models/remote-child.ts,
 * under tsx) and forwards its methods over IPC: the child calls the adapter's own factory, so the code that runs is
 * the adapter's, tested in-process too.
 *
 * - The adapter's plain properties (provenance, dimensions, languages, pairs …) are copied once at start, and each
 *   of its methods (but close) gets a forwarding twin.
 * - Calls are forwarded as they come (the adapter bounds its own concurrency); typed arrays pass as such.
 * - A ModelError thrown in the child arrives as a ModelError with the same code, message, fix and transient flag.
 * - If the child dies, the calls in flight fail with a transient MODEL_FAILED naming the exit, and the next call
 *   starts a new child (the model loads again). `close()` closes the adapter in the child, then the child exits;
 *   a child whose parent dies exits too.
 */
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ModelChild } from './child.js';
import { ModelError, type Model } from './types.js';

export interface RemoteSpec {
  /** file URL of the module that exports the factory */
  module: string;
  /** name of the exported async factory: (...args) => Promise<adapter> */
  factory: string;
  /** the factory's arguments (structured-cloneable: config objects, options) */
  args: unknown[];
  /** names the model in errors (e.g. 'transformers.js embedder') */
  label: string;
}

const CHILD = fileURLToPath(new URL('./remote-child.ts', import.meta.url));
let tsxLoader: string | null = null;
/** tsx's ESM loader, resolved from this package (the child runs TypeScript as the service does) */
function loaderUrl(): string {
  tsxLoader ??= pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return tsxLoader;
}

/** Starts the adapter in a child process and returns a proxy implementing its task interface. */
export async function remoteModel<T extends Model>(spec: RemoteSpec): Promise<T & { readonly remotePid: () => number | null }> {
  let closed = false;
  const start = (): ModelChild => {
    const c: ModelChild = new ModelChild({
      file: CHILD,
      execArgv: ['--import', loaderUrl()],
      init: { type: 'init', module: spec.module, factory: spec.factory, args: spec.args },
      label: spec.label,
      onExit: () => {
        if (live === c) live = null; // the next call starts a new one
      },
    });
    return c;
  };
  const child = start();
  let live: ModelChild | null = child;
  let adapter: { props: Record<string, unknown>; methods: string[] };
  try {
    adapter = (await child.ready) as unknown as typeof adapter;
  } catch (e) {
    closed = true;
    await child.close();
    throw e;
  }
  const call = (method: string, args: unknown[]): Promise<unknown> => {
    if (closed) return Promise.reject(new ModelError('MODEL_FAILED', `${spec.label} is closed`));
    live ??= start();
    return live.request({ type: 'call', method, args });
  };
  const proxy: Record<string, unknown> = { ...adapter.props };
  for (const m of adapter.methods) proxy[m] = (...args: unknown[]) => call(m, args);
  proxy.remotePid = () => live?.pid ?? null;
  proxy.close = async () => {
    if (closed) return;
    closed = true;
    const me = live;
    live = null;
    await me?.close({ type: 'close' });
  };
  return proxy as unknown as T & { readonly remotePid: () => number | null };
}
