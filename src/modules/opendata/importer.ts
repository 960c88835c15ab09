import type { PanelDistribution, SelectionResult } from '../../../pipelines/sortition/index.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { actorId, type Ctx } from '../../platform/context.js';
import type { Tx } from '../../platform/db/client.js';
import { publications, reviewItems } from '../../platform/db/schema.js';
import { conflict } from '../../platform/errors.js';
import { newId, sha256 } from '../../platform/ids.js';
import { assembliesRepo } from '../assemblies/repo.js';
import { breakoutTranscripts } from '../breakouts/schema.js';
import { conversationsRepo } from '../conversations/repo.js';
import { publishedMaps } from '../conversations/schema.js';
import type { QuotaRow } from '../sortition/schema.js';
import { sortitionRepo } from '../sortition/repo.js';
import { checkPackage, type ParsedPackage } from './check.js';
import type { Row } from './csv.js';
import { opendataRepo } from './repo.js';
import { DEFAULT_ZIP_LIMITS, unpackZip, ZipRefused, type ZipLimits } from './zip.js';
import { AppError } from '../../platform/errors.js';
import { recommendations } from '../recommendations/schema.js';
import { versions } from '../../platform/versions/schema.js';
import { amendments } from '../../platform/amendments/schema.js';
import { FIELDS as REC_KEYS } from '../recommendations/domain.js';
import { importMore } from './import-after.js';

/**
 * Loads an open-data package into this instance as a read-only archived assembly with the same slug. Everything is
 * checked first (zip, schema, references); then one transaction writes the assembly and the rows the public pages
 * read, keeping the package's random ids (recorded as the assembly's ids, so exporting it again gives the same tables).
 * The archive has no accounts: members exist only as the random ids of the package.
 */
export function importPackage(ctx: Ctx, bytes: Uint8Array, limits: ZipLimits = DEFAULT_ZIP_LIMITS) {
  let files: Map<string, string>;
  try {
    files = unpackZip(bytes, limits);
  } catch (e) {
    if (e instanceof ZipRefused) throw new AppError('VALIDATION', e.message);
    throw e;
  }
  const pkg = checkPackage(files);
  const packageSha256 = sha256(bytes);
  return ctx.db.transaction((tx) => {
    if (assembliesRepo.bySlug(tx, pkg.assembly.slug)) throw conflict(`An assembly with the address '${pkg.assembly.slug}' exists already; an archive is imported into an instance without it.`);
    const a = assembliesRepo.insert(tx, { id: newId('as_'), slug: pkg.assembly.slug, title: pkg.assembly.title, question: pkg.assembly.question, languages: pkg.assembly.languages, createdAt: pkg.assembly.createdAt });
    opendataRepo.insertArchive(tx, { assemblyId: a.id, status: pkg.status, packageSha256, exportedAt: pkg.created, importedBy: actorId(ctx.actor) });
    const review = (kind: string, subject: string, title: string, payload: unknown, doc: { provenance: unknown; review: { status: string; decidedAt: string | null; sources: unknown } | null }) =>
      tx.insert(reviewItems).values({
        id: newId('rev_'), assemblyId: a.id, kind, subject, title, payload: payload as object, provenance: (doc.provenance ?? {}) as object, sources: (doc.review?.sources ?? []) as object,
        status: doc.review?.status === 'edited' ? 'edited' : 'approved', decidedAt: doc.review?.decidedAt ?? null,
      }).returning().get();
    const counts = {
      pools: importSortition(tx, a.id, pkg),
      conversations: importConversations(tx, a.id, pkg, review),
      transcripts: 0,
      publications: 0,
      recommendations: 0,
    };
    for (const t of pkg.tables.transcripts) {
      const doc = pkg.transcripts.get(String(t.transcript_id))!;
      for (const s of doc.segments) if (s.speakerId) ensureId(tx, a.id, 'user', s.speakerId, s.speakerId);
      const item = review('transcript', `breakout-group:${t.group_id}`, 'Transcript', { groupId: t.group_id, sessionId: t.session_id, language: t.language, segments: doc.segments, counts: {} }, doc);
      tx.insert(breakoutTranscripts).values({ id: String(t.transcript_id), assemblyId: a.id, sessionId: String(t.session_id), groupId: String(t.group_id), reviewItemId: item.id, language: t.language as string | null, segments: doc.segments, publishedAt: String(t.published_at) }).run();
      counts.transcripts++;
    }
    for (const p of pkg.tables.publications) {
      const doc = pkg.publications.get(String(p.publication_id))!;
      const item = review(String(p.kind), String(p.subject), String(p.title), doc.body, doc);
      tx.insert(publications).values({
        id: String(p.publication_id), assemblyId: a.id, reviewItemId: item.id, kind: String(p.kind), subject: String(p.subject), language: String(p.language), title: String(p.title),
        body: doc.body as object, machineTranslated: p.machine_translated === true, publishedAt: String(p.published_at),
      }).run();
      counts.publications++;
    }
    counts.recommendations = importRecommendations(tx, a.id, pkg);
    const more = importMore(tx, a.id, pkg, (id) => ensureId(tx, a.id, 'user', id, id));
    recordAudit(tx, { actorId: actorId(ctx.actor), action: 'opendata.import', subject: `assembly:${a.id}`, data: { slug: a.slug, packageSha256, status: pkg.status, ...counts, ...more } });
    return { assemblyId: a.id, slug: a.slug, status: pkg.status, packageSha256, counts: { ...counts, ...more } };
  });
}

