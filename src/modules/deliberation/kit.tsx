/** @jsxImportSource hono/jsx */
/** Page helpers shared by the deliberation screens. */
import type { Context } from 'hono';
import type { AppEnv } from '../../platform/http/types.js';
import { translator } from '../../web/i18n.js';
import { Layout } from '../../web/layout.js';

export function page(c: Context<AppEnv>, title: string, body: unknown, status = 200) {
  const lang = c.get('lang');
  return c.html(
    <Layout title={title} lang={lang} t={translator(lang)} actor={c.get('actor')} csrf={c.get('csrfToken')} path={c.req.path}>
      {body as never}
    </Layout>,
    status as 200,
  );
}

export async function form(c: Context<AppEnv>): Promise<Record<string, string | string[]>> {
  const b = await c.req.parseBody({ all: true });
  return Object.fromEntries(Object.entries(b).map(([k, v]) => [k, Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : typeof v === 'string' ? v : '']));
}
export const one = (v: string | string[] | undefined) => (Array.isArray(v) ? (v[0] ?? '') : (v ?? ''));
export const many = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []);
export const Csrf = ({ token }: { token: string }) => <input type="hidden" name="_csrf" value={token} />;
