import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFile, mkdtemp, readFile, readdir, rm, symlink, truncate } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EmbeddingsModel } from '@energetic-ai/embeddings';
import { defaultUseWeightsDir, UsePool, useWeightFiles } from './use.js';
import { UseOnnxEngine, UseTokenizer, loadUseOnnxModel, readUseWeights } from './use-onnx.js';
import { sha256Files } from '../util.js';
import { ModelError } from '../types.js';

const cosine = (a: Float32Array, b: Float32Array) => {
  let d = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) { d += a[i] * b[i]; na += a[i] * a[i]; nb += b[i] * b[i]; }
  return d / Math.sqrt(na * nb);
};
const norm = (a: Float32Array) => Math.sqrt(a.reduce((s, x) => s + x * x, 0));

// short, long (over the 128-token clip), punctuation, numbers, repeats, accents, emoji, blank
const SENTENCES = [
  'Public transport should be free for young people.',
  'More cycle lanes in the city centre.',
  'Tax frequent flyers.',
  'Yes.',
  'No!',
  '?',
  '',
  '   ',
  'a',
  'The council must publish every contract over £10,000 within 30 days — no exceptions.',
  'Insulate every social housing flat before 2030, starting with the oldest buildings and the coldest streets.',
  "I don't think that's fair; why should renters pay for the landlords' repairs?",
  'Plant trees along the ring road. Plant trees along the ring road. Plant trees along the ring road.',
  'naïve café résumé — déjà vu',
  'We need more 🚲 and fewer 🚗 😀',
  'CAPITAL LETTERS ARE SHOUTING',
  'e-mail: someone@example.org, web: https://example.org/path?x=1',
  '1 2 3 4 5 6 7 8 9 10',
  'Brexit, the NHS and the economy: what matters most to you?',
  'The quick brown fox jumps over the lazy dog.',
  'Should the minimum wage rise with inflation every year, or should it be set by an independent commission that looks at regional costs?',
  'I was born in a small village and I still live there.',
  '"Quoted text," she said, (in parentheses) [and brackets].',
  'wow wow wow wow',
  'Tom is tired.',
  'Everyone deserves a home.',
  'The library closes too early on weekdays; students have nowhere quiet to work after 6 pm.',
  'free speech '.repeat(80).trim(),
  'Reduce speed limits to 20 mph in residential areas, because it saves lives and makes walking pleasant. '.repeat(3).trim(),
  'Ok',
];

describe('USE-lite on onnxruntime-node vs the TF.js adapter (same weights)', () => {
  let onnx: UseOnnxEngine;
  let tfjs: UsePool;
  beforeAll(async () => {
    tfjs = new UsePool({ threads: 1 });
    [onnx] = await Promise.all([UseOnnxEngine.create({ threads: 1, mode: 'main' }), tfjs.ready()]);
  });
  afterAll(async () => {
    await onnx?.close();
    await tfjs?.close();
  });

  it('reports the digest of its weight files, as sha256Files computes it, from the bytes it read', async () => {
    expect(onnx.weightsSha256).toBe(await sha256Files(await useWeightFiles(defaultUseWeightsDir()!)));
  });

  it('gives the TF.js vectors (cosine ≥ 0.9999 each), 512-d unit vectors', async () => {
    const [a, b] = await Promise.all([onnx.embed(SENTENCES), tfjs.embed(SENTENCES)]);
    expect(a).toHaveLength(SENTENCES.length);
    for (let i = 0; i < SENTENCES.length; i++) {
      expect(a[i]).toHaveLength(512);
      expect(cosine(a[i], b[i]), SENTENCES[i]).toBeGreaterThanOrEqual(0.9999);
      expect(Math.abs(norm(a[i]) - 1)).toBeLessThan(1e-5);
    }
    // the texts really differ: order restored, no constant output
    expect(cosine(a[0], a[1])).toBeLessThan(0.9);
    // the long texts were clipped at 128 tokens like TF.js (and still match it)
    expect(onnx.tokenize(SENTENCES[27]).length).toBe(128);
  });

  it('gives a sentence the same vector whatever batch it is padded into', async () => {
    const alone = await onnx.embed(['Tax frequent flyers.']);
    const mixed = await onnx.embed(['Tax frequent flyers.', SENTENCES[27], SENTENCES[20], 'Yes.']);
    let maxDiff = 0;
    for (let j = 0; j < 512; j++) maxDiff = Math.max(maxDiff, Math.abs(alone[0][j] - mixed[0][j]));
    expect(maxDiff).toBeLessThan(1e-5);
    // and identical texts get equal but separate vectors
    const twice = await onnx.embed(['Yes.', 'Yes.']);
    expect(twice[0]).not.toBe(twice[1]);
    expect(cosine(twice[0], twice[1])).toBeCloseTo(1, 6);
  });

  it('runs the same model in child processes (processes mode)', async () => {
    const procs = await UseOnnxEngine.create({ threads: 2, mode: 'processes', batchSize: 4 });
    try {
      const [a, b] = await Promise.all([procs.embed(SENTENCES), onnx.embed(SENTENCES)]);
      for (let i = 0; i < SENTENCES.length; i++) expect(cosine(a[i], b[i])).toBeGreaterThan(0.99999);
    } finally {
      await procs.close();
    }
    await expect(procs.embed(['x'])).rejects.toThrow(/closed/);
  });

  it.skipIf(process.platform !== 'linux')('replaces a child process that dies', async () => {
    const procs = await UseOnnxEngine.create({ threads: 1, mode: 'processes' });
    try {
      const before = await procs.embed(['Everyone deserves a home.']);
      // our own child (parent pid = this process, running use-onnx-worker.mjs), killed by its id
      const kids = (await readdir('/proc')).filter((d) => /^\d+$/.test(d));
      let victim = 0;
      for (const d of kids) {
        try {
          const stat = await readFile(`/proc/${d}/stat`, 'utf8');
          const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
          if (ppid === process.pid && (await readFile(`/proc/${d}/cmdline`, 'utf8')).includes('use-onnx-worker.mjs')) victim = Number(d);
        } catch {
          /* gone */
        }
      }
      expect(victim).toBeGreaterThan(0);
      process.kill(victim, 'SIGKILL');
      await new Promise((r) => setTimeout(r, 200));
      const after = await procs.embed(['Everyone deserves a home.']);
      expect(cosine(before[0], after[0])).toBeGreaterThan(0.99999);
    } finally {
      await procs.close();
    }
  });
});

