/**
 * translation: fr↔en with the registry's translator ('apertium', improved) and the plain chain
 * ('apertium-plain') in the same run. Data: pairs of files with the same stem and language extensions
 * (`x.fra` + `x.eng`, or `x.fr` + `x.en`), one sentence a line, aligned.
 * Metrics: chrF_fr_en, chrF_en_fr, BLEU_fr_en, BLEU_en_fr (improved) and the same with `_plain`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { createRegistry } from '../../models/registry.js';
import type { Translator } from '../../models/types.js';
import type { EvalItem, EvalSuite } from '../harness.js';
import { DataError } from '../harness.js';
import { corpusBleu, corpusChrf } from './scorers.js';
import { fileSplit, inSplit, itemSplit, parseSplit, type Split } from '../splits.js';

const FR = ['fra', 'fr'];
const EN = ['eng', 'en'];

/**
 * Aligned pairs of every x.fra/x.eng (or x.fr/x.en) file pair in dir, each with its split (evals/SPLITS.md): the
 * file's upstream role when its name says (val/dev → validation, test → test), else the hash of the French line.
 */
export function readPairs(dir: string): { fr: string[]; en: string[]; split: Split[]; files: string[] } {
  let files: string[];
  try {
    files = readdirSync(dir).sort();
  } catch (e) {
    throw new DataError(`translation: cannot read directory ${dir}: ${(e as Error).message}`);
  }
  const fr: string[] = [];
  const en: string[] = [];
  const split: Split[] = [];
  const used: string[] = [];
  for (const f of files) {
    const ext = path.extname(f).slice(1);
    if (!FR.includes(ext)) continue;
    const stem = f.slice(0, -(ext.length + 1));
    const partner = EN.map((e) => `${stem}.${e}`).find((p) => files.includes(p));
    if (!partner) continue;
    const a = readFileSync(path.join(dir, f), 'utf8').replace(/\r/g, '').split('\n');
    const b = readFileSync(path.join(dir, partner), 'utf8').replace(/\r/g, '').split('\n');
    while (a.length && a[a.length - 1] === '') a.pop();
    while (b.length && b[b.length - 1] === '') b.pop();
    const role = fileSplit(stem);
    if (a.length !== b.length) throw new DataError(`translation: ${f} has ${a.length} lines, ${partner} has ${b.length}`);
    for (let i = 0; i < a.length; i++) {
      if (!a[i].trim() || !b[i].trim()) continue;
      fr.push(a[i].trim());
      en.push(b[i].trim());
      split.push(role ?? itemSplit(a[i]));
    }
    used.push(f, partner);
  }
  if (fr.length === 0) throw new DataError(`translation: no aligned .fra/.eng (or .fr/.en) file pairs in ${dir}`);
  return { fr, en, split, files: used };
}

export const suite: EvalSuite = {
  name: 'translation',
  description: 'fr↔en translation quality (corpus chrF and BLEU), improved Apertium chain (pivots chosen per sentence) vs the plain chain',
  usage: '--data <dir with x.fra/x.eng pairs> [--split validation|test|all] [--limit n]',
  async run(ctx) {
    const data = readPairs(ctx.data);
    const want = parseSplit(ctx.args);
    const idx = data.fr.map((_, i) => i).filter((i) => inSplit(data.split[i], want));
    const limit = ctx.args.limit ? Number(ctx.args.limit) : idx.length;
    const keep = idx.slice(0, limit);
    const fr = keep.map((i) => data.fr[i]);
    const en = keep.map((i) => data.en[i]);
    const sides = keep.map((i) => data.split[i]);
    if (fr.length === 0) throw new DataError(`translation: no ${want} pairs in ${ctx.data}`);
    const counts = { validation: sides.filter((x) => x === 'validation').length, test: sides.filter((x) => x === 'test').length };
    ctx.log(`translation: ${fr.length} sentence pairs (split ${want}: ${counts.validation} validation, ${counts.test} test) from ${data.files.join(', ')}`);
    const metrics: Record<string, number> = { n: fr.length, n_validation: counts.validation, n_test: counts.test };
    const items: EvalItem[] = [];
    const models: Record<string, unknown> = {};
    for (const variant of ['apertium', 'apertium-plain'] as const) {
      const registry = createRegistry({ modelsDir: 'models-dir', prefer: { translator: variant }, threads: 2, languages: ['en', 'fr'] }, { skipAudio: true });
      try {
        let t: Translator;
        try {
          t = await registry.get('translator');
        } catch (e) {
          throw new DataError(`translation: translator '${variant}' unavailable: ${(e as Error).message}`);
        }
        models[variant] = t.provenance;
        const suffix = variant === 'apertium' ? '' : '_plain';
        for (const [from, to, src, ref] of [['fr', 'en', fr, en], ['en', 'fr', en, fr]] as const) {
          const t0 = performance.now();
          const res = await t.translate([...src], from, to);
          const out = res.output;
          const secs = (performance.now() - t0) / 1000;
          // the whole selection, then each split on its own when both are in it
          const parts: Array<[string, number[]]> = [['', out.map((_, i) => i)]];
          if (counts.validation && counts.test) for (const side of ['validation', 'test'] as const) parts.push([`_${side}`, out.map((_, i) => i).filter((i) => sides[i] === side)]);
          for (const [part, ix] of parts) {
            const chrf = corpusChrf(ix.map((i) => out[i]), ix.map((i) => ref[i]));
            const bleu = corpusBleu(ix.map((i) => out[i]), ix.map((i) => ref[i])).score;
            metrics[`chrF_${from}_${to}${suffix}${part}`] = Number(chrf.toFixed(2));
            metrics[`BLEU_${from}_${to}${suffix}${part}`] = Number(bleu.toFixed(2));
            items.push({ name: `${variant} ${from}→${to}${part ? ` (${part.slice(1)})` : ''}`, n: ix.length, chrF: Number(chrf.toFixed(2)), BLEU: Number(bleu.toFixed(2)), seconds: part ? null : Number(secs.toFixed(2)), sentencesPerSecond: part ? null : Number((src.length / secs).toFixed(1)) });
            ctx.log(`translation: ${variant} ${from}→${to}${part}: chrF ${chrf.toFixed(2)} BLEU ${bleu.toFixed(2)}${part ? '' : ` (${secs.toFixed(1)} s)`}`);
          }
          const chosen = res.provenance.params?.chosenPivots;
          if (chosen) ctx.log(`translation: ${variant} ${from}→${to}: pivots chosen ${JSON.stringify(chosen)}`);
        }
      } finally {
        await registry.close();
      }
    }
    return { metrics, items, provenance: { models, split: want, files: data.files, splits: 'evals/SPLITS.md', chrF: 'character 6-grams, β = 2, whitespace removed, corpus statistics', BLEU: '13a tokenisation, 4-grams, brevity penalty, exp smoothing' } };
  },
};
