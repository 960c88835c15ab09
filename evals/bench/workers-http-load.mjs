/* global process, setTimeout, clearTimeout */
// Load generator for workers-http.ts, in a worker thread (the Node service under test runs in the bench's own process).
// workerData: { url, method, paths, sessions: [{cookie, csrf}], statementIds, seconds, connections, seed }
import { parentPort, workerData } from 'node:worker_threads';
import autocannon from 'autocannon';

const { url, method, paths, sessions, statementIds, seconds, connections, seed } = workerData;
let state = seed >>> 0; // mulberry32: the same run sends the same requests
const rand = () => {
  state = (state + 0x6d2b79f5) | 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const int = (n) => Math.floor(rand() * n);
const statusCounts = {};
const latencies = [];
const instance = autocannon({
  url,
  connections,
  duration: seconds,
  timeout: 10,
  requests: [
    {
      method,
      setupRequest: (req) => {
        const s = sessions[int(sessions.length)];
        const headers = { accept: 'application/json', cookie: s.cookie, 'x-csrf-token': s.csrf };
        if (method === 'POST') {
          headers['content-type'] = 'application/json';
          return { ...req, path: paths[0], headers, body: JSON.stringify({ statementId: statementIds[int(statementIds.length)], vote: [1, -1, 0][int(3)] }) };
        }
        return { ...req, path: paths[int(paths.length)], headers };
      },
    },
  ],
});
const timer = setTimeout(() => instance.stop(), (seconds + 30) * 1000);
instance.on('response', (_c, statusCode, _bytes, responseTime) => {
  statusCounts[statusCode] = (statusCounts[statusCode] ?? 0) + 1;
  latencies.push(responseTime);
});
instance.then(
  (result) => {
    clearTimeout(timer);
    latencies.sort((a, b) => a - b);
    const q = (p) => (latencies.length ? Math.round(latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))] * 10) / 10 : null);
    parentPort.postMessage({ duration: result.duration, ok: result['2xx'], errors: result.errors, timeouts: result.timeouts, total: result.totalRequests, p50: q(0.5), p99: q(0.99), statusCounts });
  },
  (err) => {
    parentPort.postMessage({ error: String(err) });
    process.exitCode = 1;
  },
);
