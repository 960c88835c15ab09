/**
 * votes: our opinion groups against Pol.is's own `group-id` column in public Pol.is exports.
 * Every subfolder of --data holding a participants-votes.csv is a conversation. Scored over the participants
 * Pol.is clustered; where we did not cluster one of them (fewer votes than our entry rule), our label is the
 * group nearest to their projection. Conversations where Pol.is clustered nobody are listed but not scored.
 *
 * History (`--history replay|one-shot`, default replay where votes.csv has timestamps): Pol.is's groups were
 * computed live, each update continuing from the previous one, so they depend on the order votes arrived in. A
 * conversation hosted in Plenary carries its state through the same history (the service recomputes with the
 * previous state), so the like-for-like comparison replays the time-stamped votes through `replayOpinionMaps`.
 * Conversations without timestamps (no votes.csv) replay a stand-in history instead: participants in join order
 * (`joinOrderHistory`: Pol.is numbers participants as they join), each casting their votes at once. How good a
 * stand-in that is, is measured on the conversations that do have timestamps: their join-order replay is scored
 * too (`ari_joinOrder`), and `meanARI_timed` / `meanARI_joinOrderTimed` compare true and stand-in history over the
 * same conversations. `--history join-order` uses the stand-in everywhere, `--history one-shot` none. The one-shot
 * figures (best of many seeded starts on the final votes) are reported beside: `meanARI_oneShot`, `ari_oneShot`.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataError, type EvalItem, type EvalSuite } from '../harness.js';
import { computeOpinionMap, type OpinionMapOptions, type OpinionMapResult } from '../../pipelines/votes/opinion-map.js';
import { replayInclusion } from '../../pipelines/votes/inclusion.js';
import { joinOrderHistory, LIVE_OPTIONS, REPLAY_DEFAULTS, replayOpinionMaps, type ReplayOptions, type TimedVoteValue } from '../../pipelines/votes/replay.js';
import { parsePolisExport, polisToConversation, polisVoteHistory, PolisCsvError, type PolisFiles } from '../../pipelines/votes/polis-csv.js';
import { adjustedRandIndex, normalizedMutualInfo, sameGroups } from './scores.js';
import { inSplit, listedSplit, parseSplit, POLIS_EXPORT_VALIDATION, type Split } from '../splits.js';

export function readExportFolder(dir: string): PolisFiles {
  const files: PolisFiles = {};
  for (const f of ['comments.csv', 'votes.csv', 'participants-votes.csv'] as const) {
    const p = join(dir, f);
    if (existsSync(p)) {
      try { files[f] = readFileSync(p, 'utf8'); } catch (e) { throw new DataError(`cannot read ${p}: ${(e as Error).message}`); }
    }
  }
  return files;
}

export function conversationFolders(data: string, marker: string): string[] {
  let entries: string[];
  try { entries = readdirSync(data); } catch (e) { throw new DataError(`cannot read data directory ${data}: ${(e as Error).message}`); }
  return entries.filter((d) => { const p = join(data, d); return statSync(p).isDirectory() && existsSync(join(p, marker)); }).sort();
}

export const suite: EvalSuite = {
  name: 'votes',
  description: 'Opinion groups vs Pol.is group-id in public exports (history replayed from votes.csv timestamps, and one shot): ARI, NMI, k agreement; determinism across runs',
  usage: "[--split validation|test|all] [--seed <n>] [--only <conversation>] [--history replay|join-order|one-shot] [--options '<OpinionMapOptions + updateIntervalMs/maxUpdates JSON>'] [--inclusion snapshot|replay]",
  async run(ctx) {
    const data = resolve(ctx.data);
    const seed = ctx.args.seed !== undefined ? Number(ctx.args.seed) : 1;
    let overrides: Partial<ReplayOptions> = {};
    if (typeof ctx.args.options === 'string') {
      try { overrides = JSON.parse(ctx.args.options); } catch { throw new DataError('--options must be a JSON object of OpinionMapOptions'); }
    }
    const history = ctx.args.history === undefined ? 'replay' : String(ctx.args.history);
    if (history !== 'replay' && history !== 'join-order' && history !== 'one-shot') throw new DataError('--history must be replay, join-order or one-shot');
    const only = typeof ctx.args.only === 'string' ? ctx.args.only : null;
    const want = parseSplit(ctx.args);
    const sideOf = (name: string): Split => listedSplit(name, POLIS_EXPORT_VALIDATION);
    const folders = conversationFolders(data, 'participants-votes.csv').filter((d) => (!only || d === only) && inSplit(sideOf(d), want));
    if (folders.length === 0) throw new DataError(`no subfolder of ${data} holds a participants-votes.csv${want === 'all' ? '' : ` in the ${want} split`}`);
    const bySide: Record<Split, number[]> = { validation: [], test: [] };
    const items: EvalItem[] = [];
    const aris: number[] = [], nmis: number[] = [], aris1: number[] = [], arisTimed: number[] = [], arisJoinTimed: number[] = [];
    let kAgree = 0, scored = 0, identical = 0, replayedInclusion = 0, replayedHistory = 0, replayedJoinOrder = 0;
    const replayIn = ctx.args.inclusion === 'replay';
    const { updateIntervalMs, maxUpdates, ...mapOverrides } = overrides;
    const opts: OpinionMapOptions = { ...mapOverrides, seed };
    for (const name of folders) {
      const t0 = Date.now();
      let conv, exp;
      try {
        exp = parsePolisExport(readExportFolder(join(data, name)));
        conv = polisToConversation(exp);
      } catch (e) {
        if (e instanceof PolisCsvError) throw new DataError(`${name}: ${e.message}`);
        throw e;
      }
      const input = { matrix: conv.matrix, statementFlags: conv.statementFlags };
      const pIndex = new Map(conv.participantIds.map((id, k) => [id, k]));
      const sIndex = new Map(conv.statementIds.map((id, k) => [id, k]));
      const timed = polisVoteHistory(exp, pIndex, sIndex);
      // one shot on the final votes; optionally with the in-conv floor replayed from time-stamped votes
      let include: Int32Array | undefined;
      if (replayIn && timed) { include = replayInclusion(timed, conv.participantIds.length); replayedInclusion++; }
      const oneShotOpts: OpinionMapOptions = include ? { ...opts, include } : opts;
      const oneShot = () => computeOpinionMap(input, oneShotOpts);
      const replayOf = (votes: TimedVoteValue[]) => () => replayOpinionMaps({ nParticipants: conv.participantIds.length, nStatements: conv.statementIds.length, votes, statementFlags: conv.statementFlags }, { ...opts, updateIntervalMs, maxUpdates });
      const joinOrder = replayOf(joinOrderHistory(conv.matrix));
      const mode = history === 'one-shot' ? 'one-shot' : history === 'replay' && timed !== null ? 'replay' : 'join-order';
      let res: OpinionMapResult, again: OpinionMapResult, updates: number | null = null;
      const one = oneShot();
      if (mode === 'one-shot') { res = one; again = oneShot(); } else {
        const run = mode === 'replay' ? replayOf(timed!) : joinOrder;
        const r = run();
        res = r.result; updates = r.updates;
        if (mode === 'replay') replayedHistory++; else replayedJoinOrder++;
        again = run().result;
      }
      // the stand-in history, scored where the true one is known (validation of the join-order replay)
      const joinCheck = mode === 'replay' ? joinOrder().result : null;
      const same = sameGroups(res, again);
      if (same) identical++;
      const clustered: number[] = [];
      conv.polisGroup.forEach((g, i) => { if (g >= 0) clustered.push(i); });
      const polisK = new Set(clustered.map((i) => conv.polisGroup[i])).size;
      const ms = Date.now() - t0;
      if (res.status !== 'ok') {
        items.push({ name, ari: null, nmi: null, k: null, polisK, participants: clustered.length, mode, note: res.reason, ms });
        continue;
      }
      if (clustered.length === 0) {
        items.push({ name, ari: null, nmi: null, k: res.k, polisK: null, participants: 0, mode, note: 'Pol.is clustered nobody: not scored', ms });
        continue;
      }
      const labels = (r: typeof res) => clustered.map((i) => r.participantGroup[i] >= 0 ? r.participantGroup[i] : r.nearestGroup[i]);
      const theirs = clustered.map((i) => conv.polisGroup[i]);
      const ours = labels(res);
      const outside = clustered.filter((i) => res.participantGroup[i] < 0).length;
      const ari = adjustedRandIndex(ours, theirs), nmi = normalizedMutualInfo(ours, theirs);
      const ari1 = one.status === 'ok' ? adjustedRandIndex(labels(one), theirs) : NaN;
      const ariJoin = joinCheck && joinCheck.status === 'ok' ? adjustedRandIndex(labels(joinCheck), theirs) : null;
      if (ariJoin !== null) { arisTimed.push(ari); arisJoinTimed.push(ariJoin); }
      aris.push(ari); nmis.push(nmi); scored++;
      bySide[sideOf(name)].push(ari);
      if (Number.isFinite(ari1)) aris1.push(ari1);
      if (res.k === polisK) kAgree++;
      items.push({
        name, split: sideOf(name), mode, ari, nmi, k: res.k, polisK, ari_oneShot: ari1, k_oneShot: one.status === 'ok' ? one.k : null, ari_joinOrder: ariJoin, participants: clustered.length, notClusteredByUs: outside,
        clusteredByUs: res.inConv.length, updates, silhouettes: res.silhouettes.map((s) => `${s.k}:${s.silhouette.toFixed(3)}`).join(' '), identical: same ? 1 : 0, ms,
      });
      ctx.log(`${name}: ${mode} ARI ${ari.toFixed(3)} NMI ${nmi.toFixed(3)} k ${res.k} (Pol.is ${polisK}); one shot ARI ${ari1.toFixed(3)}${ariJoin !== null ? `; join order ARI ${ariJoin.toFixed(3)}` : ''}; ${ms} ms`);
    }
    const mean = (a: number[]) => (a.length ? a.reduce((s, x) => s + x, 0) / a.length : NaN);
    return {
      metrics: {
        meanARI: mean(aris), meanNMI: mean(nmis), kAgreement: scored ? kAgree / scored : NaN,
        conversations: scored, identicalRuns: identical / folders.length, meanARI_oneShot: mean(aris1), replayed: replayedHistory,
        joinOrderReplayed: replayedJoinOrder, meanARI_timed: mean(arisTimed), meanARI_joinOrderTimed: mean(arisJoinTimed),
        ...(bySide.validation.length ? { meanARI_validation: mean(bySide.validation) } : {}),
        ...(bySide.test.length ? { meanARI_test: mean(bySide.test) } : {}),
      },
      items,
      provenance: {
        seed, options: overrides, conversations: folders, split: want, splits: 'evals/SPLITS.md',
        method: history === 'one-shot'
          ? 'pipelines/votes computeOpinionMap defaults, one shot on the final votes'
          : 'pipelines/votes replayOpinionMaps over the votes.csv history (each update warm-started from the previous, as a live conversation in the service and in Pol.is); where there are no timestamps (or with --history join-order), over a stand-in history with participants in join order (joinOrderHistory)',
        history: `${replayedHistory} of ${folders.length} conversations replayed from votes.csv timestamps, ${replayedJoinOrder} in join order`,
        joinOrderCheck: 'meanARI_timed / meanARI_joinOrderTimed: the same time-stamped conversations replayed with their true history and with the join-order stand-in',
        replayDefaults: { ...REPLAY_DEFAULTS, ...LIVE_OPTIONS },
        oneShot: 'meanARI_oneShot / ari_oneShot: computeOpinionMap once on the final votes (best of seeded starts)',
        inclusion: replayIn ? `one shot: in-conv floor replayed from votes.csv timestamps (${replayedInclusion} of ${folders.length} conversations have them)` : 'snapshot',
      },
    };
  },
};
