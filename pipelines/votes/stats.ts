/**
 * Statement statistics from group vote counts: representativeness (repness), consensus, group-informed
 * consensus and routing priority. Formulas follow the published Pol.is description (Small et al. 2021 and the
 * Pol.is math documentation): Laplace-smoothed probabilities and one-sided z-tests at 90 %.
 */

/** one-sided 90 % critical value of the standard normal */
export const Z90 = 1.2816;

/** Smoothed probability (n_success + 1) / (n + 2). */
export function smoothed(success: number, n: number): number {
  return (success + 1) / (n + 2);
}

/** Proportion test against 1/2 with a pseudocount: 2·√(n+1)·((s+1)/(n+1) − ½). */
export function proportionZ(success: number, n: number): number {
  return 2 * Math.sqrt(n + 1) * ((success + 1) / (n + 1) - 0.5);
}

/** Two-proportion z-test (pooled) with one pseudocount added to successes and trials of each side. */
export function twoProportionZ(s1: number, n1: number, s2: number, n2: number): number {
  const a1 = s1 + 1, b1 = n1 + 1, a2 = s2 + 1, b2 = n2 + 1;
  const p1 = a1 / b1, p2 = a2 / b2, p = (a1 + a2) / (b1 + b2);
  const v = p * (1 - p) * (1 / b1 + 1 / b2);
  return v > 0 ? (p1 - p2) / Math.sqrt(v) : 0;
}

/** Vote counts per group: index g * nStatements + j. */
export interface GroupCounts {
  k: number;
  nStatements: number;
  agree: Int32Array;
  disagree: Int32Array;
  /** votes cast, pass included */
  seen: Int32Array;
}

export interface RepresentativeStatement {
  statement: number;
  direction: 'agree' | 'disagree';
  /** votes in the direction within the group, and votes cast in the group */
  nSuccess: number;
  nTrials: number;
  /** smoothed probability in the direction within the group */
  pSuccess: number;
  /** proportion z-test within the group */
  pTest: number;
  /** ratio of the smoothed probability in the group to that in the rest */
  repness: number;
  /** two-proportion z-test group vs rest */
  repnessTest: number;
  /** ranking metric repness · repnessTest · pSuccess · pTest */
  metric: number;
  /** true for the statement added as the group's best agreed statement when no agreed statement is significant */
  bestAgree: boolean;
}

export interface RepnessOptions {
  /** at most this many statements per group (default 5) */
  perGroup?: number;
  z?: number;
}

/**
 * Representative statements of each group. A statement qualifies in a direction when both the proportion test
 * (is the group's majority in that direction?) and the two-proportion test (more than the rest of the
 * participants?) exceed the 90 % one-sided critical value. Per statement the direction with the larger metric is
 * kept; statements are ranked by metric. If no agreed statement qualifies, the agreed statement with the best
 * metric whose proportion test passes and whose repness exceeds 1 is put first and marked bestAgree.
 */
export function representativeStatements(counts: GroupCounts, active: Uint8Array, opts: RepnessOptions = {}): RepresentativeStatement[][] {
  const { k, nStatements: S } = counts;
  const perGroup = opts.perGroup ?? 5;
  const z = opts.z ?? Z90;
  const totA = new Int32Array(S), totD = new Int32Array(S), totS = new Int32Array(S);
  for (let g = 0; g < k; g++) for (let j = 0; j < S; j++) {
    totA[j] += counts.agree[g * S + j]; totD[j] += counts.disagree[g * S + j]; totS[j] += counts.seen[g * S + j];
  }
  const out: RepresentativeStatement[][] = [];
  for (let g = 0; g < k; g++) {
    const cands: RepresentativeStatement[] = [];
    let bestAgree: RepresentativeStatement | null = null;
    for (let j = 0; j < S; j++) {
      if (!active[j]) continue;
      const ns = counts.seen[g * S + j];
      if (ns === 0) continue;
      const na = counts.agree[g * S + j], nd = counts.disagree[g * S + j];
      const rs = totS[j] - ns, ra_ = totA[j] - na, rd_ = totD[j] - nd;
      const make = (dir: 'agree' | 'disagree', s: number, rsucc: number): RepresentativeStatement => {
        const p = smoothed(s, ns), pt = proportionZ(s, ns);
        const r = p / smoothed(rsucc, rs), rt = twoProportionZ(s, ns, rsucc, rs);
        return { statement: j, direction: dir, nSuccess: s, nTrials: ns, pSuccess: p, pTest: pt, repness: r, repnessTest: rt, metric: r * rt * p * pt, bestAgree: false };
      };
      const a = make('agree', na, ra_), d = make('disagree', nd, rd_);
      const aOk = a.pTest > z && a.repnessTest > z, dOk = d.pTest > z && d.repnessTest > z;
      if (aOk && (!dOk || a.metric >= d.metric)) cands.push(a);
      else if (dOk) cands.push(d);
      if (a.pTest > z && a.repness > 1 && (!bestAgree || a.metric > bestAgree.metric)) bestAgree = a;
    }
    cands.sort((x, y) => y.metric - x.metric || x.statement - y.statement);
    let list = cands.slice(0, perGroup);
    if (!list.some((r) => r.direction === 'agree') && bestAgree) {
      list = [{ ...bestAgree, bestAgree: true }, ...list.filter((r) => r.statement !== bestAgree!.statement)].slice(0, perGroup);
    }
    out.push(list);
  }
  return out;
}

