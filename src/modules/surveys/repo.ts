import { and, asc, count, eq } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { surveyResponses, surveys } from './schema.js';

export type SurveyRow = typeof surveys.$inferSelect;

export const surveysRepo = {
  insert: (db: DbOrTx, v: typeof surveys.$inferInsert) => db.insert(surveys).values(v).returning().get(),
  get: (db: DbOrTx, assemblyId: string, id: string) => db.select().from(surveys).where(and(eq(surveys.assemblyId, assemblyId), eq(surveys.id, id))).get(),
  list: (db: DbOrTx, assemblyId: string) => db.select().from(surveys).where(eq(surveys.assemblyId, assemblyId)).orderBy(asc(surveys.createdAt), asc(surveys.id)).all(),
  update: (db: DbOrTx, id: string, v: Partial<typeof surveys.$inferInsert>) => db.update(surveys).set(v).where(eq(surveys.id, id)).returning().get(),
  responseCount: (db: DbOrTx, surveyId: string) => db.select({ n: count() }).from(surveyResponses).where(eq(surveyResponses.surveyId, surveyId)).get()?.n ?? 0,
  answered: (db: DbOrTx, surveyId: string, userId: string) => !!db.select({ u: surveyResponses.userId }).from(surveyResponses).where(and(eq(surveyResponses.surveyId, surveyId), eq(surveyResponses.userId, userId))).get(),
  insertResponse: (db: DbOrTx, surveyId: string, userId: string, answers: Record<string, unknown>) => db.insert(surveyResponses).values({ surveyId, userId, answers }).run(),
  responses: (db: DbOrTx, surveyId: string) => db.select({ userId: surveyResponses.userId, answers: surveyResponses.answers, createdAt: surveyResponses.createdAt }).from(surveyResponses).where(eq(surveyResponses.surveyId, surveyId)).all(),
};
