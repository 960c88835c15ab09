import type { Module } from '../index.js';
import { registerOpendataJobs } from './jobs.js';

/** Open data: the Frictionless package of an assembly (export job, download, publication) and its re-import. */
export function opendataModule(): Module {
  return {
    name: 'opendata',
    jobs: registerOpendataJobs,
  };
}
