import type { Module } from '../index.js';
import { debateRoutes } from './http.js';
import { discussionSummaryKind, registerDebateJobs } from './summaries.js';

export function debatesModule(): Module {
  return { name: 'debates', api: debateRoutes, reviewKinds: () => [discussionSummaryKind()], jobs: registerDebateJobs };
}
