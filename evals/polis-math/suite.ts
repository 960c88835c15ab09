/**
 * polis-math: our math against Pol.is's own computed math on Pol.is API dumps.
 * Every subfolder of --data with votes.json, comments.json and math-pca2.json is one conversation.
 * Scores: ARI of groups (over participants Pol.is clustered), overlap of consensus and representative
 * statements, Spearman correlation of group-aware consensus; diagnostics: |cos| of the principal components,
 * Spearman of routing priority.
 * Overlap of two statement lists A (ours) and B (Pol.is) = |A ∩ B| / max(|A|, |B|) (1 when both empty).
 *
 * History (`--history replay|one-shot`, default replay when every vote has a `modified` time): Pol.is computed its
 * math live, each update continuing from the previous one, so its groups depend on the order votes arrived in. A
 * conversation hosted in Plenary carries its state through the same history (the service recomputes with the
 * previous state), so the like-for-like comparison replays votes.json through `replayOpinionMaps`. The one-shot
 * figures (computeOpinionMap once on the final votes, best of many seeded starts) are reported beside it
 * (`meanARI_oneShot`, `consensusOverlap_oneShot`; items' `ari_oneShot`).
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataError, type EvalItem, type EvalSuite } from '../harness.js';
import { replayInclusion } from '../../pipelines/votes/inclusion.js';
import { buildVoteMatrix } from '../../pipelines/votes/matrix.js';
import { computeOpinionMap, type OpinionMap, type StatementFlag } from '../../pipelines/votes/opinion-map.js';
import { LIVE_OPTIONS, REPLAY_DEFAULTS, replayOpinionMaps, type ReplayOptions, type TimedVoteValue } from '../../pipelines/votes/replay.js';
import { adjustedRandIndex, sameGroups, spearman } from '../votes/scores.js';
import { conversationFolders } from '../votes/suite.js';
import { inSplit, listedSplit, parseSplit, POLIS_DUMP_VALIDATION, type Split } from '../splits.js';

type Json = any;

function readJson(path: string): Json {
  if (!existsSync(path)) throw new DataError(`missing ${path}`);
  try { return JSON.parse(readFileSync(path, 'utf8')); } catch (e) { throw new DataError(`cannot parse ${path}: ${(e as Error).message}`); }
}

const num = (o: Json, ...keys: string[]): number => {
  for (const k of keys) if (o[k] !== undefined && o[k] !== null) return Number(o[k]);
  return NaN;
};

export function overlap(a: readonly number[], b: readonly number[]): number {
  const A = new Set(a), B = new Set(b);
  if (A.size === 0 && B.size === 0) return 1;
  let inter = 0;
  for (const x of A) if (B.has(x)) inter++;
  return inter / Math.max(A.size, B.size);
}

/** Best one-to-one matching of our groups to Pol.is groups by shared members (brute force, k ≤ 6). */
function matchGroups(ours: number[], theirs: number[], kOurs: number, kTheirs: number): Map<number, number> {
  const shared = Array.from({ length: kTheirs }, () => new Array(kOurs).fill(0));
  ours.forEach((g, i) => { if (g >= 0 && theirs[i] >= 0) shared[theirs[i]][g]++; });
  let best = new Map<number, number>(), bestScore = -1;
  const used = new Array(kOurs).fill(false);
  const cur = new Map<number, number>();
  const go = (t: number, score: number): void => {
    if (t === kTheirs) { if (score > bestScore) { bestScore = score; best = new Map(cur); } return; }
    let any = false;
    for (let g = 0; g < kOurs; g++) if (!used[g]) { any = true; used[g] = true; cur.set(t, g); go(t + 1, score + shared[t][g]); cur.delete(t); used[g] = false; }
    if (!any) go(t + 1, score);
  };
  go(0, 0);
  return best;
}

