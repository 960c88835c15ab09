import { describe, expect, it } from 'vitest';
import { testService, type TestService } from '../../testing/service.js';
import { tally, type BallotDef, type Choice } from './domain.js';
import { members } from './testing.js';

type Problem = { status: number; code: string; detail: string };
const inADay = () => new Date(Date.now() + 86_400_000).toISOString();

async function setup() {
  const s = await testService();
  const m = members(s);
  const api = `/api/assemblies/${s.assemblyId}/ballots`;
  const create = async (body: Record<string, unknown>) => {
    const r = await s.call('facilitator', 'POST', api, { title: 'Final vote', closesAt: inADay(), ...body });
    return { status: r.status, body: (await r.json()) as Record<string, unknown> & { id: string; options: Array<{ id: string }> } };
  };
  return { s, ...m, api, create };
}

async function close(s: TestService, api: string, id: string) {
  const r = await s.call('facilitator', 'POST', `${api}/${id}/close`);
  expect(r.status).toBe(200);
}

describe('ballots: secret vote with a verifiable tally', () => {
  it('counts a threshold vote with quorum; the public list recounts to the announced result; roll = ballots', async () => {
    const { s, as, api, create } = await setup();
    const b = await create({ method: 'threshold', options: ['Rec 1', 'Rec 2'], threshold: 0.6, thresholdBase: 'cast', quorum: 0.5 });
    expect(b.status).toBe(201);
    const [o1, o2] = b.body.options.map((o) => o.id);
    const receipts: string[] = [];
    for (const [who, approve] of [['tester', [o1, o2]], ['ada', [o1]], ['bram', [o2]]] as const) {
      const r = await as(who, 'POST', `${api}/${b.body.id}/vote`, { choice: { approve } });
      expect(r.status).toBe(200);
      receipts.push(((await r.json()) as { receipt: string }).receipt);
    }
    expect(new Set(receipts).size).toBe(3);
    expect(receipts[0]).toMatch(/^[A-Z2-9]{4}(-[A-Z2-9]{4}){3}$/);
    // turnout against quorum while open, no result yet, no public list yet
    const open = (await (await s.call('facilitator', 'GET', `${api}/${b.body.id}`)).json()) as { voted: number; eligible: number; result: unknown };
    expect([open.voted, open.eligible, open.result]).toEqual([3, 3, null]);
    expect((await s.call('public', 'GET', `${api}/${b.body.id}/public-ballots`)).status).toBe(409);
    await close(s, api, b.body.id);
    const list = (await (await s.call('public', 'GET', `${api}/${b.body.id}/public-ballots`)).json()) as {
      ballot: BallotDef & { result: ReturnType<typeof tally> };
      rollCount: number;
      ballots: Array<{ receipt: string; choice: Choice }>;
    };
    expect(list.rollCount).toBe(3);
    expect(list.ballots).toHaveLength(3);
    expect(list.ballots.map((x) => x.receipt).sort()).toEqual([...receipts].sort());
    expect(list.ballots.some((x) => 'userId' in x || 'memberId' in x)).toBe(false);
    const announced = list.ballot.result;
    expect(announced.winners).toEqual([o1, o2]); // 2/3 ≥ 60 % each
    expect(tally(list.ballot, list.ballots.map((x) => x.choice), announced.eligible)).toEqual(announced);
  });

  it('one ballot per member: a second vote needs the receipt and changes the same ballot; after close nothing changes', async () => {
    const { s, as, api, create } = await setup();
    const b = await create({ method: 'schulze', options: ['A', 'B', 'C'] });
    const [a, bb, c] = b.body.options.map((o) => o.id);
    const first = (await (await as('ada', 'POST', `${api}/${b.body.id}/vote`, { choice: { ranking: [[a], [bb]] } })).json()) as { receipt: string };
    const again = await as('ada', 'POST', `${api}/${b.body.id}/vote`, { choice: { ranking: [[c]] } });
    expect(again.status).toBe(409);
    expect(again.headers.get('content-type')).toContain('application/problem+json');
    expect(((await again.json()) as Problem).detail).toMatch(/already voted/);
    expect((await as('ada', 'POST', `${api}/${b.body.id}/vote`, { choice: { ranking: [[c]] }, receipt: 'AAAA-AAAA-AAAA-AAAA' })).status).toBe(422);
    const changed = (await (await as('ada', 'POST', `${api}/${b.body.id}/vote`, { choice: { ranking: [[c], [a]] }, receipt: first.receipt.toLowerCase() })).json()) as { receipt: string; changed: boolean };
    expect(changed).toEqual({ receipt: first.receipt, changed: true });
    await as('bram', 'POST', `${api}/${b.body.id}/vote`, { choice: { ranking: [[bb], [c]] } });
    await close(s, api, b.body.id);
    const late = await as('ada', 'POST', `${api}/${b.body.id}/vote`, { choice: { ranking: [[a]] }, receipt: first.receipt });
    expect(late.status).toBe(409);
    expect(((await late.json()) as Problem).detail).toMatch(/closed/);
    const list = (await (await s.call('public', 'GET', `${api}/${b.body.id}/public-ballots`)).json()) as {
      rollCount: number;
      ballots: Array<{ receipt: string; choice: Choice }>;
      ballot: BallotDef & { result: ReturnType<typeof tally> & { detail: { pairwise: number[][] } } };
    };
    // the announced result (counted from the packed rankings) equals a recount of the public list
    expect(tally(list.ballot, list.ballots.map((x) => x.choice), list.ballot.result.eligible)).toEqual(list.ballot.result);
    expect(list.rollCount).toBe(2);
    expect(list.ballots.find((x) => x.receipt === first.receipt)?.choice).toEqual({ ranking: [[c], [a]] });
    // C: ada C>A>B, bram B>C>A → pairwise C–A 2:0, B–C 1:1, C–B 1:1, A–B 1:1
    expect(list.ballot.result.detail.pairwise).toEqual([[0, 1, 0], [1, 0, 1], [2, 1, 0]]);
    // the facilitator cannot vote; the result read twice is the same announced result
    expect((await s.call('facilitator', 'POST', `${api}/${b.body.id}/vote`, { choice: { ranking: [[a]] } })).status).toBe(403);
  });

  it('majority judgment: per-grade counts, grades off the scale refused', async () => {
    const { s, as, api, create } = await setup();
    const b = await create({ method: 'mj', options: ['A', 'B'], grades: ['reject', 'fair', 'good'] });
    const [a, bb] = b.body.options.map((o) => o.id);
    const off = await as('ada', 'POST', `${api}/${b.body.id}/vote`, { choice: { grades: { [a]: 3, [bb]: 0 } } });
    expect(off.status).toBe(422);
    expect(((await off.json()) as Problem).detail).toMatch(/outside the scale/);
    await as('ada', 'POST', `${api}/${b.body.id}/vote`, { choice: { grades: { [a]: 2, [bb]: 0 } } });
    await as('bram', 'POST', `${api}/${b.body.id}/vote`, { choice: { grades: { [a]: 1, [bb]: 2 } } });
    await as('tester', 'POST', `${api}/${b.body.id}/vote`, { choice: { grades: { [a]: 2, [bb]: 1 } } });
    await close(s, api, b.body.id);
    const v = (await (await s.call('participant', 'GET', `${api}/${b.body.id}`)).json()) as { result: { winners: string[]; detail: { results: Array<{ counts: number[]; majorityGradeName: string }> } } };
    expect(v.result.winners).toEqual([a]);
    expect(v.result.detail.results.map((r) => [r.counts, r.majorityGradeName])).toEqual([[[0, 1, 2], 'good'], [[1, 1, 1], 'fair']]);
  });

  it('bad input gives problem+json and writes nothing', async () => {
    const { s, as, api, create } = await setup();
    const bad = async (body: Record<string, unknown>, pattern: RegExp) => {
      const r = await create(body);
      expect(r.status).toBe(422);
      expect(String(r.body.detail)).toMatch(pattern);
    };
    await bad({ method: 'threshold', options: ['x', 'y'], threshold: 0.8, thresholdBase: 'cast', quorum: 1.2 }, /quorum must be between 0 % and 100 %/);
    await bad({ method: 'threshold', options: ['x', 'y'], quorum: 0.5 }, /threshold/);
    await bad({ method: 'mj', options: ['x', 'y'] }, /scale of at least two/);
    await bad({ method: 'approval', options: ['x', 'X '] }, /same label/);
    await bad({ method: 'approval', options: ['x', 'y'], closesAt: '2001-01-01T00:00:00Z' }, /already past/);
    expect(((await (await s.call('facilitator', 'GET', api)).json()) as unknown[]).length).toBe(0);

    const later = await create({ method: 'approval', options: ['x', 'y'], opensAt: new Date(Date.now() + 3_600_000).toISOString() });
    const early = await as('ada', 'POST', `${api}/${later.body.id}/vote`, { choice: { approve: ['o1'] } });
    expect([early.status, ((await early.json()) as Problem).detail]).toEqual([409, expect.stringMatching(/not open yet/)]);

    const b = await create({ method: 'borda', options: ['x', 'y', 'z'] });
    for (const [choice, pattern] of [
      [{ ranking: [['o1'], ['o1']] }, /appears twice/],
      [{ ranking: [['o9']] }, /not one of this ballot's options/],
      [{ approve: ['o1'] }, /ranking/],
    ] as const) {
      const r = await as('ada', 'POST', `${api}/${b.body.id}/vote`, { choice });
      expect(r.status).toBe(422);
      expect(((await r.json()) as Problem).detail).toMatch(pattern);
    }
    const view = (await (await s.call('facilitator', 'GET', `${api}/${b.body.id}`)).json()) as { voted: number };
    expect(view.voted).toBe(0);
    await close(s, api, b.body.id);
    const list = (await (await s.call('public', 'GET', `${api}/${b.body.id}/public-ballots`)).json()) as { rollCount: number; ballots: unknown[] };
    expect([list.rollCount, list.ballots.length]).toEqual([0, 0]);
  });
});

describe('packed rankings', () => {
  it('unpack to the same indexed profile as the named rankings', async () => {
    const { indexProfile } = await import('../../../pipelines/ballots/index.js');
    const { packRanking, unpackRankings } = await import('./domain.js');
    const options = Array.from({ length: 12 }, (_, i) => ({ id: `o${i + 1}`, label: `L${i}` }));
    const def = { method: 'schulze' as const, options, grades: null, threshold: null, thresholdBase: null, quorum: 0, opensAt: '', closesAt: '', closedAt: null };
    let seed = 5;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const rankings = Array.from({ length: 50 }, () => {
      const ids = options.map((o) => o.id).sort(() => rnd() - 0.5).slice(0, Math.floor(rnd() * 13));
      const r: string[][] = [];
      for (const id of ids) if (r.length && rnd() < 0.25) r[r.length - 1].push(id); else r.push([id]);
      return r;
    });
    const fromPacked = unpackRankings(def, rankings.map((r) => packRanking(def, r)));
    const named = indexProfile({ options: options.map((o) => o.id), ballots: rankings.map((ranking) => ({ ranking })) });
    expect(fromPacked).toEqual(named);
  });
});
