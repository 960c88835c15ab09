import type { Module } from '../index.js';
import { opendataRoutes } from './http.js';
import { registerOpendataJobs } from './jobs.js';
import { opendataPages } from './pages.js';
import { opendataRepo } from './repo.js';

/** Open data: the Frictionless package of an assembly (export job, download, publication) and its re-import. */
export function opendataModule(): Module {
  return {
    name: 'opendata',
    api: opendataRoutes,
    pages: opendataPages,
    jobs: registerOpendataJobs,
    // an imported archive is read-only: the guard refuses every write on its routes
    readOnly: (deps) => (assemblyId) => opendataRepo.archive(deps.db, assemblyId) !== undefined,
  };
}
