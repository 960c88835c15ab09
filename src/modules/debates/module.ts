import type { Module } from '../index.js';
import { debateRoutes } from './http.js';
import { debatePages } from './pages.js';
import { discussionSummaryKind, registerDebateJobs } from './summaries.js';

export function debatesModule(): Module {
  return { name: 'debates', api: debateRoutes, pages: debatePages, reviewKinds: () => [discussionSummaryKind()], jobs: registerDebateJobs };
}
