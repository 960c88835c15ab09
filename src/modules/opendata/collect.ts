import { randomBytes } from 'node:crypto';
import { asc, desc, eq } from 'drizzle-orm';
import type { DrawRecord, SelectionResult } from '../../../pipelines/sortition/index.js';
import type { Ctx } from '../../platform/context.js';
import type { Db, DbOrTx } from '../../platform/db/client.js';
import { auditLog, reviewItems } from '../../platform/db/schema.js';
import { assembliesRepo } from '../assemblies/repo.js';
import { breakoutTranscripts } from '../breakouts/schema.js';
import type { OpinionMapPayload } from '../conversations/domain.js';
import { exportPolis } from '../conversations/polis.js';
import { conversationsRepo } from '../conversations/repo.js';
import { publicationsRepo } from '../publications/repo.js';
import { sortitionRepo } from '../sortition/repo.js';
import { recommendations } from '../recommendations/schema.js';
import { versions } from '../../platform/versions/schema.js';
import { amendments } from '../../platform/amendments/schema.js';
import { tableResource, writeCsv, type Row, type TableDef } from './csv.js';
import { opendataRepo } from './repo.js';
import { polisTables, TABLES } from './tables.js';
import { FIELDS as REC_KEYS } from '../recommendations/domain.js';
import { collectMore } from './collect-after.js';

export type PackageStatus = 'in-progress' | 'final';
type IdKind = 'user' | 'participant' | 'person';
/** adds a CSV resource: rows to write, or a file already written in the table's layout */
type TableSink = (def: TableDef, rows: Row[] | string) => void;

/**
 * Stable random ids for people: the first export of an assembly draws one per person and keeps it (opendata_ids),
 * so later exports name the same person the same way. Internal ids never leave.
 */
export class Pseudonyms {
  private readonly map = new Map<string, string>();
  private readonly used = new Set<string>();
  constructor(private readonly db: DbOrTx, private readonly assemblyId: string) {
    for (const r of opendataRepo.ids(db, assemblyId)) {
      this.map.set(`${r.kind}\u0000${r.internal}`, r.public);
      this.used.add(`${r.kind}\u0000${r.public}`);
    }
  }
  of(kind: IdKind, internal: string): string {
    const key = `${kind}\u0000${internal}`;
    let id = this.map.get(key);
    if (id) return id;
    do id = `${kind === 'person' ? 'c' : 'p'}${randomBytes(6).toString('hex')}`;
    while (this.used.has(`${kind}\u0000${id}`));
    opendataRepo.insertId(this.db, { assemblyId: this.assemblyId, kind, internal, public: id });
    this.map.set(key, id);
    this.used.add(`${kind}\u0000${id}`);
    return id;
  }
}

export interface PackageFiles {
  /** path → content, datapackage.json included */
  files: Map<string, string>;
  descriptor: Record<string, unknown>;
}

