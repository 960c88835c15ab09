/** The slice of the Workers runtime API Plenary's Worker uses (wrangler provides the runtime; the full types package is not installed). */
declare module 'cloudflare:workers' {
  export interface DurableObjectState {
    readonly id: { toString(): string; readonly name?: string };
    readonly storage: import('../platform/db/do-sqlite.js').DurableStorageLike & {
      deleteAll(): Promise<void>;
    };
    blockConcurrencyWhile<T>(fn: () => Promise<T>): Promise<T>;
  }
  export abstract class DurableObject<Env = unknown> {
    protected ctx: DurableObjectState;
    protected env: Env;
    constructor(ctx: DurableObjectState, env: Env);
    fetch?(request: Request): Response | Promise<Response>;
  }
}
