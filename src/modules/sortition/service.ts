import { randomBytes } from 'node:crypto';
import {
  anonymiseProbabilities,
  buildLottery,
  detectColumnMapping,
  drawFromLottery,
  householdKey,
  parsePeopleCsv,
  parseQuotasCsv,
  readCsvCells,
  poolSha256,
  quotasSha256,
  rankAlternates,
  replaceDropouts,
  Rng,
  SortitionError,
  SORTITION_VERSION,
  validateSelectionInput,
  verifyDraw,
  type ColumnMapping,
  type CsvNote,
  type DrawRecord,
  type Lottery,
  type Pool,
  type Quotas,
  type SelectionResult,
  type VerifyResult,
} from '../../../pipelines/sortition/index.js';
import { recordAudit } from '../../platform/audit/audit.js';
import { actorId, type Ctx } from '../../platform/context.js';
import type { DbOrTx, Tx } from '../../platform/db/client.js';
import { AppError, conflict, invalid, notFound } from '../../platform/errors.js';
import { newId, sha256 } from '../../platform/ids.js';
import type { JobQueue } from '../../platform/jobs/index.js';
import { assembliesRepo } from '../assemblies/repo.js';
import { formatInvitationCode, normaliseInvitationCode } from '../identity/domain.js';
import { createInvitations } from '../identity/service.js';
import { DEFAULT_TIME_LIMIT_SECONDS, MAX_REGISTRATIONS_PER_LETTER, sortitionProblem, type ChosenAlgorithm } from './domain.js';
import { sortitionRepo, type PersonRow, type PoolRow, type RunRow } from './repo.js';
import type { QuotaRow } from './schema.js';

export const SELECT_JOB = 'sortition.select';

// ---------- helpers ----------

function assertAssembly(db: DbOrTx, assemblyId: string) {
  const a = assembliesRepo.byId(db, assemblyId);
  if (!a) throw notFound('Assembly', assemblyId);
  return a;
}

export function getPoolRow(ctx: Ctx, assemblyId: string, poolId: string): PoolRow {
  assertAssembly(ctx.db, assemblyId);
  const p = sortitionRepo.pool(ctx.db, assemblyId, poolId);
  if (!p) throw notFound('Pool', poolId);
  return p;
}

/** The pool as the algorithms see it: ids, features, household keys. No personal data is read. */
export function algorithmInput(db: DbOrTx, pool: PoolRow): { pool: Pool; quotas: Quotas; rows: PersonRow[] } {
  const rows = sortitionRepo.people(db, pool.id);
  return {
    rows,
    pool: {
      categories: pool.categories,
      people: rows.map((r) => ({ id: r.personId, features: r.features, ...(r.household ? { household: r.household } : {}), ...(r.line != null ? { line: r.line } : {}) })),
    },
    quotas: { rows: pool.quotas.map((q) => ({ category: q.category, value: q.value, min: q.min, max: q.max, ...(q.line != null ? { line: q.line } : {}) })) },
  };
}

function wrap<T>(file: string | undefined, fn: () => T): T {
  try {
    return fn();
  } catch (e) {
    throw sortitionProblem(e, file);
  }
}

function quotaRowsFrom(quotas: Quotas): QuotaRow[] {
  return quotas.rows.map((q) => ({ category: q.category, value: q.value, min: q.min, max: q.max, ...(q.line !== undefined ? { line: q.line } : {}) }));
}

/** Checks quotas on their own (for volunteer pools, which fill up later): bounds, duplicates, sums against k. */
function checkQuotaRows(rows: QuotaRow[], panelSize: number) {
  const errors: { path: string; message: string }[] = [];
  const seen = new Set<string>();
  const byCat = new Map<string, { lo: number; hi: number }>();
  rows.forEach((q, i) => {
    const key = `${q.category}\u0000${q.value}`;
    if (seen.has(key)) errors.push({ path: `quotas.${i}`, message: `duplicate quota row ${q.category}=${q.value}` });
    seen.add(key);
    if (q.min > q.max) errors.push({ path: `quotas.${i}`, message: `${q.category}=${q.value}: min ${q.min} is greater than max ${q.max}` });
    const c = byCat.get(q.category) ?? { lo: 0, hi: 0 };
    c.lo += q.min;
    c.hi += q.max;
    byCat.set(q.category, c);
  });
  for (const [category, { lo, hi }] of byCat) {
    if (lo > panelSize) errors.push({ path: `quotas category ${category}`, message: `minimums add up to ${lo}, more than the panel size ${panelSize}` });
    if (hi < panelSize) errors.push({ path: `quotas category ${category}`, message: `maximums add up to ${hi}, less than the panel size ${panelSize}` });
  }
  if (rows.length === 0) errors.push({ path: 'quotas', message: 'there are no quota rows' });
  if (errors.length) throw invalid(`The quotas cannot be used: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}.`, errors);
}

// ---------- import ----------

/**
 * What the wizard shows before the organiser maps columns: headers, the suggested mapping, the row count, and what
 * was ignored in spreadsheet-saved files (empty trailing columns, a byte-order mark, `;` separators).
 */
