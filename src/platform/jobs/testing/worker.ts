/**
 * A job worker in its own process, for tests that need a real second process (kill -9, cross-process claim races).
 *   node --import tsx src/platform/jobs/testing/worker.ts <db file> <lease seconds> <worker id>
 * Runs the test job types until killed. Prints "ready" once its loop has started.
 */
import { openDb } from '../../db/client.js';
import { createJobQueue } from '../queue.js';
import { registerCrashJob, registerRaceJob } from './jobs.js';

const [dbFile, lease, workerId] = process.argv.slice(2);
if (!dbFile || !lease || !workerId) {
  process.stderr.write('usage: worker.ts <db file> <lease seconds> <worker id>\n');
  process.exit(2);
}
const db = openDb(dbFile);
const queue = createJobQueue({ db, leaseSeconds: Number(lease), workerId, pollMs: 20 });
registerCrashJob(queue, { segmentMs: 40 });
registerRaceJob(queue, { workMs: 10 });
queue.start({ concurrency: 2 });
process.stdout.write('ready\n');
process.on('SIGTERM', () => {
  void queue.stop({ deadlineMs: 1000 }).then(() => process.exit(0));
});
