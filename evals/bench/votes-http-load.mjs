/* global process, setTimeout, clearTimeout */
// Load generator for votes-http.ts, run in a worker thread so the server's event loop is not shared with autocannon.
// workerData: { url, path, tokens, statementIds, amount, connections, repeat, seed, csrf (per token, optional) }
import { parentPort, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';

const { url, path, tokens, cookies, statementIds, amount, connections, repeat, seed, maxSeconds } = workerData;
// mulberry32, seeded: the same run sends the same votes
let state = seed >>> 0;
const rand = () => {
  state = (state + 0x6d2b79f5) | 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const int = (n) => Math.floor(rand() * n);
const recent = [];
const P = (tokens ?? cookies).length;
const S = statementIds.length;
function next() {
  let p, s;
  if (recent.length > 100 && rand() < repeat) [p, s] = recent[int(recent.length)];
  else {
    p = int(P);
    s = int(S);
    recent.push([p, s]);
    if (recent.length > 5000) recent.shift();
  }
  return { p, body: JSON.stringify({ statementId: statementIds[s], vote: [1, -1, 0][int(3)] }) };
}
const statusCounts = {};
const latencies = [];
const perSecond = new Map();
let t0 = 0;
const instance = autocannon({
  url,
  connections,
  amount,
  timeout: 10,
  requests: [
    {
      method: 'POST',
      path,
      setupRequest: (req) => {
        const { p, body } = next();
        const headers = tokens
          ? { 'content-type': 'application/json', authorization: `Bearer ${tokens[p]}` }
          : { 'content-type': 'application/json', cookie: cookies[p].cookie, 'x-csrf-token': cookies[p].csrf };
        return { ...req, headers, body };
      },
    },
  ],
});
const timer = setTimeout(() => instance.stop(), maxSeconds * 1000);
instance.on('response', (_c, statusCode, _bytes, responseTime) => {
  const now = Date.now();
  if (!t0) t0 = now;
  statusCounts[statusCode] = (statusCounts[statusCode] ?? 0) + 1;
  latencies.push(responseTime);
  const sec = Math.floor((now - t0) / 1000);
  perSecond.set(sec, (perSecond.get(sec) ?? 0) + 1);
});
instance.then((result) => {
  clearTimeout(timer);
  // inside a worker thread autocannon returns encoded histograms: compute the figures from the responses
  latencies.sort((a, b) => a - b);
  const q = (p) => (latencies.length ? Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] * 100) / 100 : null);
  const secs = [...perSecond.entries()].sort((a, b) => a[0] - b[0]).map(([, n]) => n);
  const full = secs.length > 2 ? secs.slice(0, -1) : secs; // the last second is partial
  parentPort.postMessage({
    result: {
      duration: result.duration, '2xx': result['2xx'], errors: result.errors, timeouts: result.timeouts, totalRequests: result.totalRequests,
      latency: { p50: q(0.5), p90: q(0.9), p99: q(0.99), max: latencies.length ? Math.round(latencies[latencies.length - 1] * 100) / 100 : null },
      requests: { total: result.totalRequests, average: result.totalRequests / result.duration, min: full.length ? Math.min(...full) : 0, perSecond: secs },
    },
    statusCounts,
  });
}, (err) => {
  parentPort.postMessage({ error: String(err) });
  process.exitCode = 1;
});
