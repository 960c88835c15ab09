/**
 * votes: our opinion groups against Pol.is's own `group-id` column in public Pol.is exports.
 * Every subfolder of --data holding a participants-votes.csv is a conversation. Scored over the participants
 * Pol.is clustered; where we did not cluster one of them (fewer votes than our entry rule), our label is the
 * group nearest to their projection. Conversations where Pol.is clustered nobody are listed but not scored.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { DataError, type EvalItem, type EvalSuite } from '../harness.js';
import { computeOpinionMap, type OpinionMapOptions } from '../../pipelines/votes/opinion-map.js';
import { replayInclusion } from '../../pipelines/votes/inclusion.js';
import { parsePolisExport, polisToConversation, PolisCsvError, type PolisFiles } from '../../pipelines/votes/polis-csv.js';
import { adjustedRandIndex, normalizedMutualInfo } from './scores.js';

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
  description: 'Opinion groups vs Pol.is group-id in public exports: ARI, NMI, k agreement; determinism across runs',
  usage: "[--seed <n>] [--only <conversation>] [--options '<OpinionMapOptions JSON>'] [--inclusion snapshot|replay]",
  async run(ctx) {
    const data = resolve(ctx.data);
    const seed = ctx.args.seed !== undefined ? Number(ctx.args.seed) : 1;
    let overrides: Partial<OpinionMapOptions> = {};
    if (typeof ctx.args.options === 'string') {
      try { overrides = JSON.parse(ctx.args.options); } catch { throw new DataError('--options must be a JSON object of OpinionMapOptions'); }
    }
    const only = typeof ctx.args.only === 'string' ? ctx.args.only : null;
    const folders = conversationFolders(data, 'participants-votes.csv').filter((d) => !only || d === only);
    if (folders.length === 0) throw new DataError(`no subfolder of ${data} holds a participants-votes.csv`);
    const items: EvalItem[] = [];
    const aris: number[] = [], nmis: number[] = [];
    let kAgree = 0, scored = 0, identical = 0, replayed = 0;
    const replay = ctx.args.inclusion === 'replay';
    const opts: OpinionMapOptions = { ...overrides, seed };
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
      // participants a live run would have carried in (Pol.is's in-conv floor), replayed from time-stamped votes
      let include: Int32Array | undefined;
      if (replay && exp.votes && exp.votes.rows.every((r) => r.timestamp !== null)) {
        const pIndex = new Map(conv.participantIds.map((id, k) => [id, k]));
        const sIndex = new Map(conv.statementIds.map((id, k) => [id, k]));
        include = replayInclusion(exp.votes.rows.map((r) => ({ participant: pIndex.get(r.voterId)!, statement: sIndex.get(r.commentId)!, time: r.timestamp! })), conv.participantIds.length);
        replayed++;
      }
      const runOpts: OpinionMapOptions = include ? { ...opts, include } : opts;
      const res = computeOpinionMap(input, runOpts);
      const again = computeOpinionMap(input, runOpts);
      const same = res.status === 'ok' && again.status === 'ok'
        ? res.participantGroup.every((g, i) => g === again.participantGroup[i]) && res.k === again.k
        : res.status === again.status;
      if (same) identical++;
      const clustered: number[] = [];
      conv.polisGroup.forEach((g, i) => { if (g >= 0) clustered.push(i); });
      const polisK = new Set(clustered.map((i) => conv.polisGroup[i])).size;
      const ms = Date.now() - t0;
      if (res.status !== 'ok') {
        items.push({ name, ari: null, nmi: null, k: null, polisK, participants: clustered.length, note: res.reason, ms });
        continue;
      }
      if (clustered.length === 0) {
        items.push({ name, ari: null, nmi: null, k: res.k, polisK: null, participants: 0, note: 'Pol.is clustered nobody: not scored', ms });
        continue;
      }
      const ours = clustered.map((i) => res.participantGroup[i] >= 0 ? res.participantGroup[i] : res.nearestGroup[i]);
      const theirs = clustered.map((i) => conv.polisGroup[i]);
      const outside = clustered.filter((i) => res.participantGroup[i] < 0).length;
      const ari = adjustedRandIndex(ours, theirs), nmi = normalizedMutualInfo(ours, theirs);
      aris.push(ari); nmis.push(nmi); scored++;
      if (res.k === polisK) kAgree++;
      items.push({
        name, ari, nmi, k: res.k, polisK, participants: clustered.length, notClusteredByUs: outside,
        clusteredByUs: res.inConv.length, silhouettes: res.silhouettes.map((s) => `${s.k}:${s.silhouette.toFixed(3)}`).join(' '), identical: same ? 1 : 0, ms,
      });
      ctx.log(`${name}: ARI ${ari.toFixed(3)} NMI ${nmi.toFixed(3)} k ${res.k} (Pol.is ${polisK}) ${ms} ms`);
    }
    const mean = (a: number[]) => (a.length ? a.reduce((s, x) => s + x, 0) / a.length : NaN);
    return {
      metrics: {
        meanARI: mean(aris), meanNMI: mean(nmis), kAgreement: scored ? kAgree / scored : NaN,
        conversations: scored, identicalRuns: identical / folders.length,
      },
      items,
      provenance: {
        seed, options: overrides, method: 'pipelines/votes computeOpinionMap defaults', conversations: folders,
        inclusion: replay ? `in-conv floor replayed from votes.csv timestamps (${replayed} of ${folders.length} conversations have them)` : 'snapshot',
      },
    };
  },
};
