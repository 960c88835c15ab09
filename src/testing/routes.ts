import type { Hono } from 'hono';
import type { Action } from '../platform/auth/permissions.js';

export interface Endpoint {
  method: string;
  path: string;
  action: Action | null;
  /** what the guard does with a write on an archived assembly ('allow' for the routes that only read it) */
  onArchive?: 'refuse' | 'allow';
}

/** Every endpoint the app serves, with the action its guard declares (null when a route has no guard). */
export function endpoints(app: Hono<any>): Endpoint[] {
  const byKey = new Map<string, Endpoint>();
  for (const r of app.routes) {
    if (r.method === 'ALL') continue; // app-wide middleware
    const key = `${r.method} ${r.path}`;
    const e = byKey.get(key) ?? { method: r.method, path: r.path, action: null };
    const { action, onArchive } = r.handler as { action?: Action; onArchive?: 'refuse' | 'allow' };
    if (action) {
      if (e.action && e.action !== action) throw new Error(`${key} declares two actions: ${e.action} and ${action}`);
      e.action = action;
      e.onArchive = onArchive;
    }
    byKey.set(key, e);
  }
  return [...byKey.values()];
}

/** Fills :params from a table of sample values; an unknown parameter name is an error naming it. */
export function fillPath(path: string, samples: Record<string, string>): string {
  return path.replace(/:(\w+)(\{[^}]*\})?/g, (_m, name: string) => {
    const v = samples[name];
    if (v === undefined) throw new Error(`No sample value for :${name} in ${path}; add one to the route tests' samples so the route is checked.`);
    return encodeURIComponent(v);
  });
}
