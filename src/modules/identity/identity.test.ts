import { beforeAll, describe, expect, it } from 'vitest';
import { createApiToken } from '../../platform/auth/sessions.js';
import { memberships } from '../../platform/db/schema.js';
import { testService, type TestService } from '../../testing/service.js';
import { FREE_FAILURES, lockSeconds, MAX_LOCK_S, safeLocalPath } from './domain.js';
import { assertNotLocked, recordFailure } from './lockout.js';

let s: TestService;
beforeAll(async () => {
  s = await testService();
});

const joinApi = (body: Record<string, unknown>, headers: Record<string, string> = {}) => s.call('public', 'POST', '/api/auth/join', body, headers);
const joinPage = (fields: Record<string, string>, lang = 'en') =>
  s.app.request('/join', {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost', cookie: `lang=${lang}` },
    body: new URLSearchParams(fields).toString(),
  });
const memberCount = () => s.db.select().from(memberships).all().length;

describe('no open redirect from /lang', () => {
  it.each([
    ['/%5Cevil.example', '/'],
    ['//evil.example', '/'],
    ['/%0d%0aSet-Cookie:%20x=1', '/'],
    ['https://evil.example/', '/'],
    ['/%09/evil.example', '/'],
    ['/a/x/summaries?lang=fr', '/a/x/summaries?lang=fr'],
  ])('next=%s redirects to %s', async (next, to) => {
    const res = await s.app.request(`/lang/en?next=${next}`);
    expect(res.status).toBe(303);
    expect(res.headers.get('location')).toBe(to);
  });
  it('keeps only same-origin paths', () => {
    expect(safeLocalPath('/\\evil.example')).toBe('/');
    expect(safeLocalPath('/ok\u0000')).toBe('/');
    expect(safeLocalPath(undefined)).toBe('/');
    expect(safeLocalPath('/facilitate/a1')).toBe('/facilitate/a1');
  });
});

describe('one pseudonym rule for the page and the API', () => {
  const bad = ['', '   ', 'x'.repeat(5000), '<b>Bold</b>', 'Fatou Facilitator (facilitator)', 'Animatrice Julie', 'co-facilitator Max', 'Admin'];
  it.each(bad)('refuses %j on POST /join (page) and stores nothing', async (pseudonym) => {
    const before = memberCount();
    const res = await joinPage({ code: s.codes[0], pseudonym, language: 'en' });
    expect(res.status).toBe(422);
    expect(memberCount()).toBe(before);
  });
  it.each(bad.filter((p) => p.trim()))('refuses %j on POST /api/auth/join with 422', async (pseudonym) => {
    const res = await joinApi({ code: s.codes[0], pseudonym });
    expect(res.status).toBe(422);
  });
  it('refuses a pseudonym that imitates a staff member’s name, and says so in French on a French page', async () => {
    const created = await s.call('admin', 'POST', '/api/users', { username: 'fdiallo', displayName: 'Fatou Diallo', role: 'facilitator', password: 'a-long-password-1' });
    expect(created.status).toBe(201);
    expect((await joinApi({ code: s.codes[0], pseudonym: 'fatou  DIALLO' })).status).toBe(422);
    const res = await joinPage({ code: s.codes[0], pseudonym: 'Fatou Diallo', language: 'fr' }, 'fr');
    expect(res.status).toBe(422);
    expect(await res.text()).toContain('ressemble au nom d’un membre de l’équipe');
    // a first name alone is not an imitation
    expect((await joinApi({ code: s.codes[1], pseudonym: 'Fatou' })).status).toBe(201);
  });
});

