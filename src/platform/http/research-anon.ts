import type Database from 'better-sqlite3';
import type { Context } from 'hono';
import type { Db } from '../db/client.js';
import { randomBytes } from 'node:crypto';
import type { AppEnv } from './types.js';

/**
 * Researchers read anonymised data: on every assembly-scoped route they are allowed, the guard passes the response
 * through here, which replaces each member's pseudonym, display name and user id with a stable random id for that
 * assembly (`m-…`, kept in research_ids, not derived from the user id). JSON string values and keys, CSV cells and
 * HTML text nodes that equal one of these are replaced; a name quoted inside a longer text is content and is kept.
 */
export async function anonymiseResponse(c: Context<AppEnv>, assemblyId: string): Promise<void> {
  const res = c.res;
  const type = res.headers.get('content-type') ?? '';
  const isJson = type.includes('json');
  const isCsv = type.includes('text/csv');
  const isHtml = type.includes('text/html');
  if (!isJson && !isCsv && !isHtml) return;
  const names = identityMap(c.get('guardDb'), assemblyId);
  const text = await res.text();
  let out = text;
  if (isJson) out = JSON.stringify(replaceDeep(JSON.parse(text) as unknown, names));
  else if (isCsv) out = replaceCsvCells(text, names);
  else {
    // one pass over the page's text nodes (`>text<`) instead of one pass per name
    const byHtml = new Map([...names].map(([from, to]) => [escapeHtml(from), to]));
    out = out.replace(/>([^<>]*)</g, (m, node: string) => {
      const to = byHtml.get(node);
      return to === undefined ? m : `>${to}<`;
    });
  }
  const headers = new Headers(res.headers);
  headers.delete('content-length');
  c.res = undefined as never; // let Hono replace the response rather than merge into the old one
  c.res = new Response(out, { status: res.status, headers });
}

/** identity string → stable random id, for every member of the assembly (ids created on first use) */
export function identityMap(db: Db, assemblyId: string): Map<string, string> {
  const { members, insert } = statementsFor(db.$client);
  const rows = members.all(assemblyId) as { userId: string; pseudonym: string | null; displayName: string; anonId: string | null }[];
  const map = new Map<string, string>();
  for (const r of rows) {
    let anon = r.anonId;
    if (!anon) {
      anon = `m-${randomBytes(6).toString('hex')}`;
      insert.run(assemblyId, r.userId, anon);
    }
    for (const s of [r.userId, r.pseudonym, r.displayName]) if (s && s.length >= 2) map.set(s, anon);
  }
  return map;
}

/** prepared once per connection (a researcher's every request reads them) */
const PREPARED = new WeakMap<Database.Database, { members: Database.Statement; insert: Database.Statement }>();
function statementsFor(client: Database.Database) {
  let p = PREPARED.get(client);
  if (!p) {
    p = {
      members: client.prepare(
        `select m.user_id as userId, m.pseudonym as pseudonym, u.display_name as displayName, r.anon_id as anonId
         from memberships m join users u on u.id = m.user_id left join research_ids r on r.assembly_id = m.assembly_id and r.user_id = m.user_id
         where m.assembly_id = ?`,
      ),
      insert: client.prepare('insert or ignore into research_ids (assembly_id, user_id, anon_id) values (?, ?, ?)'),
    };
    PREPARED.set(client, p);
  }
  return p;
}

export function replaceDeep(v: unknown, names: Map<string, string>): unknown {
  if (typeof v === 'string') return names.get(v) ?? v;
  if (Array.isArray(v)) return v.map((x) => replaceDeep(x, names));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [names.get(k) ?? k, replaceDeep(x, names)]));
  return v;
}

function replaceCsvCells(csv: string, names: Map<string, string>): string {
  return csv
    .split('\n')
    .map((line) =>
      line
        .split(',')
        .map((cell) => {
          const bare = cell.replace(/\r$/, '');
          const unq = bare.startsWith('"') && bare.endsWith('"') ? bare.slice(1, -1).replace(/""/g, '"') : bare;
          const to = names.get(unq);
          return to ? cell.replace(bare, to) : cell;
        })
        .join(','),
    )
    .join('\n');
}

const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');
