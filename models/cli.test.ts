import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listModels, pullModel, type ModelManifest } from './cli.js';
import { createFakeRegistry } from './testing.js';
import { createRegistry } from './registry.js';
import type { BackendDescriptor } from './types.js';

const FILES: Record<string, string> = {
  'config.json': JSON.stringify({ model_type: 'bert', hidden_size: 8 }),
  'tokenizer.json': JSON.stringify({ model: { type: 'WordPiece', vocab: { '[UNK]': 0 } } }),
  'onnx/model_quantized.onnx': 'not really onnx but bytes '.repeat(5000),
};
const sha = (s: string) => createHash('sha256').update(s).digest('hex');
const manifest: ModelManifest = {
  id: 'Org/tiny-model',
  task: 'embedder',
  files: Object.entries(FILES).map(([p, c]) => ({ path: p, sha256: sha(c), size: Buffer.byteLength(c) })),
};

let server: http.Server;
let baseUrl: string;
const requests: string[] = [];
let tamper = false;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const m = /^\/Org\/tiny-model\/resolve\/main\/(.+)$/.exec(req.url ?? '');
    const body = m ? FILES[m[1]] : undefined;
    if (!body) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(tamper && m![1].endsWith('.onnx') ? body + 'x' : body);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));

describe('pullModel', () => {
  it('downloads the hub layout, verifies sha256 and installs atomically', async () => {
    const modelsDir = mkdtempSync(path.join(os.tmpdir(), 'plenary-pull-'));
    try {
      const r = await pullModel('Org/tiny-model', { baseUrl, modelsDir, manifest });
      expect(r.dir).toBe(path.join(modelsDir, 'Org/tiny-model'));
      for (const [p, c] of Object.entries(FILES)) expect(readFileSync(path.join(r.dir, p), 'utf8')).toBe(c);
      expect(requests).toContain('/Org/tiny-model/resolve/main/onnx/model_quantized.onnx');
      expect(readdirSync(modelsDir).filter((n) => n.startsWith('.pull-'))).toEqual([]);
      await expect(pullModel('Org/tiny-model', { baseUrl, modelsDir, manifest })).rejects.toMatchObject({ code: 'BAD_INPUT' });
      await pullModel('Org/tiny-model', { baseUrl, modelsDir, manifest, force: true });
    } finally {
      rmSync(modelsDir, { recursive: true, force: true });
    }
  });

  it('rejects a checksum mismatch and leaves nothing behind', async () => {
    const modelsDir = mkdtempSync(path.join(os.tmpdir(), 'plenary-pull-'));
    tamper = true;
    try {
      await expect(pullModel('Org/tiny-model', { baseUrl, modelsDir, manifest })).rejects.toMatchObject({
        code: 'MODEL_FAILED',
        message: expect.stringMatching(/checksum mismatch for onnx\/model_quantized.onnx/),
      });
      expect(existsSync(path.join(modelsDir, 'Org/tiny-model'))).toBe(false);
      expect(readdirSync(modelsDir).filter((n) => n.startsWith('.pull-'))).toEqual([]);
    } finally {
      tamper = false;
      rmSync(modelsDir, { recursive: true, force: true });
    }
  });

  it('reports HTTP errors, unknown names and unsafe paths', async () => {
    const modelsDir = mkdtempSync(path.join(os.tmpdir(), 'plenary-pull-'));
    try {
      const bad = { ...manifest, files: [...manifest.files, { path: 'missing.bin', sha256: sha('x') }] };
      await expect(pullModel('Org/tiny-model', { baseUrl, modelsDir, manifest: bad })).rejects.toMatchObject({ message: expect.stringMatching(/HTTP 404/) });
      expect(existsSync(path.join(modelsDir, 'Org/tiny-model'))).toBe(false);
      await expect(pullModel('nobody/nothing', { baseUrl, modelsDir })).rejects.toMatchObject({ code: 'BAD_INPUT' });
      const evil = { ...manifest, files: [{ path: '../escape', sha256: sha('x') }] };
      await expect(pullModel('Org/tiny-model', { baseUrl, modelsDir, manifest: evil })).rejects.toMatchObject({ code: 'BAD_INPUT' });
    } finally {
      rmSync(modelsDir, { recursive: true, force: true });
    }
  });
});

describe('listModels', () => {
  it('gives one row per task with the chosen backend and why better ones are unused', async () => {
    const d = (backend: string, tier: 'offline' | 'production', rank: number, available: boolean): BackendDescriptor => ({
      task: 'embedder',
      backend,
      modelId: `${backend}-m`,
      tier,
      rank,
      probe: async () => (available ? { available } : { available, reason: 'no weights in models dir', fix: 'plenary models pull X' }),
      create: async () => {
        throw new Error('not loaded by list');
      },
    });
    const reg = createRegistry(
      { modelsDir: '', prefer: {}, threads: 1, languages: [] },
      { descriptors: [d('use', 'offline', 10, true), d('tfjs', 'production', 100, false)] },
    );
    const rows = await listModels(reg);
    const emb = rows.find((r) => r.task === 'embedder')!;
    expect(emb).toMatchObject({ backend: 'use', tier: 'offline', installed: ['use'] });
    expect(emb.notUsed).toEqual([{ backend: 'tfjs', reason: 'no weights in models dir', fix: 'plenary models pull X' }]);
    const tg = rows.find((r) => r.task === 'textGenerator')!;
    expect(tg.backend).toBe('—');
    const fakeRows = await listModels(createFakeRegistry({ translator: null }));
    expect(fakeRows.find((r) => r.task === 'translator')).toMatchObject({ backend: '—', fix: 'install a backend for translator' });
  });
});
