/** Test helpers for the breakouts module (used by its *.test.ts files only). */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ctxFor } from '../../deps.js';
import { PUBLIC } from '../../platform/context.js';
import { join as joinAssembly } from '../identity/service.js';
import type { TestService } from '../../testing/service.js';

export const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
export const tempDir = (prefix = 'plenary-breakouts-') => mkdtempSync(join(tmpdir(), prefix));
export const fixtureBytes = (name: string) => new Uint8Array(readFileSync(new URL(`../../../fixtures/audio/${name}`, import.meta.url)));

/** Runs ffmpeg (Debian) to make a small test file; returns its bytes. */
export function ffmpeg(dir: string, out: string, args: string[]): Uint8Array {
  const file = join(dir, out);
  execFileSync('ffmpeg', ['-nostdin', '-v', 'error', '-y', ...args, file]);
  return new Uint8Array(readFileSync(file));
}

export function espeak(dir: string, out: string, text: string): Uint8Array {
  const raw = join(dir, `raw-${out}`);
  execFileSync('espeak-ng', ['-v', 'en-us', '-s', '150', '-w', raw, text]);
  return ffmpeg(dir, out, ['-i', raw, '-af', 'adelay=500,apad=pad_dur=0.5', '-ar', '16000', '-ac', '1']);
}

/** Two more participants (pseudonyms Ada and Bram) besides the test service's 'Tester'. */
export function moreMembers(s: TestService): { ada: string; bram: string } {
  const pub = ctxFor(s.deps, PUBLIC);
  const ada = joinAssembly(pub, { code: s.codes[0], pseudonym: 'Ada', language: 'en' }).user.id;
  const bram = joinAssembly(pub, { code: s.codes[1], pseudonym: 'Bram', language: 'en' }).user.id;
  return { ada, bram };
}

export async function setupGroup(s: TestService, memberIds: string[], language: string | null = 'en') {
  const api = `/api/assemblies/${s.assemblyId}/breakouts`;
  const session = (await (await s.call('facilitator', 'POST', `${api}/sessions`, { title: 'Mobility', language })).json()) as { id: string };
  const res = await s.call('facilitator', 'POST', `${api}/sessions/${session.id}/groups`, { name: 'Group A', leadFacilitatorId: s.users.facilitator, coFacilitatorId: s.users.admin, memberIds });
  if (res.status !== 201) throw new Error(await res.text());
  const group = (await res.json()) as { id: string };
  return { api, sessionId: session.id, groupId: group.id };
}

/** Uploads bytes in chunks through the API; returns the completion response. */
export async function upload(s: TestService, groupId: string, filename: string, bytes: Uint8Array, opts: { memberId?: string | null; chunk?: number; language?: string; sha256?: string } = {}) {
  const api = `/api/assemblies/${s.assemblyId}/breakouts`;
  const created = await s.call('facilitator', 'POST', `${api}/groups/${groupId}/uploads`, { filename, size: bytes.length, memberId: opts.memberId ?? null, ...(opts.language ? { language: opts.language } : {}) });
  if (created.status !== 201) return created;
  const { id } = (await created.json()) as { id: string };
  const chunk = opts.chunk ?? 64 * 1024;
  for (let o = 0; o < bytes.length; o += chunk) {
    const part = bytes.subarray(o, Math.min(bytes.length, o + chunk));
    const r = await putChunk(s, id, part, o, bytes.length);
    if (r.status !== 200) throw new Error(`chunk at ${o}: ${r.status} ${await r.text()}`);
  }
  return s.call('facilitator', 'POST', `${api}/uploads/${id}/complete`, { sha256: opts.sha256 ?? sha(bytes) });
}

export function putChunk(s: TestService, uploadId: string, part: Uint8Array, offset: number, total: number) {
  return s.app.request(`/api/assemblies/${s.assemblyId}/breakouts/uploads/${uploadId}`, {
    method: 'PUT',
    headers: { authorization: `Bearer ${s.tokens.facilitator}`, 'content-type': 'application/octet-stream', 'content-range': `bytes ${offset}-${offset + part.length - 1}/${total}` },
    body: part as unknown as BodyInit,
  });
}

export async function runAll(s: TestService) {
  const out = [];
  for (let j = await s.deps.jobs.runNext(); j; j = await s.deps.jobs.runNext()) out.push(j);
  return out;
}