const seen = new WeakMap<Tx, Set<string>>();
function ensureId(tx: Tx, assemblyId: string, kind: 'user' | 'participant' | 'person', internal: string, pub: string) {
  const s = seen.get(tx) ?? new Set<string>();
  seen.set(tx, s);
  const key = `${kind}\u0000${internal}`;
  if (s.has(key)) return;
  s.add(key);
  opendataRepo.insertId(tx, { assemblyId, kind, internal, public: pub });
}

const str = (v: Row[string]) => (v === null ? null : String(v));
const num = (v: Row[string]) => (v === null ? null : Number(v));

function importSortition(tx: Tx, assemblyId: string, pkg: ParsedPackage): number {
  const t = pkg.tables;
  for (const p of t.pools) {
    const poolId = String(p.pool_id);
    const quotas: QuotaRow[] = t.quotas.filter((q) => q.pool_id === poolId).map((q) => ({ category: String(q.category), value: String(q.value), min: Number(q.min), max: Number(q.max) }));
    const categories = p.categories === '' || p.categories === null ? [] : String(p.categories).split('|');
    sortitionRepo.insertPool(tx, { id: poolId, assemblyId, name: String(p.name), source: p.source as 'import', panelSize: Number(p.panel_size), categories, quotas, mapping: null, status: p.status as 'open', createdAt: String(p.created_at) });
    const people = t.people.filter((x) => x.pool_id === poolId);
    const features = new Map<string, Record<string, string>>();
    for (const f of t.features) if (f.pool_id === poolId) features.set(String(f.person_id), { ...features.get(String(f.person_id)), [String(f.category)]: String(f.value) });
    if (people.length)
      sortitionRepo.insertPeople(tx, people.map((x) => ({ poolId, personId: String(x.person_id), features: features.get(String(x.person_id)) ?? {}, status: x.status as 'pool', selectedVia: x.selected_via as 'draw' | null })));
    for (const x of people) ensureId(tx, assemblyId, 'person', `${poolId}:${x.person_id}`, String(x.person_id));
    if (p.algorithm === null) continue;
    const probabilities = Object.fromEntries(people.filter((x) => x.probability !== null).map((x) => [String(x.person_id), Number(x.probability)]));
    const legacy = people.some((x) => x.legacy_probability !== null) ? { probabilities: Object.fromEntries(people.filter((x) => x.legacy_probability !== null).map((x) => [String(x.person_id), Number(x.legacy_probability)])) } : null;
    const algorithm = p.algorithm as SelectionResult['algorithm'];
    // the archive keeps the marginals; the distribution over panels is not part of the open data
    const distribution: PanelDistribution = { groups: [], panels: [], weights: [] };
    const result = {
      algorithm, panelSize: Number(p.panel_size), probabilities, distribution, stats: {},
      provenance: { stage: 'opendata.import', version: str(p.algorithm_version) ?? '', algorithm, params: {}, seed: null, inputHash: '', solver: str(p.solver) },
    } as unknown as SelectionResult;
    const run = sortitionRepo.insertRun(tx, {
      id: newId('run_'), assemblyId, poolId, poolRevision: 1, algorithm, panelSize: Number(p.panel_size), status: 'done', poolSha256: str(p.pool_sha256) ?? '', quotasSha256: str(p.quotas_sha256) ?? '',
      result, legacy, distributionSha256: str(p.distribution_sha256), committedAt: str(p.committed_at), finishedAt: str(p.committed_at),
    });
    if (p.drawn_at === null) continue;
    const record = {
      format: 'plenary-draw/1', version: str(p.algorithm_version) ?? '', algorithm, params: {}, panelSize: Number(p.panel_size), poolSha256: str(p.pool_sha256) ?? '', quotasSha256: str(p.quotas_sha256) ?? '',
      m: num(p.lottery_size), lotterySha256: str(p.lottery_sha256), seedSource: str(p.seed_source), seedSha256: str(p.seed_sha256), ticket: num(p.ticket),
      panel: people.filter((x) => x.selected_via === 'draw').map((x) => String(x.person_id)).sort(), solver: str(p.solver) ?? '',
    };
    const draw = sortitionRepo.insertDraw(tx, { id: newId('draw_'), assemblyId, poolId, runId: run.id, record, alternates: [], createdAt: String(p.drawn_at) });
    for (const r of t.replacements.filter((x) => x.pool_id === poolId).sort((u, v) => Number(u.seq) - Number(v.seq)))
      sortitionRepo.insertReplacement(tx, { id: newId('rpl_'), drawId: draw.id, outPersonId: String(r.out_person_id), inPersonId: str(r.in_person_id), reason: r.reason as 'declined', deviation: Number(r.deviation), createdAt: String(r.created_at) });
    for (const b of t.letters.filter((x) => x.pool_id === poolId).sort((u, v) => Number(u.seq) - Number(v.seq)))
      sortitionRepo.insertBatch(tx, { id: newId('lb_'), poolId, seedSource: String(b.seed_source), addressesSha256: String(b.addresses_sha256), addresses: Number(b.addresses), letters: Number(b.letters), createdAt: String(b.created_at) });
  }
  return t.pools.length;
}

