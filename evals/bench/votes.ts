/**
 * votes benchmark: opinion-group math on a synthetic conversation (default 100,000 participants × 10,000
 * statements, 10 million votes, 3 planted groups, seeded generator), full recompute and incremental update after
 * 1,000 new votes, against scikit-learn (TruncatedSVD on the implicitly mean-imputed, centred sparse matrix — the
 * same PCA, as sklearn 1.2's PCA takes no sparse input — plus KMeans k = 100 and k = 2…5 with silhouette) on the
 * same matrix in the same run.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir, cpus, totalmem, loadavg } from 'node:os';
import { join } from 'node:path';
import type { Bench, BenchResult } from '../harness.js';
import { addVotes, buildVoteMatrix, type VoteColumns } from '../../pipelines/votes/matrix.js';
import { computeOpinionMap, type OpinionMap } from '../../pipelines/votes/opinion-map.js';
import { createPrng } from '../../pipelines/votes/prng.js';
import { adjustedRandIndex } from '../votes/scores.js';

export interface SyntheticConversation {
  votes: VoteColumns;
  planted: Int32Array;
  nParticipants: number;
  nStatements: number;
}

/**
 * Planted-group generator: each statement has, per group, an agree / disagree / pass mix; participants vote on
 * random statements (activity skewed so some vote a lot and some a little).
 */
export function syntheticConversation(nParticipants: number, nStatements: number, nVotes: number, groups: number, seed: number): SyntheticConversation {
  const rng = createPrng(seed, 99);
  const pAgree = new Float64Array(groups * nStatements);
  for (let j = 0; j < nStatements; j++) for (let g = 0; g < groups; g++) {
    // a third of statements divide the groups strongly, the rest are mild or consensual
    const divisive = j % 3 === 0;
    pAgree[g * nStatements + j] = divisive ? (((j / 3) + g) % groups === 0 ? 0.85 : 0.15) : 0.4 + 0.3 * rng.next();
  }
  const planted = new Int32Array(nParticipants);
  for (let i = 0; i < nParticipants; i++) planted[i] = rng.int(groups);
  const perP = nVotes / nParticipants;
  const participant = new Int32Array(nVotes), statement = new Int32Array(nVotes), vote = new Int8Array(nVotes);
  let t = 0;
  for (let i = 0; i < nParticipants && t < nVotes; i++) {
    // activity between 0.25× and 1.75× the mean, the last participant takes the remainder
    const want = i === nParticipants - 1 ? nVotes - t : Math.min(nVotes - t, Math.max(1, Math.round(perP * (0.25 + 1.5 * rng.next()))));
    for (let v = 0; v < want; v++) {
      const j = rng.int(nStatements);
      const pa = pAgree[planted[i] * nStatements + j];
      const r = rng.next();
      participant[t] = i; statement[t] = j; vote[t] = r < pa ? 1 : r < pa + (1 - pa) * 0.8 ? -1 : 0;
      t++;
    }
  }
  return { votes: { participant: participant.subarray(0, t), statement: statement.subarray(0, t), vote: vote.subarray(0, t) }, planted, nParticipants, nStatements };
}

