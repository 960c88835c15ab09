import type { Ctx } from '../../platform/context.js';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { statusAt, type BallotResult } from '../ballots/domain.js';
import { ballotsRepo } from '../ballots/repo.js';
import { getBallot } from '../ballots/service.js';
import { debatesRepo } from '../debates/repo.js';
import { attendanceReport, expected } from '../deliberation/calendar.js';
import { calendarRepo } from '../deliberation/calendar-repo.js';
import { impactRepo } from '../impact/repo.js';
import { MIN_GROUP, type Answer } from '../surveys/domain.js';
import { surveysRepo } from '../surveys/repo.js';
import type { Row, TableDef } from './csv.js';
import { writeCsv } from './csv.js';
import { opendataRepo } from './repo.js';
import { isAggregate, MORE_TABLES as T } from './tables-after.js';

type TableSink = (def: TableDef, rows: Row[] | string) => void;
type Doc = (name: string, path: string, title: string, description: string, value: unknown) => void;
interface Ids {
  of(kind: 'user', internal: string): string;
}

const cmp = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);
const json = (v: unknown) => JSON.stringify(v);

/**
 * The calendar, attendance (aggregates), ballots, surveys (aggregates), debates and impact tracking, read through
 * their modules' repos. In an imported archive the aggregate tables are written back as the package published them.
 */
export function collectMore(ctx: Ctx, tx: DbOrTx, assemblyId: string, ids: Ids, table: TableSink, doc: Doc, archived: boolean) {
  const sink: TableSink = (def, rows) => {
    if (archived && isAggregate(def)) return table(def, opendataRepo.archiveTable(tx, assemblyId, def.path) ?? writeCsv(def, []));
    table(def, rows);
  };
  const c = { ...ctx, db: tx as Db };
  collectCalendar(c, assemblyId, sink, archived);
  collectBallots(c, assemblyId, sink, doc);
  collectSurveys(c, assemblyId, sink, archived);
  collectDebates(c, assemblyId, ids, sink, archived);
  collectImpact(c, assemblyId, sink);
}

function collectCalendar(ctx: Ctx, assemblyId: string, table: TableSink, archived: boolean) {
  table(T.phases, [...calendarRepo.phases(ctx.db, assemblyId)].sort((a, b) => cmp(a.id, b.id)).map((p) => ({ phase_id: p.id, kind: p.kind, title: p.title, starts_on: p.startsOn, ends_on: p.endsOn, created_at: p.createdAt })));
  const events = [...calendarRepo.events(ctx.db, assemblyId)].sort((a, b) => cmp(a.id, b.id));
  table(T.sessions, events.map((e) => ({ session_id: e.id, phase_id: e.phaseId, kind: e.kind, title: e.title, starts_at: e.startsAt, ends_at: e.endsAt, time_zone: e.timeZone, language: e.language, audience: e.audience, created_at: e.createdAt })));
  if (archived) {
    // kept as the package published them (see the sink)
    table(T.attendance, []);
    table(T.groupAttendance, []);
    return;
  }
  const now = ctx.clock().toISOString();
  const held = events.filter((e) => e.startsAt <= now);
  const exp = expected(ctx.db, assemblyId, held);
  const recorded = new Map(calendarRepo.attendance(ctx.db, held.map((e) => e.id)).map((a) => [`${a.eventId}\0${a.userId}`, a.status]));
  table(T.attendance, held.map((e) => {
    const tally = { present: 0, excused: 0, absent: 0, unrecorded: 0 };
    for (const u of exp.get(e.id)!) tally[(recorded.get(`${e.id}\0${u}`) as 'present' | 'excused' | 'absent' | undefined) ?? 'unrecorded']++;
    const n = exp.get(e.id)!.size;
    return { session_id: e.id, expected: n, ...tally, rate: n ? tally.present / n : null };
  }));
  const groups = attendanceReport(ctx, assemblyId).groups.map((g) => ({ session_id: g.eventId, group_id: g.groupId, group_name: g.groupName, members: g.members, present: g.present, rate: g.rate }));
  table(T.groupAttendance, groups.sort((a, b) => cmp(a.session_id, b.session_id) || cmp(a.group_id, b.group_id)));
}

