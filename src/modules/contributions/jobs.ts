import { z } from 'zod';
import type { Provenance } from '../../../models/types.js';
import { buildTextMap, TEXT_MAP_VERSION, TextMapError, verifyCitations, type KeyValueCache, type TextMap } from '../../../pipelines/text/index.js';
import type { Deps } from '../../deps.js';
import type { DbOrTx } from '../../platform/db/client.js';
import { AppError } from '../../platform/errors.js';
import { sha256 } from '../../platform/ids.js';
import { assembliesRepo } from '../assemblies/repo.js';
import { SUMMARY_KIND } from '../publications/domain.js';
import {
  CONSENSUS_KIND,
  consensusSubject,
  defaultLabel,
  DETECT_JOB,
  mainLanguage,
  LEXICAL_ABOVE,
  MAP_JOB,
  MAP_K_MAX,
  mapSubject,
  summarySubject,
  TEXT_MAP_KIND,
  type ConsensusPayload,
  type TextMapPayload,
} from './domain.js';
import { contributionsRepo, modelCacheRepo, type ContributionRow } from './repo.js';
import { languageFlags, nearDuplicates, optionalModel } from './service.js';

export const EMBEDDING_CACHE = 'textmap.embedding';
export const TRANSLATION_CACHE = 'textmap.translation';

/** The pipeline's cache hooks over the platform's model_cache table; counts hits and misses. */
export class SqliteCache<V> implements KeyValueCache<V> {
  hits = 0;
  misses = 0;
  constructor(
    private readonly db: DbOrTx,
    readonly namespace: string,
    private readonly encode: (v: V) => string,
    private readonly decode: (s: string) => V,
  ) {}
  async get(keys: string[]): Promise<Array<V | undefined>> {
    const found = modelCacheRepo.getMany(this.db, this.namespace, keys);
    return keys.map((k) => {
      const s = found.get(k);
      if (s === undefined) {
        this.misses++;
        return undefined;
      }
      this.hits++;
      return this.decode(s);
    });
  }
  async set(entries: Array<[string, V]>): Promise<void> {
    modelCacheRepo.setMany(this.db, this.namespace, entries.map(([k, v]) => [k, this.encode(v)]));
  }
}

