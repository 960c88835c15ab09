import type { FieldDef, TableDef } from './csv.js';
import { MORE_TABLES } from './tables-after.js';

/**
 * The data dictionary of an assembly's open-data package: every CSV table, its fields, types and meaning.
 * People appear only as random ids (`person_id` for sortition pool rows, `participant_id`/`author_id` for members and
 * conversation participants), stable from one export to the next; no names, contacts, addresses, pseudonyms,
 * invitation or registration codes, passwords or audio.
 */
const s = (name: string, description: string, extra: Partial<FieldDef> = {}): FieldDef => ({ name, type: 'string', description, ...extra });
const i = (name: string, description: string, extra: Partial<FieldDef> = {}): FieldDef => ({ name, type: 'integer', description, ...extra });
const n = (name: string, description: string, extra: Partial<FieldDef> = {}): FieldDef => ({ name, type: 'number', description, ...extra });
const b = (name: string, description: string, extra: Partial<FieldDef> = {}): FieldDef => ({ name, type: 'boolean', description, ...extra });
const d = (name: string, description: string, extra: Partial<FieldDef> = {}): FieldDef => ({ name, type: 'datetime', description, ...extra });
const R = { required: true } as const;

const REC_FIELDS: FieldDef[] = [
  s('title', 'Title.', R),
  s('proposal', 'The proposal, as it would be voted on.'),
  s('rationale', 'Why.'),
  s('pros', 'Arguments for.'),
  s('cons', 'Arguments against.'),
  s('costs', 'Estimated costs (free text).'),
  s('implementers', 'Who would implement it.'),
  s('tradeoffs', 'Trade-offs.'),
  s('evidence', 'Evidence links, one per line.'),
];

const POOL = s('pool_id', 'The pool (one sortition of the assembly).', R);
const CONV = s('conversation_id', 'The conversation.', R);

