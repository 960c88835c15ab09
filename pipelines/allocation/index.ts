export { allocate, checkAllocation, MAX_PEOPLE, STAGE } from './allocate.js';
export { allocationFigures, assignFacilitators, bestOfShuffles, checkFacilitators, groupSizes, randomRounds, type Rounds } from './figures.js';
export { ALLOCATION_VERSION, AllocationError } from './types.js';
export type { AllocatedGroup, AllocationConstraint, AllocationFigures, AllocationInput, AllocationPerson, AllocationResult } from './types.js';
export { parsePeopleTable } from './csv.js';
