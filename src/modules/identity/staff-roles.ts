import { recordAudit } from '../../platform/audit/audit.js';
import { actorId, type AssemblyStaffRole, type Ctx } from '../../platform/context.js';
import { AppError, notFound } from '../../platform/errors.js';
import { assembliesRepo } from '../assemblies/repo.js';
import { identityRepo } from './repo.js';

/** Staff roles per assembly: an admin grants a facilitator, co-facilitator or researcher role on one assembly. */

export const ASSEMBLY_STAFF_ROLES = ['facilitator', 'co-facilitator', 'researcher'] as const satisfies readonly AssemblyStaffRole[];

function assembly(ctx: Ctx, assemblyId: string) {
  const a = assembliesRepo.byId(ctx.db, assemblyId);
  if (!a) throw notFound('Assembly', assemblyId);
  return a;
}

export function listStaffRoles(ctx: Ctx, assemblyId: string) {
  assembly(ctx, assemblyId);
  return identityRepo.staffRolesOf(ctx.db, assemblyId);
}

export function grantStaffRole(ctx: Ctx, assemblyId: string, userId: string, role: AssemblyStaffRole) {
  assembly(ctx, assemblyId);
  const u = identityRepo.userById(ctx.db, userId);
  if (!u || u.role === 'participant') throw notFound('Staff account', userId);
  if (u.role === 'admin') throw new AppError('CONFLICT', 'Administrators act on every assembly already.');
  return ctx.db.transaction((tx) => {
    identityRepo.setStaffRole(tx, { assemblyId, userId, role, grantedBy: actorId(ctx.actor) });
    recordAudit(tx, { actorId: actorId(ctx.actor), action: 'staff.grant', subject: `user:${userId}`, data: { assemblyId, role } });
    return { assemblyId, userId, role };
  });
}

export function revokeStaffRole(ctx: Ctx, assemblyId: string, userId: string) {
  assembly(ctx, assemblyId);
  ctx.db.transaction((tx) => {
    if (identityRepo.deleteStaffRole(tx, assemblyId, userId) !== 1) throw notFound('Staff role of', userId);
    recordAudit(tx, { actorId: actorId(ctx.actor), action: 'staff.revoke', subject: `user:${userId}`, data: { assemblyId } });
  });
}

/** The admin page's table: every staff account with its role on each assembly. */
export function staffOverview(ctx: Ctx) {
  const roles = identityRepo.allStaffRoles(ctx.db);
  return identityRepo.staffUsers(ctx.db).map((u) => ({ ...u, assemblies: roles.filter((r) => r.userId === u.id).map((r) => ({ assemblyId: r.assemblyId, title: r.title, role: r.role })) }));
}
