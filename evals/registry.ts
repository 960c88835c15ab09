import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Bench, EvalSuite } from './harness.js';

/**
 * Suites and benchmarks by name. Each entry is a module path relative to this file; suites export
 * `suite`, benchmarks export `bench`. Loading is lazy so one suite's heavy dependencies never slow another.
 */
export const SUITES: Record<string, string> = {
  votes: './votes/suite.ts',
  'polis-math': './polis-math/suite.ts',
  sortition: './sortition/suite.ts',
  keypoints: './keypoints/suite.ts',
  topics: './topics/suite.ts',
  translation: './translation/suite.ts',
  asr: './asr/suite.ts',
  breakouts: './breakouts/suite.ts',
  ballots: './ballots/suite.ts',
  forecast: './forecast/suite.ts',
  dialogue: './dialogue/suite.ts',
};

export const BENCHES: Record<string, string> = {
  models: './bench/models.ts',
  votes: './bench/votes.ts',
  'votes-http': './bench/votes-http.ts',
  'workers-http': './bench/workers-http.ts',
  'votes-service': './bench/votes-service.ts',
  sortition: './bench/sortition.ts',
  'sortition-hard': './bench/sortition-hard.ts',
  text: './bench/text.ts',
  asr: './bench/asr.ts',
  breakouts: './bench/breakouts.ts',
  ballots: './bench/ballots.ts',
  debates: './bench/debates.ts',
  brochure: './bench/brochure.ts',
};

function resolve(rel: string): string | null {
  const url = new URL(rel, import.meta.url);
  return existsSync(fileURLToPath(url)) ? url.href : null;
}

export function availableSuites(): string[] {
  return Object.keys(SUITES).filter((n) => resolve(SUITES[n]) !== null);
}
export function availableBenches(): string[] {
  return Object.keys(BENCHES).filter((n) => resolve(BENCHES[n]) !== null);
}

export async function loadSuite(name: string): Promise<EvalSuite | null> {
  const rel = SUITES[name];
  const href = rel ? resolve(rel) : null;
  if (!href) return null;
  const mod = (await import(href)) as { suite: EvalSuite };
  return mod.suite;
}

export async function loadBench(name: string): Promise<Bench | null> {
  const rel = BENCHES[name];
  const href = rel ? resolve(rel) : null;
  if (!href) return null;
  const mod = (await import(href)) as { bench: Bench };
  return mod.bench;
}
