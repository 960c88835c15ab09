import { createPrng } from '../../../pipelines/votes/index.js';
import { ctxFor } from '../../deps.js';
import type { TestService } from '../../testing/service.js';
import { polisDate } from './polis.js';
import { createConversation, seedStatement } from './service.js';

/** A conversation with one accepted statement, for route-enumerating tests (samples.ts). */
export function sampleConversation(s: Pick<TestService, 'deps' | 'assemblyId' | 'users'>) {
  const ctx = ctxFor(s.deps, { kind: 'user', id: s.users.facilitator, role: 'facilitator', displayName: 'Test facilitator', language: 'en', via: 'token', assemblyIds: [] });
  const conv = createConversation(ctx, s.assemblyId, { topic: 'Sample conversation' });
  const st = seedStatement(ctx, s.assemblyId, conv.id, { text: 'A sample statement to vote on.' });
  return { conversationId: conv.id, statementId: st.id };
}

/**
 * A planted Pol.is export written exactly as this module exports (so import → export gives the same text):
 * two opinion camps (the first half of the participants agree with the first half of the statements and disagree
 * with the rest; the other half the opposite), `noise` of the votes flipped to pass, `unseen` left blank.
 */
export function plantedPolis(opts: { participants?: number; statements?: number; seed?: number; unseen?: number; noise?: number; rejected?: number[]; t0?: number } = {}) {
  const P = opts.participants ?? 40, S = opts.statements ?? 12;
  const rng = createPrng(opts.seed ?? 7, 3);
  const t0 = opts.t0 ?? 1_700_000_000_000;
  const rejected = new Set(opts.rejected ?? []);
  const camp = (p: number) => (p < P / 2 ? 0 : 1);
  const votes: Array<{ p: number; s: number; v: number; at: number }> = [];
  let at = t0 + 10_000_000;
  for (let p = 0; p < P; p++)
    for (let s = 0; s < S; s++) {
      if (rng.next() < (opts.unseen ?? 0.15)) continue;
      const side = (s < S / 2 ? 1 : -1) * (camp(p) === 0 ? 1 : -1);
      const v = rng.next() < (opts.noise ?? 0.1) ? 0 : side;
      votes.push({ p, s, v, at: (at += 1000) });
    }
  const author = (s: number) => s % P;
  const line = (xs: Array<string | number>) => xs.map((x) => (/[",\n]/.test(String(x)) ? `"${String(x).replace(/"/g, '""')}"` : String(x))).join(',');
  const comments = ['timestamp,datetime,comment-id,author-id,agrees,disagrees,moderated,comment-body'];
  for (let s = S - 1; s >= 0; s--) {
    const ts = t0 + s * 60_000;
    const a = votes.filter((x) => x.s === s && x.v === 1).length, d = votes.filter((x) => x.s === s && x.v === -1).length;
    comments.push(line([ts, polisDate(ts), s, author(s), a, d, rejected.has(s) ? -1 : 1, `Statement number ${s}, about ${s < S / 2 ? 'parks, trees and cycling' : 'parking, roads and cars'}`]));
  }
  const votesCsv = ['timestamp,datetime,comment-id,voter-id,vote', ...votes.map((x) => line([x.at, polisDate(x.at), x.s, x.p, x.v]))];
  const pv = [line(['participant', 'group-id', 'n-comments', 'n-votes', 'n-agree', 'n-disagree', ...Array.from({ length: S }, (_, s) => s)])];
  for (let p = 0; p < P; p++) {
    const mine = votes.filter((x) => x.p === p);
    const cells = Array.from({ length: S }, (_, s) => mine.find((x) => x.s === s)?.v ?? '');
    const nComments = Array.from({ length: S }, (_, s) => s).filter((s) => author(s) === p).length;
    if (mine.length === 0 && nComments === 0) continue;
    pv.push(line([p, camp(p), nComments, mine.length, mine.filter((x) => x.v === 1).length, mine.filter((x) => x.v === -1).length, ...cells]));
  }
  return { comments: comments.join('\n') + '\n', votes: votesCsv.join('\n') + '\n', participantsVotes: pv.join('\n') + '\n', camp };
}
