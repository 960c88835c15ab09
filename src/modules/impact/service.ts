import { randomUUID } from 'node:crypto';
import { recordAudit } from '../../platform/audit/audit.js';
import { actorId, type Ctx } from '../../platform/context.js';
import type { DbOrTx } from '../../platform/db/client.js';
import { assembliesRepo } from '../assemblies/repo.js';
import { recommendationsRepo, type RecommendationRow } from '../recommendations/repo.js';
import { checkPastDate, checkProgress, checkText, checkUrl, parseSources, parseStatus, problem, THEME_MAX, type ImpactStatus } from './domain.js';
import { impactRepo, type ImpactEntryRow, type ImpactRecordRow } from './repo.js';

/** Recommendations whose impact is tracked: the assembly's final texts (put to the vote or not). Drafts stay private. */
const TRACKED: RecommendationRow['status'][] = ['final', 'put_to_vote'];
const subject = (recommendationId: string) => `impact:${recommendationId}`;

export interface ImpactItem {
  recommendationId: string;
  title: string;
  proposal: string;
  theme: string;
  status: ImpactStatus;
  progress: number;
  response: { text: string; date: string; url: string | null } | null;
  updatedAt: string | null;
  entries: number;
  lastEntry: Pick<ImpactEntryRow, 'date' | 'text'> | null;
}

export interface EntryView {
  id: string;
  recommendationId: string;
  kind: ImpactEntryRow['kind'];
  date: string;
  text: string;
  status: ImpactStatus | null;
  progress: number | null;
  sources: { url: string; title: string }[];
  createdAt: string;
}
const entryView = ({ createdBy: _c, assemblyId: _a, ...e }: ImpactEntryRow): EntryView => e;

function trackedRecommendation(db: DbOrTx, assemblyId: string, recommendationId: string): RecommendationRow {
  const r = recommendationsRepo.byId(db, recommendationId);
  if (!r || r.assemblyId !== assemblyId) throw problem('NOT_FOUND', `Recommendation '${recommendationId}' does not exist in this assembly.`, 'impact.err.recommendationDoesNotExist', { a0: recommendationId, b0: recommendationId });
  if (!TRACKED.includes(r.status))
    throw problem('CONFLICT', `Only final recommendations have their impact tracked; this one is still ${r.status.replace(/_/g, ' ')}.`, 'impact.err.onlyFinalRecommendationsHave', { a0: r.status.replace(/_/g, ' ') });
  return r;
}

const blank = (recommendationId: string, assemblyId: string): ImpactRecordRow => ({ recommendationId, assemblyId, status: 'not_started', progress: 0, theme: '', responseText: null, responseDate: null, responseUrl: null, updatedBy: null, updatedAt: '' });

function itemOf(r: RecommendationRow, rec: ImpactRecordRow | undefined, timeline: ImpactEntryRow[]): ImpactItem {
  const x = rec ?? blank(r.id, r.assemblyId);
  const last = timeline[0];
  return {
    recommendationId: r.id, title: r.title, proposal: r.proposal, theme: x.theme, status: x.status, progress: x.progress,
    response: x.responseText && x.responseDate ? { text: x.responseText, date: x.responseDate, url: x.responseUrl } : null,
    updatedAt: rec?.updatedAt ?? null, entries: timeline.length, lastEntry: last ? { date: last.date, text: last.text } : null,
  };
}

/** Every tracked recommendation of an assembly with its status, progress, response and latest entry (title order). */
export function listImpact(ctx: Pick<Ctx, 'db'>, assemblyId: string): ImpactItem[] {
  const records = new Map(impactRepo.records(ctx.db, assemblyId).map((r) => [r.recommendationId, r]));
  const byRec = new Map<string, ImpactEntryRow[]>();
  for (const e of impactRepo.entries(ctx.db, assemblyId)) (byRec.get(e.recommendationId) ?? byRec.set(e.recommendationId, []).get(e.recommendationId)!).push(e);
  for (const list of byRec.values()) list.sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : a.createdAt < b.createdAt ? 1 : -1));
  return recommendationsRepo
    .forAssembly(ctx.db, assemblyId)
    .filter((r) => TRACKED.includes(r.status))
    .map((r) => itemOf(r, records.get(r.id), byRec.get(r.id) ?? []))
    .sort((a, b) => a.title.localeCompare(b.title) || (a.recommendationId < b.recommendationId ? -1 : 1));
}

export function impactOf(ctx: Pick<Ctx, 'db'>, assemblyId: string, recommendationId: string): { item: ImpactItem; timeline: EntryView[] } {
  const r = trackedRecommendation(ctx.db, assemblyId, recommendationId);
  const timeline = impactRepo.timeline(ctx.db, assemblyId, recommendationId);
  return { item: itemOf(r, impactRepo.record(ctx.db, recommendationId), timeline), timeline: timeline.map(entryView) };
}

function current(tx: DbOrTx, assemblyId: string, recommendationId: string) {
  return impactRepo.record(tx, recommendationId) ?? blank(recommendationId, assemblyId);
}

