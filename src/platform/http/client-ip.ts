import type { Context } from 'hono';

/** The peer address from @hono/node-server's incoming socket; 'local' for in-process app.request() calls. */
export function clientIp(c: Context): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? c.req.header('x-test-client-ip') ?? 'local';
}
