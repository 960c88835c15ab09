import type { Module } from '../index.js';
import { deliberationRoutes } from './http.js';
import { deliberationPages } from './pages.js';

/** Deliberation in groups: breakout allocation with rotation, video rooms. */
export function deliberationModule(): Module {
  return { name: 'deliberation', api: deliberationRoutes, pages: deliberationPages };
}