export function previewImport(peopleCsv: string, quotasCsv?: string) {
  const ignored: CsvNote[] = [];
  const quotas = quotasCsv ? wrap('quotas', () => parseQuotasCsv(quotasCsv, ignored)) : undefined;
  const people = readCsvCells(peopleCsv, 'people');
  if (people.note) ignored.push(people.note);
  const headers = (people.data[0] ?? []).map((h) => h.trim());
  if (headers.length === 0 || headers.every((h) => h === '')) throw invalid('The people CSV is empty.', [{ path: 'people line 1', message: 'no header row' }]);
  const mapping = detectColumnMapping(headers, quotas);
  const rows = people.data.filter((r) => r.some((c) => c.trim() !== '')).length - 1;
  return { headers, mapping, rows: Math.max(0, rows), quotas: quotas ? quotaRowsFrom(quotas) : null, ignored };
}

export interface ImportInput {
  name?: string;
  panelSize: number;
  people: string;
  quotas: string;
  mapping?: Partial<ColumnMapping>;
}

/**
 * Imports a pool from a people CSV and a quotas CSV, all or nothing: parsing, the column mapping and the
 * cross-checks (quotas reaching k, categories, values, duplicates, panel size) all run before anything is written.
 * Personal-data columns (and address columns) go to `sortition_personal` only.
 */
export function importPool(ctx: Ctx, assemblyId: string, input: ImportInput) {
  assertAssembly(ctx.db, assemblyId);
  const ignored: CsvNote[] = [];
  const quotas = wrap('quotas', () => parseQuotasCsv(input.quotas, ignored));
  let mapping = input.mapping;
  if (mapping?.address && mapping.personal) mapping = { ...mapping, personal: [...new Set([...mapping.personal, ...mapping.address])] };
  const parsed = wrap('people', () => parsePeopleCsv(input.people, { quotas, mapping, notes: ignored }));
  wrap(undefined, () => validateSelectionInput(parsed.pool, quotas, input.panelSize));
  const poolId = newId('pool_');
  return ctx.db.transaction((tx) => {
    const pool = sortitionRepo.insertPool(tx, {
      id: poolId,
      assemblyId,
      name: input.name?.trim() || 'Imported pool',
      source: 'import',
      panelSize: input.panelSize,
      categories: parsed.pool.categories,
      quotas: quotaRowsFrom(quotas),
      mapping: parsed.mapping,
      createdBy: actorId(ctx.actor),
    });
    sortitionRepo.insertPeople(
      tx,
      parsed.pool.people.map((p) => ({ poolId, personId: p.id, features: p.features, household: p.household ?? null, line: p.line ?? null })),
    );
    sortitionRepo.insertPersonal(
      tx,
      Object.entries(parsed.personal)
        .filter(([, rec]) => Object.keys(rec).length > 0)
        .map(([personId, data]) => ({ poolId, personId, data })),
    );
    recordAudit(tx, {
      actorId: actorId(ctx.actor),
      action: 'sortition.import',
      subject: `pool:${poolId}`,
      data: { assemblyId, people: parsed.pool.people.length, categories: parsed.pool.categories, personalColumns: parsed.mapping.personal.length, poolSha256: poolSha256(parsed.pool) },
    });
    return { ...poolView(tx, pool), ignored };
  });
}

/** A pool that volunteers fill by registering with the code on their invitation letter (two-stage lottery). */
export function createRegistrationPool(ctx: Ctx, assemblyId: string, input: { name: string; panelSize: number; quotas: QuotaRow[] }) {
  assertAssembly(ctx.db, assemblyId);
  checkQuotaRows(input.quotas, input.panelSize);
  const categories = [...new Set(input.quotas.map((q) => q.category))];
  return ctx.db.transaction((tx) => {
    const pool = sortitionRepo.insertPool(tx, { id: newId('pool_'), assemblyId, name: input.name, source: 'registration', panelSize: input.panelSize, categories, quotas: input.quotas, mapping: null, createdBy: actorId(ctx.actor) });
    recordAudit(tx, { actorId: actorId(ctx.actor), action: 'sortition.pool.create', subject: `pool:${pool.id}`, data: { assemblyId, panelSize: input.panelSize, categories } });
    return poolView(tx, pool);
  });
}