type Review = (kind: string, subject: string, title: string, payload: unknown, doc: { provenance: unknown; review: { status: string; decidedAt: string | null; sources: unknown } | null }) => { id: string };

function importConversations(tx: Tx, assemblyId: string, pkg: ParsedPackage, review: Review): number {
  const t = pkg.tables;
  for (const c of t.conversations) {
    const conversationId = String(c.conversation_id);
    const attribution = c.attribution_text === null && c.attribution_license === null ? null : { text: str(c.attribution_text) ?? '', license: str(c.attribution_license) ?? '', source: str(c.attribution_source) };
    conversationsRepo.insert(tx, {
      id: conversationId, assemblyId, topic: String(c.topic), description: str(c.description) ?? '', moderation: c.moderation as 'pre', status: c.status as 'open', recomputeEvery: 0,
      voteEvents: Number(c.vote_events), attribution, createdAt: String(c.created_at),
    });
    const rowOf = new Map<string, number>();
    // file order is join order: the Pol.is numbering of members follows it
    for (const p of t.participants.filter((x) => x.conversation_id === conversationId)) {
      const row = conversationsRepo.insertParticipant(tx, { conversationId, kind: p.kind as 'member', userId: null, pseudonym: String(p.participant_id), externalId: num(p.polis_id), polisGroup: num(p.polis_group) });
      rowOf.set(String(p.participant_id), row.id);
      ensureId(tx, assemblyId, 'participant', String(row.id), String(p.participant_id));
    }
    const stmtOf = new Map<number, number>();
    for (const s of t.statements.filter((x) => x.conversation_id === conversationId)) {
      const row = conversationsRepo.insertStatement(tx, {
        conversationId, tid: Number(s.statement_id), authorId: s.author_id === null ? null : rowOf.get(String(s.author_id))!, text: String(s.text), status: s.status as 'accepted', isMeta: s.is_meta === true,
        agreeCount: Number(s.agree_count), disagreeCount: Number(s.disagree_count), passCount: Number(s.pass_count), createdAt: String(s.created_at),
      });
      stmtOf.set(Number(s.statement_id), row.id);
    }
    for (const v of t.votes.filter((x) => x.conversation_id === conversationId))
      conversationsRepo.insertVote(tx, { statementId: stmtOf.get(Number(v.statement_id))!, participantId: rowOf.get(String(v.participant_id))!, conversationId, vote: Number(v.vote), votedAt: Number(v.voted_at), changes: 0 });
    const doc = pkg.maps.get(conversationId);
    if (doc) {
      const m = doc.map as Record<string, unknown> & { participants: Array<{ participantId: string | null }> };
      const refRow = (x: { tid: number }) => ({ ...x, statementId: stmtOf.get(x.tid) ?? -1 });
      const groups = (m.groups as Array<{ representative: Array<{ tid: number }> }>).map((g) => ({ ...g, representative: g.representative.map(refRow) }));
      const consensus = m.consensus as { agree: Array<{ tid: number }>; disagree: Array<{ tid: number }> };
      const body = {
        ...m, groups,
        participants: m.participants.filter((p) => p.participantId && rowOf.has(p.participantId)).map((p) => ({ ...p, participantId: rowOf.get(p.participantId!)! })),
        statements: (m.statements as Array<{ tid: number }>).map(refRow),
        consensus: { agree: consensus.agree.map(refRow), disagree: consensus.disagree.map(refRow) },
        groupInformedConsensus: (m.groupInformedConsensus as Array<{ tid: number }>).map(refRow),
      };
      const item = review('opinion-map', `conversation:${conversationId}`, `Opinion map: ${String(c.topic)}`, body, doc);
      tx.insert(publishedMaps).values({ id: newId('map_'), assemblyId, conversationId, reviewItemId: item.id, body, edited: doc.edited, publishedAt: doc.publishedAt }).run();
    }
  }
  return t.conversations.length;
}


