import type { FieldDef, TableDef } from './csv.js';
import { IMPACT_STATUSES } from '../impact/domain.js';
import { ATTENDANCE, EVENT_KINDS, PHASE_KINDS } from '../deliberation/schema.js';
import { METHODS } from '../ballots/domain.js';

/**
 * The data dictionary, continued: the calendar and attendance (aggregates), ballots and their public receipts,
 * surveys (aggregates), debates, and impact tracking. Tables marked `aggregate` are counts whose underlying rows name
 * people (attendance, survey answers): only the counts leave, and an imported archive keeps them as published.
 */
export type PackageTable = TableDef & { aggregate?: true };

const s = (name: string, description: string, extra: Partial<FieldDef> = {}): FieldDef => ({ name, type: 'string', description, ...extra });
const i = (name: string, description: string, extra: Partial<FieldDef> = {}): FieldDef => ({ name, type: 'integer', description, ...extra });
const n = (name: string, description: string, extra: Partial<FieldDef> = {}): FieldDef => ({ name, type: 'number', description, ...extra });
const b = (name: string, description: string, extra: Partial<FieldDef> = {}): FieldDef => ({ name, type: 'boolean', description, ...extra });
const dt = (name: string, description: string, extra: Partial<FieldDef> = {}): FieldDef => ({ name, type: 'datetime', description, ...extra });
const day = (name: string, description: string, extra: Partial<FieldDef> = {}): FieldDef => ({ name, type: 'date', description, ...extra });
const R = { required: true } as const;
const REC = s('recommendation_id', 'The recommendation (recommendations/recommendations.csv).', R);

