import type { Tx } from '../../platform/db/client.js';
import { packRanking, type BallotDef, type BallotResult } from '../ballots/domain.js';
import { ballotsRepo } from '../ballots/repo.js';
import { defOf } from '../ballots/service.js';
import { debatesRepo } from '../debates/repo.js';
import { calendarRepo } from '../deliberation/calendar-repo.js';
import type { ImpactStatus } from '../impact/domain.js';
import { impactRepo } from '../impact/repo.js';
import { recommendationsRepo } from '../recommendations/repo.js';
import type { Question } from '../surveys/domain.js';
import { surveysRepo } from '../surveys/repo.js';
import type { ParsedPackage } from './check.js';
import type { Row } from './csv.js';
import { opendataRepo } from './repo.js';
import { isAggregate, MORE_TABLES } from './tables-after.js';

const str = (v: Row[string]) => (v === null ? null : String(v));
const num = (v: Row[string]) => (v === null ? null : Number(v));
const by = <T extends Row>(rows: T[], key: string) => {
  const m = new Map<string, T[]>();
  for (const r of rows) (m.get(String(r[key])) ?? m.set(String(r[key]), []).get(String(r[key]))!).push(r);
  return m;
};

/**
 * Loads the calendar, ballots (with their public receipts), surveys, debates and impact tracking of a checked package
 * through the modules' repos; aggregate tables (attendance, survey answers) are kept as published. Runs inside the
 * import's transaction. Returns counts per part.
 */
export function importMore(tx: Tx, assemblyId: string, pkg: ParsedPackage, ensureUser: (randomId: string) => void) {
  const t = pkg.tables;
  for (const p of t.phases) calendarRepo.insertPhase(tx, { id: String(p.phase_id), assemblyId, kind: p.kind as 'training', title: String(p.title), startsOn: String(p.starts_on), endsOn: String(p.ends_on), createdAt: String(p.created_at) });
  for (const e of t.sessions)
    calendarRepo.insertEvent(tx, {
      id: String(e.session_id), assemblyId, phaseId: str(e.phase_id), kind: e.kind as 'plenary', title: String(e.title), startsAt: String(e.starts_at), endsAt: String(e.ends_at),
      timeZone: String(e.time_zone), language: String(e.language), audience: e.audience as 'all', createdAt: String(e.created_at),
    });

  const options = by(t.ballotOptions, 'ballot_id');
  const receipts = by(t.receipts, 'ballot_id');
  for (const b of t.ballots) {
    const id = String(b.ballot_id);
    const row = ballotsRepo.insert(tx, {
      id, assemblyId, title: String(b.title), description: str(b.description) ?? '', method: b.method as 'approval',
      options: (options.get(id) ?? []).sort((x, y) => Number(x.position) - Number(y.position)).map((o) => ({ id: String(o.option_id), label: String(o.label) })),
      grades: b.grades === null ? null : String(b.grades).split('|'), threshold: num(b.threshold), thresholdBase: b.threshold_base as 'cast' | null, quorum: Number(b.quorum),
      opensAt: String(b.opens_at), closesAt: String(b.closes_at), closedAt: str(b.closed_at), result: (pkg.ballotResults.get(id) as unknown as BallotResult | undefined) ?? null, eligibleAtClose: num(b.eligible),
    });
    const def: BallotDef = defOf(row);
    for (const r of receipts.get(id) ?? []) {
      const choice = JSON.parse(String(r.choice)) as { ranking?: string[][] };
      ballotsRepo.insertVote(tx, id, String(r.receipt), choice, choice.ranking ? packRanking(def, choice.ranking) : null);
    }
  }

  const questions = by(t.surveyQuestions, 'survey_id');
  for (const s of t.surveys) {
    const qs: Question[] = (questions.get(String(s.survey_id)) ?? []).sort((x, y) => Number(x.position) - Number(y.position)).map((q) => ({
      key: String(q.key), kind: q.kind as Question['kind'], label: String(q.label), ...(q.choices !== null ? { choices: String(q.choices).split('|') } : {}), ...(q.min !== null ? { min: Number(q.min) } : {}), ...(q.max !== null ? { max: Number(q.max) } : {}),
    }));
    surveysRepo.insert(tx, { id: String(s.survey_id), assemblyId, title: String(s.title), phase: s.phase as 'pre', questions: qs, closedAt: str(s.closed_at), createdAt: String(s.created_at) });
  }

  const comments = by(t.comments, 'debate_id');
  for (const d of t.debates) {
    const cs = comments.get(String(d.debate_id)) ?? [];
    const visible = cs.filter((c) => c.status === 'visible');
    const n = (a: string) => visible.filter((c) => c.alignment === a).length;
    debatesRepo.insert(tx, {
      id: String(d.debate_id), assemblyId, title: String(d.title), description: str(d.description) ?? '', status: d.status as 'open', decisionReason: str(d.decision_reason), attachedTo: str(d.attached_to),
      countInFavour: n('in_favour'), countAgainst: n('against'), countNeutral: n('neutral'), countThreads: visible.filter((c) => Number(c.depth) === 0).length, createdAt: String(d.created_at),
    });
    // a recommendation's comment space: linked back, so the archive's recommendation pages show its comments
    const rec = /^recommendation:(.+)$/.exec(String(d.attached_to ?? ''))?.[1];
    if (rec && recommendationsRepo.byId(tx, rec)?.assemblyId === assemblyId) recommendationsRepo.update(tx, rec, { debateId: String(d.debate_id) });
    for (const c of cs) {
      // no accounts in an archive: the author is their random id, kept as the name shown
      if (c.author_id !== null) ensureUser(String(c.author_id));
      debatesRepo.insertComment(tx, {
        id: Number(c.comment_id), debateId: String(d.debate_id), parentId: num(c.parent_id), rootId: num(c.root_id), depth: Number(c.depth), authorId: null, authorName: str(c.author_id) ?? '',
        alignment: c.alignment as 'neutral', body: str(c.body) ?? '', status: c.status as 'visible', replyCount: cs.filter((x) => x.parent_id === c.comment_id).length, createdAt: String(c.created_at),
      });
    }
  }

  for (const r of t.impact)
    impactRepo.insertRecord(tx, {
      recommendationId: String(r.recommendation_id), assemblyId, status: r.status as ImpactStatus, progress: Number(r.progress), theme: str(r.theme) ?? '',
      responseText: str(r.response_text), responseDate: str(r.response_date), responseUrl: str(r.response_url), updatedAt: String(r.updated_at),
    });
  const sources = by(t.impactSources, 'entry_id');
  for (const e of t.impactEntries)
    impactRepo.insertEntry(tx, {
      id: String(e.entry_id), assemblyId, recommendationId: String(e.recommendation_id), kind: e.kind as 'update', date: String(e.date), text: String(e.text), status: e.status as ImpactStatus | null, progress: num(e.progress),
      sources: (sources.get(String(e.entry_id)) ?? []).sort((x, y) => Number(x.seq) - Number(y.seq)).map((x) => ({ url: String(x.url), title: String(x.title) })), createdAt: String(e.created_at),
    });

  for (const def of Object.values(MORE_TABLES)) if (isAggregate(def) && pkg.raw.has(def.path)) opendataRepo.insertArchiveTable(tx, { assemblyId, path: def.path, content: pkg.raw.get(def.path)! });
  return { sessions: t.sessions.length, ballots: t.ballots.length, surveys: t.surveys.length, debates: t.debates.length, impact: t.impact.length };
}
