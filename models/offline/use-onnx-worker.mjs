// Child process for the USE-lite ONNX embedder's 'processes' mode (models/offline/use-onnx.ts). Plain JavaScript
// so that it starts under node, tsx and vitest alike. A child process rather than a worker thread because
// onnxruntime-node 1.21 must not be used from two JavaScript threads of one process (the main thread runs
// transformers.js and Silero VAD on it). The protocol of models/child.ts (advanced serialisation, typed arrays pass
// as such):
//   in:  {type: 'init', model: Uint8Array, options}  → out: {type: 'ready'} | {type: 'fatal', error: {message}}   (session options)
//   in:  {type: 'run', id, ids: BigInt64Array, mask: Float32Array, B, T} → out: {type: 'result', id, ok, value | error: {message}}
// Runs are queued and executed one at a time; the process exits when its parent goes away.
import process from 'node:process';
import ort from 'onnxruntime-node';

let sessionPromise = null;
const queue = [];
let running = false;

async function drain() {
  if (running) return;
  running = true;
  while (queue.length) {
    const msg = queue.shift();
    try {
      const session = await sessionPromise;
      const out = await session.run({
        ids: new ort.Tensor('int64', msg.ids, [msg.B, msg.T]),
        mask: new ort.Tensor('float32', msg.mask, [msg.B, msg.T]),
      });
      process.send({ type: 'result', id: msg.id, ok: true, value: out.embeddings.data });
    } catch (err) {
      process.send({ type: 'result', id: msg.id, ok: false, error: { message: String(err && err.message ? err.message : err) } });
    }
  }
  running = false;
}

process.on('message', (msg) => {
  if (msg.type === 'init') {
    sessionPromise = ort.InferenceSession.create(msg.model, msg.options);
    sessionPromise.then(
      () => process.send({ type: 'ready' }),
      (err) => process.send({ type: 'fatal', error: { message: `failed to load: ${String(err && err.stack ? err.stack : err)}` } }),
    );
  } else if (msg.type === 'run') {
    queue.push(msg);
    void drain();
  }
});
process.on('disconnect', () => process.exit(0));
