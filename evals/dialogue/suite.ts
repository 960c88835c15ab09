/**
 * Eval suite 'dialogue': agreement / disagreement / other for each chat message of DeliData group deliberations
 * (Karadzhov, Stafford & Vlachos 2023, Apache-2.0), from its `annotation_target` (Agree, Disagree, anything else).
 *
 *   npm run eval -- dialogue --data <delidata dir or its groups/ dir> [--groups 250]
 *
 * The first `--groups` files (sorted by name) are split by group: the first half is for development (its first
 * 80 % trains, the rest is the validation part on which the parameters are chosen), the second half is the test
 * part every reported metric comes from; the chosen model is retrained on the whole development half first.
 * Metrics: macroF1 (over agree, disagree, other), f1_agree, f1_disagree, and the same for the majority-class and
 * the keyword baselines run beside. Items: one per test group.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import Papa from 'papaparse';
import { keywordLabel, labelOf, majorityLabel, predict, score, train, type DialogueLabel, type LabelledMessage, type TrainOptions } from '../../pipelines/dialogue/index.js';
import { DataError, type EvalItem, type EvalSuite } from '../harness.js';

export interface Group {
  id: string;
  messages: LabelledMessage[];
}

/** Reads DeliData group files (*.tsv, one group each): MESSAGE rows with their clean text and label. */
export function readGroups(dir: string, limit: number): Group[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new DataError(`${dir} is not a directory.`);
  const base = existsSync(join(dir, 'groups')) ? join(dir, 'groups') : dir;
  const files = readdirSync(base).filter((f) => f.endsWith('.tsv')).sort().slice(0, limit);
  if (files.length === 0) throw new DataError(`No DeliData *.tsv group files in ${base}.`);
  return files.map((f) => {
    const parsed = Papa.parse<Record<string, string>>(readFileSync(join(base, f), 'utf8'), { header: true, delimiter: '\t', quoteChar: '\u0000', skipEmptyLines: true });
    const cols = parsed.meta.fields ?? [];
    for (const c of ['message_type', 'clean_text', 'annotation_target']) if (!cols.includes(c)) throw new DataError(`${f}: no '${c}' column (is this DeliData?).`);
    const messages = parsed.data.filter((r) => r.message_type === 'MESSAGE').map((r) => ({ text: r.clean_text || r.original_text || '', label: labelOf(r.annotation_target) }));
    return { id: f.replace(/\.tsv$/, ''), messages };
  });
}

const GRID: TrainOptions[] = [];
for (const l2 of [1e-4, 1e-3]) for (const agree of [1, 2]) for (const disagree of [1, 5, 20]) GRID.push({ l2, classWeight: { agree, disagree }, epochs: 150, learningRate: 2, minCount: 2 });

const round = (x: number) => Math.round(x * 10_000) / 10_000;

export const suite: EvalSuite = {
  name: 'dialogue',
  description: 'agree / disagree / other per DeliData chat message: a trained logistic regression against majority-class and keyword baselines',
  usage: '[--groups 250]',
  async run(ctx) {
    const limit = typeof ctx.args.groups === 'string' ? Number(ctx.args.groups) : 250;
    const groups = readGroups(ctx.data, limit);
    if (groups.length < 4) throw new DataError(`Need at least 4 groups to split; found ${groups.length}.`);
    const half = Math.floor(groups.length / 2);
    const dev = groups.slice(0, half);
    const test = groups.slice(half);
    const cut = Math.max(1, Math.floor(dev.length * 0.8));
    const trainSet = dev.slice(0, cut).flatMap((g) => g.messages);
    const valSet = dev.slice(cut).flatMap((g) => g.messages);
    ctx.log(`${groups.length} groups: ${cut} train (${trainSet.length} messages), ${dev.length - cut} validation (${valSet.length}), ${test.length} test`);

    let best = { opts: GRID[0], val: -1 };
    for (const opts of GRID) {
      const m = train(trainSet, opts);
      const s = score(valSet.map((x) => x.label), valSet.map((x) => predict(m, x.text)));
      ctx.log(`  l2 ${opts.l2}, weights agree ${opts.classWeight.agree} disagree ${opts.classWeight.disagree}: validation macro-F1 ${s.macroF1.toFixed(4)}`);
      if (s.macroF1 > best.val) best = { opts, val: s.macroF1 };
    }
    const devSet = dev.flatMap((g) => g.messages);
    const model = train(devSet, best.opts);
    const majority = majorityLabel(devSet);
    const testMsgs = test.flatMap((g) => g.messages);
    const gold = testMsgs.map((m) => m.label);
    const runs: Record<string, (text: string) => DialogueLabel> = { model: (t) => predict(model, t), majority: () => majority, keyword: keywordLabel };
    const scores = Object.fromEntries(Object.entries(runs).map(([k, f]) => [k, score(gold, testMsgs.map((m) => f(m.text)))]));
    const metrics: Record<string, number> = {
      macroF1: round(scores.model.macroF1), f1_agree: round(scores.model.f1_agree), f1_disagree: round(scores.model.f1_disagree),
      majority_macroF1: round(scores.majority.macroF1), majority_f1_agree: round(scores.majority.f1_agree), majority_f1_disagree: round(scores.majority.f1_disagree),
      keyword_macroF1: round(scores.keyword.macroF1), keyword_f1_agree: round(scores.keyword.f1_agree), keyword_f1_disagree: round(scores.keyword.f1_disagree),
      accuracy: round(scores.model.accuracy), validation_macroF1: round(best.val),
      test_messages: testMsgs.length, test_agree: gold.filter((g) => g === 'agree').length, test_disagree: gold.filter((g) => g === 'disagree').length,
    };
    const items: EvalItem[] = test.map((g) => {
      const gg = g.messages.map((m) => m.label);
      const per = (f: (t: string) => DialogueLabel) => score(gg, g.messages.map((m) => f(m.text)));
      const [m, b, k] = [per(runs.model), per(runs.majority), per(runs.keyword)];
      return { name: g.id, messages: g.messages.length, agree: gg.filter((x) => x === 'agree').length, disagree: gg.filter((x) => x === 'disagree').length, accuracy: round(m.accuracy), macroF1: round(m.macroF1), majority_accuracy: round(b.accuracy), keyword_accuracy: round(k.accuracy), keyword_macroF1: round(k.macroF1) };
    });
    return {
      metrics,
      items,
      provenance: { split: { groups: groups.length, train: cut, validation: dev.length - cut, test: test.length, rule: 'files sorted by name; first half development (80 % train / 20 % validation), second half test' }, chosen: best.opts, grid: GRID.length, majority, model: 'multinomial logistic regression (pipelines/dialogue), retrained on the development half' },
    };
  },
};
