import { describe, expect, it } from 'vitest';
import { ctxFor } from '../../deps.js';
import { join } from '../../modules/identity/service.js';
import { testService } from '../../testing/service.js';
import { PUBLIC } from '../context.js';

/** A write that costs nothing: any unsafe request counts, even one that ends in 404. */
const PAGE_WRITE = (a: string) => `/a/${a}/conversations/none/vote`;

describe('rate limits that protect people', () => {
  it('limits page-form writes per account, and one busy participant locks out neither others nor sign-in on the same address', async () => {
    const s = await testService({ config: { publicWriteRateLimit: 5 } });
    const other = join(ctxFor(s.deps, PUBLIC), { code: s.codes[0], pseudonym: 'Busy Neighbour', language: 'en' });
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) statuses.push((await s.call('participant', 'POST', PAGE_WRITE(s.assemblyId), {})).status);
    expect(statuses.slice(0, 5)).not.toContain(429);
    expect(statuses[5]).toBe(429);
    // the API counts in the same per-account bucket
    expect((await s.call('participant', 'POST', `/api/assemblies/${s.assemblyId}/conversations/none/statements`, { text: 'x' })).status).toBe(429);
    // another participant on the same address still writes, with a session cookie
    const cookie = `plenary_session=${other.session.cookie}`;
    const theirs = await s.app.request(PAGE_WRITE(s.assemblyId), { method: 'POST', headers: { cookie, 'x-csrf-token': other.session.csrf, 'content-type': 'application/json' }, body: '{}' });
    expect(theirs.status).not.toBe(429);
    // joining and signing in from that address have their own buckets
    expect((await s.call('public', 'POST', '/api/auth/join', { code: s.codes[1], pseudonym: 'Late Comer' })).status).toBe(201);
    expect((await s.call('public', 'POST', '/api/auth/signin', { username: 'admin', password: 'admin-password-123' })).status).toBe(200);
  });

  it('limits anonymous writes per address, and reads X-Forwarded-For only with trustProxy', async () => {
    for (const trustProxy of [false, true]) {
      const s = await testService({ config: { publicWriteRateLimit: 3, trustProxy } });
      const post = (xff: string) => s.app.request('/p/none/register', { method: 'POST', headers: { 'x-forwarded-for': xff, 'content-type': 'application/json' }, body: '{}' });
      for (let i = 0; i < 3; i++) expect((await post('203.0.113.7')).status).not.toBe(429);
      expect((await post('203.0.113.7')).status).toBe(429);
      // a forged left-most entry does not help: the proxy's right-most entry is the address
      expect((await post('198.51.100.1, 203.0.113.7')).status).toBe(429);
      // another client behind the proxy is counted apart only when the proxy is trusted
      expect((await post('203.0.113.8')).status).toBe(trustProxy ? 404 : 429);
    }
  });

  it('join and sign-in share one bucket between page and API (no double allowance)', async () => {
    const s = await testService({ config: { joinRateLimit: 2 } });
    const page = () => s.app.request('/join', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' }, body: 'code=XXXX-XXXX-XXXX-XXXX&pseudonym=Someone' });
    expect((await page()).status).toBe(404);
    expect((await s.call('public', 'POST', '/api/auth/join', { code: 'XXXX-XXXX-XXXX-XXXX', pseudonym: 'Someone' })).status).toBe(404);
    expect((await page()).status).toBe(429);
  });
});
