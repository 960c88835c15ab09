import { createRoute, z } from '@hono/zod-openapi';
import { ctxFor, type Deps } from '../../deps.js';
import { requireAction } from '../../platform/http/guard.js';
import { created, json, jsonBody, newRouter } from '../../platform/http/openapi.js';
import * as cal from './calendar.js';
import { ATTENDANCE, EVENT_KINDS, PHASE_KINDS } from './schema.js';

const A = z.object({ assemblyId: z.string() });
const AE = z.object({ assemblyId: z.string(), eventId: z.string() });
const Phase = z.object({ id: z.string(), kind: z.enum(PHASE_KINDS), title: z.string(), startsOn: z.string(), endsOn: z.string() }).passthrough().openapi('Phase');
const Event = z
  .object({ id: z.string(), kind: z.enum(EVENT_KINDS), title: z.string(), startsAt: z.string(), endsAt: z.string(), timeZone: z.string(), language: z.string(), checkInOpen: z.boolean(), roomUrl: z.string().nullable() })
  .passthrough()
  .openapi('CalendarSession');
const Attendance = z.object({ event: Event, members: z.array(z.object({ memberId: z.string(), pseudonym: z.string(), status: z.enum(ATTENDANCE).nullable() }).passthrough()) }).openapi('SessionAttendance');