/** Replaces the quotas (and optionally the panel size); any earlier distribution no longer applies. */
export function setQuotas(ctx: Ctx, assemblyId: string, poolId: string, input: { panelSize?: number; quotas: QuotaRow[] }) {
  const pool = getPoolRow(ctx, assemblyId, poolId);
  if (pool.status === 'drawn') throw conflict('This pool was drawn already; its quotas can no longer change.');
  const panelSize = input.panelSize ?? pool.panelSize;
  checkQuotaRows(input.quotas, panelSize);
  const cats = [...new Set(input.quotas.map((q) => q.category))];
  const { pool: algPool } = algorithmInput(ctx.db, pool);
  if (pool.source === 'import' || algPool.people.length > 0) {
    const missing = pool.categories.filter((c) => !cats.includes(c));
    const extra = cats.filter((c) => !pool.categories.includes(c));
    if (missing.length || extra.length)
      throw invalid(`The quota categories must stay ${pool.categories.join(', ')}.`, [...missing.map((c) => ({ path: `quotas category ${c}`, message: 'category missing' })), ...extra.map((c) => ({ path: `quotas category ${c}`, message: 'unknown category: the pool has no such feature' }))]);
    if (algPool.people.length > 0) wrap(undefined, () => validateSelectionInput(algPool, { rows: input.quotas }, panelSize));
  }
  return ctx.db.transaction((tx) => {
    sortitionRepo.updatePool(tx, pool.id, { quotas: input.quotas, panelSize, categories: pool.source === 'registration' && algPool.people.length === 0 ? cats : pool.categories, revision: pool.revision + 1 });
    sortitionRepo.supersedeRuns(tx, pool.id, '');
    recordAudit(tx, { actorId: actorId(ctx.actor), action: 'sortition.quotas', subject: `pool:${pool.id}`, data: { panelSize, quotasSha256: quotasSha256({ rows: input.quotas }), revision: pool.revision + 1 } });
    return poolView(tx, sortitionRepo.poolById(tx, pool.id)!);
  });
}

// ---------- views ----------

function countsOf(rows: PersonRow[]) {
  const c = { pool: 0, selected: 0, confirmed: 0, declined: 0, dropped: 0 };
  for (const r of rows) c[r.status]++;
  return c;
}

function poolView(db: DbOrTx, p: PoolRow) {
  const rows = sortitionRepo.people(db, p.id);
  const draw = sortitionRepo.drawOfPool(db, p.id);
  return {
    id: p.id,
    assemblyId: p.assemblyId,
    name: p.name,
    source: p.source,
    panelSize: p.panelSize,
    categories: p.categories,
    quotas: p.quotas,
    mapping: p.mapping,
    revision: p.revision,
    status: p.status,
    people: rows.length,
    counts: countsOf(rows),
    drawId: draw?.id ?? null,
    createdAt: p.createdAt,
  };
}
export type PoolView = ReturnType<typeof poolView>;

export function listPools(ctx: Ctx, assemblyId: string) {
  assertAssembly(ctx.db, assemblyId);
  return sortitionRepo.pools(ctx.db, assemblyId).map((p) => poolView(ctx.db, p));
}

export function getPool(ctx: Ctx, assemblyId: string, poolId: string) {
  const p = getPoolRow(ctx, assemblyId, poolId);
  return { ...poolView(ctx.db, p), runs: sortitionRepo.runs(ctx.db, p.id).map(runSummary) };
}

/** Pool members with features and status; never personal data. */
export function listPeople(ctx: Ctx, assemblyId: string, poolId: string) {
  const p = getPoolRow(ctx, assemblyId, poolId);
  return sortitionRepo.people(ctx.db, p.id).map((r) => ({ id: r.personId, features: r.features, household: r.household, line: r.line, status: r.status, selectedVia: r.selectedVia }));
}

/** The anonymous pool (ids, features, household keys) and quotas: everything needed to re-run the draw, nothing personal. */
export function exportPool(ctx: Ctx, assemblyId: string, poolId: string) {
  const p = getPoolRow(ctx, assemblyId, poolId);
  const { pool, quotas } = algorithmInput(ctx.db, p);
  return {
    format: 'plenary-pool-export/1',
    panelSize: p.panelSize,
    poolSha256: poolSha256(pool),
    quotasSha256: quotasSha256(quotas),
    categories: pool.categories,
    people: pool.people.map((x) => ({ id: x.id, features: x.features, household: x.household ?? null })),
    quotas: quotas.rows.map((q) => ({ category: q.category, value: q.value, min: q.min, max: q.max })),
  };
}

/** Contact details of pool people, for organisers who must reach the selected (staff only; never exported or logged). */
export function contactsOf(ctx: Ctx, assemblyId: string, poolId: string, personIds: string[]) {
  const p = getPoolRow(ctx, assemblyId, poolId);
  const out: Record<string, Record<string, string>> = {};
  for (const r of sortitionRepo.personal(ctx.db, p.id, personIds)) out[r.personId] = r.data;
  return out;
}

function runSummary(r: RunRow) {
  return { id: r.id, algorithm: r.algorithm, status: r.status, panelSize: r.panelSize, jobId: r.jobId, distributionSha256: r.distributionSha256, committedAt: r.committedAt, createdAt: r.createdAt, finishedAt: r.finishedAt };
}

export function getRun(ctx: Ctx, assemblyId: string, runId: string) {
  assertAssembly(ctx.db, assemblyId);
  const r = sortitionRepo.run(ctx.db, assemblyId, runId);
  if (!r) throw notFound('Selection run', runId);
  const result = r.result as SelectionResult | null;
  const legacy = r.legacy as { probabilities: Record<string, number>; stats: Record<string, number> } | null;
  const lottery = r.lottery as Lottery | null;
  return {
    ...runSummary(r),
    poolId: r.poolId,
    poolSha256: r.poolSha256,
    quotasSha256: r.quotasSha256,
    error: r.error,
    infeasible: r.infeasible as { message: string; relaxations: unknown[] } | null,
    probabilities: result?.probabilities ?? null,
    legacyProbabilities: legacy?.probabilities ?? null,
    stats: result?.stats ?? null,
    legacyStats: legacy?.stats ?? null,
    panels: result ? result.distribution.panels.length : null,
    lottery: lottery ? { m: lottery.m, sha256: lottery.sha256, maxDeviation: lottery.maxDeviation, version: lottery.version } : null,
  };
}
export type RunView = ReturnType<typeof getRun>;

