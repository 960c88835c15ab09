import type { Module } from '../index.js';
import { calendarRoutes } from './calendar-http.js';
import { calendarPages } from './calendar-pages.js';
import { deliberationRoutes } from './http.js';
import { ideaDesks } from './ideas-desk.js';
import { ideaRoutes } from './ideas-http.js';
import { ideaPages } from './ideas-pages.js';
import { sharedIdeaKind } from './ideas.js';
import { registerDeliberationJobs } from './jobs.js';
import { learningRoutes } from './learning-http.js';
import { learningPages } from './learning-pages.js';
import { deliberationPages } from './pages.js';

/**
 * Deliberation in groups: breakout allocation with rotation, video rooms, the calendar with attendance and feeds,
 * learning and Q&A, and ideas carried from group to group (through the review queue).
 */
export function deliberationModule(): Module {
  return {
    name: 'deliberation',
    api: (d) => deliberationRoutes(d).route('/', calendarRoutes(d)).route('/', learningRoutes(d)).route('/', ideaRoutes(d)),
    pages: (d) => deliberationPages(d).route('/', calendarPages(d)).route('/', learningPages(d)).route('/', ideaPages(d)),
    reviewKinds: () => [sharedIdeaKind()],
    desks: ideaDesks,
    jobs: registerDeliberationJobs,
  };
}
