import type { Hono } from 'hono';
import type { Deps } from '../deps.js';
import type { Router } from '../platform/http/openapi.js';
import type { AppEnv } from '../platform/http/types.js';
import type { DeskHook, ReviewKind } from '../platform/review/registry.js';
import { assemblyRoutes } from './assemblies/http.js';
import { identityRoutes } from './identity/http.js';
import { identityPages } from './identity/pages.js';
import { jobRoutes } from './jobs/http.js';
import { publicationRoutes } from './publications/http.js';
import { registerPublicationJobs, registerSummarizeJob } from './publications/jobs.js';
import { publicationKinds } from './publications/service.js';
import { publicationDesks } from './publications/desk.js';
import { reviewRoutes } from './review/http.js';
import { reviewPages } from './review/pages.js';
import { sortitionRoutes } from './sortition/http.js';
import { registerSortitionJobs } from './sortition/jobs.js';
import { sortitionPages } from './sortition/pages.js';
import { onboardingRoutes } from './onboarding/http.js';
import { onboardingPages } from './onboarding/pages.js';
import { contributionRoutes } from './contributions/http.js';
import { registerContributionJobs } from './contributions/jobs.js';
import { contributionPages } from './contributions/pages.js';
import { contributionKinds } from './contributions/service.js';
import { contributionDesks } from './contributions/desk.js';
import { conversationRoutes } from './conversations/http.js';
import { registerConversationJobs } from './conversations/jobs.js';
import { conversationPages } from './conversations/pages.js';
import { opinionMapKind } from './conversations/service.js';
import { conversationDesks } from './conversations/desk.js';
import { breakoutsModule } from './breakouts/module.js';
import { deliberationModule } from './deliberation/module.js';
import { ballotRoutes } from './ballots/http.js';
import { ballotPages } from './ballots/pages.js';
import { forecastKind } from './ballots/forecast.js';
import { ballotDesks } from './ballots/forecast-view.js';
import { registerBallotJobs } from './ballots/jobs.js';
import { surveyRoutes } from './surveys/http.js';
import { surveyPages } from './surveys/pages.js';
import { opendataModule } from './opendata/module.js';
import { debatesModule } from './debates/module.js';
import { notificationRoutes } from './notifications/http.js';
import { registerNotificationJobs } from './notifications/jobs.js';
import { notificationPages } from './notifications/pages.js';
import { recommendationRoutes } from './recommendations/http.js';
import { recommendationPages } from './recommendations/pages.js';
import { textRoutes } from './texts/http.js';
import { textPages } from './texts/pages.js';
import { brochureModule } from './brochure/module.js';
import { impactModule } from './impact/module.js';

/** A domain module plugs into the app through these optional hooks. */
export interface Module {
  name: string;
  /** JSON API routes, mounted under /api */
  api?(deps: Deps): Router;
  /** server-rendered pages, mounted at / */
  pages?(deps: Deps): Hono<AppEnv>;
  /** review kinds this module publishes */
  reviewKinds?(deps: Deps): ReviewKind<any>[];
  /** job handlers */
  jobs?(deps: Deps): void;
  /** review-desk hooks (kind → how the desk shows and edits it) for kinds registered without one; attached after every kind is registered */
  desks?(deps: Deps): Record<string, DeskHook<any>>;
  /** assemblies this module makes read-only (the guard refuses their writes with 409) */
  readOnly?(deps: Deps): (assemblyId: string) => boolean;
}

export const MODULES: Module[] = [
  { name: 'identity', api: identityRoutes, pages: identityPages },
  { name: 'assemblies', api: assemblyRoutes },
  { name: 'review', api: reviewRoutes, pages: reviewPages },
  { name: 'jobs', api: jobRoutes },
  { name: 'publications', api: publicationRoutes, reviewKinds: (d) => publicationKinds(d.jobs), desks: publicationDesks, jobs: (d) => { registerPublicationJobs(d); registerSummarizeJob(d); } },
  { name: 'conversations', api: conversationRoutes, pages: conversationPages, reviewKinds: () => [opinionMapKind()], desks: conversationDesks, jobs: registerConversationJobs },
  { name: 'contributions', api: contributionRoutes, pages: contributionPages, reviewKinds: (d) => contributionKinds(d.review), desks: contributionDesks, jobs: registerContributionJobs },
  { name: 'sortition', api: sortitionRoutes, pages: sortitionPages, jobs: registerSortitionJobs },
  { name: 'onboarding', api: onboardingRoutes, pages: onboardingPages },
  breakoutsModule(),
  deliberationModule(),
  { name: 'ballots', api: ballotRoutes, pages: ballotPages, reviewKinds: () => [forecastKind()], desks: ballotDesks, jobs: registerBallotJobs },
  { name: 'surveys', api: surveyRoutes, pages: surveyPages },
  opendataModule(),
  { name: 'notifications', api: notificationRoutes, pages: notificationPages, jobs: registerNotificationJobs },
  debatesModule(),
  { name: 'recommendations', api: recommendationRoutes, pages: recommendationPages },
  { name: 'texts', api: textRoutes, pages: textPages },
  brochureModule(),
  impactModule(),
];
