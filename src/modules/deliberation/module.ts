import type { Module } from '../index.js';
import { calendarRoutes } from './calendar-http.js';
import { calendarPages } from './calendar-pages.js';
import { deliberationRoutes } from './http.js';
import { learningRoutes } from './learning-http.js';
import { learningPages } from './learning-pages.js';
import { deliberationPages } from './pages.js';

/** Deliberation in groups: breakout allocation with rotation, video rooms, the calendar with attendance and feeds. */
export function deliberationModule(): Module {
  return {
    name: 'deliberation',
    api: (d) => deliberationRoutes(d).route('/', calendarRoutes(d)).route('/', learningRoutes(d)),
    pages: (d) => deliberationPages(d).route('/', calendarPages(d)).route('/', learningPages(d)),
  };
}
