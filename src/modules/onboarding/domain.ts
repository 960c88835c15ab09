import { z } from 'zod';

/** The digital-skills checklist every member goes through before the first session. */
export const CHECKLIST = ['device', 'connection', 'audioVideo', 'practiceCall', 'basics'] as const;
export type ChecklistItem = (typeof CHECKLIST)[number];

export const ChecklistInput = z.strictObject(Object.fromEntries(CHECKLIST.map((k) => [k, z.boolean().optional()])) as Record<ChecklistItem, z.ZodOptional<z.ZodBoolean>>);

export function normaliseChecklist(c: Record<string, boolean> | null | undefined): Record<ChecklistItem, boolean> {
  return Object.fromEntries(CHECKLIST.map((k) => [k, c?.[k] === true])) as Record<ChecklistItem, boolean>;
}

export function missingItems(c: Record<string, boolean> | null | undefined): ChecklistItem[] {
  const n = normaliseChecklist(c);
  return CHECKLIST.filter((k) => !n[k]);
}

/** the name that replaces a member's pseudonym when they ask for their personal data to be deleted */
export const formerMemberName = (n: number) => `former member ${n}`;
export const FORMER_MEMBER_PREFIX = 'former member ';

export const DATE = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'Use YYYY-MM-DD.');
