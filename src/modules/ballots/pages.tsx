/** @jsxImportSource hono/jsx */
import { Hono } from 'hono';
import type { Deps } from '../../deps.js';
import type { AppEnv } from '../../platform/http/types.js';

export function ballotPages(_deps: Deps) {
  return new Hono<AppEnv>();
}
