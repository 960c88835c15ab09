/**
 * Dialogue acts in group chats: is a message an agreement, a disagreement, or something else? A lightweight
 * trained classifier (multinomial logistic regression on word uni/bigrams and a few shape features, trained by
 * full-batch gradient descent with L2 and class weights) and the two baselines it is compared with: the majority
 * class and a keyword rule. Pure: no I/O. Used by evals/dialogue on DeliData (Karadzhov et al. 2023).
 */

export const DIALOGUE_LABELS = ['agree', 'disagree', 'other'] as const;
export type DialogueLabel = (typeof DIALOGUE_LABELS)[number];

export interface LabelledMessage {
  text: string;
  label: DialogueLabel;
}

/** DeliData's annotation_target → our three classes. */
export function labelOf(target: string | undefined): DialogueLabel {
  return target === 'Agree' ? 'agree' : target === 'Disagree' ? 'disagree' : 'other';
}

export function tokens(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/<\s*(card|mention)\s*>/g, ' _$1_ ')
    .replace(/n't\b/g, ' not')
    .split(/[^a-z0-9_']+/)
    .filter(Boolean);
}

/** Sparse features: word unigrams and bigrams, the first word, and message length buckets. */
export function features(text: string): string[] {
  const w = tokens(text);
  const f = new Set<string>(['bias']);
  w.forEach((x, i) => {
    f.add(`w:${x}`);
    if (i + 1 < w.length) f.add(`b:${x}_${w[i + 1]}`);
  });
  if (w[0]) f.add(`first:${w[0]}`);
  f.add(`len:${Math.min(5, w.length)}`);
  if (/\?\s*$/.test(text)) f.add('question');
  return [...f];
}

// ---------- keyword baseline ----------

const AGREE = /\b(agree|agreed|yes|yeah|yep|yup|true|right|same|ok|okay|correct|exactly|sure|indeed|good point|makes sense|fair)\b/i;
const DISAGREE = /\b(disagree|no|nope|not|wrong|incorrect|don'?t think|doesn'?t|isn'?t)\b/i;

/** Disagreement words win (“no, I don't agree”), then agreement words, else other. */
export function keywordLabel(text: string): DialogueLabel {
  if (DISAGREE.test(text)) return 'disagree';
  if (AGREE.test(text)) return 'agree';
  return 'other';
}

// ---------- logistic regression ----------

export interface TrainOptions {
  /** L2 strength */
  l2: number;
  /** weight of the agree / disagree classes relative to other (1 = unweighted) */
  classWeight: { agree: number; disagree: number };
  epochs: number;
  learningRate: number;
  /** features seen fewer times in training are dropped */
  minCount: number;
}

export interface DialogueModel {
  vocab: Map<string, number>;
  /** weights[class][feature] */
  weights: Float64Array[];
  options: TrainOptions;
}

export function train(data: LabelledMessage[], o: TrainOptions): DialogueModel {
  const counts = new Map<string, number>();
  const feats = data.map((m) => features(m.text));
  for (const fs of feats) for (const f of fs) counts.set(f, (counts.get(f) ?? 0) + 1);
  const vocab = new Map<string, number>();
  for (const [f, n] of [...counts].sort(([a], [b]) => (a < b ? -1 : 1))) if (n >= o.minCount || f === 'bias') vocab.set(f, vocab.size);
  const X = feats.map((fs) => fs.map((f) => vocab.get(f)).filter((i): i is number => i !== undefined));
  const y = data.map((m) => DIALOGUE_LABELS.indexOf(m.label));
  const sw = data.map((m) => (m.label === 'other' ? 1 : o.classWeight[m.label]));
  const K = DIALOGUE_LABELS.length;
  const V = vocab.size;
  const W = Array.from({ length: K }, () => new Float64Array(V));
  const total = sw.reduce((a, b) => a + b, 0);
  const grad = Array.from({ length: K }, () => new Float64Array(V));
  const p = new Float64Array(K);
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (const g of grad) g.fill(0);
    for (let n = 0; n < X.length; n++) {
      let max = -Infinity;
      for (let k = 0; k < K; k++) {
        let s = 0;
        for (const i of X[n]) s += W[k][i];
        p[k] = s;
        if (s > max) max = s;
      }
      let z = 0;
      for (let k = 0; k < K; k++) z += p[k] = Math.exp(p[k] - max);
      for (let k = 0; k < K; k++) {
        const d = (sw[n] * (p[k] / z - (y[n] === k ? 1 : 0))) / total;
        for (const i of X[n]) grad[k][i] += d;
      }
    }
    for (let k = 0; k < K; k++) for (let i = 0; i < V; i++) W[k][i] -= o.learningRate * (grad[k][i] + o.l2 * W[k][i]);
  }
  return { vocab, weights: W, options: o };
}

export function predict(model: DialogueModel, text: string): DialogueLabel {
  const idx = features(text).map((f) => model.vocab.get(f)).filter((i): i is number => i !== undefined);
  let best = 0;
  let bestScore = -Infinity;
  model.weights.forEach((w, k) => {
    let s = 0;
    for (const i of idx) s += w[i];
    if (s > bestScore) {
      bestScore = s;
      best = k;
    }
  });
  return DIALOGUE_LABELS[best];
}

// ---------- scores ----------

export interface Scores {
  macroF1: number;
  f1_agree: number;
  f1_disagree: number;
  f1_other: number;
  accuracy: number;
}

/** Per-class F1 (0 when a class is neither predicted nor present: counted, so a classifier cannot skip a class) and their mean. */
export function score(gold: DialogueLabel[], pred: DialogueLabel[]): Scores {
  const f1 = (c: DialogueLabel) => {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    gold.forEach((g, i) => {
      if (pred[i] === c && g === c) tp++;
      else if (pred[i] === c) fp++;
      else if (g === c) fn++;
    });
    return tp === 0 ? 0 : (2 * tp) / (2 * tp + fp + fn);
  };
  const [a, d, o] = DIALOGUE_LABELS.map(f1);
  const correct = gold.filter((g, i) => g === pred[i]).length;
  return { macroF1: (a + d + o) / 3, f1_agree: a, f1_disagree: d, f1_other: o, accuracy: gold.length ? correct / gold.length : 0 };
}

/** The most frequent label of a training set. */
export function majorityLabel(data: LabelledMessage[]): DialogueLabel {
  const c = new Map<DialogueLabel, number>();
  for (const m of data) c.set(m.label, (c.get(m.label) ?? 0) + 1);
  return [...c].sort((x, y) => y[1] - x[1])[0]?.[0] ?? 'other';
}
