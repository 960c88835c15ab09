/**
 * Functions behind `plenary models pull` and `plenary models list` (the lead wires them into the CLI).
 *
 * pullModel(name, {baseUrl, modelsDir}): downloads a model in the Hugging Face hub layout
 * `<baseUrl>/<id>/resolve/main/<file>` into `<modelsDir>/<id>/<file>`. The file list and sha256 of every file
 * come from a manifest (MODEL_MANIFESTS below, or opts.manifest); every file is written to a temporary name,
 * verified, then renamed, and the model directory appears only when all files are verified (atomic; not
 * resumable). Nothing here runs unless a person asks for it: the registry never downloads.
 *
 * listModels(registry): rows for `plenary models list` (task, chosen backend, what is installed, why a better
 * backend is not in use, how to fix).
 */
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline as streamPipeline } from 'node:stream/promises';
import { Readable, Transform } from 'node:stream';
import type { BackendStatus, ModelRegistry, TaskName } from './types.js';
import { ModelError } from './types.js';

export interface ManifestFile {
  path: string;
  sha256: string;
  size?: number;
}
export interface ModelManifest {
  id: string;
  task: TaskName;
  files: ManifestFile[];
}

/**
 * Known models with pinned checksums. Empty on purpose: no checksum is listed that was not verified on a
 * real download, and no hub is reachable from the machines this was written on. Add entries (or pass
 * opts.manifest) after verifying files once.
 */
export const MODEL_MANIFESTS: Record<string, ModelManifest> = {};

export interface PullOptions {
  baseUrl: string;
  modelsDir: string;
  manifest?: ModelManifest;
  /** replace an existing model directory */
  force?: boolean;
  fetchImpl?: typeof fetch;
  onProgress?: (file: string, bytes: number) => void;
}

export async function pullModel(name: string, opts: PullOptions): Promise<{ id: string; dir: string; files: ManifestFile[] }> {
  const manifest = opts.manifest ?? MODEL_MANIFESTS[name];
  if (!manifest) {
    throw new ModelError('BAD_INPUT', `no manifest for model '${name}' (known: ${Object.keys(MODEL_MANIFESTS).join(', ') || 'none'})`, 'pass a manifest with sha256 for every file');
  }
  if (!/^[\w.-]+(\/[\w.-]+)?$/.test(manifest.id)) throw new ModelError('BAD_INPUT', `bad model id '${manifest.id}'`);
  for (const f of manifest.files) {
    if (f.path.split('/').some((s) => s === '..' || s === '') || path.isAbsolute(f.path)) throw new ModelError('BAD_INPUT', `bad file path '${f.path}'`);
    if (!/^[0-9a-f]{64}$/i.test(f.sha256)) throw new ModelError('BAD_INPUT', `bad sha256 for ${f.path}`);
  }
  const doFetch = opts.fetchImpl ?? fetch;
  const finalDir = path.join(opts.modelsDir, manifest.id);
  const exists = await stat(finalDir).then(
    () => true,
    () => false,
  );
  if (exists && !opts.force) throw new ModelError('BAD_INPUT', `${finalDir} already exists`, 'use --force to replace it');
  const tmpDir = path.join(opts.modelsDir, `.pull-${manifest.id.replace(/\//g, '__')}-${randomBytes(4).toString('hex')}`);
  await mkdir(tmpDir, { recursive: true });
  try {
    for (const f of manifest.files) {
      const url = `${opts.baseUrl.replace(/\/+$/, '')}/${manifest.id}/resolve/main/${f.path}`;
      const res = await doFetch(url);
      if (!res.ok || !res.body) throw new ModelError('MODEL_FAILED', `download failed: ${url} → HTTP ${res.status}`, undefined, res.status >= 500);
      const dest = path.join(tmpDir, f.path);
      await mkdir(path.dirname(dest), { recursive: true });
      const hash = createHash('sha256');
      let bytes = 0;
      const tap = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          hash.update(chunk);
          bytes += chunk.length;
          opts.onProgress?.(f.path, bytes);
          cb(null, chunk);
        },
      });
      await streamPipeline(Readable.fromWeb(res.body as any), tap, createWriteStream(dest));
      const got = hash.digest('hex');
      if (got !== f.sha256.toLowerCase()) throw new ModelError('MODEL_FAILED', `checksum mismatch for ${f.path}: expected ${f.sha256}, got ${got}`);
      if (f.size !== undefined && bytes !== f.size) throw new ModelError('MODEL_FAILED', `size mismatch for ${f.path}: expected ${f.size}, got ${bytes}`);
    }
    await mkdir(path.dirname(finalDir), { recursive: true });
    if (exists) await rm(finalDir, { recursive: true, force: true });
    await rename(tmpDir, finalDir);
    return { id: manifest.id, dir: finalDir, files: manifest.files };
  } catch (e) {
    await rm(tmpDir, { recursive: true, force: true });
    throw e;
  }
}

