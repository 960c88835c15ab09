/** Bindings and variables of the Worker (wrangler.toml). */
export interface DurableObjectStub {
  fetch(input: Request | string, init?: RequestInit): Promise<Response>;
}
export interface DurableObjectNamespace {
  idFromName(name: string): unknown;
  get(id: unknown): DurableObjectStub;
}
export interface R2BucketLike {
  put(key: string, value: ArrayBuffer | ReadableStream | string | null, opts?: { httpMetadata?: { contentType?: string } }): Promise<unknown>;
  get(key: string): Promise<{ body: ReadableStream; httpMetadata?: { contentType?: string } } | null>;
}

export interface WorkerEnv {
  ASSEMBLY: DurableObjectNamespace;
  DIRECTORY: DurableObjectNamespace;
  BLOBS?: R2BucketLike;
  /** "1": seed the demo assembly on first request */
  PLENARY_DEMO?: string;
  /** "1": enables /__test endpoints used by the test suite (never set in production) */
  PLENARY_TEST?: string;
  LOG_LEVEL?: string;
  PLENARY_LANGUAGES?: string;
  /** how long the Worker isolate remembers the directory's answer for a credential (sign-out/revocation delay) */
  PLENARY_AUTH_CACHE_SECONDS?: string;
  /** secret shared by the Worker and its objects, signing internal headers (wrangler secret put PLENARY_INTERNAL_SECRET) */
  PLENARY_INTERNAL_SECRET?: string;
  PLENARY_PUBLIC_WRITE_RATE_LIMIT?: string;
}
