/**
 * Eval suite 'forecast': can the votes seen so far predict each opinion group's support for a statement?
 *
 *   forecast --data <polis-opendata dir> [--hide 0.3] [--threshold 0.6] [--min-hidden 5] [--seed 1]
 *
 * Data: Pol.is exports (participants-votes.csv, with Pol.is's own `group-id`; unclustered participants are left
 * out). For every statement, 30 % of its votes are hidden at random (seeded); from the rest the forecast predicts
 * the agree share (agrees / votes, passes included) of each Pol.is group; the truth is the group's agree share among
 * the hidden votes. Cells (statement, group) with fewer than --min-hidden hidden votes are not scored; a statement
 * enters the "clears t in every group" check when at least two groups are scored, and clears when every scored
 * group's hidden share ≥ t.
 *
 * Conversations are split by name: sorted, even positions → validation, odd → test. The shrinkage strength k of the
 * grouped forecast is chosen on validation (lowest MAE over a grid); everything reported as test* is on the other
 * conversations only. Baseline: the naive forecast (the statement's overall visible share for every group).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DataError, type EvalItem, type EvalSuite } from '../harness.js';
import { clearsEverywhere, forecastShares, hideVotes, type GroupVote } from '../../pipelines/forecast/index.js';
import { parsePolisExport } from '../../pipelines/votes/polis-csv.js';

interface Conversation {
  name: string;
  groups: number[];
  statements: GroupVote[][];
}

function load(dir: string, name: string): Conversation | null {
  const file = join(dir, name, 'participants-votes.csv');
  if (!existsSync(file)) return null;
  const exp = parsePolisExport({ 'participants-votes.csv': readFileSync(file, 'utf8') });
  const pv = exp.participantsVotes;
  if (!pv) return null;
  const statements: GroupVote[][] = pv.commentColumns.map(() => []);
  const groups = new Set<number>();
  for (const row of pv.rows) {
    if (row.groupId === null) continue;
    groups.add(row.groupId);
    row.votes.forEach((v, j) => {
      if (v !== null) statements[j].push({ group: row.groupId!, vote: v });
    });
  }
  if (groups.size < 2) return null;
  return { name, groups: [...groups].sort((a, b) => a - b), statements };
}

interface Score {
  cells: number;
  absErr: { grouped: number; naive: number };
  statements: number;
  clears: { tp: number; fp: number; fn: number; tpN: number; fpN: number; fnN: number };
}

function score(convs: Conversation[], k: number, opt: { hide: number; threshold: number; minHidden: number; seed: number }): Score {
  const s: Score = { cells: 0, absErr: { grouped: 0, naive: 0 }, statements: 0, clears: { tp: 0, fp: 0, fn: 0, tpN: 0, fpN: 0, fnN: 0 } };
  convs.forEach((c, ci) => {
    c.statements.forEach((votes, j) => {
      const { visible, hidden } = hideVotes(votes, opt.hide, opt.seed, ci * 100_003 + j);
      const scored = c.groups.flatMap((g) => {
        const h = hidden.filter((v) => v.group === g);
        return h.length >= opt.minHidden ? [{ g, truth: h.filter((v) => v.vote === 1).length / h.length }] : [];
      });
      if (scored.length === 0) return;
      const groups = scored.map((x) => x.g);
      const f = forecastShares(visible, groups, k);
      for (const x of scored) {
        s.cells++;
        s.absErr.grouped += Math.abs(f.groups.get(x.g)! - x.truth);
        s.absErr.naive += Math.abs(f.overall - x.truth);
      }
      if (scored.length < 2) return;
      s.statements++;
      const truth = scored.every((x) => x.truth >= opt.threshold);
      const pred = clearsEverywhere(f, opt.threshold);
      const predN = f.overall >= opt.threshold;
      if (pred && truth) s.clears.tp++;
      if (pred && !truth) s.clears.fp++;
      if (!pred && truth) s.clears.fn++;
      if (predN && truth) s.clears.tpN++;
      if (predN && !truth) s.clears.fpN++;
      if (!predN && truth) s.clears.fnN++;
    });
  });
  return s;
}

const ratio = (a: number, b: number) => (b > 0 ? a / b : 0);
const K_GRID = [0, 1, 2, 5, 10, 20, 50, 100, Number.POSITIVE_INFINITY];

export const suite: EvalSuite = {
  name: 'forecast',
  description: 'Predict each Pol.is group\'s agree share of a statement from 70 % of its votes; MAE and "clears 60 % in every group" vs the naive overall share',
  usage: '[--hide 0.3] [--threshold 0.6] [--min-hidden 5] [--seed 1]',
  async run({ data, args, log }) {
    const opt = { hide: Number(args.hide ?? 0.3), threshold: Number(args.threshold ?? 0.6), minHidden: Number(args['min-hidden'] ?? 5), seed: Number(args.seed ?? 1) };
    let names: string[];
    try {
      names = readdirSync(data, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name).sort();
    } catch (e) {
      throw new DataError(`cannot list ${data}: ${(e as Error).message}`);
    }
    const convs = names.map((n) => load(data, n)).filter((c): c is Conversation => c !== null);
    if (convs.length < 2) throw new DataError(`need at least two Pol.is conversations with participants-votes.csv and two or more groups under ${data}; found ${convs.length}`);
    const validation = convs.filter((_, i) => i % 2 === 0);
    const test = convs.filter((_, i) => i % 2 === 1);
    const val = K_GRID.map((k) => ({ k, mae: (() => { const s = score(validation, k, opt); return ratio(s.absErr.grouped, s.cells); })() }));
    const best = val.reduce((a, b) => (b.mae < a.mae ? b : a));
    log(`validation MAE by k: ${val.map((v) => `${v.k}=${v.mae.toFixed(4)}`).join(' ')}; chosen k=${best.k}`);
    const items: EvalItem[] = test.map((c) => {
      const s = score([c], best.k, opt);
      return { name: c.name, split: 'test', groups: c.groups.length, cells: s.cells, maeGrouped: ratio(s.absErr.grouped, s.cells), maeNaive: ratio(s.absErr.naive, s.cells), statementsChecked: s.statements };
    });
    for (const c of validation) items.push({ name: c.name, split: 'validation', groups: c.groups.length, cells: null, maeGrouped: null, maeNaive: null, statementsChecked: null });
    const t = score(test, best.k, opt);
    return {
      metrics: {
        chosenK: Number.isFinite(best.k) ? best.k : -1,
        validationMae: best.mae,
        testConversations: test.length,
        testCells: t.cells,
        testMaeGrouped: ratio(t.absErr.grouped, t.cells),
        testMaeNaive: ratio(t.absErr.naive, t.cells),
        testStatements: t.statements,
        testPrecisionGrouped: ratio(t.clears.tp, t.clears.tp + t.clears.fp),
        testRecallGrouped: ratio(t.clears.tp, t.clears.tp + t.clears.fn),
        testPrecisionNaive: ratio(t.clears.tpN, t.clears.tpN + t.clears.fpN),
        testRecallNaive: ratio(t.clears.tpN, t.clears.tpN + t.clears.fnN),
        testStatementsClearing: t.clears.tp + t.clears.fn,
      },
      items,
      provenance: { stage: 'forecast', version: 1, ...opt, kGrid: K_GRID.map(String), split: 'conversations sorted by name: even → validation, odd → test', validation: validation.map((c) => c.name), test: test.map((c) => c.name) },
    };
  },
};