// ---------- selection run ----------

/** Validates the pool against its quotas, then queues `sortition.select`; earlier runs of the pool are superseded. */
export function startRun(ctx: Ctx, jobs: Pick<JobQueue, 'enqueue'>, assemblyId: string, poolId: string, input: { algorithm?: ChosenAlgorithm; timeLimitSeconds?: number }) {
  const p = getPoolRow(ctx, assemblyId, poolId);
  if (p.status === 'drawn') throw conflict('This pool was drawn already.');
  const { pool, quotas } = algorithmInput(ctx.db, p);
  wrap(undefined, () => validateSelectionInput(pool, quotas, p.panelSize));
  const algorithm = input.algorithm ?? 'leximin';
  return ctx.db.transaction((tx) => {
    const runId = newId('run_');
    const run = sortitionRepo.insertRun(tx, { id: runId, assemblyId, poolId, poolRevision: p.revision, algorithm, panelSize: p.panelSize, poolSha256: poolSha256(pool), quotasSha256: quotasSha256(quotas), createdBy: actorId(ctx.actor) });
    sortitionRepo.supersedeRuns(tx, poolId, runId);
    const job = jobs.enqueue(tx, { type: SELECT_JOB, assemblyId, payload: { runId, timeLimitSeconds: input.timeLimitSeconds ?? DEFAULT_TIME_LIMIT_SECONDS }, idempotencyKey: `sortition.select:${runId}`, createdBy: actorId(ctx.actor) });
    sortitionRepo.updateRun(tx, runId, { jobId: job.id });
    recordAudit(tx, { actorId: actorId(ctx.actor), action: 'sortition.run', subject: `pool:${poolId}`, data: { runId, algorithm, timeLimitSeconds: input.timeLimitSeconds ?? DEFAULT_TIME_LIMIT_SECONDS, poolSha256: run.poolSha256, quotasSha256: run.quotasSha256 } });
    return { runId, jobId: job.id };
  });
}

/**
 * Fixes the distribution: records its sha256 (the lottery's hash) publicly, in the audit log and on the
 * transparency page, BEFORE any seed is known. A draw is only possible on a committed distribution.
 */
export function commitRun(ctx: Ctx, assemblyId: string, runId: string) {
  const run = sortitionRepo.run(ctx.db, assemblyId, runId);
  if (!run) throw notFound('Selection run', runId);
  if (run.status !== 'done' || !run.distributionSha256) throw new AppError('PRECONDITION_FAILED', `This run is ${run.status}; only a finished run's distribution can be fixed.`);
  if (run.committedAt) return { runId, distributionSha256: run.distributionSha256, committedAt: run.committedAt };
  const pool = sortitionRepo.poolById(ctx.db, run.poolId)!;
  if (pool.revision !== run.poolRevision) throw conflict('The pool or its quotas changed after this run; run the selection again.');
  const at = ctx.clock().toISOString();
  ctx.db.transaction((tx) => {
    sortitionRepo.updateRun(tx, runId, { committedAt: at, committedBy: actorId(ctx.actor) });
    recordAudit(tx, { actorId: actorId(ctx.actor), action: 'sortition.commit', subject: `pool:${run.poolId}`, data: { runId, distributionSha256: run.distributionSha256, poolSha256: run.poolSha256, quotasSha256: run.quotasSha256, algorithm: run.algorithm } });
  });
  return { runId, distributionSha256: run.distributionSha256, committedAt: at };
}

/**
 * The public draw. Refused unless the distribution was fixed first and is unchanged: same run (not superseded),
 * same pool revision and hashes, and the lottery rebuilt from the stored distribution has the committed hash.
 * Then sha256(seed) mod m picks the panel; alternates are ranked with the seed's hash as tie-break seed.
 */
