/**
 * Issue 6, bad input: contributions in a language the assembly does not work in are flagged and kept, never
 * silently machine-translated (even when a translation pair exists), and listed apart on the facilitator's page.
 * Also: the facilitator may ask for a number of clusters from the page.
 */
import { readFileSync } from 'node:fs';
import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { testService } from '../../testing/service.js';
import { assemblies } from '../../platform/db/schema.js';
import type { TextMapPayload } from './domain.js';

const FIXTURE = JSON.parse(readFileSync(new URL('../../../fixtures/text-map/contributions.json', import.meta.url), 'utf8')) as { contributions: Array<{ id: string; lang: string; text: string }> };

describe('text map job: unsupported languages set apart, and a k asked for', () => {
  it('an English-only assembly keeps French contributions apart: flagged, untranslated, unclustered, listed for the facilitator', async () => {
    const s = await testService();
    s.db.update(assemblies).set({ languages: ['en'] }).where(eq(assemblies.id, s.assemblyId)).run();
    const api = (rest: string) => `/api/assemblies/${s.assemblyId}${rest}`;
    const ids = new Map<string, string>(); // fixture id → contribution id
    for (const c of FIXTURE.contributions) {
      const r = (await (await s.call('participant', 'POST', api('/contributions'), { text: c.text })).json()) as { id: string };
      ids.set(c.id, r.id);
    }
    const staff = (await (await s.call('facilitator', 'GET', api('/contributions?limit=1000'))).json()) as { items: Array<{ id: string; language: string; flags: string[] }> };
    const flagged = staff.items.filter((i) => i.flags.includes('unsupported-language')).map((i) => i.id).sort();
    expect(flagged.length).toBeGreaterThan(5);
    expect(staff.items.filter((i) => flagged.includes(i.id)).every((i) => i.language === 'fr')).toBe(true);

    const res = await s.call('facilitator', 'POST', api('/text-maps'), { mode: 'semantic' });
    expect(res.status).toBe(202);
    const job = await s.deps.jobs.runNext();
    expect(job?.status).toBe('succeeded');
    const result = job!.result as { mapItemId: string; cache: { translationMisses: number; translationHits: number } };
    expect(result.cache.translationMisses + result.cache.translationHits).toBe(0); // nothing was sent to the translator
    const map = s.deps.review.get(s.db, result.mapItemId).payload as TextMapPayload;
    expect(map.apart.map((a) => a.id).sort()).toEqual(flagged);
    expect(map.apart.every((a) => a.flags.includes('unsupported-language') && a.lang === 'fr')).toBe(true);
    expect(map.points.some((p) => flagged.includes(p.id) || p.translated)).toBe(false);
    expect(map.clusters.some((c) => c.memberIds.some((m) => flagged.includes(m)))).toBe(false);
    expect(map.points.length + map.apart.length).toBe(FIXTURE.contributions.length);

    const html = await (await s.call('facilitator', 'GET', `/facilitate/${s.assemblyId}/contributions`, undefined, { accept: 'text/html' })).text();
    expect(html).toContain(`data-apart="${flagged.length}"`);
    for (const id of flagged) expect(html).toContain(`data-apart-contribution="${id}"`);
    const frText = FIXTURE.contributions.find((c) => ids.get(c.id) === flagged[0])!.text;
    expect(html).toContain(frText.slice(0, 20));
  });

  it('the facilitator page asks for an optional number of clusters and passes it to the map job', async () => {
    const s = await testService();
    for (const c of FIXTURE.contributions.slice(0, 12)) await s.call('participant', 'POST', `/api/assemblies/${s.assemblyId}/contributions`, { text: c.text });
    const page = await (await s.call('facilitator', 'GET', `/facilitate/${s.assemblyId}/contributions`, undefined, { accept: 'text/html' })).text();
    expect(page).toContain('<label for="map-k">');
    const post = (k: string) =>
      s.app.request(`/facilitate/${s.assemblyId}/contributions/map`, { method: 'POST', headers: { authorization: `Bearer ${s.tokens.facilitator}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' }, body: new URLSearchParams({ mode: 'lexical', k }).toString() });
    expect((await post('5')).status).toBe(303);
    const job = s.deps.jobs.list({ type: 'contributions.map' })[0];
    expect(job.payload).toMatchObject({ mode: 'lexical', k: 5 });
    await s.deps.jobs.runNext();
    const done = s.deps.jobs.list({ type: 'contributions.map' }).find((j) => j.id === job.id)!;
    expect((done.result as { clusters: number }).clusters).toBe(5);
  });
});
