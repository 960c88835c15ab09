/** @jsxImportSource hono/jsx */
import type { Context } from 'hono';
import type { AppEnv } from '../platform/http/types.js';
import { translator } from './i18n.js';
import { Layout } from './layout.js';

/** Renders a page in the shared layout, in the request's language. */
export function page(c: Context<AppEnv>, title: string, body: unknown, status = 200) {
  const lang = c.get('lang');
  return c.html(
    <Layout title={title} lang={lang} t={translator(lang)} actor={c.get('actor')} csrf={c.get('csrfToken')} path={c.req.path}>
      {body as never}
    </Layout>,
    status as 200,
  );
}

/** A posted form's string fields (files and repeated fields dropped). */
export async function form(c: Context<AppEnv>): Promise<Record<string, string>> {
  const b = await c.req.parseBody();
  return Object.fromEntries(Object.entries(b).map(([k, v]) => [k, typeof v === 'string' ? v : '']));
}

/** The hidden CSRF field every form posted with a cookie session carries. */
export const Csrf = ({ c }: { c: Context<AppEnv> }) => <input type="hidden" name="_csrf" value={c.get('csrfToken') ?? ''} />;
