import { and, asc, desc, eq, gt } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { textParagraphs, texts, textSections } from './schema.js';

export type TextRow = typeof texts.$inferSelect;
export type ParagraphRow = typeof textParagraphs.$inferSelect;

export const textsRepo = {
  insert: (db: DbOrTx, v: typeof texts.$inferInsert) => db.insert(texts).values(v).returning().get(),
  byId: (db: DbOrTx, id: string) => db.select().from(texts).where(eq(texts.id, id)).get(),
  forAssembly: (db: DbOrTx, assemblyId: string) => db.select().from(texts).where(eq(texts.assemblyId, assemblyId)).orderBy(desc(texts.createdAt)).all(),
  insertSection: (db: DbOrTx, v: typeof textSections.$inferInsert) => db.insert(textSections).values(v).returning().get(),
  sections: (db: DbOrTx, textId: string) => db.select().from(textSections).where(eq(textSections.textId, textId)).orderBy(asc(textSections.position)).all(),
  insertParagraph: (db: DbOrTx, v: typeof textParagraphs.$inferInsert) => db.insert(textParagraphs).values(v).returning().get(),
  paragraph: (db: DbOrTx, id: number) => db.select().from(textParagraphs).where(eq(textParagraphs.id, id)).get(),
  paragraphs: (db: DbOrTx, textId: string) => db.select().from(textParagraphs).where(eq(textParagraphs.textId, textId)).orderBy(asc(textParagraphs.sectionId), asc(textParagraphs.position)).all(),
  next: (db: DbOrTx, p: ParagraphRow) => db.select().from(textParagraphs).where(and(eq(textParagraphs.sectionId, p.sectionId), gt(textParagraphs.position, p.position))).orderBy(asc(textParagraphs.position)).limit(1).get(),
  updateParagraph: (db: DbOrTx, id: number, v: Partial<typeof textParagraphs.$inferInsert>) => db.update(textParagraphs).set(v).where(eq(textParagraphs.id, id)).returning().get(),
};
