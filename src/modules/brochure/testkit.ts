import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ctxFor, type Deps } from '../../deps.js';
import type { Ctx } from '../../platform/context.js';
import { createRecommendation, setStatus } from '../recommendations/service.js';
import { setRecommendationLanguage } from './translations.js';

/** Test and benchmark helpers: staff contexts, recommendations with a realistic analysis, PDF text. */

export const staffCtx = (deps: Deps, userId: string, assemblyId: string): Ctx =>
  ctxFor(deps, { kind: 'user', id: userId, role: 'facilitator', displayName: 'Camille', language: 'en', via: 'token', assemblyIds: [], staffRoles: { [assemblyId]: 'facilitator' } });

const THEMES = {
  en: ['Transport and mobility', 'Housing', 'Energy and climate', 'Food and farming', 'Health'],
  fr: ['Transports et mobilité', 'Logement', 'Énergie et climat', 'Alimentation et agriculture', 'Santé'],
};
const SUBJECTS = {
  en: ['bus lanes on the ring road', 'a night bus network', 'insulation grants for renters', 'solar panels on school roofs', 'local food in canteens', 'a walk-in health centre', 'safe cycle routes to schools', 'a car-free town centre on Sundays', 'repair cafés in every district', 'rainwater harvesting in new buildings'],
  fr: ['des voies de bus sur le périphérique', 'un réseau de bus de nuit', 'des aides à l’isolation pour les locataires', 'des panneaux solaires sur les écoles', 'des produits locaux dans les cantines', 'un centre de santé sans rendez-vous', 'des pistes cyclables sûres vers les écoles', 'un centre-ville sans voitures le dimanche', 'des ateliers de réparation dans chaque quartier', 'la récupération d’eau de pluie dans les constructions neuves'],
};

/** A recommendation whose fields read like an assembly's: several bullet points, costs, implementers, links. */
export function realisticFields(i: number, lang: 'en' | 'fr') {
  const subject = SUBJECTS[lang][i % SUBJECTS[lang].length];
  const en = lang === 'en';
  const bullets = (label: string, n: number) => Array.from({ length: n }, (_, k) => `- ${label} ${k + 1}: ${en ? 'members heard from residents, experts and the council that this point matters for daily life in every district, and weighed it carefully.' : 'les membres ont entendu des habitants, des experts et la mairie dire que ce point compte dans la vie quotidienne de chaque quartier, et l’ont pesé avec soin.'}`).join('\n');
  return {
    title: en ? `Recommendation ${i + 1}: create ${subject}` : `Recommandation ${i + 1} : créer ${subject}`,
    proposal: en
      ? `The assembly recommends that the council create ${subject} within three years, starting with a pilot in two districts and a public evaluation after the first year.`
      : `L’assemblée recommande que la mairie crée ${subject} d’ici trois ans, en commençant par un essai dans deux quartiers et une évaluation publique au bout d’un an.`,
    rationale: (en ? 'Members heard evidence over four weekends. ' : 'Les membres ont entendu des témoignages pendant quatre week-ends. ').repeat(4),
    pros: bullets(en ? 'Benefit' : 'Avantage', 4),
    cons: bullets(en ? 'Drawback' : 'Inconvénient', 3),
    costs: en ? `About €${(i + 1) * 120},000 a year for three years, shared between the council (60 %) and the region (40 %).` : `Environ ${(i + 1) * 120} 000 € par an pendant trois ans, partagés entre la mairie (60 %) et la région (40 %).`,
    implementers: en ? 'The council’s transport and planning departments, with residents’ associations.' : 'Les services transports et urbanisme de la mairie, avec les associations d’habitants.',
    tradeoffs: en ? 'Money spent here is not spent on road repairs; members accepted slower car journeys at peak times.' : 'L’argent dépensé ici ne l’est pas pour l’entretien des routes ; les membres acceptent des trajets en voiture plus lents aux heures de pointe.',
    evidence: `https://example.org/evidence/${i + 1} ${en ? 'Expert briefing' : 'Note d’expert'} ${i + 1}\nhttps://example.org/survey/${i + 1}`,
  };
}

