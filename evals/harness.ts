/**
 * Evaluation harness contract. Suites live in evals/<suite>/suite.ts and export `suite: EvalSuite`.
 * The harness (evals/run.ts) parses arguments, runs the suite, prints a table and writes JSON.
 */

export type EvalArgs = Record<string, string | boolean>;

export interface EvalItem {
  name: string;
  /** a list (e.g. the member ids of a group) is printed joined by spaces and kept as an array in the JSON */
  [metric: string]: number | string | null | string[];
}

export interface EvalResult {
  suite: string;
  data: string;
  metrics: Record<string, number>;
  items: EvalItem[];
  provenance: Record<string, unknown>;
}

export interface EvalContext {
  /** absolute path given with --data */
  data: string;
  /** every other --flag value (or true for bare flags) */
  args: EvalArgs;
  /** progress messages to stderr */
  log: (message: string) => void;
}

export interface EvalSuite {
  name: string;
  description: string;
  /** one line of options beyond --data, e.g. '--panel-size <k> [--algorithm leximin|maximin|legacy]' */
  usage: string;
  run(ctx: EvalContext): Promise<Omit<EvalResult, 'suite' | 'data'>>;
}

/** Thrown by a suite when its data is missing or unreadable: the harness exits non-zero with the message. */
export class DataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DataError';
  }
}

export interface BenchResult {
  name: string;
  /** measured figures, e.g. { sentencesPerSecond: 61.2, peakRssMb: 512 } */
  figures: Record<string, number | string>;
  /** free-form table rows printed and committed */
  rows?: Array<Record<string, number | string>>;
  notes?: string[];
}

export interface Bench {
  name: string;
  description: string;
  run(args: EvalArgs, log: (message: string) => void): Promise<BenchResult>;
}
