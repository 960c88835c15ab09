import { recordAudit } from '../../platform/audit/audit.js';
import { actorId, staffAssemblyIds, type Ctx } from '../../platform/context.js';
import { conflict, notFound } from '../../platform/errors.js';
import { newId } from '../../platform/ids.js';
import { assembliesRepo } from './repo.js';

export function createAssembly(ctx: Ctx, input: { slug: string; title: string; question?: string; languages?: string[]; deleteAudioAfterApproval?: boolean }) {
  return ctx.db.transaction((tx) => {
    if (assembliesRepo.bySlug(tx, input.slug)) throw conflict(`An assembly with the address '${input.slug}' exists already.`);
    const a = assembliesRepo.insert(tx, { id: newId('as_'), slug: input.slug, title: input.title, question: input.question ?? '', languages: input.languages ?? ['fr', 'en'], deleteAudioAfterApproval: input.deleteAudioAfterApproval ?? false });
    recordAudit(tx, { actorId: actorId(ctx.actor), action: 'assembly.create', subject: `assembly:${a.id}`, data: { slug: a.slug } });
    return a;
  });
}

export function getAssembly(ctx: Ctx, id: string) {
  const a = assembliesRepo.byId(ctx.db, id);
  if (!a) throw notFound('Assembly', id);
  return { ...a, memberCount: assembliesRepo.memberCount(ctx.db, id) };
}

export function getPublicAssembly(ctx: Ctx, slug: string) {
  const a = assembliesRepo.bySlug(ctx.db, slug);
  if (!a) throw notFound('Assembly', slug);
  return { id: a.id, slug: a.slug, title: a.title, question: a.question, languages: a.languages, memberCount: assembliesRepo.memberCount(ctx.db, a.id) };
}

/** All assemblies for admins; for facilitators and researchers only those where they hold a role (issue 13). */
export function listAssemblies(ctx: Ctx) {
  const all = assembliesRepo.list(ctx.db);
  const scope = staffAssemblyIds(ctx.actor);
  return scope ? all.filter((a) => scope.includes(a.id)) : all;
}

export function listMembers(ctx: Ctx, id: string) {
  getAssembly(ctx, id);
  return assembliesRepo.members(ctx.db, id);
}