function collectBallots(ctx: Ctx, assemblyId: string, table: TableSink, doc: Doc) {
  const rows: Row[] = [], options: Row[] = [], receipts: Row[] = [];
  for (const b0 of [...ballotsRepo.list(ctx.db, assemblyId)].sort((a, b) => cmp(a.id, b.id))) {
    const closed = statusAt(b0, ctx.clock()) === 'closed';
    // reading a closed ballot through its module announces (counts and stores) its result if nobody has yet
    const result = closed ? ((getBallot(ctx, assemblyId, b0.id).result as BallotResult | null) ?? null) : null;
    const b = ballotsRepo.get(ctx.db, assemblyId, b0.id)!;
    const resultPath = result ? `ballots/results/${b.id}.json` : null;
    if (result) doc(`ballot-result-${b.id.toLowerCase()}`, resultPath!, `Result: ${b.title}`, 'The announced result of the ballot, as counted at close (method-specific detail included).', result);
    rows.push({
      ballot_id: b.id, title: b.title, description: b.description, method: b.method, grades: b.grades ? b.grades.join('|') : null, threshold: b.threshold, threshold_base: b.thresholdBase,
      quorum: b.quorum, opens_at: b.opensAt, closes_at: b.closesAt, closed_at: b.closedAt, eligible: result?.eligible ?? null, voters: result?.voters ?? null, turnout: result?.turnout ?? null,
      quorum_met: result?.quorumMet ?? null, winners: result ? result.winners.join('|') : null, result_path: resultPath,
    });
    b.options.forEach((o, k) => options.push({ ballot_id: b.id, position: k + 1, option_id: o.id, label: o.label }));
    // the public list exists once the ballot is closed: receipt → choice, never the roll
    if (closed) for (const v of ballotsRepo.votes(ctx.db, b.id)) receipts.push({ ballot_id: b.id, receipt: v.receipt, choice: json(v.choice) });
  }
  table(T.ballots, rows);
  table(T.ballotOptions, options);
  table(T.receipts, receipts);
}

function collectSurveys(ctx: Ctx, assemblyId: string, table: TableSink, archived: boolean) {
  const list = [...surveysRepo.list(ctx.db, assemblyId)].sort((a, b) => cmp(a.id, b.id));
  table(T.surveys, list.map((s) => ({ survey_id: s.id, title: s.title, phase: s.phase, closed_at: s.closedAt, created_at: s.createdAt })));
  table(T.surveyQuestions, list.flatMap((s) => s.questions.map((q, k) => ({ survey_id: s.id, key: q.key, position: k + 1, kind: q.kind, label: q.label, choices: q.choices?.length ? q.choices.join('|') : null, min: q.min ?? null, max: q.max ?? null }))));
  if (archived) {
    table(T.surveyResults, []);
    return;
  }
  const results: Row[] = [];
  for (const s of list) {
    const answers = surveysRepo.responses(ctx.db, s.id).map((r) => r.answers as Record<string, Answer>);
    for (const q of s.questions) {
      const given = answers.map((a) => a[q.key]).filter((a) => a !== undefined && a !== null && a !== '');
      results.push({ survey_id: s.id, key: q.key, answer: '(respondents)', count: given.length });
      // too few answers to publish their spread (the surveys module's MIN_GROUP), and free text never
      if (given.length < MIN_GROUP || q.kind === 'text') continue;
      const counts = new Map<string, number>();
      for (const a of given) for (const v of Array.isArray(a) ? a : [a]) counts.set(String(v), (counts.get(String(v)) ?? 0) + 1);
      for (const [answer, count] of counts) results.push({ survey_id: s.id, key: q.key, answer, count });
    }
  }
  table(T.surveyResults, results.sort((a, b) => cmp(String(a.survey_id), String(b.survey_id)) || cmp(String(a.key), String(b.key)) || cmp(String(a.answer), String(b.answer))));
}

function collectDebates(ctx: Ctx, assemblyId: string, ids: Ids, table: TableSink, archived: boolean) {
  const list = [...debatesRepo.forAssembly(ctx.db, assemblyId)].sort((a, b) => cmp(a.id, b.id));
  table(T.debates, list.map((d) => ({ debate_id: d.id, title: d.title, description: d.description, status: d.status, decision_reason: d.decisionReason, attached_to: d.attachedTo, created_at: d.createdAt })));
  const comments: Row[] = [];
  for (const d of list)
    for (const c of debatesRepo.allComments(ctx.db, d.id)) {
      // an archive has no accounts: its authors are their random ids, kept where the name was
      const author = c.authorId ? ids.of('user', c.authorId) : archived && /^p[0-9a-f]{12}$/.test(c.authorName) ? c.authorName : null;
      comments.push({ comment_id: c.id, debate_id: d.id, parent_id: c.parentId, root_id: c.rootId, depth: c.depth, author_id: author, alignment: c.alignment, body: c.status === 'visible' ? c.body : null, status: c.status, created_at: c.createdAt });
    }
  table(T.comments, comments.sort((a, b) => Number(a.comment_id) - Number(b.comment_id)));
}

function collectImpact(ctx: Ctx, assemblyId: string, table: TableSink) {
  table(T.impact, impactRepo.records(ctx.db, assemblyId).map((r) => ({
    recommendation_id: r.recommendationId, status: r.status, progress: r.progress, theme: r.theme || null, response_text: r.responseText, response_date: r.responseDate, response_url: r.responseUrl, updated_at: r.updatedAt,
  })));
  const entries = [...impactRepo.entries(ctx.db, assemblyId)].sort((a, b) => cmp(a.id, b.id));
  table(T.impactEntries, entries.map((e) => ({ entry_id: e.id, recommendation_id: e.recommendationId, kind: e.kind, date: e.date, text: e.text, status: e.status, progress: e.progress, created_at: e.createdAt })));
  table(T.impactSources, entries.flatMap((e) => e.sources.map((x, k) => ({ entry_id: e.id, seq: k + 1, url: x.url, title: x.title }))));
}
