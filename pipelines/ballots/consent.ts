/**
 * Consent with gradients of agreement: Loomio's "gradients of agreement" poll, after Sam Kaner's eight-point
 * scale (Kaner et al., "Facilitator's Guide to Participatory Decision-Making"). Each member picks one gradient;
 * the result lists the count per gradient and surfaces blocks (veto) and objections (serious disagreement), which
 * a facilitator must address: a proposal passes by consent only when there is no block (and, by default, no
 * serious objection either — configurable).
 */
import { BallotError } from './types.js';

/** Kaner's eight gradients, most supportive first; the keys are stable ids, the words live in the i18n files. */
export const GRADIENTS = [
  'endorse', // whole-hearted endorsement
  'agree-minor', // agreement with a minor point of contention
  'reservations', // support with reservations
  'abstain', // abstain
  'discuss', // more discussion needed
  'dislike-support', // don't like but will support
  'serious-disagreement', // serious disagreement (an objection)
  'veto', // veto (a block)
] as const;
export type Gradient = (typeof GRADIENTS)[number];

export interface ConsentResult {
  method: 'consent';
  voters: number;
  counts: Record<Gradient, number>;
  blocks: number;
  objections: number;
  /** supportive = the first three gradients plus "don't like but will support" */
  support: number;
  passed: boolean;
}

export function consent(choices: Array<{ gradient: string; count?: number }>, opts: { objectionsBlock?: boolean } = {}): ConsentResult {
  const counts = Object.fromEntries(GRADIENTS.map((g) => [g, 0])) as Record<Gradient, number>;
  let voters = 0;
  choices.forEach((c, i) => {
    if (!(GRADIENTS as readonly string[]).includes(c.gradient)) throw new BallotError(`ballot ${i + 1}: "${c.gradient}" is not one of the eight gradients (${GRADIENTS.join(', ')})`);
    const n = c.count ?? 1;
    if (!Number.isInteger(n) || n < 1) throw new BallotError(`ballot ${i + 1}: count must be a positive whole number`);
    counts[c.gradient as Gradient] += n;
    voters += n;
  });
  const blocks = counts.veto;
  const objections = counts['serious-disagreement'];
  const support = counts.endorse + counts['agree-minor'] + counts.reservations + counts['dislike-support'];
  const passed = voters > 0 && blocks === 0 && (opts.objectionsBlock === false || objections === 0);
  return { method: 'consent', voters, counts, blocks, objections, support, passed };
}