/** Records (or replaces) the decision-maker's response; the change is also a timeline entry, so the feed shows it. */
export function setResponse(ctx: Ctx, assemblyId: string, recommendationId: string, input: { text?: unknown; date?: unknown; url?: unknown }) {
  trackedRecommendation(ctx.db, assemblyId, recommendationId);
  const text = checkText(input.text, 'responseText');
  const date = checkPastDate(input.date, 'date', ctx.clock());
  const url = input.url === undefined || input.url === null || input.url === '' ? null : checkUrl(input.url, 'url');
  const at = ctx.clock().toISOString();
  return ctx.db.transaction((tx) => {
    const before = current(tx, assemblyId, recommendationId);
    impactRepo.upsertRecord(tx, { ...before, responseText: text, responseDate: date, responseUrl: url, updatedBy: actorId(ctx.actor), updatedAt: at });
    const e = impactRepo.insertEntry(tx, { id: randomUUID(), assemblyId, recommendationId, kind: 'response', date, text, status: null, progress: null, sources: url ? [{ url, title: url }] : [], createdBy: actorId(ctx.actor), createdAt: at });
    recordAudit(tx, { actorId: actorId(ctx.actor), action: 'impact.response', subject: subject(recommendationId), at, data: { assemblyId, entryId: e.id, date, url, replaced: before.responseText !== null } });
    return entryView(e);
  });
}

/** A dated timeline entry with its sources, optionally moving the status and progress (checked together). */
export function addEntry(ctx: Ctx, assemblyId: string, recommendationId: string, input: { date?: unknown; text?: unknown; sources?: string | string[]; status?: unknown; progress?: unknown }) {
  trackedRecommendation(ctx.db, assemblyId, recommendationId);
  const date = checkPastDate(input.date, 'date', ctx.clock());
  const text = checkText(input.text, 'text');
  const sources = parseSources(input.sources ?? []);
  const status = input.status === undefined || input.status === null || input.status === '' ? null : parseStatus(input.status);
  const rawProgress = input.progress === undefined || input.progress === null || input.progress === '' ? undefined : Number(input.progress);
  if (rawProgress !== undefined && !Number.isFinite(rawProgress))
    throw problem('VALIDATION', `Progress is a whole percentage between 0 and 100; '${String(input.progress)}' is not.`, 'impact.err.progressIsAWhole2', { a0: String(input.progress), b0: String(input.progress) }, [{ path: 'progress', message: '0–100' }]);
  const at = ctx.clock().toISOString();
  return ctx.db.transaction((tx) => {
    const before = current(tx, assemblyId, recommendationId);
    const nextStatus = status ?? before.status;
    const changes = status !== null || rawProgress !== undefined;
    const progress = changes ? checkProgress(nextStatus, rawProgress, before.progress) : before.progress;
    if (changes) impactRepo.upsertRecord(tx, { ...before, status: nextStatus, progress, updatedBy: actorId(ctx.actor), updatedAt: at });
    const e = impactRepo.insertEntry(tx, { id: randomUUID(), assemblyId, recommendationId, kind: 'update', date, text, status: changes ? nextStatus : null, progress: changes ? progress : null, sources, createdBy: actorId(ctx.actor), createdAt: at });
    recordAudit(tx, { actorId: actorId(ctx.actor), action: 'impact.entry', subject: subject(recommendationId), at, data: { assemblyId, entryId: e.id, date, from: { status: before.status, progress: before.progress }, to: { status: nextStatus, progress }, sources: sources.length } });
    return entryView(e);
  });
}

/** The theme the public page groups and filters by ('' clears it). */
export function setTheme(ctx: Ctx, assemblyId: string, recommendationId: string, theme: unknown) {
  trackedRecommendation(ctx.db, assemblyId, recommendationId);
  const v = checkText(typeof theme === 'string' ? theme.replace(/\s+/g, ' ') : theme, 'theme', THEME_MAX, 0);
  const at = ctx.clock().toISOString();
  return ctx.db.transaction((tx) => {
    const before = current(tx, assemblyId, recommendationId);
    if (before.theme === v) return { theme: v };
    impactRepo.upsertRecord(tx, { ...before, theme: v, updatedBy: actorId(ctx.actor), updatedAt: at });
    recordAudit(tx, { actorId: actorId(ctx.actor), action: 'impact.theme', subject: subject(recommendationId), at, data: { assemblyId, from: before.theme, to: v } });
    return { theme: v };
  });
}

/** The public view of an assembly (by slug): no sign-in, filters by status and theme. */
export function publicImpact(ctx: Pick<Ctx, 'db'>, slug: string, filters: { status?: string; theme?: string } = {}) {
  const a = assembliesRepo.bySlug(ctx.db, slug);
  if (!a) throw problem('NOT_FOUND', `There is no assembly at '${slug}'.`, 'impact.err.thereIsNoAssembly', { a0: slug, b0: slug });
  const status = filters.status ? parseStatus(filters.status) : null;
  const theme = filters.theme?.trim() || null;
  const all = listImpact(ctx, a.id);
  const items = all.filter((x) => (!status || x.status === status) && (!theme || x.theme === theme));
  const themes = [...new Set(all.map((x) => x.theme).filter(Boolean))].sort((x, y) => x.localeCompare(y));
  return { assembly: { id: a.id, slug: a.slug, title: a.title, createdAt: a.createdAt }, filters: { status, theme }, themes, items, total: all.length };
}

/** Feed material: every entry of an assembly, newest first, with its recommendation's title. */
export function feedEntries(ctx: Pick<Ctx, 'db'>, assemblyId: string, limit = 100) {
  const titles = new Map(recommendationsRepo.forAssembly(ctx.db, assemblyId).filter((r) => TRACKED.includes(r.status)).map((r) => [r.id, r.title]));
  return impactRepo.entries(ctx.db, assemblyId).filter((e) => titles.has(e.recommendationId)).slice(0, limit).map((e) => ({ ...entryView(e), title: titles.get(e.recommendationId)! }));
}
