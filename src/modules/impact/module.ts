import type { Module } from '../index.js';
import { impactRoutes } from './http.js';
import { impactPages } from './pages.js';

/** Impact tracking: what became of each recommendation, a public page per assembly and an Atom feed. */
export function impactModule(): Module {
  return { name: 'impact', api: impactRoutes, pages: impactPages };
}
