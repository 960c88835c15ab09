import type { Context, MiddlewareHandler } from 'hono';
import { AppError } from '../errors.js';
import { clientIp } from './client-ip.js';
import type { AppEnv } from './types.js';

export type Bucket = 'signin' | 'join' | 'write';

/**
 * Who a request counts against: a signed-in caller's account (so one busy participant, or a whole assembly behind
 * one school NAT, never uses up anyone else's allowance); an anonymous caller's address.
 */
export function rateKey(c: Context<AppEnv>): string {
  const a = c.get('actor');
  return a && a.kind === 'user' ? `user:${a.id}` : `ip:${c.get('clientIp') ?? clientIp(c)}`;
}

/**
 * Fixed-window rate limit per key and bucket name, in memory (one process; the Workers build would use a Durable
 * Object). Answers 429 problem+json with Retry-After.
 */
export function rateLimit(opts: { name: string; perMinute: number; now?: () => number }): MiddlewareHandler<AppEnv> {
  const windows = new Map<string, { start: number; n: number }>();
  const now = opts.now ?? Date.now;
  return async (c, next) => {
    const t = now();
    const key = rateKey(c);
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
      const who = key.startsWith('user:') ? 'your account' : 'your address';
      throw new AppError('RATE_LIMITED', `Too many ${opts.name} requests from ${who}; try again in ${retry} s.`, { retryAfter: retry, i18n: 'identity.err.rate', vars: { s: retry } });
    }
    await next();
  };
}

export interface RateLimitConfig {
  signinRateLimit: number;
  joinRateLimit: number;
  publicWriteRateLimit: number;
}

const SHARED = new WeakMap<object, Map<Bucket, MiddlewareHandler<AppEnv>>>();

/**
 * The named buckets, one set per service (keyed by its config object), so the page form and the API route of the
 * same kind count together: 'signin' (staff password) and 'join' (invitation codes) per address, 'write' per
 * account or address.
 */
export function bucket(config: RateLimitConfig, name: Bucket): MiddlewareHandler<AppEnv> {
  let m = SHARED.get(config);
  if (!m) SHARED.set(config, (m = new Map()));
  let mw = m.get(name);
  if (!mw) {
    const perMinute = name === 'signin' ? config.signinRateLimit : name === 'join' ? config.joinRateLimit : config.publicWriteRateLimit;
    const label = name === 'signin' ? 'sign-in' : name === 'join' ? 'join' : 'write';
    m.set(name, (mw = rateLimit({ name: label, perMinute })));
  }
  return mw;
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);
/** sign-in and join routes have their own buckets (above) and are not counted as writes */
const OWN_BUCKET = /^\/(api\/auth\/(signin|join)|signin|join)\/?$/;

/** Every unsafe request, pages and API alike, counts in the 'write' bucket of its account or address. */
export function writeRateLimit(config: RateLimitConfig): MiddlewareHandler<AppEnv> {
  const writes = bucket(config, 'write');
  return async (c, next) => {
    if (UNSAFE.has(c.req.method) && !OWN_BUCKET.test(c.req.path)) return writes(c, next);
    await next();
  };
}
