import { beforeAll, describe, expect, it } from 'vitest';
import { testService, type TestService } from '../../testing/service.js';
import { firstInvalidUtf8, jsonPathAt } from './utf8.js';

const enc = (s: string) => new TextEncoder().encode(s);
const cat = (...parts: Array<string | number[]>) => Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...enc(p)] : p)));

describe('UTF-8 validation', () => {
  it('finds the first invalid byte, agreeing with a strict decoder', () => {
    expect(firstInvalidUtf8(enc('plain, café, 日本, 🎉'))).toBe(-1);
    expect(firstInvalidUtf8(cat('caf', [0xe9], ' au lait'))).toBe(3); // Latin-1 é
    expect(firstInvalidUtf8(cat('a', [0xc0, 0xaf]))).toBe(1); // overlong '/'
    expect(firstInvalidUtf8(cat('ab', [0xed, 0xa0, 0x80]))).toBe(2); // UTF-16 surrogate
    expect(firstInvalidUtf8(cat('abc', [0xe2, 0x82]))).toBe(3); // cut short
    expect(firstInvalidUtf8(cat([0xf4, 0x90, 0x80, 0x80]))).toBe(0); // above U+10FFFF
    // random bytes: valid exactly when the standard decoder accepts them
    let seed = 3;
    const rnd = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % 256;
    const strict = new TextDecoder('utf-8', { fatal: true });
    for (let k = 0; k < 3000; k++) {
      const b = Uint8Array.from({ length: 1 + (k % 7) }, () => (k % 3 === 0 ? rnd() : 0x80 + (rnd() % 0x78)));
      let ok = true;
      try {
        strict.decode(b);
      } catch {
        ok = false;
      }
      expect(firstInvalidUtf8(b) === -1).toBe(ok);
    }
  });

  it('names the JSON field being read', () => {
    expect(jsonPathAt('{"topic":"caf')).toBe('topic');
    expect(jsonPathAt('{"name":"x","quotas":[{"category":"age","value":"caf')).toBe('quotas.0.value');
    expect(jsonPathAt('{"a":{"b":[1,2,"x\\"y')).toBe('a.b.2');
    expect(jsonPathAt('{"ca')).toBe('ca');
    expect(jsonPathAt('"')).toBe('(body)');
  });
});

describe('every way in refuses invalid UTF-8 with 422 naming the field', () => {
  let s: TestService;
  beforeAll(async () => {
    s = await testService();
  });
  const raw = (role: 'facilitator' | 'participant', method: string, path: string, body: Uint8Array | FormData, contentType?: string) =>
    s.app.request(path, { method, body: body as unknown as BodyInit, headers: { authorization: `Bearer ${s.tokens[role]}`, ...(contentType ? { 'content-type': contentType } : {}) } });
  const problem = async (res: Response) => {
    expect(res.status).toBe(422);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
    return (await res.json()) as { detail: string; errors: Array<{ path: string }> };
  };
  const conversations = () => `/api/assemblies/${s.assemblyId}/conversations`;

  it('JSON: a conversation topic, a statement, a sortition pool (nested field)', async () => {
    const before = (await (await s.call('facilitator', 'GET', conversations())).json()) as unknown[];
    let p = await problem(await raw('facilitator', 'POST', conversations(), cat('{"topic":"Le caf', [0xe9], ' du village"}'), 'application/json'));
    expect(p.detail).toMatch(/field "topic" is not valid UTF-8 \(byte 0xE9/);
    expect(p.errors).toEqual([{ path: 'topic', message: 'invalid UTF-8' }]);
    expect(((await (await s.call('facilitator', 'GET', conversations())).json()) as unknown[]).length).toBe(before.length);

    const cv = (await (await s.call('facilitator', 'POST', conversations(), { topic: 'Transport' })).json()) as { id: string };
    p = await problem(await raw('participant', 'POST', `${conversations()}/${cv.id}/statements`, cat('{"text":"More buses ', [0xff, 0xfe], '"}'), 'application/json'));
    expect(p.errors[0].path).toBe('text');
    const stmts = (await (await s.call('facilitator', 'GET', `${conversations()}/${cv.id}/statements`)).json()) as unknown[];
    expect(stmts).toEqual([]);

    p = await problem(await raw('facilitator', 'POST', `/api/assemblies/${s.assemblyId}/sortition/pools`, cat('{"name":"V","panelSize":1,"quotas":[{"category":"age","value":"', [0xe9], 't', '","min":1,"max":1}]}'), 'application/json'));
    expect(p.errors[0].path).toBe('quotas.0.value');
  });

  it('forms: the participant statement page and a multipart text field', async () => {
    const cv = (await (await s.call('facilitator', 'POST', conversations(), { topic: 'Parks' })).json()) as { id: string };
    const p = await problem(await raw('participant', 'POST', `/a/${s.assemblyId}/conversations/${cv.id}/statements`, enc('text=Plus%20d%27arbres%E9'), 'application/x-www-form-urlencoded'));
    expect(p.errors[0].path).toBe('text');
    // a multipart text field (no filename), as a browser sends it
    const boundary = 'XyZ';
    const body = cat(`--${boundary}\r\nContent-Disposition: form-data; name="name"\r\n\r\nPool `, [0xe9], `\r\n--${boundary}--\r\n`);
    const p2 = await problem(await raw('facilitator', 'POST', `/api/assemblies/${s.assemblyId}/sortition/imports`, body, `multipart/form-data; boundary=${boundary}`));
    expect(p2.errors[0].path).toBe('name');
  });

  it('CSV uploads (sortition pool, Pol.is import) name the file and line; binary files pass through', async () => {
    const fd = new FormData();
    fd.append('people', new File([cat('id,gender\np1,f\np2,', [0xe9], 'l\n')], 'people.csv', { type: 'text/csv' }));
    fd.append('quotas', new File([enc('category,value,min,max\ngender,f,1,1\n')], 'quotas.csv', { type: 'text/csv' }));
    fd.append('panelSize', '1');
    const p = await problem(await raw('facilitator', 'POST', `/api/assemblies/${s.assemblyId}/sortition/imports`, fd));
    expect(p.detail).toMatch(/The file "people.csv" \(field people\) is not valid UTF-8 \(byte 0xE9\) on line 3/);
    expect(p.errors[0].path).toBe('people line 3');
    const cv = (await (await s.call('facilitator', 'POST', conversations(), { topic: 'Imported' })).json()) as { id: string };
    const p2 = await problem(await raw('facilitator', 'POST', `${conversations()}/${cv.id}/imports`, cat('comment-id,comment-body\n0,caf', [0xe9], '\n'), 'text/csv'));
    expect(p2.detail).toMatch(/not valid UTF-8 .* on line 2/);
    // a binary file part is not checked here (the route itself decides what to do with it)
    const bin = new FormData();
    bin.append('file', new File([Uint8Array.from([0x4f, 0x67, 0x67, 0x53, 0xff, 0xfe, 0x00])], 'talk.ogg', { type: 'audio/ogg' }));
    const r = await raw('facilitator', 'POST', `${conversations()}/${cv.id}/imports`, bin);
    expect(((await r.json()) as { detail: string }).detail).not.toMatch(/UTF-8/);
  });
});
