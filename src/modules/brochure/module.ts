import type { Module } from '../index.js';
import { brochureRoutes } from './http.js';
import { registerBrochureJobs } from './jobs.js';
import { brochurePages } from './pages.js';
import { chromiumEngine, type PdfEngine } from './pdf.js';
import { translationKind } from './translations.js';

/**
 * The brochure of an assembly's recommendations: an HTML view with print CSS and, through the job runner, a PDF of
 * that same HTML printed by headless Chromium; versions kept and downloadable. `pdf` lets a test give another engine
 * (a missing Chromium, a printer that fails half-way).
 */
export function brochureModule(opts: { pdf?: PdfEngine } = {}): Module {
  const pdf = opts.pdf ?? chromiumEngine();
  return {
    name: 'brochure',
    api: (deps) => brochureRoutes(deps, pdf),
    pages: (deps) => brochurePages(deps, pdf),
    jobs: (deps) => registerBrochureJobs(deps, pdf),
    reviewKinds: () => [translationKind()],
  };
}
