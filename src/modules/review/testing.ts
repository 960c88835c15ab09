import { readFileSync } from 'node:fs';
import type { TestService } from '../../testing/service.js';
import { plantedPolis } from '../conversations/testing.js';

/**
 * Real drafts for the desk's tests: an opinion map computed by the votes pipeline from a planted Pol.is export (two
 * camps), and a text map built by the lexical pipeline from the committed fixture contributions.
 */
const FIXTURE = JSON.parse(readFileSync(new URL('../../../fixtures/text-map/contributions.json', import.meta.url), 'utf8')) as { contributions: Array<{ id: string; text: string }> };

async function ok(res: Response, status = 200) {
  const body = await res.text();
  if (res.status !== status) throw new Error(`expected ${status}, got ${res.status}: ${body}`);
  return body ? JSON.parse(body) : null;
}

async function drain(s: TestService) {
  for (let i = 0; i < 50 && (await s.deps.jobs.runNext()); i++);
}

/** A pending opinion map with two groups; returns its review item id. */
export async function pendingOpinionMap(s: TestService, topic = 'Transport in our town'): Promise<string> {
  const base = `/api/assemblies/${s.assemblyId}/conversations`;
  const conv = await ok(await s.call('facilitator', 'POST', base, { topic, recomputeEvery: 0 }), 201);
  const exp = plantedPolis({ participants: 40, statements: 12, seed: 11 });
  await ok(await s.call('facilitator', 'POST', `${base}/${conv.id}/imports`, { comments: exp.comments, participantsVotes: exp.participantsVotes }), 201);
  await ok(await s.call('facilitator', 'POST', `${base}/${conv.id}/recompute`), 202);
  await drain(s);
  const item = s.deps.review.list(s.db, { assemblyId: s.assemblyId, kind: 'opinion-map', status: ['pending'] }).find((i) => i.subject === `conversation:${conv.id}`);
  if (!item) throw new Error('no opinion map was drafted');
  return item.id;
}

/** The fixture contributions imported and a lexical text map drafted; returns the pending map's review item id. */
export async function pendingTextMap(s: TestService): Promise<string> {
  const body = FIXTURE.contributions.map((c) => JSON.stringify({ id: c.id, text: c.text })).join('\n');
  await ok(await s.call('facilitator', 'POST', `/api/assemblies/${s.assemblyId}/contributions/imports?format=jsonl&textColumn=text&idColumn=id`, body, { 'content-type': 'application/x-ndjson' }), 201);
  await drain(s);
  await ok(await s.call('facilitator', 'POST', `/api/assemblies/${s.assemblyId}/text-maps`, { mode: 'lexical' }), 202);
  await drain(s);
  const item = s.deps.review.list(s.db, { assemblyId: s.assemblyId, kind: 'text-map', status: ['pending'] })[0];
  if (!item) throw new Error('no text map was drafted');
  return item.id;
}

/** Posts a desk form (url-encoded, repeated fields allowed) with a role's token. */
export function postForm(s: TestService, path: string, fields: Array<[string, string]>, role: 'facilitator' | 'admin' | 'participant' = 'facilitator') {
  return s.app.request(path, {
    method: 'POST',
    headers: { authorization: `Bearer ${s.tokens[role]}`, 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: new URLSearchParams(fields).toString(),
  });
}
