/** @jsxImportSource hono/jsx */
import { diffArrays, diffWords } from 'diff';
import type { Child } from 'hono/jsx';
import type { DeskContext, DeskForm } from '../platform/review/registry.js';
import { AppError } from '../platform/errors.js';
import type { T } from './i18n.js';

/**
 * Shared pieces for the review desk (src/modules/review) and the kinds' desk renderers (src/modules/<m>/desk.tsx):
 * posted-form readers, a generic readable rendering of any payload (never JSON text), and the comparisons
 * (sentence by sentence, word by word) built on the `diff` package.
 */

/** the first value of a posted field ('' when absent) */
export const first = (f: DeskForm, name: string): string => f[name]?.[0] ?? '';
/** every value of a posted field (checkboxes, repeated fields) */
export const all = (f: DeskForm, name: string): string[] => f[name] ?? [];
/** the reviewer's own words when the desk re-shows a refused edit, else the draft's value */
export const keep = (ctx: DeskContext, name: string, fallback: string): string => (ctx.posted && name in ctx.posted ? first(ctx.posted, name) : fallback);

/** A refused edit: the desk re-shows the form with this sentence (in the reader's language) and writes nothing. */
export function refuse(message: string, field?: string): never {
  throw new AppError('VALIDATION', message, field ? { errors: [{ path: field, message }] } : {});
}

/** the i18n key of a field name, or the name made readable ("sourceIds" → "source ids") */
export function fieldLabel(t: T, key: string): string {
  const k = `review.desk.field.${key}`;
  const v = t(k);
  if (v !== k) return v;
  return key.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/[_-]+/g, ' ').toLowerCase();
}

/** A wide table's frame: scrolls on its own on a narrow screen (never the page), reachable by keyboard. */
export function Scroll({ label, children }: { label: string; children?: Child }) {
  return (
    <div class="desk-scroll" role="region" aria-label={label} tabindex={0}>
      {children}
    </div>
  );
}

const isPrimitive = (v: unknown) => v === null || v === undefined || ['string', 'number', 'boolean'].includes(typeof v);

function Scalar({ v, t }: { v: unknown; t: T }) {
  if (v === null || v === undefined || v === '') return <span class="cite">{t('review.desk.none')}</span>;
  if (typeof v === 'boolean') return <>{v ? t('review.desk.yes') : t('review.desk.no')}</>;
  if (typeof v === 'number') return <>{Number.isInteger(v) ? String(v) : v.toFixed(3)}</>;
  return <>{String(v)}</>;
}

const LIMIT = 200;

/**
 * Any value as headings, lists and tables: objects become definition lists, arrays of flat objects become tables,
 * arrays of plain values become lists. Used for kinds without a desk hook, for parameters and for source material.
 */
