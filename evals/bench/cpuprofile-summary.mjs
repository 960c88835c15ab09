/* global process, console */
// Summarises a V8 .cpuprofile (node --cpu-prof): self time by function and by package/file, and inclusive time of
// functions whose name or file matches an optional filter.
//   node evals/bench/cpuprofile-summary.mjs FILE.cpuprofile [--top 40] [--match REGEX]
import { readFileSync } from 'node:fs';

const [file, ...rest] = process.argv.slice(2);
const opt = (k, d) => { const i = rest.indexOf(k); return i >= 0 ? rest[i + 1] : d; };
const top = Number(opt('--top', 40));
const match = opt('--match', null);
const p = JSON.parse(readFileSync(file, 'utf8'));
const byId = new Map(p.nodes.map((n) => [n.id, n]));
const parent = new Map();
for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
const self = new Map();
const dt = p.timeDeltas;
for (let i = 0; i < p.samples.length; i++) self.set(p.samples[i], (self.get(p.samples[i]) ?? 0) + (dt[i] ?? 0));
const total = [...self.values()].reduce((a, b) => a + b, 0);
const short = (url) => url.replace(/^file:\/\//, '').replace(/.*node_modules\//, 'nm:').replace(/.*\/(src|evals|pipelines)\//, '$1/');
const key = (n) => `${n.callFrame.functionName || '(anon)'} ${short(n.callFrame.url)}:${n.callFrame.lineNumber + 1}`;
const pkg = (n) => { const u = short(n.callFrame.url); if (!u) return n.callFrame.functionName.startsWith('(') ? n.callFrame.functionName : '(native)'; const m = /^nm:(@[^/]+\/[^/]+|[^/]+)/.exec(u); return m ? m[1] : u.startsWith('node:') ? 'node:' + u.slice(5).split('/')[0] : u; };
const agg = (f) => { const m = new Map(); for (const [id, t] of self) { const k = f(byId.get(id)); m.set(k, (m.get(k) ?? 0) + t); } return [...m].sort((a, b) => b[1] - a[1]); };
const pct = (t) => `${((100 * t) / total).toFixed(1).padStart(5)} %  ${(t / 1000).toFixed(0).padStart(6)} ms`;
console.log(`total sampled ${(total / 1e6).toFixed(2)} s`);
console.log('\n== self time by package/file');
for (const [k, t] of agg(pkg).slice(0, 25)) console.log(pct(t), k);
console.log('\n== self time by function');
for (const [k, t] of agg(key).slice(0, top)) console.log(pct(t), k);
if (match) {
  const re = new RegExp(match);
  const incl = new Map();
  for (const [id, t] of self) {
    const seen = new Set();
    for (let q = id; q !== undefined; q = parent.get(q)) { const n = byId.get(q); const k = key(n); if (re.test(k) && !seen.has(k)) { seen.add(k); incl.set(k, (incl.get(k) ?? 0) + t); } }
  }
  console.log(`\n== inclusive time of functions matching /${match}/`);
  for (const [k, t] of [...incl].sort((a, b) => b[1] - a[1]).slice(0, top)) console.log(pct(t), k);
}
const callers = opt('--callers', null);
if (callers) {
  // for samples inside a function matching /callers/, the stack above its outermost match (6 frames), by time
  const re = new RegExp(callers);
  const stacks = new Map();
  for (const [id, t] of self) {
    const chain = [];
    for (let q = id; q !== undefined; q = parent.get(q)) chain.push(byId.get(q));
    const at = chain.findLastIndex((n) => re.test(key(n)));
    if (at < 0) continue;
    const k = chain.slice(at, at + 7).map((n) => key(n)).join('\n      ← ');
    stacks.set(k, (stacks.get(k) ?? 0) + t);
  }
  console.log(`\n== where /${callers}/ is called from`);
  for (const [k, t] of [...stacks].sort((a, b) => b[1] - a[1]).slice(0, 8)) console.log(pct(t), k);
}
