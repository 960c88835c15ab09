/**
 * One model child process answering requests over IPC: the plumbing shared by the USE-lite ONNX processes
 * (models/offline/use-onnx.ts) and remote models (models/remote.ts).
 *
 * Protocol (advanced serialisation, so typed arrays pass as such): the child gets `init` first and answers
 * `{type: 'ready', ...}` or `{type: 'fatal', error}`; each request is sent with an `id` and answered by
 * `{type: 'result', id, ok: true, value}` or `{type: 'result', id, ok: false, error}`. Errors travel as
 * `{message, code?, fix?, transient?}`: with a ModelError code they come back as that ModelError, otherwise as
 * MODEL_FAILED naming the model. A child that exits (or cannot start) fails its requests in flight with a transient
 * MODEL_FAILED naming the exit, then `onExit` runs (the owner decides whether to start another). An idle child does
 * not keep this process alive; a child whose parent goes away exits (the child scripts see to that).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { ModelError, type ModelErrorCode } from './types.js';

export interface SerializedError {
  message: string;
  code?: ModelErrorCode;
  fix?: string;
  transient?: boolean;
}

/** An error as a child sends it. */
export function serializeError(e: unknown): SerializedError {
  if (e instanceof ModelError) return { message: e.message, code: e.code, fix: e.fix, transient: e.transient };
  return { message: e instanceof Error ? e.message : String(e) };
}

export function reviveError(e: SerializedError, label: string): ModelError {
  if (e.code) return new ModelError(e.code, e.message, e.fix, e.transient ?? false);
  return new ModelError('MODEL_FAILED', `${label}: ${e.message}`);
}

type FromChild =
  | ({ type: 'ready' } & Record<string, unknown>)
  | { type: 'fatal'; error: SerializedError }
  | { type: 'result'; id: number; ok: boolean; value?: unknown; error?: SerializedError };

export interface ChildOptions {
  /** the child's script */
  file: string;
  /** node options of the child (e.g. a loader) */
  execArgv?: string[];
  /** the first message */
  init: Record<string, unknown>;
  /** names the model in errors */
  label: string;
  /** runs once when the child has gone without close(), after its requests were failed */
  onExit?: (err: ModelError) => void;
}

export class ModelChild {
  /** the `ready` message (rejects with the child's fatal error, or its exit) */
  readonly ready: Promise<Record<string, unknown>>;
  private readonly proc: ChildProcess;
  private readonly calls = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  /** requests waiting for the child to be ready */
  private waiting = 0;
  private closing = false;
  private gone = false;

  constructor(private readonly opts: ChildOptions) {
    this.proc = fork(opts.file, [], { execArgv: opts.execArgv ?? [], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    let readyResolve!: (v: Record<string, unknown>) => void;
    let readyReject!: (e: Error) => void;
    this.ready = new Promise((res, rej) => {
      readyResolve = res;
      readyReject = rej;
    });
    this.ready.catch(() => undefined);
    this.proc.on('message', (msg: FromChild) => {
      if (msg.type === 'ready') {
        readyResolve(msg);
        this.idle();
      } else if (msg.type === 'fatal') {
        readyReject(reviveError(msg.error, opts.label));
      } else if (msg.type === 'result') {
        const call = this.calls.get(msg.id);
        if (!call) return;
        this.calls.delete(msg.id);
        this.idle();
        if (msg.ok) call.resolve(msg.value);
        else call.reject(reviveError(msg.error ?? { message: 'failed' }, opts.label));
      }
    });
    const died = (why: string) => {
      if (this.gone) return;
      this.gone = true;
      const err = new ModelError('MODEL_FAILED', `${opts.label}: its process ${why}`, undefined, true);
      readyReject(err);
      for (const c of this.calls.values()) c.reject(err);
      this.calls.clear();
      opts.onExit?.(err);
    };
    this.proc.on('error', (e) => died(`failed: ${e.message}`));
    this.proc.on('exit', (code, signal) => {
      if (!this.closing) died(`exited (${signal ?? `code ${code}`})`);
    });
    this.proc.send(opts.init);
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  /** requests sent and not answered yet (including those waiting for the child to be ready) */
  get pending(): number {
    return this.calls.size + this.waiting;
  }

  get alive(): boolean {
    return !this.gone && !this.closing;
  }

  /** Sends `msg` with an id once the child is ready; resolves with its answer's value. */
  async request<T>(msg: Record<string, unknown>): Promise<T> {
    if (!this.alive) throw new ModelError('MODEL_FAILED', `${this.opts.label} is closed`);
    this.waiting++;
    this.proc.ref();
    this.proc.channel?.ref();
    try {
      await this.ready;
    } finally {
      this.waiting--;
    }
    if (!this.alive) {
      this.idle();
      throw new ModelError('MODEL_FAILED', `${this.opts.label} is closed`);
    }
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.calls.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.proc.send({ ...msg, id });
    });
  }

  /** Ends the child: `message` asks it to close itself (else it is killed); waits for its exit (5 s, then SIGKILL). */
  async close(message?: Record<string, unknown>): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    if (!this.gone && this.proc.exitCode === null && this.proc.signalCode === null) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => this.proc.kill('SIGKILL'), 5000);
        this.proc.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        this.proc.ref(); // an idle child is unreferenced: keep this process alive until it has gone
        if (message) this.proc.send(message, (err) => err && this.proc.kill());
        else this.proc.kill();
      });
    }
    this.gone = true;
    for (const c of this.calls.values()) c.reject(new ModelError('MODEL_FAILED', `${this.opts.label} is closed`));
    this.calls.clear();
  }

  private idle(): void {
    if (this.pending === 0) {
      this.proc.unref();
      this.proc.channel?.unref();
    }
  }
}