const SKLEARN_SCRIPT = String.raw`
import sys, time, json, numpy as np
from scipy.sparse import csr_matrix
from sklearn.decomposition import TruncatedSVD
from sklearn.cluster import KMeans
from sklearn.metrics import silhouette_score
d = sys.argv[1]
meta = json.load(open(d + '/meta.json'))
P, S = meta['P'], meta['S']
rowptr = np.fromfile(d + '/rowptr.bin', dtype=np.int32)
col = np.fromfile(d + '/col.bin', dtype=np.int32)
val = np.fromfile(d + '/val.bin', dtype=np.int8).astype(np.float64)
import resource
ru = lambda: (lambda r: r.ru_utime + r.ru_stime)(resource.getrusage(resource.RUSAGE_SELF))
c0 = ru()
t0 = time.perf_counter()
X = csr_matrix((val, col, rowptr), shape=(P, S))
counts = np.bincount(col, minlength=S)
mu = np.divide(np.bincount(col, weights=val, minlength=S), np.maximum(counts, 1))
Xc = csr_matrix((val - mu[col], col, rowptr), shape=(P, S))   # mean-imputed and centred: unseen cells are 0
svd = TruncatedSVD(n_components=2, algorithm='randomized', n_iter=7, random_state=0)
svd.fit(Xc)
V = np.diff(rowptr)
proj = (Xc @ svd.components_.T) * np.sqrt(S / np.maximum(V, 1))[:, None]
t1 = time.perf_counter()
inconv = np.where(V >= min(7, S))[0]
base = KMeans(n_clusters=100, n_init=1, random_state=0).fit(proj[inconv])
w = np.bincount(base.labels_, minlength=100)
best = None
for k in range(2, 6):
    km = KMeans(n_clusters=k, n_init=10, random_state=0).fit(base.cluster_centers_, sample_weight=w)
    s = silhouette_score(base.cluster_centers_, km.labels_)
    if best is None or s > best[0]: best = (s, k, km)
t2 = time.perf_counter()
c2 = ru()
groups = best[2].labels_[base.labels_]
out = np.full(P, -1, dtype=np.int32); out[inconv] = groups
out.tofile(d + '/sk_groups.bin')
import resource
json.dump({'cpuSeconds': c2 - c0, 'pcaSeconds': t1 - t0, 'clusterSeconds': t2 - t1, 'totalSeconds': t2 - t0, 'k': int(best[1]),
           'peakRssMb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}, open(d + '/sk.json', 'w'))
`;

const rssMb = () => process.resourceUsage().maxRSS / 1024;
const cpuMs = (u: NodeJS.CpuUsage) => (u.user + u.system) / 1000;