const byKey = <T>(key: (x: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);
const json = (v: unknown) => JSON.stringify(v, null, 2) + '\n';

/**
 * Reads an assembly into its open-data package. Run it inside one transaction: the tables are one snapshot, and
 * the random ids it draws are saved with it. Rows are sorted by their public keys so the same data always gives
 * the same bytes.
 */
export function collectPackage(ctx: Ctx, tx: DbOrTx, assemblyId: string, opts: { status: PackageStatus; created: string }): PackageFiles {
  const a = assembliesRepo.byId(tx, assemblyId);
  if (!a) throw new Error(`assembly ${assemblyId} not found`);
  const ids = new Pseudonyms(tx, assemblyId);
  const files = new Map<string, string>();
  const resources: Record<string, unknown>[] = [];
  const table: TableSink = (def, rows) => {
    files.set(def.path, typeof rows === 'string' ? rows : writeCsv(def, rows));
    resources.push(tableResource(def));
  };
  const doc = (name: string, path: string, title: string, description: string, value: unknown) => {
    files.set(path, json(value));
    resources.push({ name, path, scheme: 'file', format: 'json', mediatype: 'application/json', encoding: 'utf-8', title, description });
  };
  const archive = opendataRepo.archive(tx, assemblyId);
  doc('assembly', 'assembly.json', 'The assembly', 'Title, question, languages, and whether the assembly was still in progress when exported.', {
    slug: a.slug, title: a.title, question: a.question, languages: a.languages, status: opts.status, createdAt: a.createdAt,
  });
  collectSortition(tx, assemblyId, ids, table);
  collectConversations({ ...ctx, db: tx as Db }, tx, assemblyId, ids, table, doc);
  collectTexts(tx, assemblyId, ids, table, doc);
  collectRecommendations(tx, assemblyId, ids, table);
  collectMore(ctx, tx, assemblyId, ids, table, doc, archive !== undefined);
  const head = tx.select().from(auditLog).orderBy(desc(auditLog.seq)).limit(1).get();
  doc('audit-head', 'audit.json', 'Audit log head', 'The last entry of the instance’s hash-chained audit log when the package was made: anyone holding a later copy of the log can check this package was made from it.', {
    seq: head?.seq ?? 0, hash: head?.hash ?? null, at: head?.at ?? null, ...(archive ? { archivedFrom: archive.packageSha256 } : {}),
  });
  const descriptor = {
    $schema: 'https://datapackage.org/profiles/2.0/datapackage.json',
    name: `plenary-${a.slug}`,
    title: a.title,
    description: `${opts.status === 'in-progress' ? 'INTERIM: the assembly was still in progress when this package was made; later packages supersede it. ' : ''}Open data of a citizens’ assembly run with Plenary: selection, deliberation and what was published after review. People appear only as random ids.`,
    version: '1.0.0',
    created: opts.created,
    keywords: ['citizens assembly', 'sortition', 'deliberation', opts.status],
    licenses: [{ name: 'CC-BY-4.0', path: 'https://creativecommons.org/licenses/by/4.0/', title: 'Creative Commons Attribution 4.0' }],
    plenary: { format: 'plenary-open-data/1', status: opts.status, slug: a.slug },
    resources,
  };
  files.set('datapackage.json', json(descriptor));
  return { files, descriptor };
}

function collectSortition(tx: DbOrTx, assemblyId: string, ids: Pseudonyms, table: TableSink) {
  const pools: Row[] = [], quotas: Row[] = [], people: Row[] = [], features: Row[] = [], repl: Row[] = [], letters: Row[] = [];
  for (const p of [...sortitionRepo.pools(tx, assemblyId)].sort(byKey((x) => x.id))) {
    const rows = sortitionRepo.people(tx, p.id);
    const d = sortitionRepo.drawOfPool(tx, p.id);
    const runs = sortitionRepo.runs(tx, p.id);
    const run = d ? sortitionRepo.runById(tx, d.runId) : (runs.find((r) => r.committedAt && r.status !== 'superseded') ?? runs.find((r) => r.committedAt));
    const result = (run?.result ?? null) as SelectionResult | null;
    const legacy = (run?.legacy ?? null) as { probabilities: Record<string, number> } | null;
    const record = (d?.record ?? null) as DrawRecord | null;
    const pid = (personId: string) => ids.of('person', `${p.id}:${personId}`);
    pools.push({
      pool_id: p.id, name: p.name, source: p.source, panel_size: p.panelSize, pool_size: rows.length, status: p.status, categories: p.categories.join('|'),
      algorithm: run?.algorithm ?? null, algorithm_version: result?.provenance.version ?? null, solver: result?.provenance.solver ?? null,
      pool_sha256: run?.poolSha256 ?? null, quotas_sha256: run?.quotasSha256 ?? null, distribution_sha256: run?.distributionSha256 ?? null, committed_at: run?.committedAt ?? null,
      seed_source: record?.seedSource ?? null, seed_sha256: record?.seedSha256 ?? null, ticket: record?.ticket ?? null, lottery_size: record?.m ?? null,
      lottery_sha256: record?.lotterySha256 ?? null, drawn_at: d?.createdAt ?? null, created_at: p.createdAt,
    });
    for (const q of p.quotas) quotas.push({ pool_id: p.id, category: q.category, value: q.value, min: q.min, max: q.max });
    const mine = rows.map((r) => ({ r, id: pid(r.personId) })).sort(byKey((x) => x.id));
    for (const { r, id } of mine) {
      people.push({ pool_id: p.id, person_id: id, status: r.status, selected_via: r.selectedVia, probability: result?.probabilities[r.personId] ?? null, legacy_probability: legacy?.probabilities[r.personId] ?? null });
      for (const c of Object.keys(r.features).sort()) features.push({ pool_id: p.id, person_id: id, category: c, value: r.features[c] });
    }
    if (d) {
      const rs = sortitionRepo.replacements(tx, d.id).map((x, k) => ({ x, k })).sort((u, v) => byKey((y: { x: { createdAt: string } }) => y.x.createdAt)(u, v) || u.k - v.k);
      rs.forEach(({ x }, k) => repl.push({ pool_id: p.id, seq: k + 1, out_person_id: pid(x.outPersonId), in_person_id: x.inPersonId ? pid(x.inPersonId) : null, reason: x.reason, deviation: x.deviation, created_at: x.createdAt }));
    }
    sortitionRepo.batches(tx, p.id).map((x, k) => ({ x, k })).sort((u, v) => byKey((y: { x: { createdAt: string } }) => y.x.createdAt)(u, v) || u.k - v.k)
      .forEach(({ x }, k) => letters.push({ pool_id: p.id, seq: k + 1, seed_source: x.seedSource, addresses_sha256: x.addressesSha256, addresses: x.addresses, letters: x.letters, created_at: x.createdAt }));
  }
  table(TABLES.pools, pools);
  table(TABLES.quotas, quotas);
  table(TABLES.people, people);
  table(TABLES.features, features);
  table(TABLES.replacements, repl);
  table(TABLES.letters, letters);
}

type Doc = (name: string, path: string, title: string, description: string, value: unknown) => void;

function provenanceOf(tx: DbOrTx, reviewItemId: string) {
  const item = tx.select().from(reviewItems).where(eq(reviewItems.id, reviewItemId)).get();
  return item ? { provenance: item.provenance, review: { status: item.status, decidedAt: item.decidedAt, sources: item.sources } } : { provenance: null, review: null };
}

function collectConversations(ctx: Ctx, tx: DbOrTx, assemblyId: string, ids: Pseudonyms, table: TableSink, doc: Doc) {
  const convs: Row[] = [], parts: Row[] = [], stmts: Row[] = [], votes: Row[] = [], maps: Row[] = [], groups: Row[] = [];
  const polis: Array<{ defs: ReturnType<typeof polisTables>; files: Record<string, string> }> = [];
  for (const c of [...conversationsRepo.forAssembly(tx, assemblyId)].sort(byKey((x) => x.id))) {
    convs.push({
      conversation_id: c.id, topic: c.topic, description: c.description, moderation: c.moderation, status: c.status, vote_events: c.voteEvents,
      attribution_text: c.attribution?.text ?? null, attribution_license: c.attribution?.license ?? null, attribution_source: c.attribution?.source ?? null, created_at: c.createdAt,
    });
    const ps = conversationsRepo.participants(tx, c.id);
    const pub = new Map(ps.map((p) => [p.id, p.kind === 'member' && p.userId ? ids.of('user', p.userId) : ids.of('participant', String(p.id))]));
    // join order (the Pol.is numbering follows it)
    for (const p of ps) parts.push({ conversation_id: c.id, participant_id: pub.get(p.id)!, kind: p.kind, polis_id: p.externalId, polis_group: p.polisGroup });
    const ss = conversationsRepo.statements(tx, c.id);
    const tid = new Map(ss.map((s) => [s.id, s.tid]));
    for (const s of [...ss].sort((x, y) => x.tid - y.tid)) {
      stmts.push({
        conversation_id: c.id, statement_id: s.tid, author_id: s.authorId == null ? null : pub.get(s.authorId)!, text: s.text, status: s.status, is_meta: s.isMeta,
        agree_count: s.agreeCount, disagree_count: s.disagreeCount, pass_count: s.passCount, created_at: s.createdAt,
      });
    }
    const vs = conversationsRepo.votes(tx, c.id).map((v) => ({ v, t: tid.get(v.statementId)!, p: pub.get(v.participantId)! }));
    vs.sort((x, y) => x.t - y.t || (x.p < y.p ? -1 : x.p > y.p ? 1 : 0));
    for (const { v, t, p } of vs) votes.push({ conversation_id: c.id, statement_id: t, participant_id: p, vote: v.vote, voted_at: v.votedAt });
    const m = conversationsRepo.publishedMap(tx, c.id);
    if (m) {
      const body = m.body as OpinionMapPayload;
      const refTid = <T extends { statementId: number; tid: number }>(x: T) => ({ ...x, statementId: x.tid });
      const shown = {
        ...body,
        groups: body.groups.map((g) => ({ ...g, representative: g.representative.map(refTid) })),
        participants: body.participants.map((p) => ({ ...p, participantId: pub.get(p.participantId) ?? null })),
        statements: body.statements.map(refTid),
        consensus: { agree: body.consensus.agree.map(refTid), disagree: body.consensus.disagree.map(refTid) },
        groupInformedConsensus: body.groupInformedConsensus.map(refTid),
      };
      const path = `maps/${c.id}.json`;
      doc(`map-${c.id.toLowerCase()}`, path, `Opinion map: ${c.topic}`, 'The approved opinion map (participants by random id, statements by number) and its provenance.', { map: shown, edited: m.edited, publishedAt: m.publishedAt, ...provenanceOf(tx, m.reviewItemId) });
      maps.push({ conversation_id: c.id, groups: body.groups.length, participants: body.participants.length, edited: m.edited, path, published_at: m.publishedAt });
      for (const p of [...body.participants].map((x) => ({ x, id: pub.get(x.participantId) })).filter((x) => x.id).sort(byKey((x) => x.id!)))
        groups.push({ conversation_id: c.id, participant_id: p.id!, group: p.x.group, nearest_group: p.x.nearestGroup });
    }
    if (ss.length) {
      const out = exportPolis(ctx, assemblyId, c.id);
      polis.push({ defs: polisTables(c.id, ss.map((s) => s.tid).sort((x, y) => x - y), ss.some((s) => s.isMeta)), files: out.files });
    }
  }
  table(TABLES.conversations, convs);
  table(TABLES.participants, parts);
  table(TABLES.statements, stmts);
  table(TABLES.votes, votes);
  table(TABLES.maps, maps);
  table(TABLES.groups, groups);
  // Pol.is layout, written by the conversations module's own writer (the files it imports)
  for (const p of polis) {
    table(p.defs.comments, p.files['comments.csv']);
    table(p.defs.votes, p.files['votes.csv']);
    table(p.defs.participantsVotes, p.files['participants-votes.csv']);
  }
}

function collectTexts(tx: DbOrTx, assemblyId: string, ids: Pseudonyms, table: TableSink, doc: Doc) {
  const trs: Row[] = [];
  const transcripts = tx.select().from(breakoutTranscripts).where(eq(breakoutTranscripts.assemblyId, assemblyId)).orderBy(asc(breakoutTranscripts.id)).all();
  for (const t of transcripts) {
    const segments = (t.segments as Array<{ speakerId: string | null }>).map((s) => ({ ...s, speakerId: s.speakerId ? ids.of('user', s.speakerId) : null }));
    const path = `transcripts/${t.id}.json`;
    doc(`transcript-${t.id.toLowerCase()}`, path, 'Approved transcript', 'Segments of an approved breakout transcript (speakers by random id) and the review provenance.', { segments, ...provenanceOf(tx, t.reviewItemId) });
    trs.push({ transcript_id: t.id, session_id: t.sessionId, group_id: t.groupId, language: t.language, segments: segments.length, path, published_at: t.publishedAt });
  }
  table(TABLES.transcripts, trs);
  const pubs: Row[] = [];
  for (const p of [...publicationsRepo.forAssembly(tx, assemblyId)].sort(byKey((x) => x.id))) {
    const path = `publications/${p.id}.json`;
    doc(`publication-${p.id.toLowerCase()}`, path, p.title, 'A published text, its citations and provenance.', { body: p.body, ...provenanceOf(tx, p.reviewItemId) });
    pubs.push({ publication_id: p.id, kind: p.kind, subject: p.subject, language: p.language, title: p.title, machine_translated: p.machineTranslated, path, published_at: p.publishedAt });
  }
  table(TABLES.publications, pubs);
}


function collectRecommendations(tx: DbOrTx, assemblyId: string, ids: Pseudonyms, table: TableSink) {
  const recs = tx.select().from(recommendations).where(eq(recommendations.assemblyId, assemblyId)).orderBy(asc(recommendations.id)).all();
  const author = (id: string | null) => (id ? ids.of('user', id) : null);
  table(TABLES.recommendations, recs.map((r) => ({
    recommendation_id: r.id, status: r.status, drafter_kind: r.drafterKind, drafter_name: r.drafterName, ...Object.fromEntries(REC_KEYS.map((k) => [k, r[k]])),
    version: r.version, created_at: r.createdAt, updated_at: r.updatedAt,
  })));
  const vs: Row[] = [];
  for (const r of recs)
    for (const v of tx.select().from(versions).where(eq(versions.subject, `recommendation:${r.id}`)).orderBy(asc(versions.version)).all())
      vs.push({ recommendation_id: r.id, version: v.version, changed: v.changed.join('|'), author_id: author(v.authorId), note: v.note, created_at: v.createdAt, ...Object.fromEntries(REC_KEYS.map((k) => [k, v.fields[k] ?? null])) });
  table(TABLES.versions, vs);
  const am = tx.select().from(amendments).where(eq(amendments.assemblyId, assemblyId)).orderBy(asc(amendments.id)).all();
  table(TABLES.amendments, am.map((a) => ({
    amendment_id: a.id, subject: a.subject, kind: a.kind, proposed_text: a.proposedText, justification: a.justification, base_version: a.baseVersion, author_id: author(a.authorId),
    status: a.status, decision_reason: a.decisionReason, decided_at: a.decidedAt, result: a.result, created_at: a.createdAt,
  })));
}
