/**
 * The brochure of 50 recommendations in French and English, the path an organiser waits on: the request
 * (requestBrochure) → the one job runner → collect (SQLite file, WAL) → HTML per language → headless Chromium prints
 * each to PDF → files and version rows written in the job's completing transaction. Target: ≤ 30 s on 2 cores.
 *
 *   npm run bench -- brochure [--recommendations 50] [--no-save]
 *
 * Data: 50 final recommendations over 5 themes, each with a full analysis (proposal, rationale, 4 arguments for,
 * 3 against, costs, implementers, trade-offs, 2 evidence links); 70 % written in English, 30 % in French; a fifth of
 * each group has a person's translation into the other language (the rest appear in the original, labelled); a pool of
 * 200 drawn to a panel of 20 for the selection statistics. Measured in the same run: a new version after one edit (the
 * "regenerate" path, with the browser kept warm from version 1), the HTML alone, and a baseline — Chromium started
 * cold and printing a one-line page — the fixed cost a first generation pays.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import pino from 'pino';
import { buildService } from '../../src/build.js';
import { buildConfig, ConfigSchema } from '../../src/config.js';
import { createApiToken } from '../../src/platform/auth/sessions.js';
import { users } from '../../src/platform/db/schema.js';
import { newId } from '../../src/platform/ids.js';
import { createAssembly } from '../../src/modules/assemblies/service.js';
import { grantStaffRole } from '../../src/modules/identity/staff-roles.js';
import { collectBrochure } from '../../src/modules/brochure/collect.js';
import { chromiumEngine } from '../../src/modules/brochure/pdf.js';
import { renderBrochure } from '../../src/modules/brochure/render.js';
import { listVersions, requestBrochure, versionFile } from '../../src/modules/brochure/service.js';
import { addRecommendations, drawnPool, pdfText, realisticFields, runJob, staffCtx } from '../../src/modules/brochure/testkit.js';
import { setHumanTranslation } from '../../src/modules/brochure/translations.js';
import { editRecommendation, setStatus } from '../../src/modules/recommendations/service.js';
import { ctxFor } from '../../src/deps.js';
import type { Bench, BenchResult } from '../harness.js';

const s1 = (ms: number) => Math.round(ms / 100) / 10;
const load = () => loadavg().map((x) => x.toFixed(2)).join(' ');

export const bench: Bench = {
  name: 'brochure',
  description: 'brochure of 50 recommendations, French and English, HTML + PDF through the service and the job runner (target ≤ 30 s)',
  async run(args, log): Promise<BenchResult> {
    const N = typeof args.recommendations === 'string' ? Number(args.recommendations) : 50;
    const load0 = load();
    const dir = mkdtempSync(join(tmpdir(), 'plenary-brochure-bench-'));
    const config = buildConfig(ConfigSchema.parse({ dataDir: dir, logLevel: 'silent', jobWorkers: 0 }));
    const { app, deps } = buildService(config, { logger: pino({ level: 'silent' }) });
    try {
      const sys = ctxFor(deps, { kind: 'user', id: 'system', role: 'admin', displayName: 'system', language: 'en', via: 'token', assemblyIds: [] });
      const a = createAssembly(sys, { slug: 'bench-brochure', title: 'Citizens’ assembly on the future of the town', question: 'How should our town travel, live, heat its homes and eat by 2035, fairly for everyone?', languages: ['en', 'fr'] });
      const fid = deps.db.insert(users).values({ id: newId('u_'), role: 'facilitator', username: 'fac', displayName: 'Facilitator' }).returning().get().id;
      grantStaffRole(sys, a.id, fid, 'facilitator');
      const token = createApiToken(deps.db, fid, 'bench').token;
      const call = (_role: 'facilitator', method: string, path: string, body?: unknown) =>
        app.request(path, { method, headers: { authorization: `Bearer ${token}`, ...(body !== undefined ? { 'content-type': 'application/json' } : {}) }, body: body === undefined ? undefined : JSON.stringify(body) });
      log('drawing a panel of 20 from 200');
      await drawnPool({ call, app, tokens: { facilitator: token }, deps }, a.id, 200, 20);
      const ctx = staffCtx(deps, fid, a.id);
      const nFr = Math.round(N * 0.3);
      log(`writing ${N} recommendations (${N - nFr} English, ${nFr} French)`);
      const en = addRecommendations(ctx, a.id, N - nFr, { final: true });
      const fr = addRecommendations(ctx, a.id, nFr, { final: true, lang: 'fr', offset: N - nFr });
      en.filter((_, i) => i % 5 === 0).forEach((id) => setHumanTranslation(ctx, a.id, id, 'fr', realisticFields(en.indexOf(id), 'fr')));
      fr.filter((_, i) => i % 5 === 0).forEach((id) => setHumanTranslation(ctx, a.id, id, 'en', realisticFields(N - nFr + fr.indexOf(id), 'en')));

      // the user's path: request → job runner → versions
      const pdf = chromiumEngine();
      if (!pdf.executable()) throw new Error('Chromium is not installed (apt-get install -y chromium)');
      const gen = async () => {
        const t0 = performance.now();
        const { job } = requestBrochure(ctx, deps.jobs, pdf, a.id, { scope: 'final', languages: ['fr', 'en'] });
        const row = await runJob(deps, job.id);
        if (row.status !== 'succeeded') throw new Error(`brochure job ${row.status}: ${row.error}`);
        return performance.now() - t0;
      };
      log('generating version 1 (fr + en)');
      const first = await gen();
      log(`version 1: ${s1(first)} s`);
      setStatus(ctx, a.id, en[1], 'under_discussion');
      editRecommendation(ctx, a.id, en[1], { baseVersion: 1, costs: 'About €400,000 a year for three years, all from the council.' });
      setStatus(ctx, a.id, en[1], 'final');
      log('generating version 2 after one edit');
      const second = await gen();
      const latest = listVersions(ctx, a.id).filter((v) => v.number === 2);
      const bytes = Object.fromEntries(latest.map((v) => [v.language, v.pdfBytes]));
      const text = Object.fromEntries(latest.map((v) => [v.language, pdfText(versionFile(ctx, a.id, v.id, 'pdf').bytes)]));

      // the HTML alone, and the fixed cost of Chromium (same run, same machine)
      const th = performance.now();
      const models = deps.db.transaction((tx) => collectBrochure(ctx, tx, a.id, 'final', ['fr', 'en']));
      const html = await Promise.all(models.map((m) => renderBrochure(m, { generatedAt: new Date().toISOString() })));
      const htmlMs = performance.now() - th;
      // every recommendation's title as this language's reader sees it is in that PDF's text
      const found = models.map((m) => `${m.sections.flatMap((x) => x.recs).filter((r) => text[m.language]?.includes(r.fields.title.replace(/\s+/g, ' '))).length}`);
      const tb = performance.now();
      const cold = chromiumEngine(undefined, { idleMs: 0 });
      const session = await cold.open();
      await session.print('<!doctype html><html lang="en"><title>x</title><p>One line.</p></html>', { of: 'of' });
      await session.close();
      const baselineMs = performance.now() - tb;
      const load1 = load();
      return {
        name: 'brochure',
        figures: {
          recommendations: N,
          languages: 2,
          'version 1, Chromium cold (request → both PDFs stored), s': s1(first),
          'version 2 after one edit, Chromium warm, s': s1(second),
          'HTML only (collect + render, both languages), s': s1(htmlMs),
          'baseline: Chromium start + 1-line PDF, s': s1(baselineMs),
          'HTML KB (fr / en)': html.map((h) => Math.round(h.length / 1024)).join(' / '),
          'PDF KB (fr / en)': `${Math.round((bytes.fr ?? 0) / 1024)} / ${Math.round((bytes.en ?? 0) / 1024)}`,
          'titles found by pdftotext (fr / en)': `${found.join(' / ')} of ${N}`,
          target: '≤ 30 s',
          'loadavg start': load0,
          'loadavg end': load1,
        },
        notes: ['wall-clock seconds; Chromium runs in child processes, so no CPU time is given', 'the machine is shared (2 cores): see the load averages'],
      };
    } finally {
      await deps.models.close?.();
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