export const bench: Bench = {
  name: 'votes',
  description: 'Opinion-group math: full recompute and incremental update on a synthetic 100k × 10k, 10M-vote conversation vs scikit-learn',
  async run(args, log): Promise<BenchResult> {
    const P = Number(args.participants ?? 100_000), S = Number(args.statements ?? 10_000), N = Number(args.votes ?? 10_000_000);
    const seed = Number(args.seed ?? 1);
    const newVotes = Number(args['new-votes'] ?? 1000);
    log(`generating ${P} × ${S}, ${N} votes (seed ${seed})`);
    let t = performance.now();
    const conv = syntheticConversation(P, S, N, 3, seed);
    const genMs = performance.now() - t;
    t = performance.now();
    const matrix = buildVoteMatrix(P, S, conv.votes);
    const buildMs = performance.now() - t;
    log(`matrix: ${matrix.col.length} distinct votes, built in ${buildMs.toFixed(0)} ms`);

    t = performance.now();
    let cpu = process.cpuUsage();
    const full = computeOpinionMap({ matrix }, { seed }) as OpinionMap;
    const fullMs = performance.now() - t;
    const fullCpuMs = cpuMs(process.cpuUsage(cpu));
    if (full.status !== 'ok') throw new Error('benchmark conversation did not cluster');
    log(`full recompute ${fullMs.toFixed(0)} ms, k ${full.k}, PCA iterations ${full.pca.iterations} ${JSON.stringify(full.timings)}`);
    const rssAfterFull = rssMb();

    // incremental: 1,000 new votes from random participants
    const rng = createPrng(seed, 7);
    const nv: VoteColumns = { participant: new Int32Array(newVotes), statement: new Int32Array(newVotes), vote: new Int8Array(newVotes) };
    for (let v = 0; v < newVotes; v++) { nv.participant[v] = rng.int(P); nv.statement[v] = rng.int(S); nv.vote[v] = ([1, -1, 0] as const)[rng.int(3)]; }
    t = performance.now();
    cpu = process.cpuUsage();
    const m2 = addVotes(matrix, nv);
    const addMs = performance.now() - t;
    const addCpuMs = cpuMs(process.cpuUsage(cpu));
    t = performance.now();
    cpu = process.cpuUsage();
    const inc = computeOpinionMap({ matrix: m2 }, { seed, previous: full.state }) as OpinionMap;
    const incMs = performance.now() - t;
    const incCpuMs = cpuMs(process.cpuUsage(cpu));
    const changed = inc.participantGroup.reduce((s, g, i) => s + (g !== full.participantGroup[i] ? 1 : 0), 0);
    log(`incremental: addVotes ${addMs.toFixed(0)} ms + recompute ${incMs.toFixed(0)} ms, PCA iterations ${inc.pca.iterations}, ${changed} participants changed group ${JSON.stringify(inc.timings)}`);

    const idx: number[] = [];
    full.participantGroup.forEach((g, i) => { if (g >= 0) idx.push(i); });
    const ariPlanted = adjustedRandIndex(idx.map((i) => full.participantGroup[i]), idx.map((i) => conv.planted[i]));
    const figures: BenchResult['figures'] = {
      participants: P, statements: S, votes: matrix.col.length, clustered: full.inConv.length, k: full.k,
      generateMs: Math.round(genMs), buildMatrixMs: Math.round(buildMs),
      fullRecomputeMs: Math.round(fullMs), fullRecomputeCpuMs: Math.round(fullCpuMs), pcaIterationsFull: full.pca.iterations,
      incrementalAddVotesMs: Math.round(addMs), incrementalRecomputeMs: Math.round(incMs), incrementalTotalMs: Math.round(addMs + incMs),
      incrementalTotalCpuMs: Math.round(addCpuMs + incCpuMs),
      loadAverage1m: Number(loadavg()[0].toFixed(2)),
      pcaIterationsIncremental: inc.pca.iterations, groupChangesAfterIncrement: changed,
      ariVsPlanted: Number(ariPlanted.toFixed(4)), peakRssMbAfterFull: Math.round(rssAfterFull), peakRssMb: Math.round(rssMb()),
      cores: cpus().length, totalMemGb: Math.round(totalmem() / 2 ** 30),
    };
    const notes: string[] = [
      'single-threaded JS; peak RSS is the whole bench process (generator arrays included)',
      '*CpuMs = user+system CPU time of this process for the phase: on an idle machine ≈ wall time; wall times inflate under load (see loadAverage1m)',
    ];
    if (!args['no-sklearn']) {
      const dir = mkdtempSync(join(tmpdir(), 'votes-bench-'));
      try {
        writeFileSync(join(dir, 'meta.json'), JSON.stringify({ P, S }));
        writeFileSync(join(dir, 'rowptr.bin'), matrix.rowPtr);
        writeFileSync(join(dir, 'col.bin'), matrix.col);
        writeFileSync(join(dir, 'val.bin'), matrix.val);
        writeFileSync(join(dir, 'bench.py'), SKLEARN_SCRIPT);
        log('running scikit-learn baseline (/usr/bin/python3)');
        t = performance.now();
        execFileSync('/usr/bin/python3', [join(dir, 'bench.py'), dir], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, OMP_NUM_THREADS: '2', OPENBLAS_NUM_THREADS: '2' } });
        const wallMs = performance.now() - t;
        const sk = JSON.parse(readFileSync(join(dir, 'sk.json'), 'utf8'));
        const skGroups = new Int32Array(readFileSync(join(dir, 'sk_groups.bin')).buffer.slice(0));
        const both = idx.filter((i) => skGroups[i] >= 0);
        figures.sklearnSeconds = Number(sk.totalSeconds.toFixed(2));
        figures.sklearnPcaSeconds = Number(sk.pcaSeconds.toFixed(2));
        figures.sklearnWallSecondsInclLoad = Number((wallMs / 1000).toFixed(2));
        figures.sklearnK = sk.k;
        figures.sklearnPeakRssMb = Math.round(sk.peakRssMb);
        figures.sklearnCpuSeconds = Number(sk.cpuSeconds.toFixed(2));
        figures.speedupVsSklearn = Number((sk.totalSeconds * 1000 / fullMs).toFixed(2));
        figures.cpuTimeRatioVsSklearn = Number((sk.cpuSeconds * 1000 / fullCpuMs).toFixed(2));
        figures.ariOursVsSklearn = Number(adjustedRandIndex(both.map((i) => full.participantGroup[i]), both.map((i) => skGroups[i])).toFixed(4));
      } finally { rmSync(dir, { recursive: true, force: true }); }
    }
    const result: BenchResult = { name: 'votes', figures, notes };
    const resultsDir = new URL('./results/', import.meta.url);
    if (!existsSync(resultsDir)) mkdirSync(resultsDir, { recursive: true });
    if (args['no-save'] !== true) writeFileSync(new URL('votes.json', resultsDir), JSON.stringify({ date: new Date().toISOString(), args, ...result }, null, 2) + '\n');
    for (const [k, v] of Object.entries(figures)) log(`${k}: ${v}`);
    return result;
  },
};
