import type { Logger } from 'pino';
import type { Actor } from '../context.js';
import type { Db } from '../db/client.js';

/** Variables every request carries (set by middleware in app.ts). */
export interface AppEnv {
  Variables: {
    requestId: string;
    logger: Logger;
    actor: Actor;
    /** CSRF token of the cookie session, when signed in with a cookie */
    csrfToken?: string;
    lang: 'fr' | 'en';
    /** the database the guard reads (staff roles, research ids); set by authenticate */
    guardDb: Db;
    /** the client's address, resolved once per request with the service's trust-proxy setting (app.ts) */
    clientIp?: string;
    /** whether an assembly is read-only (an imported archive); set in app.ts from the modules' readOnly hooks */
    readOnly?: (assemblyId: string) => boolean;
  };
}