export interface ModelListRow {
  task: TaskName;
  /** chosen backend, or '—' when none is available */
  backend: string;
  modelId: string;
  tier: 'offline' | 'production' | '—';
  /** available backends of this task */
  installed: string[];
  /** languages the chosen backend covers, where known (speech recognition) */
  languages?: string[];
  /** why better (higher-tier) backends are not in use */
  notUsed: Array<{ backend: string; reason: string; fix?: string }>;
  fix?: string;
}

/** Which languages have speech recognition: what `/readyz` and `models list` say instead of an empty "missing". */
export interface SpeechCoverage {
  /** languages an available transcriber covers (sorted) */
  languages: string[];
  /** of the languages asked for (the assemblies'), those no available transcriber covers */
  without: string[];
  backends: Array<{ backend: string; available: boolean; chosen: boolean; languages: string[] }>;
  /** what to do for the languages without, when some are */
  fix?: string;
}

export const SPEECH_FIX =
  'Speech recognition beyond English needs a multilingual Whisper model (ggml, e.g. ggml-base.bin) in <models dir>/whisper/ — no Debian or npm package ships one; until then recordings in other languages are transcribed by hand.';

export function speechCoverage(status: BackendStatus[], wanted: string[]): SpeechCoverage {
  const rows = status.filter((s) => s.task === 'transcriber' && s.backend !== 'none');
  const backends = rows.map((s) => ({ backend: s.backend, available: s.available, chosen: s.chosen, languages: s.available ? (s.languages ?? []) : [] }));
  const languages = [...new Set(backends.flatMap((b) => b.languages))].sort();
  const without = [...new Set(wanted)].filter((l) => !languages.includes(l)).sort();
  return { languages, without, backends, ...(without.length ? { fix: SPEECH_FIX } : {}) };
}

export async function listModels(registry: ModelRegistry): Promise<ModelListRow[]> {
  const status = await registry.status();
  const byTask = new Map<TaskName, BackendStatus[]>();
  for (const s of status) byTask.set(s.task, [...(byTask.get(s.task) ?? []), s]);
  const rows: ModelListRow[] = [];
  for (const [task, list] of byTask) {
    const chosen = list.find((s) => s.chosen);
    const real = list.filter((s) => s.backend !== 'none');
    const notUsed = real
      .filter((s) => !s.chosen && (!chosen || s.tier === 'production' || !s.available))
      .map((s) => ({ backend: s.backend, reason: s.reason ?? (s.available ? 'available, not preferred' : 'unavailable'), ...(s.fix ? { fix: s.fix } : {}) }));
    const missingFix = chosen ? undefined : list.map((s) => s.fix).find(Boolean);
    rows.push({
      task,
      backend: chosen?.backend ?? '—',
      modelId: chosen?.modelId ?? '',
      tier: chosen?.tier ?? '—',
      installed: real.filter((s) => s.available).map((s) => s.backend),
      ...(chosen?.languages ? { languages: chosen.languages } : {}),
      notUsed,
      ...(missingFix ? { fix: missingFix } : {}),
    });
  }
  return rows;
}