export const suite: EvalSuite = {
  name: 'polis-math',
  description: 'Groups, consensus, representative statements and group-aware consensus vs Pol.is math-pca2 output',
  usage: "[--split validation|test|all] [--seed <n>] [--history replay|one-shot] [--options '<OpinionMapOptions + updateIntervalMs/maxUpdates JSON>'] [--inclusion snapshot|replay]",
  async run(ctx) {
    const data = resolve(ctx.data);
    const seed = ctx.args.seed !== undefined ? Number(ctx.args.seed) : 1;
    let overrides: Partial<ReplayOptions> = {};
    if (typeof ctx.args.options === 'string') {
      try { overrides = JSON.parse(ctx.args.options); } catch { throw new DataError('--options must be a JSON object of OpinionMapOptions'); }
    }
    const want = parseSplit(ctx.args);
    const sideOf = (name: string): Split => listedSplit(name, POLIS_DUMP_VALIDATION);
    const folders = conversationFolders(data, 'math-pca2.json').filter((d) => existsSync(join(data, d, 'votes.json')) && existsSync(join(data, d, 'comments.json')) && inSplit(sideOf(d), want));
    if (folders.length === 0) throw new DataError(`no subfolder of ${data} holds votes.json, comments.json and math-pca2.json${want === 'all' ? '' : ` in the ${want} split`}`);
    const bySide: Record<Split, number[]> = { validation: [], test: [] };
    const items: EvalItem[] = [];
    const replay = ctx.args.inclusion === 'replay';
    const history = ctx.args.history === undefined ? 'replay' : String(ctx.args.history);
    if (history !== 'replay' && history !== 'one-shot') throw new DataError('--history must be replay or one-shot');
    const { updateIntervalMs, maxUpdates, ...mapOverrides } = overrides;
    let replayed = 0;
    const acc = { ari: [] as number[], cons: [] as number[], rep: [] as number[], gac: [] as number[], ari1: [] as number[], cons1: [] as number[] };
    for (const name of folders) {
      const dir = join(data, name);
      const votes = readJson(join(dir, 'votes.json')), comments = readJson(join(dir, 'comments.json')), math = readJson(join(dir, 'math-pca2.json'));
      if (!Array.isArray(votes) || !Array.isArray(comments) || typeof math !== 'object') throw new DataError(`${name}: unexpected JSON shapes`);
      // statements: every comment and every voted-on id; index = position in sorted ids
      const tids = new Set<number>();
      for (const c of comments) tids.add(num(c, 'tid', 'statement_id'));
      for (const v of votes) tids.add(num(v, 'tid', 'statement_id'));
      const statementIds = [...tids].filter(Number.isFinite).sort((a, b) => a - b);
      const sIndex = new Map(statementIds.map((t, k) => [t, k]));
      const flags: StatementFlag[] = statementIds.map(() => 'ok');
      for (const c of comments) {
        const k = sIndex.get(num(c, 'tid', 'statement_id'))!;
        const mod = num(c, 'mod', 'moderated');
        flags[k] = mod === -1 ? 'rejected' : c.is_meta ? 'meta' : 'ok';
      }
      const pids = [...new Set(votes.map((v: Json) => num(v, 'pid', 'participant_id')))].filter(Number.isFinite).sort((a, b) => a - b);
      const pIndex = new Map(pids.map((p, k) => [p, k]));
      const ordered = votes.map((v: Json, i: number) => ({ v, t: num(v, 'modified'), i })).sort((a: Json, b: Json) => (a.t - b.t) || (a.i - b.i));
      // the votes in time order, once: the final matrix (last vote wins), the inclusion floor and the replay all read them
      const timed: TimedVoteValue[] = ordered.map(({ v, t }: Json) => ({
        participant: pIndex.get(num(v, 'pid', 'participant_id'))!, statement: sIndex.get(num(v, 'tid', 'statement_id'))!, vote: num(v, 'vote') as 1 | -1 | 0, time: t,
      }));
      const matrix = buildVoteMatrix(pids.length, statementIds.length, timed);
      const hasTimes = timed.every((x) => Number.isFinite(x.time));
      const include = replay && hasTimes ? replayInclusion(timed, pids.length) : undefined;
      const one = computeOpinionMap({ matrix, statementFlags: flags }, { ...mapOverrides, seed, ...(include ? { include } : {}) });
      const useReplay = history === 'replay' && hasTimes;
      const replayRun = () => replayOpinionMaps(
        { nParticipants: pids.length, nStatements: statementIds.length, statementFlags: flags, votes: timed },
        { ...mapOverrides, seed, updateIntervalMs, maxUpdates },
      );
      const replayed1 = useReplay ? replayRun() : null;
      if (replayed1) replayed++;
      const res = replayed1 ? replayed1.result : one;
      if (res.status !== 'ok') { items.push({ name, ari: null, note: res.reason }); continue; }
      const identical = replayed1 ? Number(sameGroups(res, replayRun().result)) : 1;

      // Pol.is groups: group-clusters members are base-cluster ids
      const base = math['base-clusters'];
      const baseMembers = new Map<number, number[]>();
      base.id.forEach((id: number, k: number) => baseMembers.set(id, base.members[k]));
      const theirs = new Int32Array(pids.length).fill(-1);
      const polisGroups: Json[] = math['group-clusters'];
      for (const g of polisGroups) for (const b of g.members) for (const p of baseMembers.get(b) ?? []) if (pIndex.has(p)) theirs[pIndex.get(p)!] = g.id;
      const idx: number[] = [];
      theirs.forEach((g, i) => { if (g >= 0) idx.push(i); });
      const labelsOf = (r: OpinionMap) => idx.map((i) => r.participantGroup[i] >= 0 ? r.participantGroup[i] : r.nearestGroup[i]);
      const ari = adjustedRandIndex(labelsOf(res), idx.map((i) => theirs[i]));
      const ari1 = one.status === 'ok' ? adjustedRandIndex(labelsOf(one), idx.map((i) => theirs[i])) : NaN;

      const tidOf = (k: number) => statementIds[k];
      const consOf = (r: OpinionMap) => [...r.consensus.agree.map((c) => tidOf(c.statement)), ...r.consensus.disagree.map((c) => -1 - tidOf(c.statement))];
      const theirCons = [...(math.consensus?.agree ?? []).map((c: Json) => c.tid), ...(math.consensus?.disagree ?? []).map((c: Json) => -1 - c.tid)];
      const cons = overlap(consOf(res), theirCons);
      const cons1 = one.status === 'ok' ? overlap(consOf(one), theirCons) : NaN;

      const match = matchGroups(Array.from(res.participantGroup), Array.from(theirs), res.k, polisGroups.length);
      const repScores: number[] = [];
      for (const g of polisGroups) {
        const theirRep = (math.repness?.[String(g.id)] ?? []).map((r: Json) => r.tid);
        const ourG = match.get(g.id);
        const ourRep = ourG === undefined ? [] : res.groups[ourG].representative.map((r) => tidOf(r.statement));
        repScores.push(overlap(ourRep, theirRep));
      }
      const rep = repScores.reduce((s, x) => s + x, 0) / repScores.length;

      const gacX: number[] = [], gacY: number[] = [];
      for (const [tid, val] of Object.entries(math['group-aware-consensus'] ?? {})) {
        const k = sIndex.get(Number(tid));
        if (k === undefined || !Number.isFinite(res.groupInformedConsensus[k])) continue;
        gacX.push(res.groupInformedConsensus[k]); gacY.push(Number(val));
      }
      const gac = spearman(gacX, gacY);
      const prX: number[] = [], prY: number[] = [];
      for (const [tid, val] of Object.entries(math['comment-priorities'] ?? {})) {
        const k = sIndex.get(Number(tid));
        if (k === undefined || flags[k] !== 'ok') continue;
        prX.push(res.priority[k]); prY.push(Number(val));
      }
      // principal components: |cos| between ours and Pol.is's over the shared statements
      const cosines = [0, 1].map((c) => {
        const theirsC: number[] = math.pca?.comps?.[c] ?? [];
        const tlist: number[] = math.tids ?? [];
        let d = 0, na = 0, nb = 0;
        tlist.forEach((tid, k) => { const j = sIndex.get(tid); if (j === undefined) return; const a = res.pca.comps[c][j], b = theirsC[k] ?? 0; d += a * b; na += a * a; nb += b * b; });
        return na > 0 && nb > 0 ? Math.abs(d) / Math.sqrt(na * nb) : NaN;
      });
      // participants clustered by one side only (symmetric difference with Pol.is's in-conv)
      const theirIn = new Set<number>((math['in-conv'] ?? []).map(Number));
      const ourIn = new Set<number>(Array.from(res.inConv, (i) => pids[i]));
      let inConvDiff = 0;
      for (const p of ourIn) if (!theirIn.has(p)) inConvDiff++;
      for (const p of theirIn) if (!ourIn.has(p)) inConvDiff++;
      bySide[sideOf(name)].push(ari);
      acc.ari.push(ari); acc.cons.push(cons); acc.rep.push(rep); if (Number.isFinite(gac)) acc.gac.push(gac);
      if (Number.isFinite(ari1)) { acc.ari1.push(ari1); acc.cons1.push(cons1); }
      items.push({
        name, split: sideOf(name), mode: replayed1 ? 'replay' : 'one-shot', updates: replayed1 ? replayed1.updates : null, ari, ari_oneShot: ari1, consensusOverlap: cons, consensusOverlap_oneShot: cons1, identical, repnessOverlap: rep, gacSpearman: gac, prioritySpearman: spearman(prX, prY),
        pc1Cos: cosines[0], pc2Cos: cosines[1], inConvDiff: inConvDiff, k: res.k, polisK: polisGroups.length, participants: idx.length, clusteredByUs: res.inConv.length,
      });
      ctx.log(`${name}: ${replayed1 ? 'replay' : 'one-shot'} ARI ${ari.toFixed(3)} (one shot ${ari1.toFixed(3)}) consensus ${cons.toFixed(2)} repness ${rep.toFixed(2)} GAC ρ ${gac.toFixed(3)} k ${res.k}/${polisGroups.length}`);
    }
    const mean = (a: number[]) => (a.length ? a.reduce((s, x) => s + x, 0) / a.length : NaN);
    return {
      metrics: {
        meanARI: mean(acc.ari), consensusOverlap: mean(acc.cons), repnessOverlap: mean(acc.rep), gacSpearman: mean(acc.gac), conversations: acc.ari.length,
        meanARI_oneShot: mean(acc.ari1), consensusOverlap_oneShot: mean(acc.cons1), replayed,
        ...(bySide.validation.length ? { meanARI_validation: mean(bySide.validation) } : {}),
        ...(bySide.test.length ? { meanARI_test: mean(bySide.test) } : {}),
      },
      items,
      provenance: {
        seed, split: want, splits: 'evals/SPLITS.md', options: overrides, overlap: '|A∩B| / max(|A|,|B|)', conversations: folders,
        method: history === 'replay'
          ? 'pipelines/votes replayOpinionMaps over the votes.json history by modified time (each update warm-started from the previous, as a live conversation in the service and in Pol.is); one shot where times are missing'
          : 'pipelines/votes computeOpinionMap defaults, one shot on the final votes',
        replayDefaults: { ...REPLAY_DEFAULTS, ...LIVE_OPTIONS },
        oneShot: 'meanARI_oneShot / consensusOverlap_oneShot: computeOpinionMap once on the final votes (best of seeded starts)',
        inclusion: replay ? 'one shot: in-conv floor replayed from votes.json modified times' : 'snapshot',
      },
    };
  },
};