/** Creates `n` recommendations (theme = drafting working party), moved to 'final' when `final`. Returns their ids. */
export function addRecommendations(ctx: Ctx, assemblyId: string, n: number, opts: { lang?: 'en' | 'fr'; final?: boolean; offset?: number } = {}): string[] {
  const lang = opts.lang ?? 'en';
  const ids: string[] = [];
  for (let k = 0; k < n; k++) {
    const i = k + (opts.offset ?? 0);
    const r = createRecommendation(ctx, assemblyId, { drafterKind: 'working_party', drafterName: THEMES[lang][i % THEMES[lang].length], ...realisticFields(i, lang) });
    if (opts.lang) setRecommendationLanguage(ctx, assemblyId, r.id, opts.lang);
    if (opts.final) {
      setStatus(ctx, assemblyId, r.id, 'under_discussion');
      setStatus(ctx, assemblyId, r.id, 'final');
    }
    ids.push(r.id);
  }
  return ids;
}

/** The text of a PDF, by poppler's pdftotext (Debian poppler-utils; scripts/setup.sh --tests installs it), white space collapsed (lines wrap). */
export function pdfText(bytes: Uint8Array): string {
  const dir = mkdtempSync(join(tmpdir(), 'brochure-pdf-'));
  try {
    writeFileSync(join(dir, 'b.pdf'), bytes);
    return execFileSync('pdftotext', ['-enc', 'UTF-8', join(dir, 'b.pdf'), '-'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }).replace(/\s+/g, ' ');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

type Caller = { call(role: 'facilitator', method: string, path: string, body?: unknown): Response | Promise<Response>; app: { request(path: string, init: RequestInit): Response | Promise<Response> }; tokens: Record<'facilitator', string>; deps: Pick<Deps, 'jobs'> };

async function ok<T>(res: Response, status = 200): Promise<T> {
  const body = await res.text();
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${body}`);
  return JSON.parse(body) as T;
}

/**
 * A pool of `size` candidates (gender × age, no personal columns) with quotas for a panel of `panel`, selected
 * (leximin) and drawn, through the sortition API: the brochure's selection statistics come from it.
 */
export async function drawnPool(s: Caller, assemblyId: string, size = 40, panel = 8) {
  const A = `/api/assemblies/${assemblyId}`;
  const rows = ['id,gender,age'];
  for (let i = 0; i < size; i++) rows.push(`p${i},${i % 3 === 0 ? 'm' : 'f'},${i % 4 === 0 ? '65+' : '18-64'}`);
  const fd = new FormData();
  fd.append('people', new Blob([rows.join('\n') + '\n'], { type: 'text/csv' }), 'people.csv');
  fd.append('quotas', new Blob([`category,value,min,max\ngender,f,${panel / 2},${panel / 2}\ngender,m,${panel / 2},${panel / 2}\nage,18-64,1,${panel - 1}\nage,65+,1,${panel - 1}\n`], { type: 'text/csv' }), 'quotas.csv');
  fd.append('panelSize', String(panel));
  fd.append('name', 'Electoral roll');
  const pool = await ok<{ id: string }>(await s.app.request(`${A}/sortition/imports`, { method: 'POST', body: fd, headers: { authorization: `Bearer ${s.tokens.facilitator}` } }), 201);
  const run = await ok<{ runId: string }>(await s.call('facilitator', 'POST', `${A}/sortition/pools/${pool.id}/runs`, { algorithm: 'leximin' }), 202);
  await s.deps.jobs.runNext();
  const view = await ok<{ distributionSha256: string }>(await s.call('facilitator', 'GET', `${A}/sortition/runs/${run.runId}`));
  await ok(await s.call('facilitator', 'POST', `${A}/sortition/runs/${run.runId}/commit`));
  await ok(await s.call('facilitator', 'POST', `${A}/sortition/runs/${run.runId}/draw`, { seed: 'lottery 2026-12-07: 4 8 15 16 23 42', distributionSha256: view.distributionSha256 }), 201);
  return pool.id;
}

/** Runs queued jobs until `jobId` ends. */
export async function runJob(deps: Pick<Deps, 'jobs'>, jobId: string) {
  for (let i = 0; i < 20; i++) {
    const row = deps.jobs.get(jobId);
    if (row && ['succeeded', 'failed', 'cancelled'].includes(row.status)) return row;
    if (!(await deps.jobs.runNext())) break;
  }
  return deps.jobs.get(jobId)!;
}
