/**
 * Loader for the votes-service benchmark, run in a child process of its own (so the benchmark's peak RSS is the
 * service's, not the generator's): writes a conversation of P participants × S statements with about V votes into
 * the service's SQLite file through the service's schema and migrations, in the shape measured on the public Pol.is
 * exports (see votesServiceShape below and RESULTS.md).
 *
 *   node --import tsx evals/bench/votes-service-load.ts DB_FILE P S V SEED   → prints one JSON line
 */
import { openDb } from '../../src/platform/db/client.js';
import { assemblies } from '../../src/platform/db/schema.js';
import { conversations } from '../../src/modules/conversations/schema.js';
import { createPrng } from '../../pipelines/votes/prng.js';

/**
 * Shape, measured on the 9 time-stamped exports in ../shared/data/polis-opendata (RESULTS.md, votes-service):
 * - votes per participant are heavy-tailed: the median is 0.5–0.6 × the mean and the 90th percentile 2.5–4 × the
 *   median (austria-climate 33 / 147, canadian-electoral-reform 13 / 76, scoop-hivemind.biodiversity 56 / 125):
 *   a log-normal with σ = 1.1, clipped to [1, S / 2];
 * - later statements get fewer votes: mean votes per statement by age quartile fall roughly 1 : 0.5 : 0.3 : 0.1
 *   (austria 291 / 114 / 59 / 11, canadian 125 / 84 / 48 / 20): statement j is picked with weight exp(−2.5 j / S);
 * - three planted opinion groups, a third of the statements dividing them (as the votes benchmark).
 */
export const votesServiceShape = { sigma: 1.1, ageDecay: 2.5, groups: 3 };

function gaussian(rng: { next(): number }): number {
  const u = Math.max(1e-12, rng.next()), v = rng.next();
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
}

export function load(file: string, P: number, S: number, V: number, seed: number) {
  const db = openDb(file);
  const client = db.$client;
  const assemblyId = 'asm_bench_votes_service';
  const conversationId = 'cnv_bench_votes_service';
  db.insert(assemblies).values({ id: assemblyId, slug: 'bench-votes-service', title: 'Votes service benchmark', languages: ['en'] }).run();
  db.insert(conversations).values({ id: conversationId, assemblyId, topic: 'Benchmark conversation', moderation: 'post', recomputeEvery: 0 }).run();
  const rng = createPrng(seed, 17);
  const { sigma, ageDecay, groups } = votesServiceShape;
  const pAgree = new Float64Array(groups * S);
  for (let j = 0; j < S; j++) for (let g = 0; g < groups; g++) pAgree[g * S + j] = j % 3 === 0 ? (((j / 3) + g) % groups === 0 ? 0.85 : 0.15) : 0.4 + 0.3 * rng.next();
  const insP = client.prepare("insert into conversation_participants (conversation_id, kind, pseudonym, external_id) values (?, 'imported', ?, ?)");
  const insS = client.prepare("insert into statements (conversation_id, tid, text, status) values (?, ?, ?, 'accepted')");
  const pIds = new Int32Array(P), sIds = new Int32Array(S);
  client.transaction(() => {
    for (let i = 0; i < P; i++) pIds[i] = Number(insP.run(conversationId, `Participant #${i}`, i).lastInsertRowid);
    for (let j = 0; j < S; j++) sIds[j] = Number(insS.run(conversationId, j, `Statement ${j}: a proposal about transport, housing or parks in our town`).lastInsertRowid);
  })();
  // votes per participant: log-normal scaled so the total is about V
  const raw = new Float64Array(P);
  let sum = 0;
  for (let i = 0; i < P; i++) sum += raw[i] = Math.exp(sigma * gaussian(rng));
  const cap = Math.max(1, Math.floor(S / 2));
  const want = new Int32Array(P);
  for (let i = 0; i < P; i++) want[i] = Math.min(cap, Math.max(1, Math.round((raw[i] * V) / sum)));
  const insV = client.prepare('insert into votes (statement_id, participant_id, conversation_id, vote, voted_at, changes, seq) values (?, ?, ?, ?, ?, 0, ?)');
  const seen = new Int32Array(S).fill(-1);
  const norm = 1 - Math.exp(-ageDecay);
  let total = 0;
  const t0 = Date.UTC(2026, 10, 1);
  const BATCH = 200;
  for (let i0 = 0; i0 < P; i0 += BATCH) {
    client.transaction(() => {
      for (let i = i0; i < Math.min(P, i0 + BATCH); i++) {
        const g = rng.int(groups);
        for (let k = 0; k < want[i]; k++) {
          let j: number;
          do j = Math.min(S - 1, Math.floor((-Math.log(1 - rng.next() * norm) / ageDecay) * S)); while (seen[j] === i);
          seen[j] = i;
          const pa = pAgree[g * S + j], r = rng.next();
          insV.run(sIds[j], pIds[i], conversationId, r < pa ? 1 : r < pa + (1 - pa) * 0.8 ? -1 : 0, t0 + total, 0);
          total++;
        }
      }
    })();
  }
  client.exec(`update statements set
      agree_count = (select count(*) from votes v where v.statement_id = statements.id and v.vote = 1),
      disagree_count = (select count(*) from votes v where v.statement_id = statements.id and v.vote = -1),
      pass_count = (select count(*) from votes v where v.statement_id = statements.id and v.vote = 0)
    where conversation_id = '${conversationId}'`);
  client.prepare('update conversations set vote_events = ? where id = ?').run(total, conversationId);
  client.pragma('wal_checkpoint(TRUNCATE)');
  client.close();
  return { assemblyId, conversationId, participants: P, statements: S, votes: total };
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  const [file, P, S, V, seed] = process.argv.slice(2);
  const t = performance.now();
  const r = load(file, Number(P), Number(S), Number(V), Number(seed));
  process.stdout.write(JSON.stringify({ ...r, seconds: (performance.now() - t) / 1000 }) + '\n');
}
