/**
 * buildTextMap: the whole text opinion map, stage by stage (see README.md beside this file).
 * Same input, options and seed (and the same models) → the same map.
 */
import type { Provenance, StanceExample } from '../../models/types.js';
import { consensusCandidates, CONSENSUS_VERSION } from '../consensus/index.js';
import { mmrKeyStatements, summarizerKeyStatements, SUMMARIES_VERSION } from '../summaries/index.js';
import { assignFromSample, clusterVectors, defaultKMax, defaultKMin, relabelLabelsBySize } from './cluster.js';
import { classTfidfKeywords, keywordsPerLanguage, representatives } from './labels.js';
import { lexicalEmbeddings } from './lexical.js';
import { normalise } from './normalise.js';
import { fitUmapSample, reduceUmap } from './reduce.js';
import { embedSemantic, hasPivotPair, identifyLanguages, translateToPivot } from './stages.js';
import type {
  ApartContribution,
  Cluster,
  ContributionFlag,
  MappedContribution,
  StageProvenance,
  TextMap,
  TextMapDeps,
  TextMapInput,
  TextMapOptions,
} from './types.js';
import { TextMapError } from './types.js';
import { hashInput, sampleIndices, seededRandom, stageProvenance, throwIfAborted, tick } from './util.js';

export const TEXT_MAP_VERSION = '1.0.0';

/** UMAP neighbourhood for the clustering space: √n between 5 and 15 (small inputs need small neighbourhoods). */
export function umapNeighbors(n: number): number {
  return Math.max(5, Math.min(15, Math.round(Math.sqrt(n))));
}

/** Generic few-shot examples for the stance model when the caller gives none (English: the pivot). */
export const DEFAULT_STANCE_EXAMPLES: StanceExample[] = [
  { text: 'I fully support this proposal, it is a good idea.', label: 'support' },
  { text: 'We should do this as soon as possible.', label: 'support' },
  { text: 'This would really help people and I am in favour.', label: 'support' },
  { text: 'I agree, this must be done.', label: 'support' },
  { text: 'I am against this, it is a bad idea.', label: 'oppose' },
  { text: 'We should not do this, it would be harmful.', label: 'oppose' },
  { text: 'This proposal is a mistake and I disagree.', label: 'oppose' },
  { text: 'This must be stopped.', label: 'oppose' },
  { text: 'What would this cost and who would pay for it?', label: 'neutral' },
  { text: 'There are several options to consider here.', label: 'neutral' },
];

// share of the progress bar each stage takes
const W = { normalise: 0.02, language: 0.05, translate: 0.18, embed: 0.4, cluster: 0.12, reduce: 0.12, label: 0.03, polarity: 0.05, summaries: 0.03 };

interface Progress {
  start: number;
  report(stageFraction: number, message: string): void;
  done(): void;
}

