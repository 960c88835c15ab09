/**
 * chrF (Popović 2015; character n-grams 1..6, β = 2, whitespace ignored, corpus-level statistics) of the Apertium translators on aligned sentence files. Used to tune the 'apertium' backend
 * against 'apertium-plain'. Usage: tsx scripts/models-chrf.ts [--data ../shared/data]
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { createApertiumTranslator } from '../models/offline/apertium.js';

export function chrF(hyps: string[], refs: string[], maxN = 6, beta = 2): number {
  const match = new Array(maxN).fill(0);
  const hypTotal = new Array(maxN).fill(0);
  const refTotal = new Array(maxN).fill(0);
  for (let k = 0; k < hyps.length; k++) {
    const h = hyps[k].replace(/\s+/g, '');
    const r = refs[k].replace(/\s+/g, '');
    for (let n = 1; n <= maxN; n++) {
      const hc = grams(h, n);
      const rc = grams(r, n);
      for (const [g, c] of hc) {
        hypTotal[n - 1] += c;
        match[n - 1] += Math.min(c, rc.get(g) ?? 0);
      }
      for (const c of rc.values()) refTotal[n - 1] += c;
    }
  }
  // precision and recall averaged over the n-gram orders, then F-β (as chrF++.py and sacrebleu ≥ 2)
  let p = 0;
  let rc = 0;
  let eff = 0;
  const b2 = beta * beta;
  for (let n = 0; n < maxN; n++) {
    if (hypTotal[n] === 0 || refTotal[n] === 0) continue;
    p += match[n] / hypTotal[n];
    rc += match[n] / refTotal[n];
    eff++;
  }
  if (!eff) return 0;
  p /= eff;
  rc /= eff;
  return p + rc > 0 ? (100 * (1 + b2) * p * rc) / (b2 * p + rc) : 0;
}

function grams(s: string, n: number): Map<string, number> {
  const m = new Map<string, number>();
  const chars = [...s];
  for (let i = 0; i + n <= chars.length; i++) {
    const g = chars.slice(i, i + n).join('');
    m.set(g, (m.get(g) ?? 0) + 1);
  }
  return m;
}

async function main() {
  const i = process.argv.indexOf('--data');
  const data = path.resolve(i >= 0 ? process.argv[i + 1] : '../shared/data');
  const dir = path.join(data, 'translation-fr-en', 'tatoeba-laser');
  const fr = (await readFile(path.join(dir, 'tatoeba.fra-eng.fra'), 'utf8')).trimEnd().split('\n');
  const en = (await readFile(path.join(dir, 'tatoeba.fra-eng.eng'), 'utf8')).trimEnd().split('\n');
  const cfg = { modelsDir: '', prefer: {}, threads: 2, languages: [] };
  for (const variant of ['apertium-plain', 'apertium'] as const) {
    const t = await createApertiumTranslator(cfg, variant);
    const t0 = Date.now();
    const fe = (await t.translate(fr, 'fr', 'en')).output;
    const ef = (await t.translate(en, 'en', 'fr')).output;
    console.log(`${variant}: chrF fr→en ${chrF(fe, en).toFixed(1)}  en→fr ${chrF(ef, fr).toFixed(1)}  (${fr.length} pairs, ${Date.now() - t0} ms)`);
  }
}

if (import.meta.url === `file://${process.argv[1]}`) void main();
