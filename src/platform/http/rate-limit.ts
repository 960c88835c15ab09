import type { MiddlewareHandler } from 'hono';
import { AppError } from '../errors.js';
import { clientIp } from './client-ip.js';

/**
 * Fixed-window rate limit per client address and bucket name, in memory (one process; the Workers build would
 * use a Durable Object). Answers 429 problem+json with Retry-After.
 */
export function rateLimit(opts: { name: string; perMinute: number; now?: () => number }): MiddlewareHandler {
  const windows = new Map<string, { start: number; n: number }>();
  const now = opts.now ?? Date.now;
  return async (c, next) => {
    const t = now();
    const key = clientIp(c);
    let w = windows.get(key);
    if (!w || t - w.start >= 60_000) {
      w = { start: t, n: 0 };
      windows.set(key, w);
      if (windows.size > 10_000) for (const [k, v] of windows) if (t - v.start >= 60_000) windows.delete(k);
    }
    w.n++;
    if (w.n > opts.perMinute) {
      const retry = Math.ceil((w.start + 60_000 - t) / 1000);
      c.header('Retry-After', String(retry));
      throw new AppError('RATE_LIMITED', `Too many ${opts.name} requests from your address; try again in ${retry} s.`, { retryAfter: retry });
    }
    await next();
  };
}