export async function draw(ctx: Ctx, assemblyId: string, runId: string, input: { seed: string; distributionSha256: string }) {
  const run = sortitionRepo.run(ctx.db, assemblyId, runId);
  if (!run) throw notFound('Selection run', runId);
  const p = sortitionRepo.poolById(ctx.db, run.poolId)!;
  if (p.status === 'drawn') throw conflict('This pool was drawn already; a pool is drawn once.');
  if (run.status === 'superseded') throw conflict('A newer selection run replaced this distribution; draw from the current one.');
  if (run.status !== 'done' || !run.distributionSha256 || !run.result || !run.lottery) throw new AppError('PRECONDITION_FAILED', `This run is ${run.status}; there is no distribution to draw from.`);
  if (!run.committedAt) throw new AppError('PRECONDITION_FAILED', 'Fix (commit) the distribution before entering the seed, so the seed cannot be chosen after seeing the outcome.');
  if (input.distributionSha256 !== run.distributionSha256)
    throw conflict(`The distribution changed: its hash is ${run.distributionSha256}, you confirmed ${input.distributionSha256}.`);
  if (p.revision !== run.poolRevision) throw conflict('The pool or its quotas changed after the distribution was fixed; run the selection again.');
  const { pool, quotas } = algorithmInput(ctx.db, p);
  if (poolSha256(pool) !== run.poolSha256 || quotasSha256(quotas) !== run.quotasSha256) throw conflict('The pool or its quotas changed after the distribution was fixed; run the selection again.');
  const stored = run.lottery as Lottery;
  const lottery = await buildLottery(pool, quotas, run.result as SelectionResult, { m: stored.m });
  if (lottery.sha256 !== run.distributionSha256) throw conflict(`The distribution changed: rebuilt it hashes to ${lottery.sha256}, fixed was ${run.distributionSha256}.`);
  const record = wrap('seed', () => drawFromLottery(lottery, input.seed));
  const alternates = rankAlternates(pool, quotas, record.panel, { seed: record.seedSha256, limit: 5 });
  const drawId = newId('draw_');
  ctx.db.transaction((tx) => {
    if (sortitionRepo.poolById(tx, p.id)!.status === 'drawn') throw conflict('This pool was drawn already; a pool is drawn once.');
    sortitionRepo.insertDraw(tx, { id: drawId, assemblyId, poolId: p.id, runId, record, alternates: alternates.global, createdBy: actorId(ctx.actor) });
    sortitionRepo.setStatus(tx, p.id, record.panel, { status: 'selected', selectedVia: 'draw' });
    sortitionRepo.updatePool(tx, p.id, { status: 'drawn' });
    recordAudit(tx, {
      actorId: actorId(ctx.actor),
      action: 'sortition.draw',
      subject: `pool:${p.id}`,
      data: { drawId, runId, seedSource: record.seedSource, seedSha256: record.seedSha256, ticket: record.ticket, m: record.m, distributionSha256: record.lotterySha256, poolSha256: record.poolSha256, quotasSha256: record.quotasSha256, version: record.version, panel: record.panel },
    });
  });
  return getDraw(ctx, assemblyId, drawId);
}

export function getDraw(ctx: Ctx, assemblyId: string, drawId: string) {
  const d = sortitionRepo.draw(ctx.db, assemblyId, drawId);
  if (!d) throw notFound('Draw', drawId);
  const rows = sortitionRepo.people(ctx.db, d.poolId);
  const record = d.record as DrawRecord;
  return {
    id: d.id,
    poolId: d.poolId,
    runId: d.runId,
    record,
    alternates: d.alternates as Array<{ id: string; bestDeviation: number; seatsWithBest: number }>,
    members: rows.filter((r) => r.status !== 'pool').map((r) => ({ id: r.personId, features: r.features, status: r.status, selectedVia: r.selectedVia })),
    replacements: sortitionRepo.replacements(ctx.db, d.id).map((x) => ({ out: x.outPersonId, in: x.inPersonId, reason: x.reason, deviation: x.deviation, at: x.createdAt })),
    createdAt: d.createdAt,
  };
}

/** Re-runs the whole draw (selection, lottery, seed → ticket, quotas on the panel) from the stored record. */
export async function verify(ctx: Ctx, assemblyId: string, drawId: string): Promise<VerifyResult> {
  const d = sortitionRepo.draw(ctx.db, assemblyId, drawId);
  if (!d) throw notFound('Draw', drawId);
  const { pool, quotas } = algorithmInput(ctx.db, sortitionRepo.poolById(ctx.db, d.poolId)!);
  return verifyDraw(d.record as DrawRecord, pool, quotas);
}

/**
 * A selected person confirms (gets an account invitation code: the identity module's invitations), declines,
 * or (after confirming) drops out. A decline or dropout gives the seat to the alternate who keeps the quotas best
 * (ties broken by the draw's public seed hash); recorded in the audit log.
 */