describe('members come back with their code', () => {
  it('same code + same pseudonym signs the same member back in; another pseudonym is refused', async () => {
    const { codes } = (await (await s.call('admin', 'POST', `/api/assemblies/${s.assemblyId}/invitations`, { count: 1 })).json()) as { codes: string[] };
    const first = await joinApi({ code: codes[0], pseudonym: 'Élodie', language: 'fr' });
    expect(first.status).toBe(201);
    const { user } = (await first.json()) as { user: { id: string } };
    const again = await joinApi({ code: codes[0].toLowerCase().replace(/-/g, ' '), pseudonym: ' elodie ' });
    expect(again.status).toBe(200);
    const back = (await again.json()) as { user: { id: string }; returning: boolean; assemblyId: string };
    expect(back).toMatchObject({ user: { id: user.id }, returning: true, assemblyId: s.assemblyId });
    expect(again.headers.get('set-cookie')).toContain('plenary_session=');
    const other = await joinApi({ code: codes[0], pseudonym: 'Mallory' });
    expect(other.status).toBe(401);
    expect(((await other.json()) as { detail: string }).detail).toMatch(/another pseudonym.*ask a facilitator/);
    const page = await joinPage({ code: codes[0], pseudonym: 'Mallory', language: 'fr' }, 'fr');
    expect(page.status).toBe(401);
    expect(await page.text()).toContain('demandez de l’aide à l’équipe d’animation');
    // the facilitator sees when they last signed in
    const list = (await (await s.call('facilitator', 'GET', `/api/assemblies/${s.assemblyId}/members/access`)).json()) as { userId: string; lastSignInAt: string | null }[];
    expect(list.find((m) => m.userId === user.id)?.lastSignInAt).toMatch(/^\d{4}-/);
    const html = await (await s.call('facilitator', 'GET', `/facilitate/${s.assemblyId}/members`, undefined, { cookie: 'lang=fr' })).text();
    expect(html).toContain('Dernière connexion');
    expect(html).toContain('Élodie');
  });

  it('a reissued code replaces the old one; a passphrase, once added, is required', async () => {
    const { codes } = (await (await s.call('admin', 'POST', `/api/assemblies/${s.assemblyId}/invitations`, { count: 1 })).json()) as { codes: string[] };
    const joined = (await (await joinApi({ code: codes[0], pseudonym: 'Noor' })).json()) as { user: { id: string } };
    const re = await s.call('facilitator', 'POST', `/api/assemblies/${s.assemblyId}/members/${joined.user.id}/code`);
    expect(re.status).toBe(201);
    const { code } = (await re.json()) as { code: string };
    expect(code).not.toBe(codes[0]);
    const old = await joinApi({ code: codes[0], pseudonym: 'Noor' });
    expect(old.status).toBe(410);
    const fresh = await joinApi({ code, pseudonym: 'Noor' });
    expect(fresh.status).toBe(200);
    // the member adds a passphrase with their session
    const cookie = fresh.headers.get('set-cookie')!.split(';')[0];
    const { csrfToken } = (await fresh.json()) as { csrfToken: string };
    const set = await s.app.request(`/api/assemblies/${s.assemblyId}/me/passphrase`, { method: 'PUT', headers: { cookie, 'x-csrf-token': csrfToken, 'content-type': 'application/json' }, body: JSON.stringify({ passphrase: 'blue kettle' }) });
    expect(set.status).toBe(200);
    const without = await joinApi({ code, pseudonym: 'Noor' });
    expect(without.status).toBe(401);
    expect(((await without.json()) as { passphraseNeeded?: boolean }).passphraseNeeded).toBe(true);
    expect((await joinApi({ code, pseudonym: 'Noor', passphrase: 'red kettle' })).status).toBe(401);
    expect((await joinApi({ code, pseudonym: 'Noor', passphrase: 'blue kettle' })).status).toBe(200);
  });

  it('backs off per code after repeated failures: an attacker cannot keep guessing, the member waits at most a minute', async () => {
    let now = 1_800_000_000_000;
    const s2 = await testService({ clock: () => new Date(now) });
    const { codes } = (await (await s2.call('admin', 'POST', `/api/assemblies/${s2.assemblyId}/invitations`, { count: 2 })).json()) as { codes: string[] };
    const j = (body: Record<string, unknown>) => s2.call('public', 'POST', '/api/auth/join', body);
    expect((await j({ code: codes[0], pseudonym: 'Ines' })).status).toBe(201);
    for (let i = 0; i < FREE_FAILURES; i++) expect((await j({ code: codes[0], pseudonym: `Guess${i}` })).status).toBe(401);
    const locked = await j({ code: codes[0], pseudonym: 'Ines' });
    expect(locked.status).toBe(429);
    // another code is not affected
    expect((await j({ code: codes[1], pseudonym: 'Other' })).status).toBe(201);
    now += (lockSeconds(FREE_FAILURES) + 1) * 1000;
    expect((await j({ code: codes[0], pseudonym: 'Ines' })).status).toBe(200);
  });

  it('the back-off rule: free tries, then doubling waits capped at a minute, forgotten after an hour', () => {
    expect(lockSeconds(FREE_FAILURES - 1)).toBe(0);
    expect(lockSeconds(FREE_FAILURES)).toBe(1);
    expect(lockSeconds(FREE_FAILURES + 3)).toBe(8);
    expect(lockSeconds(1000)).toBe(MAX_LOCK_S);
    const key = 'user:test-backoff';
    let t = 1_000_000;
    for (let i = 0; i < 40; i++) recordFailure(s.db, key, (t += 1000));
    expect(() => assertNotLocked(s.db, key, t + 59_000)).toThrow(/try again/);
    expect(() => assertNotLocked(s.db, key, t + 60_001)).not.toThrow();
    expect(() => assertNotLocked(s.db, key, t + 3_600_001)).not.toThrow();
  });

  it('failed staff sign-ins back off per account, not per address', async () => {
    const now = 1_800_000_000_000; // a still clock, so scrypt's time under load cannot outlast the wait
    const s3 = await testService({ clock: () => new Date(now) });
    const signin = (username: string, password: string) => s3.call('public', 'POST', '/api/auth/signin', { username, password });
    for (let i = 0; i < FREE_FAILURES; i++) expect((await signin('facilitator', 'wrong-password')).status).toBe(401);
    expect((await signin('facilitator', 'facilitator-password-123')).status).toBe(429);
    expect((await signin('admin', 'admin-password-123')).status).toBe(200);
  });
});