export const encodeVector = (v: Float32Array) => Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('base64');
export function decodeVector(s: string): Float32Array {
  const b = Buffer.from(s, 'base64');
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

export function textMapCache(db: DbOrTx) {
  return {
    embeddings: new SqliteCache<Float32Array>(db, EMBEDDING_CACHE, encodeVector, decodeVector),
    translations: new SqliteCache<string>(db, TRANSLATION_CACHE, (s) => s, (s) => s),
  };
}

const MapJobPayload = z.object({
  topic: z.string().default(''),
  mode: z.enum(['auto', 'semantic', 'lexical']).default('auto'),
  k: z.number().int().min(1).max(MAP_K_MAX).optional(),
  seed: z.number().int().optional(),
});

function uniqueModels(map: TextMap): Provenance[] {
  const seen = new Map<string, Provenance>();
  for (const st of map.provenance) for (const m of st.models) seen.set(`${m.task}|${m.modelId}|${m.version}`, m);
  return [...seen.values()];
}

/** A pipeline error → AppError: cancellation stays a cancellation, bad input is not retried. */
function asJobError(e: unknown, signal: AbortSignal): unknown {
  if (signal.aborted) return signal.reason;
  if (e instanceof TextMapError) return new AppError(e.code === 'MISSING_MODEL' ? 'PRECONDITION_FAILED' : 'VALIDATION', `Text map: ${e.message}`);
  return e;
}

export function registerContributionJobs(deps: Deps) {
  // language detection (and near-duplicate grouping) after a bulk import
  deps.jobs.register(DETECT_JOB, {
    payload: z.object({ importId: z.string() }),
    maxAttempts: 3,
    async handler(ctx) {
      const imp = contributionsRepo.importById(ctx.db, ctx.job.payload.importId);
      if (!imp) return { skipped: 'import no longer exists' };
      const a = assembliesRepo.byId(ctx.db, imp.assemblyId);
      if (!a) return { skipped: 'assembly no longer exists' };
      const rows = contributionsRepo.withoutLanguage(ctx.db, imp.id);
      const guesses = new Map<string, { lang: string; confidence: number }>();
      const lid = rows.length ? await optionalModel(deps.models, 'languageId') : null;
      if (lid) {
        for (let s = 0; s < rows.length; s += 1000) {
          if (ctx.signal.aborted) throw ctx.signal.reason;
          const batch = rows.slice(s, s + 1000);
          const r = await lid.identify(batch.map((x) => x.text));
          batch.forEach((x, q) => r.output[q]?.lang && guesses.set(x.id, r.output[q]));
          ctx.progress((0.8 * Math.min(rows.length, s + 1000)) / rows.length, `languages of ${Math.min(rows.length, s + 1000)}/${rows.length} contributions`);
        }
      }
      ctx.progress(0.85, 'grouping near-duplicates');
      const scope = contributionsRepo.forScope(ctx.db, imp.assemblyId, '');
      const dups = nearDuplicates(scope);
      return ctx.complete((tx) => {
        for (const [id, g] of guesses) contributionsRepo.setLanguage(tx, id, { language: g.lang, languageConfidence: g.confidence, flags: languageFlags(g.lang, g.confidence, a.languages) });
        const changed = applyDuplicates(tx, scope, dups);
        return { detected: guesses.size, withoutModel: lid ? 0 : rows.length, duplicatesRegrouped: changed };
      });
    },
  });

  deps.jobs.register(MAP_JOB, {
    payload: MapJobPayload,
    maxAttempts: 2,
    async handler(ctx) {
      const p = ctx.job.payload;
      const assemblyId = ctx.job.assemblyId;
      if (!assemblyId) throw new AppError('VALIDATION', 'A text map job needs an assembly.');
      const a = assembliesRepo.byId(ctx.db, assemblyId);
      if (!a) throw new AppError('NOT_FOUND', `Assembly '${assemblyId}' does not exist.`);
      ctx.progress(0.01, 'loading contributions');
      const rows = contributionsRepo.forScope(ctx.db, assemblyId, p.topic);
      if (rows.length < 5) throw new AppError('PRECONDITION_FAILED', `A map needs at least 5 contributions; found ${rows.length}.`);

      ctx.progress(0.02, 'loading models');
      const embedder = p.mode === 'lexical' || (p.mode === 'auto' && rows.length > LEXICAL_ABOVE) ? null : await optionalModel(deps.models, 'embedder');
      if (p.mode === 'semantic' && !embedder) throw new AppError('PRECONDITION_FAILED', 'Semantic mode needs an embedder and none is installed; choose the lexical mode (run `plenary models list`).');
      const mode = embedder ? 'semantic' : 'lexical';
      const [languageId, translator, sentiment, stance] = await Promise.all([
        rows.some((r) => !r.language) ? optionalModel(deps.models, 'languageId') : Promise.resolve(null),
        optionalModel(deps.models, 'translator'),
        optionalModel(deps.models, 'sentiment'),
        optionalModel(deps.models, 'stance'),
      ]);
      const cache = textMapCache(ctx.db);
      const seed = p.seed ?? deps.config.seed;
      let map: TextMap;
      try {
        map = await buildTextMap(
          { contributions: rows.map((r) => ({ id: r.id, text: r.text, ...(r.language ? { lang: r.language } : {}) })) },
          { ...(languageId ? { languageId } : {}), ...(translator ? { translator } : {}), ...(embedder ? { embedder } : {}), ...(sentiment ? { sentiment } : {}), ...(stance ? { stance } : {}), cache },
          { seed, pivot: 'en', mode, languages: a.languages, ...(p.k ? { k: p.k } : {}), onInvalid: 'skip', signal: ctx.signal, onProgress: (f, m) => ctx.progress(0.04 + 0.9 * f, m) },
        );
      } catch (e) {
        throw asJobError(e, ctx.signal);
      }
      if (ctx.signal.aborted) throw ctx.signal.reason;
      ctx.progress(0.95, 'checking citations');
      const out = assemble(map, rows, { assemblyId, topic: p.topic, languages: a.languages, requestedMode: p.mode, cacheHits: { embeddings: cache.embeddings.hits, translations: cache.translations.hits } });
      ctx.progress(0.97, 'submitting for review');
      return ctx.complete((tx) => {
        for (const u of out.languageUpdates) contributionsRepo.setLanguage(tx, u.id, u);
        const regrouped = applyDuplicates(tx, rows, out.duplicates);
        const mapItem = deps.review.submit(tx, { ...out.mapItem, assemblyId, jobId: ctx.job.id });
        const summaryItemIds = out.summaryItems.map((s) => deps.review.submit(tx, { ...s, assemblyId, jobId: ctx.job.id }).id);
        const consensusItemId = out.consensusItem ? deps.review.submit(tx, { ...out.consensusItem, assemblyId, jobId: ctx.job.id }).id : null;
        return {
          mapItemId: mapItem.id,
          summaryItemIds,
          consensusItemId,
          mode,
          clusters: map.stats.k,
          contributions: rows.length,
          regrouped,
          citations: out.citations,
          cache: { embeddingHits: cache.embeddings.hits, embeddingMisses: cache.embeddings.misses, translationHits: cache.translations.hits, translationMisses: cache.translations.misses },
        };
      });
    },
  });
}

/** Writes duplicateOf where it changed; returns how many rows changed. */
function applyDuplicates(tx: DbOrTx, rows: Array<Pick<ContributionRow, 'id' | 'duplicateOf'>>, dups: Map<string, string | null>): number {
  const byTarget = new Map<string | null, string[]>();
  for (const r of rows) {
    if (!dups.has(r.id)) continue;
    const d = dups.get(r.id)!;
    if (d === r.duplicateOf) continue;
    const list = byTarget.get(d) ?? [];
    list.push(r.id);
    byTarget.set(d, list);
  }
  let n = 0;
  for (const [target, ids] of byTarget) {
    contributionsRepo.setDuplicateOf(tx, ids, target);
    n += ids.length;
  }
  return n;
}

interface AssembleOptions {
  assemblyId: string;
  topic: string;
  languages: string[];
  requestedMode: string;
  cacheHits: { embeddings: number; translations: number };
}

/**
 * The pipeline's map → the review items (map, one summary per top-level cluster, consensus candidates), after
 * proving every citation: verifyCitations must report 100 %, and every cited id must be a contribution of this
 * scope that belongs to the summary's cluster. Pure apart from reading `rows`.
 */
export function assemble(map: TextMap, rows: ContributionRow[], o: AssembleOptions) {
  const byId = new Map(rows.map((r) => [r.id, r]));
  const report = verifyCitations(map);
  if (!report.ok || report.share !== 1) {
    const shown = report.problems.slice(0, 5).map((x) => `${x.clusterId}#${x.statement} ${x.kind}${x.id ? ` ${x.id}` : ''}`).join('; ');
    throw new AppError('INTERNAL', `The summaries cite contributions wrongly (${report.valid}/${report.citations} valid: ${shown}); nothing was submitted.`);
  }
  const models = uniqueModels(map);
  const inputHash = sha256(JSON.stringify(rows.map((r) => [r.id, r.text, r.language])));
  const base = { version: TEXT_MAP_VERSION, modelIds: models.map((m) => m.modelId), weightsSha256: models.map((m) => m.weightsSha256), seed: map.seed, inputHash };
  const stage = (name: string) => map.provenance.find((p) => p.stage === name);

  const mapped = new Map(map.contributions.map((c) => [c.id, c]));
  // labels readers see: per assembly language, from the originals written in it; the main label in the cluster's main language
  const labelsOf = (c: TextMap['clusters'][number]) =>
    Object.fromEntries(o.languages.filter((l) => c.keywordsByLang[l]?.length).map((l) => [l, defaultLabel(c.keywordsByLang[l], c.id)]));
  const mainLangOf = (c: TextMap['clusters'][number]) => mainLanguage(c.memberIds.map((id) => mapped.get(id)?.lang ?? '').filter(Boolean)) ?? map.pivot;
  const labelOf = (c: TextMap['clusters'][number]) => labelsOf(c)[mainLangOf(c)] ?? defaultLabel(c.keywords, c.id);
  const payload: TextMapPayload = {
    assemblyId: o.assemblyId,
    topic: o.topic,
    mode: map.mode,
    version: map.version,
    seed: map.seed,
    pivot: map.pivot,
    clusters: map.clusters.map((c) => ({
      id: c.id,
      parentId: c.parentId,
      level: c.level,
      label: labelOf(c),
      labels: labelsOf(c),
      keywords: c.keywords,
      representativeIds: c.representativeIds,
      memberIds: c.memberIds,
      size: c.size,
      sentiment: c.sentiment,
      stance: c.stance,
      centroid: c.centroid2d,
    })),
    points: map.contributions.map((c) => ({
      id: c.id,
      x: c.x,
      y: c.y,
      cluster: c.cluster,
      subcluster: c.subcluster,
      duplicateOf: c.duplicateOf,
      lang: c.lang,
      translated: c.translated,
      flags: [...new Set([...c.flags, ...(byId.get(c.id)?.flags ?? [])])].sort(),
      sentiment: c.sentiment,
      stance: c.stance,
    })),
    stats: map.stats,
    revisions: [],
    apart: map.apart.map((c) => ({ id: c.id, lang: c.lang, duplicateOf: c.duplicateOf, flags: [...new Set([...c.flags, ...(byId.get(c.id)?.flags ?? [])])].sort() })),
  };
  const scope = o.topic ? `topic “${o.topic}”` : 'the whole assembly';
  const mapItem = {
    kind: TEXT_MAP_KIND,
    subject: mapSubject(o.assemblyId, o.topic),
    title: `Text map of ${scope} (${rows.length} contributions, ${map.stats.k} clusters)`,
    payload,
    sources: [{ type: 'contributions', assemblyId: o.assemblyId, topic: o.topic, count: rows.length, rejected: map.rejected }],
    provenance: { ...base, stage: 'contributions.map', params: { requestedMode: o.requestedMode, mode: map.mode, pivot: map.pivot, k: map.stats.k, topic: o.topic, cacheHits: o.cacheHits }, stages: map.provenance },
  };

  const summaryItems = [];
  let citations = 0;
  for (const c of map.clusters) {
    if (c.level !== 1 || c.keyStatements.length === 0) continue;
    const members = new Set(c.memberIds);
    for (const s of c.keyStatements) {
      for (const id of s.sourceIds) {
        if (!byId.has(id) || !members.has(id)) throw new AppError('INTERNAL', `Summary of ${c.id} cites ${id}, which is not a contribution of this cluster; nothing was submitted.`);
        citations++;
      }
    }
    const label = labelOf(c);
    const language = mainLangOf(c);
    const titles = Object.fromEntries(Object.entries(labelsOf(c)).filter(([l]) => l !== language));
    const sources = c.memberIds.slice(0, 300).map((id) => {
      const r = byId.get(id)!;
      const m = mapped.get(id);
      return { type: 'contribution', id, text: r.text, language: m?.lang ?? r.language, ...(m?.translated ? { pivotText: m.pivotText } : {}) };
    });
    summaryItems.push({
      kind: SUMMARY_KIND,
      subject: summarySubject(o.assemblyId, o.topic, c.id),
      title: label,
      // verbatim quotes, each in the language it was written in: a reader of another language gets a reviewed translation
      payload: {
        title: label,
        language,
        ...(Object.keys(titles).length ? { titles } : {}),
        sentences: c.keyStatements.map((s) => ({ text: (s.contributionId ? byId.get(s.contributionId)?.text : undefined) ?? s.text, sourceIds: s.sourceIds, ...(s.lang && s.lang !== language ? { language: s.lang } : {}) })),
      },
      sources,
      provenance: {
        ...base,
        stage: 'contributions.map.summary',
        params: {
          clusterId: c.id,
          method: stage('summaries')?.params.method ?? 'centroid+MMR',
          citationsVerified: true,
          // extractive sentences are quoted as written: none went through the pivot translation
          quotedVerbatim: c.keyStatements.filter((s) => s.contributionId && byId.has(s.contributionId)).length,
        },
        stages: [stage('summaries'), stage('translate')].filter(Boolean),
      },
    });
  }

  const statements: ConsensusPayload['statements'] = map.consensus.slice(0, 20).flatMap((cand) => {
    const r = byId.get(cand.contributionId);
    return r ? [{ contributionId: r.id, text: r.text, language: mapped.get(r.id)?.lang ?? r.language ?? 'und', score: cand.score, clusterBreadth: cand.clusterBreadth, nonNegativeShare: cand.nonNegativeShare, supportSize: cand.supportSize }] : [];
  });
  const consensusItem = statements.length
    ? {
        kind: CONSENSUS_KIND,
        subject: consensusSubject(o.assemblyId, o.topic),
        title: `Consensus candidates of ${scope}`,
        payload: { assemblyId: o.assemblyId, topic: o.topic, statements } satisfies ConsensusPayload,
        sources: statements.map((s) => ({ type: 'contribution', id: s.contributionId, text: s.text })),
        provenance: { ...base, stage: 'contributions.map.consensus', params: stage('consensus')?.params ?? {}, stages: [stage('consensus')].filter(Boolean) },
      }
    : null;

  const languageUpdates = [...map.contributions, ...map.apart]
    .filter((c) => byId.get(c.id) && !byId.get(c.id)!.language && c.lang && c.lang !== 'und' && c.langConfidence > 0)
    .map((c) => ({ id: c.id, language: c.lang, languageConfidence: c.langConfidence, flags: languageFlags(c.lang, c.langConfidence, o.languages) }));
  const duplicates = new Map([...map.contributions, ...map.apart].map((c) => [c.id, c.duplicateOf]));
  return { mapItem, summaryItems, consensusItem, languageUpdates, duplicates, citations: { checked: citations + report.citations, share: report.share } };
}
