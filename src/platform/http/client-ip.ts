import type { Context } from 'hono';

/**
 * The client's address: the peer address from @hono/node-server's incoming socket ('local' for in-process
 * app.request() calls, where tests may name one with x-test-client-ip). Behind a reverse proxy (trustProxy, off by
 * default) it is the right-most X-Forwarded-For entry: the one the proxy itself appended, which a client cannot forge.
 */
export function clientIp(c: Context, trustProxy = false): string {
  if (trustProxy) {
    const xff = c.req.header('x-forwarded-for');
    const last = xff
      ?.split(',')
      .map((s) => s.trim())
      .filter(Boolean)
      .pop();
    if (last) return last;
  }
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? c.req.header('x-test-client-ip') ?? 'local';
}