export async function respond(ctx: Ctx, assemblyId: string, poolId: string, personId: string, response: 'confirm' | 'decline' | 'dropout') {
  const p = getPoolRow(ctx, assemblyId, poolId);
  const d = sortitionRepo.drawOfPool(ctx.db, p.id);
  if (!d) throw new AppError('PRECONDITION_FAILED', 'This pool has not been drawn yet.');
  const person = sortitionRepo.person(ctx.db, p.id, personId);
  if (!person) throw notFound('Person', personId);
  const who = actorId(ctx.actor);
  if (response === 'confirm') {
    if (person.status !== 'selected') throw conflict(`Only a selected person can confirm; this person is ${person.status}.`);
    return ctx.db.transaction((tx) => {
      const { codes } = createInvitations({ ...ctx, db: tx as unknown as Ctx['db'] }, assemblyId, { count: 1, expiresInDays: 90 });
      sortitionRepo.setStatus(tx, p.id, [personId], { status: 'confirmed', invitationHash: sha256(codes[0]) });
      recordAudit(tx, { actorId: who, action: 'sortition.confirm', subject: `pool:${p.id}`, data: { drawId: d.id, personId } });
      return { personId, status: 'confirmed' as const, invitationCode: codes[0], replacement: null };
    });
  }
  const allowed = response === 'decline' ? ['selected'] : ['selected', 'confirmed'];
  if (!allowed.includes(person.status)) throw conflict(`A ${person.status} person cannot ${response}.`);
  const { pool, quotas, rows } = algorithmInput(ctx.db, p);
  const panel = rows.filter((r) => r.status === 'selected' || r.status === 'confirmed').map((r) => r.personId);
  const gone = rows.filter((r) => r.status === 'declined' || r.status === 'dropped').map((r) => r.personId);
  const record = d.record as DrawRecord;
  const n = sortitionRepo.replacements(ctx.db, d.id).length;
  let replacement: { id: string; deviation: number } | null = null;
  try {
    const res = await replaceDropouts(pool, quotas, panel, [personId], { seed: `${record.seedSha256}:${n}`, exclude: gone });
    replacement = { id: res.replacements[0], deviation: res.deviation };
  } catch (e) {
    if (!(e instanceof SortitionError)) throw e;
  }
  const reason = response === 'decline' ? 'declined' : 'dropped';
  return ctx.db.transaction((tx) => {
    const again = sortitionRepo.person(tx, p.id, personId)!;
    if (again.status !== person.status) throw conflict('This person’s status changed meanwhile; reload.');
    sortitionRepo.setStatus(tx, p.id, [personId], { status: reason });
    if (replacement) sortitionRepo.setStatus(tx, p.id, [replacement.id], { status: 'selected', selectedVia: 'alternate' });
    sortitionRepo.insertReplacement(tx, { id: newId('rep_'), drawId: d.id, outPersonId: personId, inPersonId: replacement?.id ?? null, reason, deviation: replacement?.deviation ?? -1 });
    recordAudit(tx, { actorId: who, action: 'sortition.replace', subject: `pool:${p.id}`, data: { drawId: d.id, out: personId, in: replacement?.id ?? null, reason, deviation: replacement?.deviation ?? null } });
    return { personId, status: reason, invitationCode: null, replacement };
  });
}

/** Deletes a pool person's personal data; the anonymous features stay (the draw remains verifiable). */
export function deletePersonal(ctx: Ctx, assemblyId: string, poolId: string, personId: string) {
  const p = getPoolRow(ctx, assemblyId, poolId);
  if (!sortitionRepo.person(ctx.db, p.id, personId)) throw notFound('Person', personId);
  return ctx.db.transaction((tx) => {
    const n = sortitionRepo.deletePersonal(tx, p.id, personId);
    recordAudit(tx, { actorId: actorId(ctx.actor), action: 'sortition.personal.delete', subject: `pool:${p.id}`, data: { personId, deleted: n } });
    return { personId, deleted: n > 0 };
  });
}

// ---------- two-stage lottery: letters and registration ----------

function normaliseSeed(s: string) {
  return s.normalize('NFC').trim().replace(/\s+/g, ' ');
}

/**
 * Stage one: draws `count` distinct addresses uniformly from an address CSV with a public seed, and makes one
 * invitation letter per address with a registration code. Reproducible: the order is a PRNG shuffle seeded with
 * the hash of the (sorted) household keys and the seed.
 */
export function drawAddresses(ctx: Ctx, assemblyId: string, poolId: string, input: { csv: string; count: number; seed: string; addressColumns?: string[] }) {
  const p = getPoolRow(ctx, assemblyId, poolId);
  if (p.source !== 'registration') throw conflict('Letters belong to a volunteer (registration) pool.');
  if (p.status === 'drawn') throw conflict('This pool was drawn already.');
  const seed = normaliseSeed(input.seed);
  if (!seed) throw invalid('Enter a public seed.', [{ path: 'seed', message: 'empty' }]);
  const read = readCsvCells(input.csv, 'addresses');
  const headers = (read.data[0] ?? []).map((h) => h.trim());
  const parsed = { data: read.data.slice(1).filter((r) => r.some((c) => c.trim() !== '')).map((r) => Object.fromEntries(headers.map((h, k) => [h, r[k] ?? '']))) };
  const cols = input.addressColumns?.length ? input.addressColumns : headers;
  const missing = cols.filter((c) => !headers.includes(c));
  if (missing.length) throw invalid(`The address CSV has no column ${missing.join(', ')}.`, missing.map((c) => ({ path: `addresses column ${c}`, message: 'missing' })));
  const unique = new Map<string, Record<string, string>>();
  const errors: { path: string; message: string }[] = [];
  parsed.data.forEach((row, i) => {
    const parts = cols.map((c) => (row[c] ?? '').trim());
    const h = householdKey(parts);
    if (!h) errors.push({ path: `addresses line ${i + 2}`, message: 'empty address' });
    else if (!unique.has(h)) unique.set(h, Object.fromEntries(cols.map((c, j) => [c, parts[j]])));
  });
  if (errors.length) throw invalid(`The address CSV has empty rows: ${errors.slice(0, 5).map((e) => e.path).join(', ')}.`, errors);
  if (input.count > unique.size) throw invalid(`Only ${unique.size} distinct addresses; cannot send ${input.count} letters.`, [{ path: 'count', message: `at most ${unique.size}` }]);
  const keys = [...unique.keys()].sort();
  const addressesSha256 = sha256(JSON.stringify({ format: 'plenary-addresses/1', households: keys }));
  const chosen = new Rng(`letters:${addressesSha256}:${seed}`).shuffle([...keys]).slice(0, input.count);
  return ctx.db.transaction((tx) => {
    const batch = sortitionRepo.insertBatch(tx, { id: newId('lb_'), poolId: p.id, seedSource: seed, addressesSha256, addresses: unique.size, letters: chosen.length, createdBy: actorId(ctx.actor) });
    sortitionRepo.insertLetters(
      tx,
      chosen.map((h) => {
        const code = formatInvitationCode(randomBytes(16));
        return { id: newId('let_'), batchId: batch.id, poolId: p.id, address: unique.get(h)!, code, codeHash: sha256(code), household: h };
      }),
    );
    recordAudit(tx, { actorId: actorId(ctx.actor), action: 'sortition.letters', subject: `pool:${p.id}`, data: { batchId: batch.id, addresses: unique.size, letters: chosen.length, seedSource: seed, addressesSha256 } });
    return { batchId: batch.id, addresses: unique.size, letters: chosen.length, addressesSha256, seed, ignored: read.note ? [read.note] : [] };
  });
}

