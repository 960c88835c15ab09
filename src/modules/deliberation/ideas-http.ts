import { createRoute, z } from '@hono/zod-openapi';
import { ctxFor, type Deps } from '../../deps.js';
import { requireAction } from '../../platform/http/guard.js';
import { created, json, jsonBody, newRouter } from '../../platform/http/openapi.js';
import { IDEA_MAX } from './ideas-domain.js';
import * as ideas from './ideas.js';

const AG = z.object({ assemblyId: z.string(), groupId: z.string() });
const AGI = z.object({ assemblyId: z.string(), groupId: z.string(), ideaId: z.string() });
const A = z.object({ assemblyId: z.string() });

const Origin = z.object({ groupId: z.string(), groupName: z.string(), sessionId: z.string(), sessionTitle: z.string(), round: z.number() }).openapi('IdeaOrigin');
const GroupIdeas = z
  .object({
    group: z.object({ id: z.string(), name: z.string(), sessionId: z.string(), sessionTitle: z.string(), round: z.number() }),
    canMark: z.boolean(),
    canShare: z.boolean(),
    received: z.array(z.object({ id: z.string(), text: z.string(), language: z.string().nullable(), origin: Origin, discussed: z.boolean(), discussedAt: z.string().nullable() }).passthrough()),
  })
  .passthrough()
  .openapi('GroupIdeas');
const Shared = z.object({ reviewItemId: z.string(), status: z.string(), originGroupId: z.string(), originRound: z.number(), targetSessionId: z.string(), targetRound: z.number() }).openapi('SharedIdeaDraft');
const Flow = z
  .object({
    ideas: z.array(z.object({ id: z.string(), text: z.string(), origin: Origin, targetRound: z.number(), groups: z.array(z.object({ groupId: z.string(), groupName: z.string(), seen: z.boolean(), discussed: z.boolean() })) }).passthrough()),
    groups: z.array(z.object({ groupId: z.string(), groupName: z.string(), round: z.number(), received: z.number(), seen: z.number(), discussed: z.number(), lagging: z.boolean() }).passthrough()),
  })
  .openapi('IdeaFlow');

const ShareBody = z.strictObject({
  text: z.string().max(IDEA_MAX * 2).optional(),
  breakoutIdeaId: z.string().min(1).optional(),
  targetSessionId: z.string().min(1).optional(),
  language: z.string().min(2).max(8).nullable().optional(),
});

/** Ideas carried from group to group: share (→ review queue), a group's received ideas, mark discussed, the flow. */
export function ideaRoutes(deps: Deps) {
  const ctx = (c: { get(k: 'actor'): Parameters<typeof ctxFor>[1]; get(k: 'logger'): Parameters<typeof ctxFor>[2] }) => ctxFor(deps, c.get('actor'), c.get('logger'));
  return newRouter()
    .openapi(
      createRoute({
        method: 'post', path: '/assemblies/{assemblyId}/deliberation/groups/{groupId}/ideas', tags: ['deliberation'],
        summary: 'Share an idea of this group (typed `text`, or an approved extracted idea `breakoutIdeaId`) with the groups of a later round (default: the next one). It becomes a review draft; the groups see it once a facilitator approves it. Only the group’s facilitators may share.',
        middleware: [requireAction('breakouts.manage')] as const, request: { params: AG, ...jsonBody(ShareBody) }, responses: created(Shared),
      }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(ideas.shareIdea(ctx(c), deps.review, p.assemblyId, p.groupId, c.req.valid('json')), 201);
      },
    )
    .openapi(
      createRoute({
        method: 'get', path: '/assemblies/{assemblyId}/deliberation/groups/{groupId}/ideas', tags: ['participants'],
        summary: 'Approved ideas shared with this group from groups of earlier rounds, with their origin (group, round) and whether the group discussed them. For the group’s members and facilitators; opening it records that the group has seen them.',
        middleware: [requireAction('participant.read')] as const, request: { params: AG }, responses: json(GroupIdeas),
      }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(ideas.groupIdeas(ctx(c), deps.review, p.assemblyId, p.groupId), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'post', path: '/assemblies/{assemblyId}/deliberation/groups/{groupId}/ideas/{ideaId}/discussed', tags: ['deliberation'],
        summary: 'Mark a shared idea as discussed by this receiving group (its lead or co-facilitator; once: 409 when already marked)',
        middleware: [requireAction('breakouts.manage')] as const, request: { params: AGI }, responses: json(z.object({ ideaId: z.string(), groupId: z.string(), discussed: z.boolean(), discussedAt: z.string() })),
      }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(ideas.markDiscussed(ctx(c), p.assemblyId, p.groupId, p.ideaId), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'get', path: '/assemblies/{assemblyId}/deliberation/ideas/flow', tags: ['deliberation'],
        summary: 'The idea flow: per shared idea, which receiving groups have seen and discussed it; per group, ideas received, seen and discussed, with groups that discussed noticeably fewer than their round flagged',
        middleware: [requireAction('breakouts.manage')] as const, request: { params: A }, responses: json(Flow),
      }),
      (c) => c.json(ideas.ideaFlow(ctx(c), c.req.valid('param').assemblyId), 200),
    );
}
