/** Queries over the learning and Q&A tables. */
import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { DbOrTx } from '../../platform/db/client.js';
import { breakoutGroupMembers, breakoutGroups, breakoutSessions } from '../breakouts/schema.js';
import { deliberationMaterialProgress, deliberationMaterials, deliberationQuestions, deliberationQuestionSupports, deliberationSubmissions, deliberationTasks } from './schema.js';

export const learningRepo = {
  insertMaterial: (db: DbOrTx, v: typeof deliberationMaterials.$inferInsert) => db.insert(deliberationMaterials).values(v).returning().get(),
  materials: (db: DbOrTx, assemblyId: string) => db.select().from(deliberationMaterials).where(eq(deliberationMaterials.assemblyId, assemblyId)).orderBy(asc(deliberationMaterials.createdAt)).all(),
  material: (db: DbOrTx, id: string) => db.select().from(deliberationMaterials).where(eq(deliberationMaterials.id, id)).get(),
  progress: (db: DbOrTx, materialIds: string[]) => (materialIds.length ? db.select().from(deliberationMaterialProgress).where(inArray(deliberationMaterialProgress.materialId, materialIds)).all() : []),
  progressOf: (db: DbOrTx, materialId: string, userId: string) =>
    db.select().from(deliberationMaterialProgress).where(and(eq(deliberationMaterialProgress.materialId, materialId), eq(deliberationMaterialProgress.userId, userId))).get(),
  upsertProgress: (db: DbOrTx, v: typeof deliberationMaterialProgress.$inferInsert) =>
    db.insert(deliberationMaterialProgress).values(v).onConflictDoUpdate({ target: [deliberationMaterialProgress.materialId, deliberationMaterialProgress.userId], set: { finishedAt: v.finishedAt } }).run(),

  insertTask: (db: DbOrTx, v: typeof deliberationTasks.$inferInsert) => db.insert(deliberationTasks).values(v).returning().get(),
  tasks: (db: DbOrTx, assemblyId: string) => db.select().from(deliberationTasks).where(eq(deliberationTasks.assemblyId, assemblyId)).orderBy(asc(deliberationTasks.createdAt)).all(),
  task: (db: DbOrTx, id: string) => db.select().from(deliberationTasks).where(eq(deliberationTasks.id, id)).get(),
  insertSubmission: (db: DbOrTx, v: typeof deliberationSubmissions.$inferInsert) => db.insert(deliberationSubmissions).values(v).returning().get(),
  submissions: (db: DbOrTx, taskIds: string[]) => (taskIds.length ? db.select().from(deliberationSubmissions).where(inArray(deliberationSubmissions.taskId, taskIds)).orderBy(asc(deliberationSubmissions.createdAt)).all() : []),
  submission: (db: DbOrTx, id: string) => db.select().from(deliberationSubmissions).where(eq(deliberationSubmissions.id, id)).get(),
  submissionOf: (db: DbOrTx, taskId: string, userId: string) => db.select().from(deliberationSubmissions).where(and(eq(deliberationSubmissions.taskId, taskId), eq(deliberationSubmissions.userId, userId))).get(),
  shareSubmission: (db: DbOrTx, id: string, by: string | null, at: string | null) => db.update(deliberationSubmissions).set({ sharedAt: at, sharedBy: by }).where(eq(deliberationSubmissions.id, id)).run(),

  insertQuestion: (db: DbOrTx, v: typeof deliberationQuestions.$inferInsert) => db.insert(deliberationQuestions).values(v).returning().get(),
  questions: (db: DbOrTx, assemblyId: string) => db.select().from(deliberationQuestions).where(eq(deliberationQuestions.assemblyId, assemblyId)).orderBy(desc(deliberationQuestions.createdAt)).all(),
  question: (db: DbOrTx, id: string) => db.select().from(deliberationQuestions).where(eq(deliberationQuestions.id, id)).get(),
  updateQuestion: (db: DbOrTx, id: string, v: Partial<typeof deliberationQuestions.$inferInsert>) => db.update(deliberationQuestions).set(v).where(eq(deliberationQuestions.id, id)).run(),
  supports: (db: DbOrTx, questionIds: string[]) => (questionIds.length ? db.select().from(deliberationQuestionSupports).where(inArray(deliberationQuestionSupports.questionId, questionIds)).all() : []),
  /** inserts a support; false when this member already supports the question */
  addSupport: (db: DbOrTx, questionId: string, userId: string) => db.insert(deliberationQuestionSupports).values({ questionId, userId }).onConflictDoNothing().run().changes === 1,

  /** each member's group in the latest breakout session that has groups (member → group name) */
  latestGroups(db: DbOrTx, assemblyId: string): Map<string, string> {
    const latest = db
      .select({ id: breakoutSessions.id })
      .from(breakoutSessions)
      .innerJoin(breakoutGroups, eq(breakoutGroups.sessionId, breakoutSessions.id))
      .where(eq(breakoutSessions.assemblyId, assemblyId))
      .orderBy(desc(breakoutSessions.createdAt))
      .limit(1)
      .get();
    if (!latest) return new Map();
    const rows = db
      .select({ userId: breakoutGroupMembers.userId, name: breakoutGroups.name })
      .from(breakoutGroupMembers)
      .innerJoin(breakoutGroups, eq(breakoutGroups.id, breakoutGroupMembers.groupId))
      .where(eq(breakoutGroupMembers.sessionId, latest.id))
      .all();
    return new Map(rows.map((r) => [r.userId, r.name]));
  },
};
