import { diffWords } from 'diff';
import { and, desc, eq } from 'drizzle-orm';
import type { DbOrTx, Tx } from '../db/client.js';
import { AppError, notFound } from '../errors.js';
import { versions } from './schema.js';

export type VersionRow = typeof versions.$inferSelect;
export interface DiffPart {
  /** 'same' | 'added' | 'removed' */
  op: 'same' | 'added' | 'removed';
  text: string;
}

/** A word-level diff (the `diff` package's diffWords) as plain parts, for rendering with <ins>/<del>. */
export function textDiff(before: string, after: string): DiffPart[] {
  return diffWords(before, after).map((p) => ({ op: p.added ? 'added' : p.removed ? 'removed' : 'same', text: p.value }));
}

/**
 * Versioning, written once and opted into by modules (recommendations, texts). record() appends a version when
 * something changed; expectVersion gives optimistic concurrency (two editors of the same version: the second is
 * refused, nothing is lost).
 */
export const versioning = {
  latest: (db: DbOrTx, subject: string) => db.select().from(versions).where(eq(versions.subject, subject)).orderBy(desc(versions.version)).limit(1).get(),

  get(db: DbOrTx, subject: string, version: number): VersionRow {
    const v = db.select().from(versions).where(and(eq(versions.subject, subject), eq(versions.version, version))).get();
    if (!v) throw notFound('Version', version);
    return v;
  },

  history: (db: DbOrTx, subject: string) => db.select().from(versions).where(eq(versions.subject, subject)).orderBy(desc(versions.version)).all(),

  /**
   * Appends a version with these fields (merged over the latest); returns it, or the latest unchanged when no field
   * changed. `expectVersion`: the version the editor started from; another version since → CONFLICT.
   */
  record(tx: Tx, input: { subject: string; fields: Record<string, string>; authorId: string | null; authorName: string; note?: string; expectVersion?: number }): { row: VersionRow; created: boolean } {
    const prev = versioning.latest(tx, input.subject);
    if (input.expectVersion !== undefined && (prev?.version ?? 0) !== input.expectVersion) {
      throw new AppError('CONFLICT', `This was changed by ${prev?.authorName ?? 'someone'} since you opened it (version ${prev?.version ?? 0}, you started from ${input.expectVersion}). Reload it, and apply your change again.`, { currentVersion: prev?.version ?? 0 });
    }
    const fields = { ...(prev?.fields ?? {}), ...input.fields };
    const changed = Object.keys(fields).filter((k) => (prev?.fields ?? {})[k] !== fields[k]);
    if (prev && changed.length === 0) return { row: prev, created: false };
    const row = tx
      .insert(versions)
      .values({ subject: input.subject, version: (prev?.version ?? 0) + 1, fields, changed, authorId: input.authorId, authorName: input.authorName, note: input.note ?? null })
      .returning()
      .get();
    return { row, created: true };
  },

  /** Per-field word diffs between two versions of a subject (only the fields that differ). */
  diff(db: DbOrTx, subject: string, from: number, to: number): Record<string, DiffPart[]> {
    const a = from === 0 ? { fields: {} as Record<string, string> } : versioning.get(db, subject, from);
    const b = versioning.get(db, subject, to);
    const out: Record<string, DiffPart[]> = {};
    for (const k of new Set([...Object.keys(a.fields), ...Object.keys(b.fields)])) {
      const x = a.fields[k] ?? '';
      const y = b.fields[k] ?? '';
      if (x !== y) out[k] = textDiff(x, y);
    }
    return out;
  },
};