describe('API tokens', () => {
  it('expire after 90 days by default (shown at creation), record their last use, and admins revoke them', async () => {
    const made = await s.call('researcher', 'POST', '/api/tokens', { name: 'notebook' });
    expect(made.status).toBe(201);
    const tok = (await made.json()) as { id: string; token: string; expiresAt: string };
    const days = (Date.parse(tok.expiresAt) - Date.now()) / 86400_000;
    expect(days).toBeGreaterThan(89.9);
    expect(days).toBeLessThanOrEqual(90);
    const me = await s.app.request('/api/me', { headers: { authorization: `Bearer ${tok.token}` } });
    expect(me.status).toBe(200);
    const all = (await (await s.call('admin', 'GET', '/api/admin/tokens')).json()) as { id: string; lastUsedAt: string | null; expiresAt: string }[];
    expect(all.find((t) => t.id === tok.id)?.lastUsedAt).toMatch(/^\d{4}-/);
    expect((await s.call('facilitator', 'DELETE', `/api/admin/tokens/${tok.id}`)).status).toBe(403);
    expect((await s.call('admin', 'DELETE', `/api/admin/tokens/${tok.id}`)).status).toBe(204);
    const after = await s.app.request('/api/me', { headers: { authorization: `Bearer ${tok.token}` } });
    expect(after.status).toBe(401);
    expect(((await after.json()) as { detail: string }).detail).toMatch(/revoked/);
  });
  it('an expired token is refused', async () => {
    const old = createApiToken(s.db, s.users.facilitator, 'old', { days: 1, now: new Date(Date.now() - 2 * 86400_000) });
    const res = await s.app.request('/api/me', { headers: { authorization: `Bearer ${old.token}` } });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { detail: string }).detail).toMatch(/expired/);
  });
});