export async function buildTextMap(input: TextMapInput, deps: TextMapDeps = {}, opts: TextMapOptions = {}): Promise<TextMap> {
  if (!input || typeof input !== 'object' || !Array.isArray((input as TextMapInput).contributions)) {
    throw new TextMapError('MISSING_FIELD', 'input.contributions must be an array of {id, text}');
  }
  const seed = opts.seed ?? 0;
  const pivot = opts.pivot ?? 'en';
  const mode = opts.mode ?? (deps.embedder ? 'semantic' : 'lexical');
  const signal = opts.signal;
  if (mode === 'semantic' && !deps.embedder) throw new TextMapError('MISSING_MODEL', "mode 'semantic' needs deps.embedder");
  if (opts.k !== undefined && opts.k !== 'auto' && (!Number.isInteger(opts.k) || opts.k < 1)) {
    throw new TextMapError('BAD_OPTION', `k must be a positive integer or 'auto' (got ${String(opts.k)})`);
  }
  const clusterSpace = opts.clusterSpace ?? 'umap';
  const provenance: StageProvenance[] = [];
  const stats: Record<string, number> = {};
  const timer = (name: string) => {
    const t0 = performance.now();
    return () => (stats[`ms_${name}`] = Math.round(performance.now() - t0));
  };
  let acc = 0;
  const stage = (name: keyof typeof W): Progress => {
    const start = acc;
    acc += W[name];
    return {
      start,
      report: (f, message) => opts.onProgress?.(Math.min(1, start + W[name] * Math.max(0, Math.min(1, f))), message),
      done: () => opts.onProgress?.(Math.min(1, start + W[name]), `${name} done`),
    };
  };
  throwIfAborted(signal);

  // 1. normalise and group near-duplicates
  let p = stage('normalise');
  let stop = timer('normalise');
  p.report(0, 'normalising');
  const norm = normalise(input.contributions, { limits: opts.limits, onInvalid: opts.onInvalid });
  provenance.push(norm.provenance);
  const items = norm.contributions;
  const repIdx: number[] = [];
  const repOf = new Map<string, number>(); // group id → position among reps
  items.forEach((c, i) => {
    if (c.groupId === c.id) {
      repOf.set(c.id, repIdx.length);
      repIdx.push(i);
    }
  });
  let reps = repIdx.map((i) => items[i]);
  let texts = reps.map((c) => c.text);
  const duplicates: Record<string, string[]> = {};
  for (const [g, members] of Object.entries(norm.groups)) duplicates[g] = members.filter((m) => m !== g);
  stats.contributions = items.length;
  stats.unique = reps.length;
  stats.rejected = norm.rejected.length;
  stop();
  p.done();
  await tick();

  // 2. language per contribution
  p = stage('language');
  stop = timer('language');
  p.report(0, `identifying languages of ${reps.length} texts`);
  const lang = await identifyLanguages(texts, reps.map((c) => c.lang), deps.languageId, {
    pivot,
    minConfidence: opts.minLanguageConfidence,
    signal,
    onProgress: (f) => p.report(f, 'language id'),
  });
  provenance.push(lang.provenance);
  stop();
  p.done();

  // 2b. unsupported languages (outside opts.languages, or without a translation pair to the pivot) are set apart:
  // flagged and kept, never translated, and out of the map (an embedding of a language the models do not cover
  // would put them anywhere, and an extractive summary could quote them untranslated)
  const unsupported = (l: string) =>
    l !== pivot && ((opts.languages !== undefined && !opts.languages.includes(l)) || (deps.translator !== undefined && !hasPivotPair(deps.translator, l, pivot)));
  // group id → its detected language
  const apartGroups = new Map<string, { lang: string; confidence: number; flags: (typeof lang.flags)[number] }>();
  const keptPos: number[] = [];
  reps.forEach((c, i) =>
    unsupported(lang.langs[i]) ? apartGroups.set(c.id, { lang: lang.langs[i], confidence: lang.confidence[i], flags: lang.flags[i] }) : keptPos.push(i),
  );
  if (apartGroups.size > 0) {
    if (keptPos.length === 0) {
      throw new TextMapError('EMPTY_INPUT', `no contribution is in a supported language (${apartGroups.size} set apart as unsupported-language)`, [...apartGroups.keys()]);
    }
    reps = keptPos.map((i) => reps[i]);
    texts = keptPos.map((i) => texts[i]);
    lang.langs = keptPos.map((i) => lang.langs[i]);
    lang.confidence = keptPos.map((i) => lang.confidence[i]);
    lang.flags = keptPos.map((i) => lang.flags[i]);
    repOf.clear();
    reps.forEach((c, i) => repOf.set(c.id, i));
  }
  stats.unsupported = [...apartGroups.keys()].reduce((a, g) => a + 1 + (duplicates[g]?.length ?? 0), 0);

  // 3. translate to the pivot language
  p = stage('translate');
  stop = timer('translate');
  p.report(0, 'translating');
  const tr = await translateToPivot(texts, lang.langs, deps.translator, {
    pivot,
    cache: deps.cache?.translations,
    signal,
    onProgress: (f) => p.report(f, 'translating'),
  });
  provenance.push(tr.provenance);
  stats.translated = tr.translatedCount;
  stats.translationCacheHits = tr.cacheHits;
  stop();
  p.done();

  // 4. embed
  p = stage('embed');
  stop = timer('embed');
  p.report(0, `embedding (${mode})`);
  let vectors: Float32Array[];
  const outsideEmbedder: boolean[] = new Array(reps.length).fill(false);
  if (mode === 'semantic') {
    const e = deps.embedder!;
    const langsOk = e.languages.includes('*') || e.languages.includes(pivot);
    if (!langsOk) throw new TextMapError('MISSING_MODEL', `embedder covers ${e.languages.join(', ')}, not the pivot '${pivot}'`);
    if (!e.languages.includes('*')) {
      reps.forEach((_, i) => {
        const effective = tr.translated[i] ? pivot : lang.langs[i];
        if (!e.languages.includes(effective)) outsideEmbedder[i] = true;
      });
    }
    const r = await embedSemantic(tr.pivotTexts, e, { cache: deps.cache?.embeddings, signal, batchSize: opts.batchSize, onProgress: (f) => p.report(f, 'embedding') });
    vectors = r.vectors;
    stats.embeddingCacheHits = r.cacheHits;
    provenance.push(r.provenance);
  } else {
    const r = lexicalEmbeddings(tr.pivotTexts, { dims: opts.svdDims ?? 100, seed });
    vectors = r.vectors;
    stats.vocabulary = r.vocabularySize;
    provenance.push(
      stageProvenance('embed', '1.0.0', hashInput(tr.pivotTexts), { mode: 'lexical', svdDims: r.dims, tfidf: 'sublinear tf, smooth idf, uni+bigrams, stop words en+fr', svd: 'randomized, 4 power iterations, 10 oversamples' }, seed),
    );
  }
  stats.dimensions = vectors[0]?.length ?? 0;
  stop();
  p.done();
  throwIfAborted(signal);

  // 5. cluster (+ optional 5-d UMAP clustering space) and sub-topics
  p = stage('cluster');
  stop = timer('cluster');
  p.report(0, 'clustering');
  const n = reps.length;
  const useUmap = clusterSpace === 'umap' && n >= 10;
  const metric = useUmap ? 'euclidean' : 'cosine';
  // the clustering space: a 5-d UMAP of (a seeded sample of) the vectors, or the vectors themselves
  let spaceIdx: number[];
  let spaceVecs: Float32Array[];
  if (useUmap) {
    const s = await fitUmapSample(vectors, { seed: seed + 11, dims: 5, sample: opts.umapSample ?? 5000, minDist: 0, nNeighbors: umapNeighbors(n), signal, onEpoch: (f) => p.report(0.8 * f, 'UMAP (clustering space)') });
    spaceIdx = s.fitIdx;
    spaceVecs = s.coords.map((r) => Float32Array.from(r));
  } else {
    spaceIdx = vectors.map((_, i) => i);
    spaceVecs = vectors;
  }
  const posInSpace = new Int32Array(n).fill(-1);
  spaceIdx.forEach((g, q) => (posInSpace[g] = q));
  const kMax = opts.kMax ?? defaultKMax(n);
  const kMin = Math.min(kMax, opts.kMin ?? defaultKMin(n, kMax));
  // k by the silhouette of the embeddings (cosine), over k ∈ [kMin, kMax], whatever space k-means runs in
  const topFit = clusterVectors(spaceVecs, { seed, k: opts.k ?? 'auto', kMin, kMax, metric, silhouetteVectors: useUmap ? spaceIdx.map((g) => vectors[g]) : undefined });
  const topAll = relabelLabelsBySize(spaceIdx.length === n ? topFit.labels : assignFromSample(vectors, spaceIdx, topFit.labels, topFit.k), topFit.k);
  const top = { labels: topAll.labels, k: topAll.k, silhouettes: topFit.silhouettes };
  const subMin = opts.subtopicMinSize ?? 60;
  const subLabels = new Int32Array(n).fill(-1);
  const subK: number[] = new Array(top.k).fill(0);
  const membersOf: number[][] = Array.from({ length: top.k }, () => []);
  top.labels.forEach((c, i) => membersOf[c].push(i));
  if (subMin > 0) {
    for (let c = 0; c < top.k; c++) {
      const mem = membersOf[c];
      if (mem.length < subMin) continue;
      const inSpace = mem.map((i, q) => (posInSpace[i] >= 0 ? q : -1)).filter((q) => q >= 0);
      if (inSpace.length < 20) continue;
      throwIfAborted(signal);
      const sub = clusterVectors(
        inSpace.map((q) => spaceVecs[posInSpace[mem[q]]]),
        { seed: seed + 1 + c, k: 'auto', kMax: Math.min(8, defaultKMax(mem.length)), metric, fitSample: 10_000 },
      );
      if (sub.k < 2) continue;
      const memVecs = mem.map((i) => vectors[i]);
      const subAll = relabelLabelsBySize(inSpace.length === mem.length ? sub.labels : assignFromSample(memVecs, inSpace, sub.labels, sub.k), sub.k);
      if (subAll.k < 2) continue;
      subK[c] = subAll.k;
      mem.forEach((i, q) => (subLabels[i] = subAll.labels[q]));
      p.report(0.8 + (0.2 * c) / top.k, 'sub-topics');
      await tick();
    }
  }
  provenance.push(
    stageProvenance('cluster', '1.0.0', hashInput({ vectors: vectors.length, input: tr.pivotTexts }), {
      algorithm: 'k-means (ml-kmeans, k-means++)',
      space: useUmap ? 'umap-5d (fitted on a seeded sample; other points to the nearest embedding-space centroid)' : 'embedding',
      umapSample: opts.umapSample ?? 5000,
      k: top.k,
      kSelection: opts.k === undefined || opts.k === 'auto' ? 'silhouette of the embeddings (cosine) over k in [kMin, kMax]' : 'fixed',
      kMin,
      kMax,
      silhouettes: top.silhouettes,
      subtopicMinSize: subMin,
      subK,
    }, seed),
  );
  stats.k = top.k;
  stats.subtopics = subK.reduce((a, b) => a + b, 0);
  stop();
  p.done();

  // 6. 2-D map
  p = stage('reduce');
  stop = timer('reduce');
  p.report(0, 'UMAP');
  const fineLabels = top.labels.map((c, i) => c * 64 + subLabels[i] + 1);
  const xy = await reduceUmap(vectors, { seed: seed + 7, dims: 2, sample: opts.umapSample ?? 5000, labels: fineLabels, signal, onEpoch: (f) => p.report(f, 'UMAP') });
  provenance.push(stageProvenance('reduce', '1.0.0', hashInput(vectors.length), { algorithm: 'umap-js 1.4.0', dims: 2, nNeighbors: 15, minDist: 0.1, metric: 'cosine', sample: opts.umapSample ?? 5000 }, seed + 7));
  stop();
  p.done();
  throwIfAborted(signal);

  // 7. labels and representatives
  p = stage('label');
  stop = timer('label');
  const kwTop = classTfidfKeywords(tr.pivotTexts, top.labels, top.k);
  // labels readers see come from the originals of each language (never from the pivot translation)
  const kwByLang = keywordsPerLanguage(texts, lang.langs, top.labels, top.k);
  const clusters: Cluster[] = [];
  const idOf = (i: number) => reps[i].id;
  const withDups = (repIds: number[]) => repIds.flatMap((i) => [idOf(i), ...(duplicates[idOf(i)] ?? [])]);
  for (let c = 0; c < top.k; c++) {
    const mem = membersOf[c];
    const cx = mem.reduce((a, i) => a + xy[i][0], 0) / Math.max(1, mem.length);
    const cy = mem.reduce((a, i) => a + xy[i][1], 0) / Math.max(1, mem.length);
    clusters.push({
      id: `c${c}`,
      parentId: null,
      level: 1,
      size: 0,
      memberIds: withDups(mem),
      keywords: kwTop[c],
      keywordsByLang: kwByLang[c],
      representativeIds: representatives(vectors, mem, 3).map(idOf),
      sentiment: null,
      stance: null,
      keyStatements: [],
      centroid2d: [cx, cy],
    });
    if (subK[c] >= 2) {
      const subMem: number[][] = Array.from({ length: subK[c] }, () => []);
      mem.forEach((i) => subMem[subLabels[i]].push(i));
      const kwSub = classTfidfKeywords(mem.map((i) => tr.pivotTexts[i]), mem.map((i) => subLabels[i]), subK[c]);
      const kwSubByLang = keywordsPerLanguage(mem.map((i) => texts[i]), mem.map((i) => lang.langs[i]), mem.map((i) => subLabels[i]), subK[c]);
      subMem.forEach((sm, s) => {
        clusters.push({
          id: `c${c}.${s}`,
          parentId: `c${c}`,
          level: 2,
          size: 0,
          memberIds: withDups(sm),
          keywords: kwSub[s],
          keywordsByLang: kwSubByLang[s],
          representativeIds: representatives(vectors, sm, 3).map(idOf),
          sentiment: null,
          stance: null,
          keyStatements: [],
          centroid2d: [sm.reduce((a, i) => a + xy[i][0], 0) / sm.length, sm.reduce((a, i) => a + xy[i][1], 0) / sm.length],
        });
      });
    }
  }
  for (const cl of clusters) cl.size = cl.memberIds.length;
  provenance.push(stageProvenance('label', '1.0.0', hashInput({ texts: tr.pivotTexts, labels: Array.from(top.labels) }), { method: 'class-based TF-IDF', top: 8, representatives: 3, keywords: 'pivot texts', keywordsByLang: 'original texts, per language' }, null));
  stop();
  p.done();

  // 8. sentiment and stance distributions
  p = stage('polarity');
  stop = timer('polarity');
  const sentiment: Array<number | null> = new Array(n).fill(null);
  const stance: Array<string | null> = new Array(n).fill(null);
  const polModels: Provenance[] = [];
  // sentiment: every contribution, or a seeded sample of opts.sentimentSample per cluster (distributions are estimates
  // then), and about 32,000 in all: more clusters must not make the stage grow with k. Stance: a stance model embeds
  // its texts again (the Stance interface takes texts, not our vectors): at most opts.stanceSample per cluster and
  // about 600 in all.
  const sentimentPer = Math.min(opts.sentimentSample ?? 2000, Math.max(200, Math.floor(32_000 / Math.max(1, top.k))));
  const stancePer = Math.min(opts.stanceSample ?? 100, Math.max(10, Math.floor(600 / Math.max(1, top.k))));
  if (deps.sentiment) {
    const s = deps.sentiment;
    const ok = (i: number) => s.languages.includes('*') || s.languages.includes(tr.translated[i] ? pivot : lang.langs[i]);
    const srand = seededRandom(seed + 4);
    const picked: number[] = [];
    for (const mem of membersOf) {
      const okMem = mem.filter(ok);
      for (const q of sampleIndices(okMem.length, Math.min(okMem.length, sentimentPer), srand)) picked.push(okMem[q]);
    }
    const idx = picked.sort((a, b) => a - b);
    const bs = 2000;
    for (let q = 0; q < idx.length; q += bs) {
      throwIfAborted(signal);
      const batch = idx.slice(q, q + bs);
      const r = await s.score(batch.map((i) => tr.pivotTexts[i]));
      polModels.push(r.provenance);
      batch.forEach((i, t) => (sentiment[i] = r.output[t]));
      p.report((0.5 * (q + bs)) / idx.length, 'sentiment');
      await tick();
    }
  }
  if (deps.stance) {
    const examples = opts.stanceExamples ?? DEFAULT_STANCE_EXAMPLES;
    const rand = seededRandom(seed + 3);
    const chosen: number[] = [];
    for (const mem of membersOf) for (const q of sampleIndices(mem.length, stancePer, rand)) chosen.push(mem[q]);
    chosen.sort((a, b) => a - b);
    const bs = 256;
    for (let q = 0; q < chosen.length; q += bs) {
      throwIfAborted(signal);
      const batch = chosen.slice(q, q + bs);
      const r = await deps.stance.classify(batch.map((i) => tr.pivotTexts[i]), examples);
      polModels.push(r.provenance);
      batch.forEach((i, t) => (stance[i] = r.output[t].label));
      p.report(0.5 + (0.5 * (q + bs)) / chosen.length, 'stance');
      await tick();
    }
  }
  const repPos = new Map(reps.map((c, i) => [c.id, i]));
  for (const cl of clusters) {
    const mem = cl.memberIds.map((id) => repPos.get(id)).filter((i): i is number => i !== undefined);
    const scored = mem.filter((i) => sentiment[i] !== null).map((i) => sentiment[i]!);
    if (deps.sentiment) {
      cl.sentiment = {
        n: scored.length,
        mean: scored.length ? Number((scored.reduce((a, b) => a + b, 0) / scored.length).toFixed(6)) : 0,
        positive: scored.filter((x) => x >= 0.05).length,
        neutral: scored.filter((x) => x > -0.05 && x < 0.05).length,
        negative: scored.filter((x) => x <= -0.05).length,
      };
    }
    if (deps.stance) {
      const counts: Record<string, number> = {};
      let k = 0;
      for (const i of mem) {
        const s = stance[i];
        if (s === null) continue;
        counts[s] = (counts[s] ?? 0) + 1;
        k++;
      }
      cl.stance = { n: k, counts };
    }
  }
  provenance.push(stageProvenance('polarity', '1.0.0', hashInput(tr.pivotTexts), { sentimentThresholds: [-0.05, 0.05], sentimentSamplePerCluster: sentimentPer, stanceSamplePerCluster: stancePer, stanceExamples: deps.stance ? (opts.stanceExamples ?? DEFAULT_STANCE_EXAMPLES).length : 0 }, seed + 3, polModels));
  stop();
  p.done();

  // 9. key statements and consensus candidates
  p = stage('summaries');
  stop = timer('summaries');
  const sumModels: Provenance[] = [];
  for (const cl of clusters) {
    throwIfAborted(signal);
    const mem = cl.memberIds.map((id) => repPos.get(id)).filter((i): i is number => i !== undefined);
    if (deps.summarizer) {
      // the summarizer reads the originals, one language at a time (its sentences are then in that language);
      // each language gets statements in proportion to its members (at least one)
      const maxS = opts.keyStatements ?? 3;
      const byLang = new Map<string, number[]>();
      for (const i of mem) (byLang.get(lang.langs[i]) ?? byLang.set(lang.langs[i], []).get(lang.langs[i])!).push(i);
      cl.keyStatements = [];
      for (const [l, idx] of [...byLang].sort((a, b) => b[1].length - a[1].length || (a[0] < b[0] ? -1 : 1))) {
        const r = await summarizerKeyStatements(deps.summarizer, idx.map((i) => ({ id: reps[i].id, text: texts[i] })), { maxSentences: Math.max(1, Math.round((maxS * idx.length) / mem.length)), language: l });
        sumModels.push(r.provenance);
        cl.keyStatements.push(...r.statements);
      }
    } else {
      // chosen through the (pivot) vectors, quoted verbatim in the language they were written in
      cl.keyStatements = mmrKeyStatements(
        mem.map((i) => vectors[i]),
        mem.map((i) => ({ id: reps[i].id, text: texts[i], lang: lang.langs[i] })),
        { maxStatements: opts.keyStatements ?? 3 },
        duplicates,
      );
    }
  }
  provenance.push(stageProvenance('summaries', SUMMARIES_VERSION, hashInput(clusters.map((c) => c.memberIds)), { method: deps.summarizer ? 'summarizer' : 'centroid+MMR', lambda: 0.5, maxStatements: opts.keyStatements ?? 3, quotes: 'originals, in their own language' }, null, sumModels));
  const candIdx = [...new Set(clusters.flatMap((cl) => cl.keyStatements.map((s) => (s.contributionId ? repPos.get(s.contributionId) : undefined)).filter((i): i is number => i !== undefined)))].sort((a, b) => a - b);
  const cons = consensusCandidates(
    { ids: reps.map((c) => c.id), texts: tr.pivotTexts, vectors, clusters: top.labels, k: top.k, sentiment, stance, candidates: candIdx, votes: input.votes },
    { seed: seed + 5 },
  );
  provenance.push(stageProvenance('consensus', CONSENSUS_VERSION, hashInput({ candIdx, votes: input.votes?.length ?? 0 }), { method: 'nearest-neighbour support breadth × non-negative share', quantile: 0.95, threshold: cons.threshold, minBreadth: 0.5, minNonNegative: 0.6 }, seed + 5));
  stop();
  p.done();

  // assemble, in input order
  const apart: ApartContribution[] = items
    .filter((c) => apartGroups.has(c.groupId))
    .map((c) => {
      const l = apartGroups.get(c.groupId)!;
      return {
        id: c.id,
        text: c.text,
        lang: l.lang,
        langConfidence: Number(l.confidence.toFixed(4)),
        flags: [...new Set<ContributionFlag>([...c.flags, ...l.flags, 'unsupported-language'])].sort(),
        duplicateOf: c.groupId === c.id ? null : c.groupId,
      };
    });
  const contributions: MappedContribution[] = items.filter((c) => !apartGroups.has(c.groupId)).map((c) => {
    const r = repOf.get(c.groupId)!;
    const flags = new Set<ContributionFlag>([...c.flags, ...lang.flags[r], ...tr.flags[r]]);
    if (outsideEmbedder[r]) flags.add('language-outside-embedder');
    return {
      id: c.id,
      text: c.text,
      lang: lang.langs[r],
      langConfidence: Number(lang.confidence[r].toFixed(4)),
      pivotText: c.groupId === c.id ? tr.pivotTexts[r] : tr.pivotTexts[r],
      translated: tr.translated[r],
      flags: [...flags].sort(),
      duplicateOf: c.groupId === c.id ? null : c.groupId,
      x: Number(xy[r][0].toFixed(5)),
      y: Number(xy[r][1].toFixed(5)),
      cluster: `c${top.labels[r]}`,
      subcluster: subLabels[r] >= 0 ? `c${top.labels[r]}.${subLabels[r]}` : null,
      sentiment: sentiment[r],
      stance: stance[r],
    };
  });
  opts.onProgress?.(1, 'done');
  return {
    version: TEXT_MAP_VERSION,
    seed,
    mode,
    pivot,
    contributions,
    apart,
    clusters,
    consensus: cons.candidates,
    rejected: norm.rejected,
    provenance,
    stats,
  };
}
