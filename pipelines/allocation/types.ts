/**
 * Breakout allocation: types and the error for constraints no allocation can meet. Plain data in and out.
 */

/** Version recorded with every allocation; bump when anything that changes a result changes. */
export const ALLOCATION_VERSION = 'plenary-allocation/1.1.0';

export interface AllocationPerson {
  id: string;
  /** feature → value (e.g. gender → female); a missing feature counts as the value '' */
  features: Record<string, string>;
}

export interface AllocationInput {
  people: AllocationPerson[];
  /** the features each group should mirror (organiser's choice); [] = balance nothing */
  features: string[];
  /** largest group (default 8) */
  groupSize: number;
  /** smallest group (default groupSize − 1) */
  minGroupSize?: number;
  /** rounds to allocate (every person in every round) */
  rounds: number;
  /** facilitators available each round; when given, every group gets a lead and a co-facilitator (2 per group) */
  facilitators?: string[];
  /** earlier rounds already held (group → member ids): pairs who met there count as met */
  history?: string[][][];
  seed: string;
  /** search effort (defaults suit 2,000 people × 6 rounds in seconds) */
  effort?: { restarts?: number; maxPasses?: number; sweeps?: number };
  /** weight of a group's squared share deviation against one repeated meeting (default 2) */
  featureWeight?: number;
  /** called as the search advances (fraction of the work done, 0..1); for a job's progress bar */
  onProgress?: (fraction: number) => void;
}

export interface AllocatedGroup {
  /** 0-based group number within the round */
  group: number;
  members: string[];
  lead: string | null;
  coFacilitator: string | null;
}

export interface AllocationFigures {
  /** pairs of people who share a group in more than one round */
  repeatedPairs: number;
  /** distinct other people each person met, averaged over people */
  meanDistinctMet: number;
  /** largest |share of a value in a group − its share in the whole table| over rounds, groups, features, values */
  maxFeatureDeviation: number;
  /** the same, per feature */
  featureDeviation: Record<string, number>;
}

export interface AllocationResult {
  /** round → groups */
  rounds: AllocatedGroup[][];
  /** figures over history + the new rounds */
  figures: AllocationFigures;
  /** the same figures for a random allocation with equal group sizes and the same seed */
  random: AllocationFigures;
  provenance: { stage: string; version: string; seed: string; params: Record<string, unknown>; seconds: number };
}

export type AllocationConstraint = 'groupSize' | 'facilitators' | 'people' | 'input';

/** An allocation the constraints make impossible: says which constraint and by how much. */
export class AllocationError extends Error {
  constructor(
    readonly constraint: AllocationConstraint,
    message: string,
    /** how far off the constraint is (people or facilitators short or over), when it is a count */
    readonly shortBy?: number,
  ) {
    super(message);
    this.name = 'AllocationError';
  }
}
