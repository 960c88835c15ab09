/**
 * Stands in, in the Workers bundle, for Node-only packages (native SQLite, onnxruntime, transformers.js, whisper,
 * child processes, worker threads, sockets). Importing it is harmless; using any of it throws, naming where that
 * work runs instead: on a Node worker (`plenary worker --remote URL --token T`).
 */
const fail = (): never => {
  throw new Error('This runs on Node only: on Cloudflare Workers, model and file work is done by Node workers (plenary worker --remote).');
};
const stub: any = new Proxy(function () {}, { get: (_t, k) => (k === 'then' ? undefined : k === '__esModule' ? true : stub), apply: fail, construct: fail });
export default stub;
export const spawn = fail, execFile = fail, execFileSync = fail, exec = fail, spawnSync = fail, fork = fail;
export const Worker = stub, isMainThread = true, parentPort = null, workerData = null, MessageChannel = stub;
export const connect = fail, createServer = fail, Socket = stub, isIP = () => 0;
export const createRequire = () => fail;
export const migrate = fail;
export const serve = fail;
export const isPrimary = true, isWorker = false;
export const chromium = stub;
export const env = stub, pipeline = stub, AutoTokenizer = stub, AutoModel = stub, InferenceSession = stub, Tensor = stub;