/** Letters to print (staff only): address, registration code. */
export function lettersOf(ctx: Ctx, assemblyId: string, poolId: string) {
  const p = getPoolRow(ctx, assemblyId, poolId);
  return sortitionRepo.letters(ctx.db, p.id).map((l) => ({ id: l.id, address: l.address ?? {}, code: l.code, registrations: l.registrations }));
}

function letterFor(db: DbOrTx, code: string) {
  const letter = sortitionRepo.letterByHash(db, sha256(normaliseInvitationCode(code)));
  if (!letter) throw notFound('Registration code');
  const pool = sortitionRepo.poolById(db, letter.poolId)!;
  if (pool.status === 'drawn') throw new AppError('GONE', 'Registration for this assembly is closed: the members have been drawn.');
  return { letter, pool };
}

/** What the registration form asks for, given a letter's code. */
export function registrationForm(ctx: Ctx, code: string) {
  const { pool } = letterFor(ctx.db, code);
  const assembly = assembliesRepo.byId(ctx.db, pool.assemblyId)!;
  return {
    assembly: { title: assembly.title, slug: assembly.slug },
    categories: pool.categories.map((c) => ({ category: c, values: pool.quotas.filter((q) => q.category === c).map((q) => q.value) })),
  };
}

export interface RegistrationInput {
  code: string;
  features: Record<string, string>;
  personal: { name: string; email?: string; phone?: string };
}

/** A volunteer registers with the code on their letter: features (for the quotas) and personal data (kept apart). */
export function register(ctx: Ctx, input: RegistrationInput) {
  const { letter, pool } = letterFor(ctx.db, input.code);
  const errors: { path: string; message: string }[] = [];
  for (const c of pool.categories) {
    const allowed = pool.quotas.filter((q) => q.category === c).map((q) => q.value);
    const v = input.features[c];
    if (v === undefined || v === '') errors.push({ path: `features.${c}`, message: 'required' });
    else if (!allowed.includes(v)) errors.push({ path: `features.${c}`, message: `choose one of ${allowed.join(', ')}` });
  }
  for (const k of Object.keys(input.features)) if (!pool.categories.includes(k)) errors.push({ path: `features.${k}`, message: 'unknown category' });
  if (errors.length) throw invalid(`Some answers are missing or not allowed: ${errors.map((e) => e.path).join(', ')}.`, errors);
  const personId = newId('v_');
  const data: Record<string, string> = { name: input.personal.name };
  if (input.personal.email) data.email = input.personal.email;
  if (input.personal.phone) data.phone = input.personal.phone;
  return ctx.db.transaction((tx) => {
    if (!sortitionRepo.countRegistration(tx, letter.id, MAX_REGISTRATIONS_PER_LETTER)) throw new AppError('GONE', `This code has been used for ${MAX_REGISTRATIONS_PER_LETTER} registrations already.`);
    sortitionRepo.insertPeople(tx, [{ poolId: pool.id, personId, features: Object.fromEntries(pool.categories.map((c) => [c, input.features[c]])), household: letter.household, letterId: letter.id }]);
    sortitionRepo.insertPersonal(tx, [{ poolId: pool.id, personId, data }]);
    const fresh = sortitionRepo.poolById(tx, pool.id)!;
    sortitionRepo.updatePool(tx, pool.id, { revision: fresh.revision + 1 });
    sortitionRepo.supersedeRuns(tx, pool.id, '');
    recordAudit(tx, { actorId: null, action: 'sortition.register', subject: `pool:${pool.id}`, data: { personId } });
    return { registered: true, reference: personId };
  });
}

// ---------- public transparency ----------

function quotaTable(p: PoolRow, rows: PersonRow[], panelIds: Set<string> | null) {
  return p.quotas.map((q) => ({
    category: q.category,
    value: q.value,
    min: q.min,
    max: q.max,
    pool: rows.filter((r) => r.features[q.category] === q.value).length,
    panel: panelIds ? rows.filter((r) => panelIds.has(r.personId) && r.features[q.category] === q.value).length : null,
  }));
}

