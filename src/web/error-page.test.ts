import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { testService } from '../testing/service.js';
import type { Module } from '../modules/index.js';
import { MODULES } from '../modules/index.js';
import { requireAction } from '../platform/http/guard.js';
import type { AppEnv } from '../platform/http/types.js';
import { CATALOGUES } from './i18n.js';

const html = { accept: 'text/html,application/xhtml+xml' };
// a module whose page throws an unexpected error, to see the 500 page
const boom: Module = {
  name: 'boom',
  pages: () => new Hono<AppEnv>().get('/boom', requireAction('public.read'), () => {
    throw new Error('secret internal detail');
  }),
};

describe('error pages (404, 429, 500) for page routes', () => {
  it('are pages in the site layout and the reader’s language; /api stays problem+json', async () => {
    const s = await testService({ config: { signinRateLimit: 2 }, modules: [...MODULES, boom] });
    for (const lang of ['fr', 'en'] as const) {
      const cat = CATALOGUES[lang];
      const res = await s.call('public', 'GET', `/nowhere?lang=${lang}`, undefined, html);
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toContain('text/html');
      const body = await res.text();
      expect(body).toContain(`<html lang="${lang}">`);
      expect(body).toContain('href="/static/app.css"'); // the site's layout
      expect(body).toContain(cat['error.404.title']);
      expect(body).toContain(cat['nav.skip']);
      if (lang === 'fr') expect(body).not.toContain('There is nothing at'); // the server's English detail is not shown in French

      const crash = await s.call('participant', 'GET', `/boom?lang=${lang}`, undefined, html);
      expect(crash.status).toBe(500);
      const crashBody = await crash.text();
      expect(crashBody).toContain(cat['error.500.title']);
      expect(crashBody).not.toContain('secret internal detail');
      expect(crashBody).toContain('Tester'); // the signed-in reader keeps their header
    }
    // 429: the sign-in form, posted too often from one address
    let limited: Response | undefined;
    for (let i = 0; i < 4; i++) {
      const r = await s.app.request('/signin?lang=fr', { method: 'POST', headers: { ...html, 'content-type': 'application/x-www-form-urlencoded', origin: 'http://localhost' }, body: 'username=x&password=y' });
      if (r.status === 429) limited = r;
    }
    expect(limited?.status).toBe(429);
    const body = await limited!.text();
    expect(body).toContain(CATALOGUES.fr['error.429.title']);
    expect(limited!.headers.get('retry-after')).toMatch(/^\d+$/);

    // the API (and clients not asking for HTML) keep problem+json
    const api = await s.call('public', 'GET', '/api/nowhere', undefined, html);
    expect(api.status).toBe(404);
    expect(api.headers.get('content-type')).toContain('application/problem+json');
    const plain = await s.call('public', 'GET', '/nowhere');
    expect(plain.headers.get('content-type')).toContain('application/problem+json');
  });
});