/** Recommendations, their versions and amendments; authors keep their random ids (as ids and as the name shown). */
function importRecommendations(tx: Tx, assemblyId: string, pkg: ParsedPackage): number {
  const t = pkg.tables;
  const author = (v: Row[string]) => {
    if (v === null) return null;
    ensureId(tx, assemblyId, 'user', String(v), String(v));
    return String(v);
  };
  for (const r of t.recommendations)
    tx.insert(recommendations).values({
      id: String(r.recommendation_id), assemblyId, drafterKind: r.drafter_kind as 'group', drafterName: String(r.drafter_name), status: r.status as 'draft',
      ...(Object.fromEntries(REC_KEYS.map((k) => [k, str(r[k]) ?? ''])) as Record<(typeof REC_KEYS)[number], string>),
      version: Number(r.version), createdAt: String(r.created_at), updatedAt: String(r.updated_at),
    }).run();
  for (const v of t.versions) {
    const fields = Object.fromEntries(REC_KEYS.filter((k) => v[k] !== null).map((k) => [k, String(v[k])]));
    const who = author(v.author_id);
    tx.insert(versions).values({ subject: `recommendation:${v.recommendation_id}`, version: Number(v.version), fields, changed: v.changed ? String(v.changed).split('|') : [], authorId: who, authorName: who ?? '', note: str(v.note), createdAt: String(v.created_at) }).run();
  }
  for (const a of t.amendments) {
    const who = author(a.author_id);
    tx.insert(amendments).values({
      id: Number(a.amendment_id), assemblyId, subject: String(a.subject), kind: a.kind as 'replace', proposedText: str(a.proposed_text) ?? '', justification: String(a.justification), baseVersion: Number(a.base_version),
      authorId: who, authorName: who ?? '', status: a.status as 'open', decisionReason: str(a.decision_reason), decidedAt: str(a.decided_at), result: str(a.result), createdAt: String(a.created_at),
    }).run();
  }
  return t.recommendations.length;
}