describe('UseTokenizer', () => {
  it('tokenises exactly like @energetic-ai/embeddings (unknown characters, NFKC, emoji, spaces, null scores)', async () => {
    const vocabulary = JSON.parse(await readFile(path.join(defaultUseWeightsDir()!, 'vocab.json'), 'utf8')) as Array<[string, number]>;
    const reference = new EmbeddingsModel({ vocabulary, model: null as never }).tokenizer;
    const mine = new UseTokenizer(vocabulary);
    const extra = ['ﬁne ＡＢＣ ①', '中文字符 and 日本語', '👍🏽👍🏽 ok 🙂', 'a  b   c', '\t tab', ':) :( ://', 'e\u0301 vs é', 'x'.repeat(200), '«»—…Ⅻ'];
    // pseudo-random strings over a mixed alphabet (fixed seed)
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const alphabet = Array.from('abcdefghijklmnopqrstuvwxyz ABCXYZ.,;:!?\'"()-0123456789éèçàüß€£😀中 ');
    for (let i = 0; i < 300; i++) extra.push(Array.from({ length: 1 + Math.floor(rnd() * 60) }, () => alphabet[Math.floor(rnd() * alphabet.length)]).join(''));
    for (const t of [...SENTENCES, ...extra]) expect(mine.encode(t), JSON.stringify(t)).toEqual(reference.encode(t));
  });
});

describe('weights errors', () => {
  const dist = defaultUseWeightsDir()!;
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'use-onnx-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const copyOf = async (name: string, edit?: (d: string) => Promise<void>) => {
    const d = path.join(dir, name);
    await rm(d, { recursive: true, force: true });
    await import('node:fs/promises').then((fs) => fs.mkdir(d));
    for (const f of await readdir(dist)) {
      if (f.startsWith('group1-shard')) await symlink(path.join(dist, f), path.join(d, f));
      else if (f.endsWith('.json')) await copyFile(path.join(dist, f), path.join(d, f));
    }
    if (edit) await edit(d);
    return d;
  };

  it('names the directory and the missing file', async () => {
    await expect(readUseWeights(path.join(dir, 'nope'))).rejects.toThrow(/USE-lite weights in .*nope are unusable: model\.json: .*ENOENT/);
    const d = await copyOf('missing-shard', (d) => rm(path.join(d, 'group1-shard3of7')));
    await expect(UseOnnxEngine.create({ dir: d })).rejects.toThrow(/shard group1-shard3of7: ENOENT/);
    const v = await copyOf('missing-vocab', (d) => rm(path.join(d, 'vocab.json')));
    await expect(loadUseOnnxModel(v)).rejects.toThrow(/vocab\.json: ENOENT/);
  });

  it('detects a short shard and a corrupt model.json', async () => {
    const d = await copyOf('short', async (d) => {
      await rm(path.join(d, 'group1-shard7of7'));
      await copyFile(path.join(dist, 'group1-shard7of7'), path.join(d, 'group1-shard7of7'));
      await truncate(path.join(d, 'group1-shard7of7'), 1000);
    });
    const err = await readUseWeights(d).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as ModelError).message).toMatch(/shards hold \d+ bytes, the manifest needs more/);
    const j = await copyOf('badjson', (d) => truncate(path.join(d, 'model.json'), 500));
    await expect(readUseWeights(j)).rejects.toThrow(/model\.json: .*JSON/);
  });
});
