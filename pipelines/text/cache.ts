/** In-memory implementation of the cache hooks (tests, benchmarks); the service provides a SQLite one. */
import type { KeyValueCache, TextMapCache } from './types.js';

export class MemoryCache<V> implements KeyValueCache<V> {
  private readonly map = new Map<string, V>();
  hits = 0;
  misses = 0;
  async get(keys: string[]): Promise<Array<V | undefined>> {
    return keys.map((k) => {
      const v = this.map.get(k);
      if (v === undefined) this.misses++;
      else this.hits++;
      return v;
    });
  }
  async set(entries: Array<[string, V]>): Promise<void> {
    for (const [k, v] of entries) this.map.set(k, v);
  }
  get size(): number {
    return this.map.size;
  }
  resetCounters(): void {
    this.hits = 0;
    this.misses = 0;
  }
}

export function memoryTextMapCache(): { embeddings: MemoryCache<Float32Array>; translations: MemoryCache<string> } & TextMapCache {
  return { embeddings: new MemoryCache<Float32Array>(), translations: new MemoryCache<string>() };
}
