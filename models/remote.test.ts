import { describe, expect, it } from 'vitest';
import { remoteModel } from './remote.js';
import { createFixtureEmbedder } from './remote-fixture.js';
import { ModelError, type Embedder } from './types.js';

const spec = (args: unknown[] = []) => ({
  module: new URL('./remote-fixture.ts', import.meta.url).href, factory: 'createFixtureEmbedder', args, label: 'fixture embedder',
});

/** Longest gap between ticks of a 5 ms timer while `fn` runs: how long the event loop was held. */
async function longestStall(fn: () => Promise<unknown>): Promise<number> {
  let last = performance.now(), longest = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  try {
    await fn();
  } finally {
    clearInterval(timer);
  }
  return Math.max(longest, performance.now() - last);
}

describe('remoteModel: an adapter in a child process behind its task interface', () => {
  it('copies the adapter’s properties and forwards its methods to another process; typed arrays arrive as such', async () => {
    const m = await remoteModel<Embedder>(spec());
    try {
      expect(m.dimensions).toBe(3);
      expect(m.languages).toEqual(['en']);
      expect(m.provenance).toMatchObject({ task: 'embedder', backend: 'fixture', modelId: 'fixture-model' });
      const childPid = m.provenance.params.pid;
      expect(childPid).not.toBe(process.pid);
      expect(m.remotePid()).toBe(childPid);
      const r = await m.embed(['abc', 'de']);
      expect(r.output[0]).toBeInstanceOf(Float32Array);
      expect(Array.from(r.output[1])).toEqual([2, childPid, 1]);
    } finally {
      await m.close!();
    }
  });

  it('a call that holds its thread for 400 ms leaves this event loop free (in-process, the same call stalls it)', async () => {
    const m = await remoteModel<Embedder>(spec());
    try {
      await m.embed(['warm']);
      const remote = await longestStall(() => m.embed(['hold:400']));
      expect(remote).toBeLessThan(150);
      const local = await createFixtureEmbedder();
      const inProcess = await longestStall(() => local.embed(['hold:400']));
      expect(inProcess).toBeGreaterThan(350);
    } finally {
      await m.close!();
    }
  });

  it('errors keep their code, message and fix; other errors become MODEL_FAILED naming the model', async () => {
    const m = await remoteModel<Embedder>(spec());
    try {
      const e = await m.embed(['unsupported']).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(ModelError);
      expect(e).toMatchObject({ code: 'UNSUPPORTED_LANGUAGE', message: 'the fixture has no model for xx', fix: 'add one' });
      await expect(m.embed(['plain-error'])).rejects.toMatchObject({ code: 'MODEL_FAILED', message: 'fixture embedder: boom' });
      expect((await m.embed(['still fine'])).output).toHaveLength(1);
    } finally {
      await m.close!();
    }
  });

  it('a dead model process fails the calls in flight (transient) and the next call starts a new one', async () => {
    const m = await remoteModel<Embedder>(spec());
    try {
      const first = m.remotePid();
      await expect(m.embed(['crash'])).rejects.toMatchObject({ code: 'MODEL_FAILED', transient: true, message: expect.stringMatching(/exited \(code 3\)/) });
      const r = await m.embed(['again']);
      expect(r.output[0][1]).not.toBe(first);
      expect(m.remotePid()).toBe(r.output[0][1]);
    } finally {
      await m.close!();
    }
  });

  it('a factory that fails rejects with its error; close() ends the process and later calls are refused', async () => {
    await expect(remoteModel<Embedder>(spec([{ failWith: 'no fixture weights' }]))).rejects.toMatchObject({ code: 'MISSING_BACKEND', message: 'no fixture weights', fix: 'install the fixture' });
    const m = await remoteModel<Embedder>(spec());
    const pid = m.remotePid()!;
    await m.close!();
    expect(() => process.kill(pid, 0)).toThrow(); // gone
    await expect(m.embed(['x'])).rejects.toMatchObject({ code: 'MODEL_FAILED', message: expect.stringMatching(/closed/) });
    await m.close!(); // twice is fine
  });
});
