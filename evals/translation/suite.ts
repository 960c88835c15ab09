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

const FR = ['fra', 'fr'];
const EN = ['eng', 'en'];

export function readPairs(dir: string): { fr: string[]; en: string[]; files: string[] } {
  let files: string[];
  try {
    files = readdirSync(dir).sort();
  } catch (e) {
    throw new DataError(`translation: cannot read directory ${dir}: ${(e as Error).message}`);
  }
  const fr: string[] = [];
  const en: string[] = [];
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
    if (a.length !== b.length) throw new DataError(`translation: ${f} has ${a.length} lines, ${partner} has ${b.length}`);
    for (let i = 0; i < a.length; i++) {
      if (!a[i].trim() || !b[i].trim()) continue;
      fr.push(a[i].trim());
      en.push(b[i].trim());
    }
    used.push(f, partner);
  }
  if (fr.length === 0) throw new DataError(`translation: no aligned .fra/.eng (or .fr/.en) file pairs in ${dir}`);
  return { fr, en, files: used };
}

export const suite: EvalSuite = {
  name: 'translation',
  description: 'fr↔en translation quality (corpus chrF and BLEU), improved Apertium chain vs the plain chain',
  usage: '--data <dir with x.fra/x.eng pairs> [--limit n]',
  async run(ctx) {
    const data = readPairs(ctx.data);
    const limit = ctx.args.limit ? Number(ctx.args.limit) : data.fr.length;
    const fr = data.fr.slice(0, limit);
    const en = data.en.slice(0, limit);
    ctx.log(`translation: ${fr.length} sentence pairs from ${data.files.join(', ')}`);
    const metrics: Record<string, number> = { n: fr.length };
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
          const out = (await t.translate([...src], from, to)).output;
          const secs = (performance.now() - t0) / 1000;
          const chrf = corpusChrf(out, [...ref]);
          const bleu = corpusBleu(out, [...ref]).score;
          metrics[`chrF_${from}_${to}${suffix}`] = Number(chrf.toFixed(2));
          metrics[`BLEU_${from}_${to}${suffix}`] = Number(bleu.toFixed(2));
          items.push({ name: `${variant} ${from}→${to}`, chrF: Number(chrf.toFixed(2)), BLEU: Number(bleu.toFixed(2)), seconds: Number(secs.toFixed(2)), sentencesPerSecond: Number((src.length / secs).toFixed(1)) });
          ctx.log(`translation: ${variant} ${from}→${to}: chrF ${chrf.toFixed(2)} BLEU ${bleu.toFixed(2)} (${secs.toFixed(1)} s)`);
        }
      } finally {
        await registry.close();
      }
    }
    return { metrics, items, provenance: { models, files: data.files, chrF: 'character 6-grams, β = 2, whitespace removed, corpus statistics', BLEU: '13a tokenisation, 4-grams, brevity penalty, exp smoothing' } };
  },
};