export interface ConsensusStatement {
  statement: number;
  nSuccess: number;
  nTrials: number;
  pSuccess: number;
  pTest: number;
}

/**
 * Plain consensus over the given counts (computeOpinionMap gives every vote cast, k = 1): statements a significant majority agrees with (or disagrees
 * with): smoothed probability > ½ and proportion test above the 90 % critical value, ranked by pSuccess · pTest.
 */
export function consensusStatements(counts: GroupCounts, active: Uint8Array, perSide = 5, z = Z90): { agree: ConsensusStatement[]; disagree: ConsensusStatement[] } {
  const { k, nStatements: S } = counts;
  const agree: ConsensusStatement[] = [], disagree: ConsensusStatement[] = [];
  for (let j = 0; j < S; j++) {
    if (!active[j]) continue;
    let a = 0, d = 0, n = 0;
    for (let g = 0; g < k; g++) { a += counts.agree[g * S + j]; d += counts.disagree[g * S + j]; n += counts.seen[g * S + j]; }
    if (n === 0) continue;
    for (const [succ, list] of [[a, agree], [d, disagree]] as const) {
      const p = smoothed(succ, n), t = proportionZ(succ, n);
      if (p > 0.5 && t > z) list.push({ statement: j, nSuccess: succ, nTrials: n, pSuccess: p, pTest: t });
    }
  }
  const rank = (x: ConsensusStatement, y: ConsensusStatement) => y.pSuccess * y.pTest - x.pSuccess * x.pTest || x.statement - y.statement;
  agree.sort(rank); disagree.sort(rank);
  return { agree: agree.slice(0, perSide), disagree: disagree.slice(0, perSide) };
}

/** Group-informed consensus per statement: ∏_g (A_g + 1) / (S_g + 2); NaN for excluded statements. */
export function groupInformedConsensus(counts: GroupCounts, active: Uint8Array): Float64Array {
  const { k, nStatements: S } = counts;
  const out = new Float64Array(S);
  for (let j = 0; j < S; j++) {
    if (!active[j]) { out[j] = NaN; continue; }
    let prod = 1;
    for (let g = 0; g < k; g++) prod *= smoothed(counts.agree[g * S + j], counts.seen[g * S + j]);
    out[j] = prod;
  }
  return out;
}

/** Priority given to meta statements (shown early, outside the math); rejected statements get 0. */
export const META_PRIORITY = 49;

/**
 * Routing priority (which statement to show a participant next; higher first):
 *   a = (A + 1)/(S + 2) agree rate, p = (P + 1)/(S + 2) pass rate, E = extremity (distance from the origin of
 *   the statement's projection in the opinion space), S = votes cast on it (all participants);
 *   importance = (1 − p) · (E + 1) · a           — clear, divisive-or-agreed statements rank high
 *   novelty    = 1 + 8 · 2^(−S / 5)              — new statements get up to 9× until they have votes
 *   priority   = (importance · novelty)²
 * Meta statements get META_PRIORITY, rejected ones 0.
 */
export function routingPriority(agree: number, pass: number, seen: number, extremity: number): number {
  const a = smoothed(agree, seen), p = smoothed(pass, seen);
  const importance = (1 - p) * (extremity + 1) * a;
  const novelty = 1 + 8 * Math.pow(2, -seen / 5);
  return (importance * novelty) ** 2;
}
