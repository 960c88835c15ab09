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
import { fork, type ChildProcess } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { ModelError, type ModelErrorCode, type Model } from './types.js';

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

interface SerializedError {
  name: string;
  message: string;
  code?: ModelErrorCode;
  fix?: string;
  transient?: boolean;
}

type FromChild =
  | { type: 'ready'; props: Record<string, unknown>; methods: string[] }
  | { type: 'fatal'; error: SerializedError }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: SerializedError }
  | { type: 'closed' };

const CHILD = fileURLToPath(new URL('./remote-child.ts', import.meta.url));
let tsxLoader: string | null = null;
/** tsx's ESM loader, resolved from this package (the child runs TypeScript as the service does) */
function loaderUrl(): string {
  tsxLoader ??= pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
  return tsxLoader;
}

function revive(e: SerializedError, label: string): Error {
  if (e.code) return new ModelError(e.code, e.message, e.fix, e.transient ?? false);
  return new ModelError('MODEL_FAILED', `${label}: ${e.message}`);
}

interface Live {
  proc: ChildProcess;
  ready: Promise<{ props: Record<string, unknown>; methods: string[] }>;
  calls: Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>;
}

/** Starts the adapter in a child process and returns a proxy implementing its task interface. */
export async function remoteModel<T extends Model>(spec: RemoteSpec): Promise<T & { readonly remotePid: () => number | null }> {
  let live: Live | null = null;
  let nextId = 1;
  let closed = false;

  const start = (): Live => {
    const proc = fork(CHILD, [], { execArgv: ['--import', loaderUrl()], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    const calls: Live['calls'] = new Map();
    let readyResolve!: (p: { props: Record<string, unknown>; methods: string[] }) => void;
    let readyReject!: (e: Error) => void;
    const ready = new Promise<{ props: Record<string, unknown>; methods: string[] }>((res, rej) => {
      readyResolve = res;
      readyReject = rej;
    });
    ready.catch(() => undefined);
    const me: Live = { proc, ready, calls };
    const idle = () => {
      if (calls.size === 0) {
        proc.unref();
        proc.channel?.unref();
      }
    };
    proc.on('message', (msg: FromChild) => {
      if (msg.type === 'ready') {
        readyResolve({ props: msg.props, methods: msg.methods });
        idle();
      } else if (msg.type === 'fatal') {
        readyReject(revive(msg.error, spec.label));
      } else if (msg.type === 'result') {
        const call = calls.get(msg.id);
        if (!call) return;
        calls.delete(msg.id);
        idle();
        if (msg.ok) call.resolve(msg.value);
        else call.reject(revive(msg.error, spec.label));
      }
    });
    const died = (why: string) => {
      if (live === me) live = null;
      const err = new ModelError('MODEL_FAILED', `${spec.label}: its model process ${why}`, undefined, true);
      readyReject(err);
      for (const c of calls.values()) c.reject(err);
      calls.clear();
    };
    proc.on('error', (e) => died(`failed: ${e.message}`));
    proc.on('exit', (code, signal) => {
      if (!closed) died(`exited (${signal ?? `code ${code}`})`);
    });
    proc.send({ type: 'init', module: spec.module, factory: spec.factory, args: spec.args });
    return me;
  };

  const call = async (method: string, args: unknown[]): Promise<unknown> => {
    if (closed) throw new ModelError('MODEL_FAILED', `${spec.label} is closed`);
    live ??= start();
    const me = live;
    await me.ready;
    return new Promise((resolve, reject) => {
      const id = nextId++;
      me.calls.set(id, { resolve, reject });
      me.proc.ref();
      me.proc.channel?.ref();
      me.proc.send({ type: 'call', id, method, args });
    });
  };

  live = start();
  let adapter: { props: Record<string, unknown>; methods: string[] };
  try {
    adapter = await live.ready;
  } catch (e) {
    closed = true;
    live?.proc.kill();
    throw e;
  }
  const proxy: Record<string, unknown> = { ...adapter.props };
  for (const m of adapter.methods) proxy[m] = (...args: unknown[]) => call(m, args);
  proxy.remotePid = () => live?.proc.pid ?? null;
  proxy.close = async () => {
    if (closed) return;
    closed = true;
    const me = live;
    live = null;
    if (!me || me.proc.exitCode !== null || me.proc.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(() => me.proc.kill('SIGKILL'), 5000);
      me.proc.once('exit', () => {
        clearTimeout(timer);
        resolve();
      });
      me.proc.ref(); // an idle child is unreferenced: keep the process alive until it has gone
      me.proc.send({ type: 'close' }, (err) => {
        if (err) me.proc.kill();
      });
    });
    for (const c of me.calls.values()) c.reject(new ModelError('MODEL_FAILED', `${spec.label} is closed`));
    me.calls.clear();
  };
  return proxy as unknown as T & { readonly remotePid: () => number | null };
}