export const MORE_TABLES = {
  phases: {
    name: 'calendar-phases', path: 'calendar/phases.csv', title: 'Phases of the assembly', description: 'The phases of the assembly’s calendar (training, learning, deliberation, decision, follow-up).',
    primaryKey: ['phase_id'],
    fields: [s('phase_id', 'The phase.', R), s('kind', 'Kind of phase.', { ...R, enum: PHASE_KINDS }), s('title', 'Title.', R), day('starts_on', 'First day.', R), day('ends_on', 'Last day.', R), dt('created_at', 'When it was planned.', R)],
  },
  sessions: {
    name: 'calendar-sessions', path: 'calendar/sessions.csv', title: 'Sessions', description: 'Every session of the calendar (plenaries, study groups, breakouts); no video-room names.',
    primaryKey: ['session_id'],
    fields: [
      s('session_id', 'The session.', R), s('phase_id', 'The phase it belongs to.'), s('kind', 'Kind of session.', { ...R, enum: EVENT_KINDS }), s('title', 'Title.', R),
      dt('starts_at', 'Start (UTC).', R), dt('ends_at', 'End (UTC).', R), s('time_zone', 'Time zone it was planned in (IANA).', R), s('language', 'Language (ISO 639-1).', R),
      s('audience', 'all members, or a listed subset.', { ...R, enum: ['all', 'listed'] }), dt('created_at', 'When it was planned.', R),
    ],
  },
  attendance: {
    name: 'calendar-attendance', path: 'calendar/attendance.csv', title: 'Attendance per session (aggregate)', aggregate: true,
    description: 'For each session that had started when the package was made: members expected, and how many were recorded present, excused or absent (no per-person rows).',
    primaryKey: ['session_id'],
    fields: [
      s('session_id', 'The session.', R), i('expected', 'Members expected (all members, or those listed).', R),
      ...ATTENDANCE.map((a) => i(a, `Members recorded ${a}.`, R)), i('unrecorded', 'Expected members with no record.', R), n('rate', 'present / expected; empty when nobody was expected.'),
    ],
  },
  groupAttendance: {
    name: 'calendar-group-attendance', path: 'calendar/group-attendance.csv', title: 'Attendance per breakout group (aggregate)', aggregate: true,
    description: 'For each breakout session of the calendar, each group: its members and how many were present.',
    primaryKey: ['session_id', 'group_id'],
    fields: [s('session_id', 'The session.', R), s('group_id', 'The breakout group.', R), s('group_name', 'Its name.', R), i('members', 'Members of the group.', R), i('present', 'Members present.', R), n('rate', 'present / members; empty for an empty group.')],
  },
  ballots: {
    name: 'ballots', path: 'ballots/ballots.csv', title: 'Ballots and their results', description: 'Votes of the members: method, rules, and the announced result (the full count in ballots/results/<ballot_id>.json).',
    primaryKey: ['ballot_id'],
    fields: [
      s('ballot_id', 'The ballot.', R), s('title', 'Title.', R), s('description', 'Description.'), s('method', 'Counting method.', { ...R, enum: METHODS }),
      s('grades', 'Majority judgment: grade names, worst first, separated by |.'), n('threshold', 'Support threshold: share needed.'), s('threshold_base', 'What the threshold is a share of.', { enum: ['cast', 'eligible'] }),
      n('quorum', 'Minimum turnout as a share of eligible members.', R), dt('opens_at', 'Opening.', R), dt('closes_at', 'Scheduled closing.', R), dt('closed_at', 'Closed early at.'),
      i('eligible', 'Eligible members counted at close.'), i('voters', 'Ballots cast.'), n('turnout', 'voters / eligible.'), b('quorum_met', 'Whether the quorum was met.'),
      s('winners', 'Option ids that won (or passed), separated by |.'), s('result_path', 'The announced result (JSON); empty until the ballot closed.'),
    ],
  },
  ballotOptions: {
    name: 'ballot-options', path: 'ballots/options.csv', title: 'Ballot options', description: 'The options of each ballot, in display order.',
    primaryKey: ['ballot_id', 'option_id'],
    fields: [s('ballot_id', 'The ballot.', R), i('position', 'Display order (1 first).', R), s('option_id', 'Option id (as in choices and results).', R), s('label', 'Label.', R)],
  },
  receipts: {
    name: 'ballot-receipts', path: 'ballots/receipts.csv', title: 'Cast ballots by receipt (closed ballots only)',
    description: 'After a ballot closed, every cast ballot under its random receipt code, so anyone can recount and each member can find their own. Who voted (the roll) is never published, and nothing links a receipt to a person.',
    primaryKey: ['ballot_id', 'receipt'],
    fields: [s('ballot_id', 'The ballot.', R), s('receipt', 'Random receipt code.', R), s('choice', 'The choice as JSON (approve: option ids; ranking: tiers of ids; grades: id → grade index; gradient).', R)],
  },
  surveys: {
    name: 'surveys', path: 'surveys/surveys.csv', title: 'Surveys', description: 'Questionnaires before (pre) and after (post) the assembly.',
    primaryKey: ['survey_id'],
    fields: [s('survey_id', 'The survey.', R), s('title', 'Title.', R), s('phase', 'pre or post.', { ...R, enum: ['pre', 'post'] }), dt('closed_at', 'When it was closed.'), dt('created_at', 'When it was made.', R)],
  },
  surveyQuestions: {
    name: 'survey-questions', path: 'surveys/questions.csv', title: 'Survey questions', description: 'The questions of each survey (matched across pre and post by key).',
    primaryKey: ['survey_id', 'key'],
    fields: [
      s('survey_id', 'The survey.', R), s('key', 'Question key.', R), i('position', 'Order (1 first).', R), s('kind', 'single, multiple, scale or text.', { ...R, enum: ['single', 'multiple', 'scale', 'text'] }),
      s('label', 'The question.', R), s('choices', 'Choices, separated by |.'), i('min', 'Scale minimum.'), i('max', 'Scale maximum.'),
    ],
  },
  surveyResults: {
    name: 'survey-results', path: 'surveys/results.csv', title: 'Survey answers (aggregate)', aggregate: true,
    description: 'How many members gave each answer to each question. A question answered by fewer than 5 members is withheld (its counts are not published); free-text answers are never published.',
    primaryKey: ['survey_id', 'key', 'answer'],
    fields: [s('survey_id', 'The survey.', R), s('key', 'Question key.', R), s('answer', 'A choice, or a scale value; (respondents): members who answered the question; (withheld): the question had too few answers.', R), i('count', 'Members.', R)],
  },
  debates: {
    name: 'debates', path: 'debates/debates.csv', title: 'Debates', description: 'Written debates on themes, and the comment spaces attached to recommendations (attached_to).',
    primaryKey: ['debate_id'],
    fields: [
      s('debate_id', 'The debate.', R), s('title', 'Title.', R), s('description', 'Description.'), s('status', 'proposed, open, closed, rejected.', { ...R, enum: ['proposed', 'open', 'closed', 'rejected'] }),
      s('decision_reason', 'Why facilitators rejected or closed it.'), s('attached_to', 'What it holds the comments of (recommendation:<id>).'), dt('created_at', 'When.', R),
    ],
  },
  comments: {
    name: 'debate-comments', path: 'debates/comments.csv', title: 'Debate comments', description: 'Comments, threaded, with their alignment; authors by random id. Hidden and deleted comments keep their place without their text.',
    primaryKey: ['comment_id'],
    fields: [
      i('comment_id', 'The comment.', R), s('debate_id', 'The debate.', R), i('parent_id', 'The comment replied to.'), i('root_id', 'The thread’s first comment.'), i('depth', '0 for a top-level comment.', R),
      s('author_id', 'Random id of the author.'), s('alignment', 'in_favour, against or neutral.', { ...R, enum: ['in_favour', 'against', 'neutral'] }),
      s('body', 'The text (empty when hidden by moderation or deleted).'), s('status', 'visible, hidden or deleted.', { ...R, enum: ['visible', 'hidden', 'deleted'] }), dt('created_at', 'When.', R),
    ],
  },
  impact: {
    name: 'impact', path: 'impact/impact.csv', title: 'Impact: what became of each recommendation',
    description: 'For each tracked recommendation: status, progress, theme and the decision-maker’s response. Progress rule: not_started and rejected 0; in_progress 0–99; partly_implemented 1–99; implemented 100.',
    primaryKey: ['recommendation_id'],
    fields: [
      REC, s('status', 'Status.', { ...R, enum: IMPACT_STATUSES }), i('progress', 'Progress in percent (0–100, consistent with the status).', R), s('theme', 'Theme (as staff filed it).'),
      s('response_text', 'The decision-maker’s response.'), day('response_date', 'When the response was given.'), s('response_url', 'Link to the response.'), dt('updated_at', 'Last change.', R),
    ],
  },
  impactEntries: {
    name: 'impact-timeline', path: 'impact/timeline.csv', title: 'Impact timeline', description: 'Dated entries of what happened to each recommendation (update), and each recording of the response (response); sources in impact/sources.csv.',
    primaryKey: ['entry_id'],
    fields: [
      s('entry_id', 'The entry (a UUID; the Atom feed names it urn:uuid:<entry_id>).', R), REC, s('kind', 'update or response.', { ...R, enum: ['update', 'response'] }), day('date', 'When it happened.', R),
      s('text', 'What happened.', R), s('status', 'Status after the entry (empty: unchanged).', { enum: IMPACT_STATUSES }), i('progress', 'Progress after the entry.'), dt('created_at', 'When it was recorded.', R),
    ],
  },
  impactSources: {
    name: 'impact-sources', path: 'impact/sources.csv', title: 'Impact sources', description: 'The sources (links) of each timeline entry.',
    primaryKey: ['entry_id', 'seq'],
    fields: [s('entry_id', 'The entry.', R), i('seq', 'Order (1 first).', R), s('url', 'Link.', R), s('title', 'Title.', R)],
  },
} as const satisfies Record<string, PackageTable>;

export type MoreTableKey = keyof typeof MORE_TABLES;
export const isAggregate = (def: TableDef) => (def as PackageTable).aggregate === true;
