/**
 * Child side of models/remote.ts: builds one adapter with its own factory and answers calls to its methods.
 * Messages (advanced serialisation):
 *   in:  {type: 'init', module, factory, args} → out: {type: 'ready', props, methods} | {type: 'fatal', error}
 *   in:  {type: 'call', id, method, args}      → out: {type: 'result', id, ok, value | error}
 *   in:  {type: 'close'}                       → the adapter is closed, then the process exits
 * The process exits when its parent goes away.
 */
import { serializeError } from './child.js';

type Adapter = Record<string, unknown> & { close?: () => Promise<void> };

let adapter: Promise<Adapter> | null = null;


const send = (msg: unknown) => process.send?.(msg);

process.on('message', (msg: { type: string; id?: number; module?: string; factory?: string; method?: string; args?: unknown[] }) => {
  if (msg.type === 'init') {
    adapter = (async () => {
      const mod = (await import(msg.module!)) as Record<string, (...a: unknown[]) => Promise<Adapter>>;
      const factory = mod[msg.factory!];
      if (typeof factory !== 'function') throw new Error(`${msg.module} exports no factory ${msg.factory}`);
      return factory(...(msg.args ?? []));
    })();
    adapter.then(
      (a) => {
        const props: Record<string, unknown> = {};
        const methods: string[] = [];
        for (const [k, v] of Object.entries(a)) {
          if (typeof v !== 'function') props[k] = v;
          else if (k !== 'close') methods.push(k);
        }
        send({ type: 'ready', props, methods });
      },
      (e) => {
        send({ type: 'fatal', error: serializeError(e) });
        setTimeout(() => process.exit(1), 100);
      },
    );
  } else if (msg.type === 'call') {
    void (async () => {
      try {
        const a = await adapter!;
        const fn = a[msg.method!];
        if (typeof fn !== 'function') throw new Error(`the model has no method ${msg.method}`);
        const value = await (fn as (...x: unknown[]) => Promise<unknown>).apply(a, msg.args ?? []);
        send({ type: 'result', id: msg.id, ok: true, value });
      } catch (e) {
        send({ type: 'result', id: msg.id, ok: false, error: serializeError(e) });
      }
    })();
  } else if (msg.type === 'close') {
    void (async () => {
      try {
        await (await adapter?.catch(() => null))?.close?.();
      } finally {
        process.exit(0);
      }
    })();
  }
});
process.on('disconnect', () => process.exit(0));
