import type { Module } from '../index.js';
import { opendataRoutes } from './http.js';
import { registerOpendataJobs } from './jobs.js';
import { opendataPages } from './pages.js';

/** Open data: the Frictionless package of an assembly (export job, download, publication) and its re-import. */
export function opendataModule(): Module {
  return {
    name: 'opendata',
    api: opendataRoutes,
    pages: opendataPages,
    jobs: registerOpendataJobs,
  };
}