const BASE_TABLES = {
  pools: {
    name: 'sortition-pools',
    path: 'sortition/pools.csv',
    title: 'Sortition pools and their draws',
    description: 'One row per pool of candidates: the selection algorithm, the hashes published before the draw, the public seed and the winning ticket.',
    primaryKey: ['pool_id'],
    fields: [
      POOL,
      s('name', 'Name the organiser gave the pool.', R),
      s('source', 'import: a list of candidates; registration: volunteers who answered an invitation letter.', { ...R, enum: ['import', 'registration'] }),
      i('panel_size', 'Seats on the panel.', R),
      i('pool_size', 'Candidates in the pool.', R),
      s('status', 'open, or drawn.', { ...R, enum: ['open', 'drawn'] }),
      s('categories', 'The stratification categories, separated by |.', R),
      s('algorithm', 'Selection algorithm of the committed run (leximin, maximin, legacy); empty before a run was committed.', { enum: ['leximin', 'maximin', 'legacy'] }),
      s('algorithm_version', 'Version of the selection code.'),
      s('solver', 'Linear-programming solver used.'),
      s('pool_sha256', 'sha256 of the canonical pool (as it was with the original, non-public person ids).'),
      s('quotas_sha256', 'sha256 of the quotas.'),
      s('distribution_sha256', 'sha256 of the lottery over panels, published before the seed was known.'),
      d('committed_at', 'When the distribution was fixed and its hash published.'),
      s('seed_source', 'The public seed as entered by the organiser.'),
      s('seed_sha256', 'sha256 of the normalised seed.'),
      i('ticket', 'The winning ticket: sha256(seed) mod lottery_size.'),
      i('lottery_size', 'Tickets in the lottery (m).'),
      s('lottery_sha256', 'sha256 of the lottery.'),
      d('drawn_at', 'When the panel was drawn.'),
      d('created_at', 'When the pool was created.', R),
    ],
  },
  quotas: {
    name: 'sortition-quotas',
    path: 'sortition/quotas.csv',
    title: 'Quotas',
    description: 'The minimum and maximum number of panel seats for each value of each category, in the order the organiser gave them.',
    primaryKey: ['pool_id', 'category', 'value'],
    fields: [POOL, s('category', 'Stratification category.', R), s('value', 'A value of the category.', R), i('min', 'Fewest seats.', R), i('max', 'Most seats.', R)],
  },
  people: {
    name: 'sortition-people',
    path: 'sortition/people.csv',
    title: 'Candidates and their selection probabilities',
    description: 'One row per candidate, by random id: what happened to them and their probability of selection under the committed algorithm and under the LEGACY baseline.',
    primaryKey: ['pool_id', 'person_id'],
    fields: [
      POOL,
      s('person_id', 'Random id of the candidate (not the id of the original list).', R),
      s('status', 'pool (not selected), selected, confirmed, declined, dropped (left during the assembly).', { ...R, enum: ['pool', 'selected', 'confirmed', 'declined', 'dropped'] }),
      s('selected_via', 'draw, or alternate (took a seat freed by someone who declined or dropped out).', { enum: ['draw', 'alternate'] }),
      n('probability', 'Probability of selection under the committed algorithm (the panel size summed over the pool).'),
      n('legacy_probability', 'Probability of selection under the LEGACY greedy baseline, for comparison.'),
    ],
  },
  features: {
    name: 'sortition-features',
    path: 'sortition/features.csv',
    title: 'Candidates’ stratification values',
    description: 'The value of each stratification category for each candidate (long format).',
    primaryKey: ['pool_id', 'person_id', 'category'],
    fields: [POOL, s('person_id', 'Random id of the candidate.', R), s('category', 'Stratification category.', R), s('value', 'The candidate’s value.', R)],
  },
  replacements: {
    name: 'sortition-replacements',
    path: 'sortition/replacements.csv',
    title: 'Replacements',
    description: 'Members who declined or dropped out, and the alternate who took the seat.',
    primaryKey: ['pool_id', 'seq'],
    fields: [
      POOL,
      i('seq', 'Order of the replacement within the pool (1, 2 …).', R),
      s('out_person_id', 'Random id of the member who left.', R),
      s('in_person_id', 'Random id of the alternate; empty when no alternate could be found.'),
      s('reason', 'declined or dropped.', { ...R, enum: ['declined', 'dropped'] }),
      i('deviation', 'Total quota deviation of the panel after the replacement (0: quotas met).', R),
      d('created_at', 'When.', R),
    ],
  },
  letters: {
    name: 'sortition-letter-batches',
    path: 'sortition/letter-batches.csv',
    title: 'Invitation letter draws',
    description: 'First stage of a two-stage lottery: how many addresses were drawn for invitation letters, from how many, with which seed (no address, no code).',
    primaryKey: ['pool_id', 'seq'],
    fields: [
      POOL,
      i('seq', 'Order of the batch within the pool.', R),
      s('seed_source', 'The public seed.', R),
      s('addresses_sha256', 'sha256 of the address list drawn from.', R),
      i('addresses', 'Addresses in the list.', R),
      i('letters', 'Letters sent.', R),
      d('created_at', 'When.', R),
    ],
  },
  conversations: {
    name: 'conversations',
    path: 'conversations/conversations.csv',
    title: 'Conversations',
    description: 'Conversations in which members wrote short statements and voted on each other’s (agree, disagree, pass).',
    primaryKey: ['conversation_id'],
    fields: [
      CONV,
      s('topic', 'Topic.', R),
      s('description', 'Description shown to members.'),
      s('moderation', 'pre: statements waited for a facilitator; post: moderated afterwards.', { ...R, enum: ['pre', 'post'] }),
      s('status', 'open or closed.', { ...R, enum: ['open', 'closed'] }),
      i('vote_events', 'Votes cast, changes included.', R),
      s('attribution_text', 'Attribution of data imported under CC BY.'),
      s('attribution_license', 'Licence of imported data.'),
      s('attribution_source', 'Where imported data came from.'),
      d('created_at', 'When.', R),
    ],
  },
  participants: {
    name: 'conversation-participants',
    path: 'conversations/participants.csv',
    title: 'Conversation participants',
    description: 'Who took part, by random id (a member keeps the same id in every table of the package).',
    primaryKey: ['conversation_id', 'participant_id'],
    fields: [
      CONV,
      s('participant_id', 'Random id.', R),
      s('kind', 'member (of the assembly), or imported (from a Pol.is export, no account).', { ...R, enum: ['member', 'imported'] }),
      i('polis_id', 'Participant number of an imported Pol.is participant.'),
      i('polis_group', 'Pol.is group of an imported participant.'),
    ],
  },
  statements: {
    name: 'statements',
    path: 'conversations/statements.csv',
    title: 'Statements',
    description: 'Statements written by members or facilitators, with their moderation and vote counts.',
    primaryKey: ['conversation_id', 'statement_id'],
    fields: [
      CONV,
      i('statement_id', 'Number of the statement within the conversation (Pol.is comment-id).', R),
      s('author_id', 'Random id of the participant who wrote it; empty for facilitators.'),
      s('text', 'The statement.', R),
      s('status', 'pending, accepted or rejected by moderation.', { ...R, enum: ['pending', 'accepted', 'rejected'] }),
      b('is_meta', 'A statement about the process, left out of the opinion map.', R),
      i('agree_count', 'Agree votes.', R),
      i('disagree_count', 'Disagree votes.', R),
      i('pass_count', 'Pass votes.', R),
      d('created_at', 'When.', R),
    ],
  },
  votes: {
    name: 'votes',
    path: 'conversations/votes.csv',
    title: 'Votes',
    description: 'Each participant’s last vote on each statement.',
    primaryKey: ['conversation_id', 'statement_id', 'participant_id'],
    fields: [
      CONV,
      i('statement_id', 'The statement.', R),
      s('participant_id', 'Random id of the voter.', R),
      i('vote', '1 agree, -1 disagree, 0 pass.', R),
      i('voted_at', 'When the last vote was cast (milliseconds since 1970-01-01 UTC).', R),
    ],
  },
  maps: {
    name: 'opinion-maps',
    path: 'conversations/opinion-maps.csv',
    title: 'Opinion maps',
    description: 'The opinion map a facilitator approved for each conversation; the map itself is in maps/<conversation_id>.json.',
    primaryKey: ['conversation_id'],
    fields: [
      CONV,
      i('groups', 'Opinion groups.', R),
      i('participants', 'Participants placed on the map.', R),
      b('edited', 'The facilitator edited the machine’s group labels.', R),
      s('path', 'The map (JSON, with its provenance).', R),
      d('published_at', 'When it was approved.', R),
    ],
  },
  groups: {
    name: 'opinion-groups',
    path: 'conversations/opinion-groups.csv',
    title: 'Opinion groups of the participants',
    description: 'The group each participant was placed in on the approved map (-1: not clustered).',
    primaryKey: ['conversation_id', 'participant_id'],
    fields: [CONV, s('participant_id', 'Random id.', R), i('group', 'Group number on the map.', R), i('nearest_group', 'Nearest group (for participants not clustered).', R)],
  },
  transcripts: {
    name: 'transcripts',
    path: 'transcripts/transcripts.csv',
    title: 'Approved transcripts',
    description: 'Breakout-group transcripts approved by a facilitator (segments in transcripts/<transcript_id>.json; speakers by random id; no audio).',
    primaryKey: ['transcript_id'],
    fields: [
      s('transcript_id', 'The transcript.', R),
      s('session_id', 'The breakout session.', R),
      s('group_id', 'The breakout group.', R),
      s('language', 'Language spoken (ISO 639-1).'),
      i('segments', 'Segments.', R),
      s('path', 'The segments (JSON, with the review provenance).', R),
      d('published_at', 'When it was approved.', R),
    ],
  },
  publications: {
    name: 'publications',
    path: 'publications/publications.csv',
    title: 'Summaries and translations',
    description: 'Texts published after review: summaries with their citations, and their translations (machine ones flagged).',
    primaryKey: ['publication_id'],
    fields: [
      s('publication_id', 'The publication.', R),
      s('kind', 'summary, translation …', R),
      s('subject', 'What it is about.', R),
      s('language', 'Language (ISO 639-1).', R),
      s('title', 'Title.', R),
      b('machine_translated', 'A machine translation (reviewed by a facilitator).', R),
      s('path', 'The text (JSON, with its provenance).', R),
      d('published_at', 'When it was approved.', R),
    ],
  },
  recommendations: {
    name: 'recommendations',
    path: 'recommendations/recommendations.csv',
    title: 'Recommendations',
    description: 'The assembly’s recommendations with their structured analysis, as they stand (history in recommendation-versions).',
    primaryKey: ['recommendation_id'],
    fields: [
      s('recommendation_id', 'The recommendation.', R),
      s('status', 'draft, under_discussion, final, put_to_vote.', { ...R, enum: ['draft', 'under_discussion', 'final', 'put_to_vote'] }),
      s('drafter_kind', 'group (a breakout group) or working_party.', { ...R, enum: ['group', 'working_party'] }),
      s('drafter_name', 'Name of the group or working party that drafted it.', R),
      ...REC_FIELDS,
      i('version', 'Latest version number.', R),
      d('created_at', 'When it was started.', R),
      d('updated_at', 'Last change.', R),
    ],
  },
  versions: {
    name: 'recommendation-versions',
    path: 'recommendations/versions.csv',
    title: 'Recommendation versions',
    description: 'Every version of every recommendation: a full snapshot of its fields, who made it (random id) and what changed.',
    primaryKey: ['recommendation_id', 'version'],
    fields: [
      s('recommendation_id', 'The recommendation.', R),
      i('version', 'Version number (1 is the first).', R),
      s('changed', 'Fields changed from the previous version, separated by |.'),
      s('author_id', 'Random id of the author (members and staff alike).'),
      s('note', 'Why the version exists (e.g. an accepted amendment).'),
      d('created_at', 'When.', R),
      ...REC_FIELDS.map((f) => ({ ...f, required: false })),
    ],
  },
  amendments: {
    name: 'amendments',
    path: 'recommendations/amendments.csv',
    title: 'Amendments',
    description: 'Amendments proposed by members to recommendations and texts, and what became of them.',
    primaryKey: ['amendment_id'],
    fields: [
      i('amendment_id', 'The amendment.', R),
      s('subject', 'What it amends (recommendation:<id>, paragraph:<id>).', R),
      s('kind', 'replace, insert_after or delete.', { ...R, enum: ['replace', 'insert_after', 'delete'] }),
      s('proposed_text', 'The proposed text.'),
      s('justification', 'Why.', R),
      i('base_version', 'The version the author read.', R),
      s('author_id', 'Random id of the author.'),
      s('status', 'open, accepted, rejected, withdrawn.', { ...R, enum: ['open', 'accepted', 'rejected', 'withdrawn'] }),
      s('decision_reason', 'The facilitators’ reason.'),
      d('decided_at', 'When it was decided.'),
      s('result', 'The version (or subject) the acceptance produced.'),
      d('created_at', 'When it was proposed.', R),
    ],
  },
} as const satisfies Record<string, TableDef>;