/**
 * What anyone may see about an assembly's selection: per pool, the algorithm and version, the distribution hash
 * (published when fixed, before the seed), the seed and its hash, pool and quota hashes, the probability curve
 * (sorted, no ids), the quota table (panel vs targets), replacements. No personal data, no person ids.
 */
export function transparency(ctx: Ctx, slug: string) {
  const a = assembliesRepo.bySlug(ctx.db, slug);
  if (!a) throw notFound('Assembly', slug);
  const pools = sortitionRepo
    .pools(ctx.db, a.id)
    .map((p) => {
      const run = sortitionRepo.runs(ctx.db, p.id).find((r) => r.committedAt && r.status !== 'superseded') ?? sortitionRepo.runs(ctx.db, p.id).find((r) => r.committedAt);
      const d = sortitionRepo.drawOfPool(ctx.db, p.id);
      if (!run && !d) return null;
      const drawRun = d ? sortitionRepo.runById(ctx.db, d.runId)! : run!;
      const rows = sortitionRepo.people(ctx.db, p.id);
      const record = d ? (d.record as DrawRecord) : null;
      const panel = d ? new Set(rows.filter((r) => r.status === 'selected' || r.status === 'confirmed').map((r) => r.personId)) : null;
      const result = drawRun.result as SelectionResult | null;
      const legacy = drawRun.legacy as { probabilities: Record<string, number> } | null;
      const features = Object.fromEntries(rows.map((r) => [r.personId, r.features]));
      const anon = result ? anonymiseProbabilities(result.probabilities, { features, minGroup: 5 }) : null;
      const legacyAnon = legacy ? anonymiseProbabilities(legacy.probabilities) : null;
      const batches = sortitionRepo.batches(ctx.db, p.id);
      return {
        name: p.name,
        source: p.source,
        panelSize: p.panelSize,
        poolSize: rows.length,
        algorithm: drawRun.algorithm,
        version: result?.provenance.version ?? SORTITION_VERSION,
        solver: result?.provenance.solver ?? null,
        poolSha256: drawRun.poolSha256,
        quotasSha256: drawRun.quotasSha256,
        distributionSha256: drawRun.distributionSha256,
        committedAt: drawRun.committedAt,
        draw: record && d ? { seedSource: record.seedSource, seedSha256: record.seedSha256, ticket: record.ticket, m: record.m, lotterySha256: record.lotterySha256, drawnAt: d.createdAt } : null,
        probabilities: anon ? { sorted: anon.sorted, summary: anon.summary, byValue: anon.byValue } : null,
        legacyProbabilities: legacyAnon ? { sorted: legacyAnon.sorted, summary: legacyAnon.summary } : null,
        quotas: quotaTable(p, rows, panel),
        replacements: d ? sortitionRepo.replacements(ctx.db, d.id).map((x) => ({ reason: x.reason, deviation: x.deviation, at: x.createdAt })) : [],
        letters: batches.map((b) => ({ addresses: b.addresses, letters: b.letters, seedSource: b.seedSource, addressesSha256: b.addressesSha256, at: b.createdAt })),
      };
    })
    .filter((x): x is NonNullable<typeof x> => x !== null);
  return { assembly: { title: a.title, slug: a.slug }, pools };
}
export type Transparency = ReturnType<typeof transparency>;

/** Anyone may re-run the assembly's draws; the answer lists each check. */
export async function publicVerify(ctx: Ctx, slug: string) {
  const a = assembliesRepo.bySlug(ctx.db, slug);
  if (!a) throw notFound('Assembly', slug);
  const out: { pool: string; ok: boolean; checks: VerifyResult['checks'] }[] = [];
  for (const p of sortitionRepo.pools(ctx.db, a.id)) {
    const d = sortitionRepo.drawOfPool(ctx.db, p.id);
    if (!d) continue;
    const { pool, quotas } = algorithmInput(ctx.db, p);
    const v = await verifyDraw(d.record as DrawRecord, pool, quotas);
    out.push({ pool: p.name, ok: v.ok, checks: v.checks });
  }
  return { assembly: a.slug, draws: out };
}

// ---------- for the onboarding module: a member's own data ----------

/** The pool records (features, status, personal data) linked to a member through the invitation they redeemed. */
export function personalRecordsOfUser(db: DbOrTx, userId: string) {
  const people = sortitionRepo.personByInvitation(db, sortitionRepo.invitationHashesUsedBy(db, userId));
  return people.map((p) => ({
    poolId: p.poolId,
    personId: p.personId,
    features: p.features,
    status: p.status,
    personal: sortitionRepo.personal(db, p.poolId, [p.personId])[0]?.data ?? null,
  }));
}

/** Deletes the personal data rows linked to a member; features stay anonymous. Returns how many were deleted. */
export function deletePersonalOfUser(tx: Tx, userId: string): number {
  let n = 0;
  for (const p of sortitionRepo.personByInvitation(tx, sortitionRepo.invitationHashesUsedBy(tx, userId))) n += sortitionRepo.deletePersonal(tx, p.poolId, p.personId);
  return n;
}
