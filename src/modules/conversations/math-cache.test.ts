import { beforeAll, describe, expect, it } from 'vitest';
import { getVote } from '../../../pipelines/votes/index.js';
import { ctxFor } from '../../deps.js';
import { testService, type TestService } from '../../testing/service.js';
import { MathCache } from './math-cache.js';
import { importPolis } from './polis.js';
import { addStatement, createConversation, seedStatement, vote } from './service.js';
import { plantedPolis } from './testing.js';

let s: TestService;
beforeAll(async () => {
  s = await testService();
});

const staff = () => ctxFor(s.deps, { kind: 'user', id: s.users.facilitator, role: 'facilitator', displayName: 'F', language: 'en', via: 'token', assemblyIds: [] });
const member = () => ctxFor(s.deps, { kind: 'user', id: s.users.participant, role: 'participant', displayName: 'Tester', language: 'en', via: 'token', assemblyIds: [s.assemblyId] });

async function importedConversation() {
  const conv = createConversation(staff(), s.assemblyId, { topic: 'Warm matrix', recomputeEvery: 0 });
  const exp = plantedPolis({ participants: 40, statements: 10 });
  await importPolis(staff(), s.assemblyId, conv.id, { comments: exp.comments, votes: exp.votes });
  return conv.id;
}

/** every stored vote, as the matrix must hold it */
function storedVotes(conversationId: string) {
  return s.db.$client.prepare('select participant_id as p, statement_id as st, vote as v from votes where conversation_id = ?').all(conversationId) as { p: number; st: number; v: number }[];
}

describe('MathCache: the vote matrix kept warm between recomputes', () => {
  it('a warm read after new votes, a changed vote, a new statement and a new participant equals a cold read, and reads only what changed', async () => {
    const id = await importedConversation();
    const warm = new MathCache();
    const first = warm.load(s.db, id)!;
    expect(first.load.kind).toBe('cold');
    expect(first.load.votesRead).toBe(storedVotes(id).length);
    expect(first.watermark).toBe(first.conv.voteEvents);

    // changes after the first read: a new member votes (new participant), changes a vote, writes a statement
    // (its author's own agree vote) and a facilitator seeds one; nothing else
    const stmts = first.stmts.filter((x) => x.status === 'accepted');
    vote(member(), s.deps.jobs, s.assemblyId, id, { statementId: stmts[0].id, vote: 1 });
    vote(member(), s.deps.jobs, s.assemblyId, id, { statementId: stmts[1].id, vote: -1 });
    vote(member(), s.deps.jobs, s.assemblyId, id, { statementId: stmts[1].id, vote: 0 }); // changed
    addStatement(member(), s.assemblyId, id, 'Weekend buses should run every twenty minutes.');
    const seeded = seedStatement(staff(), s.assemblyId, id, { text: 'Bike lanes on the ring road.' });
    vote(member(), s.deps.jobs, s.assemblyId, id, { statementId: seeded.id, vote: 1 });

    const second = warm.load(s.db, id)!;
    expect(second.load.kind).toBe('warm');
    expect(second.load.votesRead).toBe(4); // three voted pairs (one changed twice → its last row) + the author's agree
    const cold = new MathCache().load(s.db, id)!;
    expect(cold.load.kind).toBe('cold');
    expect(second.inputHash).toBe(cold.inputHash);
    expect(second.watermark).toBe(cold.watermark);
    expect(Array.from(second.matrix.rowPtr)).toEqual(Array.from(cold.matrix.rowPtr));
    expect(Array.from(second.matrix.col)).toEqual(Array.from(cold.matrix.col));
    expect(Array.from(second.matrix.val)).toEqual(Array.from(cold.matrix.val));
    // and both hold exactly the stored votes
    const pIdx = new Map(second.participants.map((p, i) => [p.id, i]));
    const sIdx = new Map(second.stmts.map((x, j) => [x.id, j]));
    const rows = storedVotes(id);
    expect(second.matrix.col.length).toBe(rows.length);
    for (const r of rows) expect(getVote(second.matrix, pIdx.get(r.p)!, sIdx.get(r.st)!)).toBe(r.v);
    // the changed vote is the last one
    const me = second.participants.length - 1;
    expect(getVote(second.matrix, me, sIdx.get(stmts[1].id)!)).toBe(0);
  });

  it('the hash moves with any vote and not without one; a moderation change (flags) moves it too', async () => {
    const id = await importedConversation();
    const cache = new MathCache();
    const a = cache.load(s.db, id)!;
    expect(cache.load(s.db, id)!.inputHash).toBe(a.inputHash);
    const st = a.stmts.find((x) => x.status === 'accepted')!;
    vote(member(), s.deps.jobs, s.assemblyId, id, { statementId: st.id, vote: -1 });
    const b = cache.load(s.db, id)!;
    expect(b.inputHash).not.toBe(a.inputHash);
    s.db.$client.prepare("update statements set status = 'rejected' where id = ?").run(st.id);
    expect(cache.load(s.db, id)!.inputHash).not.toBe(b.inputHash);
  });

  it('a removed participant (cascade) sends the next read back to SQLite instead of keeping a stale matrix', async () => {
    const id = await importedConversation();
    const cache = new MathCache();
    const a = cache.load(s.db, id)!;
    s.db.$client.prepare('delete from conversation_participants where id = ?').run(a.participants[0].id);
    const b = cache.load(s.db, id)!;
    expect(b.load.kind).toBe('cold');
    expect(b.participants.length).toBe(a.participants.length - 1);
    expect(b.matrix.col.length).toBe(storedVotes(id).length);
    expect(b.inputHash).toBe(new MathCache().load(s.db, id)!.inputHash);
  });

  it('keeps at most `capacity` conversations, least recently used out first', async () => {
    const ids = [await importedConversation(), await importedConversation(), await importedConversation()];
    const cache = new MathCache(2);
    for (const id of ids) cache.load(s.db, id);
    expect(cache.load(s.db, ids[0])!.load.kind).toBe('cold');
    expect(cache.load(s.db, ids[2])!.load.kind).toBe('warm');
  });
});