/** Every CSV table of the package (the calendar, ballots, surveys, debates and impact in tables-after.ts). */
export const TABLES = { ...BASE_TABLES, ...MORE_TABLES };
export type TableKey = keyof typeof TABLES;
/** tables added after the first packages: a package without them reads them as empty */
export const LATER_TABLES: ReadonlySet<string> = new Set(Object.values(MORE_TABLES).map((d) => d.path));

/** Pol.is files of a conversation (the layout Pol.is exports: researchers' tools read it as is). */
export function polisTables(conversationId: string, statementIds: readonly number[], hasMeta: boolean): { comments: TableDef; votes: TableDef; participantsVotes: TableDef } {
  const base = `polis/${conversationId}`;
  const name = (f: string) => `polis-${conversationId.toLowerCase()}-${f}`;
  const ts = i('timestamp', 'Milliseconds since 1970-01-01 UTC.', R);
  const dt = s('datetime', 'The same time, written out (UTC).', R);
  return {
    comments: {
      name: name('comments'),
      path: `${base}/comments.csv`,
      title: 'Pol.is comments',
      description: 'The statements in Pol.is comments.csv layout (newest first).',
      primaryKey: ['comment-id'],
      fields: [
        ts, dt,
        i('comment-id', 'Statement number.', R),
        i('author-id', 'Participant number of the author; empty for facilitators.'),
        i('agrees', 'Agree votes.', R),
        i('disagrees', 'Disagree votes.', R),
        i('moderated', '1 accepted, -1 rejected, 0 not moderated.', R),
        s('comment-body', 'The statement.', R),
        ...(hasMeta ? [b('is-meta', 'A statement about the process.', R)] : []),
      ],
    },
    votes: {
      name: name('votes'),
      path: `${base}/votes.csv`,
      title: 'Pol.is votes',
      description: 'Each participant’s last vote, in Pol.is votes.csv layout.',
      primaryKey: ['comment-id', 'voter-id'],
      fields: [ts, dt, i('comment-id', 'Statement number.', R), i('voter-id', 'Participant number.', R), i('vote', '1 agree, -1 disagree, 0 pass.', R)],
    },
    participantsVotes: {
      name: name('participants-votes'),
      path: `${base}/participants-votes.csv`,
      title: 'Pol.is participants × votes',
      description: 'One row per participant, one column per statement, in Pol.is participants-votes.csv layout.',
      primaryKey: ['participant'],
      fields: [
        i('participant', 'Participant number.', R),
        i('group-id', 'Opinion group on the approved map.'),
        i('n-comments', 'Statements written.', R),
        i('n-votes', 'Votes cast.', R),
        i('n-agree', 'Agree votes.', R),
        i('n-disagree', 'Disagree votes.', R),
        ...statementIds.map((t) => i(String(t), `Vote on statement ${t} (1, -1, 0; empty: not seen).`)),
      ],
    },
  };
}
