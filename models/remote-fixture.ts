/**
 * A stand-in adapter for models/remote.test.ts: an "embedder" whose calls can hold the thread (as onnxruntime does),
 * throw, or kill their process, on demand. Not used by the service.
 */
import { makeProvenance } from './util.js';
import { ModelError, type Embedder } from './types.js';

export async function createFixtureEmbedder(opts: { failWith?: string } = {}): Promise<Embedder> {
  if (opts.failWith) throw new ModelError('MISSING_BACKEND', opts.failWith, 'install the fixture');
  const provenance = makeProvenance('embedder', 'fixture', 'fixture-model', '1', null, { pid: process.pid });
  return {
    provenance,
    dimensions: 3,
    languages: ['en'],
    async embed(texts: string[]) {
      const first = texts[0] ?? '';
      if (first.startsWith('hold:')) {
        const until = Date.now() + Number(first.slice(5)); // synchronous, like a native inference call
        while (Date.now() < until) {
          /* busy */
        }
      }
      if (first === 'unsupported') throw new ModelError('UNSUPPORTED_LANGUAGE', 'the fixture has no model for xx', 'add one');
      if (first === 'plain-error') throw new Error('boom');
      if (first === 'crash') process.exit(3);
      return { output: texts.map((t) => Float32Array.of(t.length, process.pid, 1)), provenance };
    },
    async close() {},
  };
}