export function Readable({ value, t, depth = 0 }: { value: unknown; t: T; depth?: number }): Child {
  if (isPrimitive(value)) return <Scalar v={value} t={t} />;
  if (Array.isArray(value)) {
    if (value.length === 0) return <span class="cite">{t('review.desk.empty')}</span>;
    const shown = value.slice(0, LIMIT);
    const more = value.length > LIMIT ? <p class="cite">{t('review.desk.more', { n: value.length - LIMIT })}</p> : null;
    if (shown.every(isPrimitive))
      return (
        <>
          <ul class="desk-list">
            {shown.map((v) => (
              <li>
                <Scalar v={v} t={t} />
              </li>
            ))}
          </ul>
          {more}
        </>
      );
    const flat = shown.every((v) => v && typeof v === 'object' && !Array.isArray(v) && Object.values(v).every((x) => isPrimitive(x) || (Array.isArray(x) && x.every(isPrimitive))));
    if (flat) {
      const cols = [...new Set(shown.flatMap((v) => Object.keys(v as object)))].slice(0, 8);
      return (
        <Scroll label={t('review.desk.table')}>
          <table>
            <thead>
              <tr>
                {cols.map((k) => (
                  <th scope="col">{fieldLabel(t, k)}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {shown.map((row) => (
                <tr>
                  {cols.map((k) => {
                    const x = (row as Record<string, unknown>)[k];
                    return <td>{Array.isArray(x) ? x.map(String).join(', ') : <Scalar v={x} t={t} />}</td>;
                  })}
                </tr>
              ))}
            </tbody>
          </table>
          {more}
        </Scroll>
      );
    }
    return (
      <>
        <ol class="desk-list">
          {shown.map((v) => (
            <li>
              <Readable value={v} t={t} depth={depth + 1} />
            </li>
          ))}
        </ol>
        {more}
      </>
    );
  }
  const entries = Object.entries(value as Record<string, unknown>);
  if (entries.length === 0) return <span class="cite">{t('review.desk.empty')}</span>;
  if (depth > 4) return <span class="cite">{t('review.desk.nested', { n: entries.length })}</span>;
  return (
    <dl class="desk-dl">
      {entries.map(([k, v]) => (
        <>
          <dt>{fieldLabel(t, k)}</dt>
          <dd>
            <Readable value={v} t={t} depth={depth + 1} />
          </dd>
        </>
      ))}
    </dl>
  );
}

/** b compared with a, word by word: removed words struck through (<del>), added ones underlined (<ins>). */
export function WordDiff({ a, b }: { a: string; b: string }) {
  return (
    <>
      {diffWords(a, b).map((p) => (p.added ? <ins>{p.value}</ins> : p.removed ? <del>{p.value}</del> : <>{p.value}</>))}
    </>
  );
}

export type SentenceChange = { op: 'same' | 'changed' | 'added' | 'removed'; before: string | null; after: string | null };

/** Sentence-level changes between two versions: a removed run followed by an added run pairs up as "changed". */
export function sentenceChanges(before: string[], after: string[]): SentenceChange[] {
  const out: SentenceChange[] = [];
  const parts = diffArrays(before, after);
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i];
    if (!p.added && !p.removed) for (const s of p.value) out.push({ op: 'same', before: s, after: s });
    else if (p.removed && parts[i + 1]?.added) {
      const add = parts[i + 1].value;
      const n = Math.max(p.value.length, add.length);
      for (let k = 0; k < n; k++) {
        const a = p.value[k], b = add[k];
        out.push(a !== undefined && b !== undefined ? { op: 'changed', before: a, after: b } : a !== undefined ? { op: 'removed', before: a, after: null } : { op: 'added', before: null, after: b });
      }
      i++;
    } else if (p.removed) for (const s of p.value) out.push({ op: 'removed', before: s, after: null });
    else for (const s of p.value) out.push({ op: 'added', before: null, after: s });
  }
  return out;
}

/** The previous approved sentences beside the draft's, each row saying what happened to it. */
export function SentenceCompare({ t, before, after, caption }: { t: T; before: string[]; after: string[]; caption?: string }) {
  const rows = sentenceChanges(before, after);
  const counts = { added: 0, removed: 0, changed: 0, same: 0 };
  for (const r of rows) counts[r.op]++;
  return (
    <Scroll label={caption ?? t('review.desk.cmp.title')}>
      <p data-sentence-counts>{t('review.desk.cmp.sentences', counts)}</p>
      <table class="desk-compare">
        <caption class={caption ? undefined : 'visually-hidden'}>{caption ?? t('review.desk.cmp.title')}</caption>
        <thead>
          <tr>
            <th scope="col">{t('review.desk.cmp.change')}</th>
            <th scope="col">{t('review.desk.cmp.previous')}</th>
            <th scope="col">{t('review.desk.cmp.draft')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr data-change={r.op}>
              <td>
                <span class={`badge change-${r.op}`}>{t(`review.desk.cmp.${r.op}`)}</span>
              </td>
              <td>{r.op === 'added' ? null : r.op === 'removed' ? <del>{r.before}</del> : r.before}</td>
              <td>{r.op === 'removed' ? null : r.op === 'changed' ? <WordDiff a={r.before!} b={r.after!} /> : r.op === 'added' ? <ins>{r.after}</ins> : r.after}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </Scroll>
  );
}

/** Two renders side by side (one above the other on a phone). */
export function SideBySide({ t, previous, draft }: { t: T; previous: Child; draft: Child }) {
  return (
    <div class="desk-sides">
      <section class="card" aria-label={t('review.desk.cmp.previous')}>
        <h3>{t('review.desk.cmp.previous')}</h3>
        {previous}
      </section>
      <section class="card" aria-label={t('review.desk.cmp.draft')}>
        <h3>{t('review.desk.cmp.draft')}</h3>
        {draft}
      </section>
    </div>
  );
}

/** A table of named rows in two versions (groups of a map, clusters of a text map …) and what happened to each. */
export function RowCompare<R>({ t, caption, before, after, rowKey, cells, headers }: { t: T; caption: string; before: R[]; after: R[]; rowKey: (r: R) => string; cells: (r: R) => string[]; headers: string[] }) {
  const a = new Map(before.map((r) => [rowKey(r), r]));
  const b = new Map(after.map((r) => [rowKey(r), r]));
  const keys = [...new Set([...a.keys(), ...b.keys()])];
  return (
    <Scroll label={caption}>
      <table class="desk-compare">
        <caption>{caption}</caption>
        <thead>
          <tr>
            <th scope="col">{t('review.desk.cmp.change')}</th>
            {headers.map((h) => (
              <>
                <th scope="col">
                  {h} — {t('review.desk.cmp.previous')}
                </th>
                <th scope="col">
                  {h} — {t('review.desk.cmp.draft')}
                </th>
              </>
            ))}
          </tr>
        </thead>
        <tbody>
          {keys.map((k) => {
            const x = a.get(k), y = b.get(k);
            const cx = x ? cells(x) : headers.map(() => ''), cy = y ? cells(y) : headers.map(() => '');
            const op = !x ? 'added' : !y ? 'removed' : cx.some((v, i) => v !== cy[i]) ? 'changed' : 'same';
            return (
              <tr data-change={op} data-row={k}>
                <td>
                  <span class={`badge change-${op}`}>{t(`review.desk.cmp.${op}`)}</span>
                </td>
                {headers.map((_, i) => (
                  <>
                    <td>{x ? (op === 'removed' ? <del>{cx[i]}</del> : cx[i]) : null}</td>
                    <td>{y ? (op === 'changed' && cx[i] !== cy[i] ? <WordDiff a={cx[i]} b={cy[i]} /> : op === 'added' ? <ins>{cy[i]}</ins> : cy[i]) : null}</td>
                  </>
                ))}
              </tr>
            );
          })}
        </tbody>
      </table>
    </Scroll>
  );
}