export function calendarRoutes(deps: Deps) {
  const manage = requireAction('assembly.manage');
  const ctx = (c: { get(k: 'actor'): Parameters<typeof ctxFor>[1]; get(k: 'logger'): Parameters<typeof ctxFor>[2] }) => ctxFor(deps, c.get('actor'), c.get('logger'));
  return newRouter()
    .openapi(
      createRoute({ method: 'get', path: '/assemblies/{assemblyId}/calendar/phases', tags: ['calendar'], summary: 'Phases of the assembly', middleware: [requireAction('participant.read')] as const, request: { params: A }, responses: json(z.array(Phase)) }),
      (c) => c.json(cal.listPhases(ctx(c), c.req.valid('param').assemblyId), 200),
    )
    .openapi(
      createRoute({
        method: 'post', path: '/assemblies/{assemblyId}/calendar/phases', tags: ['calendar'], summary: 'Add a phase (digital-skills training lasts at least two weeks)', middleware: [manage] as const,
        request: { params: A, ...jsonBody(z.strictObject({ kind: z.enum(PHASE_KINDS), title: z.string().trim().min(1).max(200), startsOn: z.string().max(10), endsOn: z.string().max(10) })) },
        responses: created(Phase),
      }),
      (c) => c.json(cal.createPhase(ctx(c), c.req.valid('param').assemblyId, c.req.valid('json')), 201),
    )
    .openapi(
      createRoute({ method: 'get', path: '/assemblies/{assemblyId}/calendar/sessions', tags: ['calendar'], summary: 'Every session on the calendar (facilitators)', middleware: [manage] as const, request: { params: A }, responses: json(z.array(Event)) }),
      (c) => c.json(cal.listEvents(ctx(c), c.req.valid('param').assemblyId), 200),
    )
    .openapi(
      createRoute({
        method: 'post', path: '/assemblies/{assemblyId}/calendar/sessions', tags: ['calendar'],
        summary: 'Add a session (times with an offset, stored in UTC; an IANA time zone for display). Without memberIds everyone is expected. A session that would put a member in two sessions at once is refused (409).',
        middleware: [manage] as const,
        request: {
          params: A,
          ...jsonBody(
            z.strictObject({
              kind: z.enum(EVENT_KINDS), title: z.string().trim().min(1).max(200), startsAt: z.string().max(40), endsAt: z.string().max(40), timeZone: z.string().min(1).max(64), language: z.string().regex(/^[a-z]{2,3}$/),
              phaseId: z.string().nullable().optional(), memberIds: z.array(z.string()).min(1).max(5000).optional(), breakoutSessionId: z.string().nullable().optional(),
            }),
          ),
        },
        responses: created(Event),
      }),
      (c) => c.json(cal.createEvent(ctx(c), c.req.valid('param').assemblyId, c.req.valid('json')), 201),
    )
    .openapi(
      createRoute({ method: 'get', path: '/assemblies/{assemblyId}/calendar/sessions/{eventId}/attendance', tags: ['calendar'], summary: 'Who is expected at a session and their attendance', middleware: [manage] as const, request: { params: AE }, responses: json(Attendance) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(cal.attendanceOfEvent(ctx(c), p.assemblyId, p.eventId), 200);
      },
    )
    .openapi(
      createRoute({
        method: 'put', path: '/assemblies/{assemblyId}/calendar/sessions/{eventId}/attendance', tags: ['calendar'], summary: 'Record attendance (present / excused / absent) for members expected at the session', middleware: [manage] as const,
        request: { params: AE, ...jsonBody(z.strictObject({ entries: z.array(z.strictObject({ memberId: z.string(), status: z.enum(ATTENDANCE) })).min(1).max(5000) })) },
        responses: json(Attendance),
      }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(cal.recordAttendance(ctx(c), p.assemblyId, p.eventId, c.req.valid('json').entries), 200);
      },
    )
    .openapi(
      createRoute({ method: 'get', path: '/assemblies/{assemblyId}/calendar/attendance', tags: ['calendar'], summary: 'Attendance rate per member (lowest first; below 75 % flagged for a call) and per breakout group', middleware: [manage] as const, request: { params: A }, responses: json(z.object({ members: z.array(z.object({ memberId: z.string(), rate: z.number().nullable(), needsCall: z.boolean() }).passthrough()), groups: z.array(z.object({ groupId: z.string() }).passthrough()) })) }),
      (c) => c.json(cal.attendanceReport(ctx(c), c.req.valid('param').assemblyId), 200),
    )
    .openapi(
      createRoute({ method: 'get', path: '/assemblies/{assemblyId}/calendar/mine', tags: ['participants'], summary: 'My sessions of the next 7 days, with the room link from 15 minutes before the start and my attendance', middleware: [requireAction('participant.read')] as const, request: { params: A }, responses: json(z.array(Event)) }),
      (c) => c.json(cal.myEvents(ctx(c), c.req.valid('param').assemblyId), 200),
    )
    .openapi(
      createRoute({ method: 'post', path: '/assemblies/{assemblyId}/calendar/sessions/{eventId}/check-in', tags: ['participants'], summary: 'Check in to one of my sessions (from 15 minutes before the start to its end); 403 for a session that is not mine', middleware: [requireAction('participant.write')] as const, request: { params: AE }, responses: json(z.object({ eventId: z.string(), status: z.literal('present') })) }),
      (c) => {
        const p = c.req.valid('param');
        return c.json(cal.checkIn(ctx(c), p.assemblyId, p.eventId), 200);
      },
    )
    .openapi(
      createRoute({ method: 'post', path: '/assemblies/{assemblyId}/calendar/feed', tags: ['participants'], summary: 'A new secret iCalendar URL for my sessions (earlier ones stop working); shown once', middleware: [requireAction('participant.write')] as const, request: { params: A }, responses: created(z.object({ path: z.string() })) }),
      (c) => c.json(cal.createFeed(ctx(c), c.req.valid('param').assemblyId), 201),
    )
    .openapi(
      createRoute({ method: 'delete', path: '/assemblies/{assemblyId}/calendar/feed', tags: ['participants'], summary: 'Revoke my iCalendar URL (it then answers 404)', middleware: [requireAction('participant.write')] as const, request: { params: A }, responses: json(z.object({ revoked: z.number() })) }),
      (c) => c.json(cal.revokeFeed(ctx(c), c.req.valid('param').assemblyId), 200),
    );
}
