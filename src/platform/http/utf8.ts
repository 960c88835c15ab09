import type { MiddlewareHandler } from 'hono';
import { AppError } from '../errors.js';
import type { AppEnv } from './types.js';

/**
 * One encoding check for every way in: request bodies must be UTF-8. Decoders elsewhere (JSON, forms, CSV
 * uploads) quietly turn invalid bytes into U+FFFD, which then gets stored; this middleware runs before anything
 * reads the body and answers 422 naming the field (JSON: its path, forms: its name, uploads: the file and line).
 * Binary uploads (audio, images) are left alone: only JSON, forms' text fields, text/* bodies and text-like files
 * (text/*, .csv, .tsv, .txt, .json, .jsonl, .ndjson) are checked.
 */

const fatal = new TextDecoder('utf-8', { fatal: true });

/** Index of the first byte that is not part of a valid UTF-8 sequence (RFC 3629), or -1. */
export function firstInvalidUtf8(b: Uint8Array): number {
  try {
    fatal.decode(b);
    return -1;
  } catch {
    /* find where */
  }
  let i = 0;
  const cont = (k: number, lo = 0x80, hi = 0xbf) => k < b.length && b[k] >= lo && b[k] <= hi;
  while (i < b.length) {
    const x = b[i];
    let n: number;
    if (x < 0x80) n = 1;
    else if (x >= 0xc2 && x <= 0xdf) n = cont(i + 1) ? 2 : 0;
    else if (x === 0xe0) n = cont(i + 1, 0xa0) && cont(i + 2) ? 3 : 0;
    else if ((x >= 0xe1 && x <= 0xec) || x === 0xee || x === 0xef) n = cont(i + 1) && cont(i + 2) ? 3 : 0;
    else if (x === 0xed) n = cont(i + 1, 0x80, 0x9f) && cont(i + 2) ? 3 : 0;
    else if (x === 0xf0) n = cont(i + 1, 0x90) && cont(i + 2) && cont(i + 3) ? 4 : 0;
    else if (x >= 0xf1 && x <= 0xf3) n = cont(i + 1) && cont(i + 2) && cont(i + 3) ? 4 : 0;
    else if (x === 0xf4) n = cont(i + 1, 0x80, 0x8f) && cont(i + 2) && cont(i + 3) ? 4 : 0;
    else n = 0;
    if (n === 0) return i;
    i += n;
  }
  return -1;
}

/** The JSON path (`a.b.2.c`) of the string being read at the end of `prefix` (a valid JSON text cut short). */
export function jsonPathAt(prefix: string): string {
  type Frame = { kind: 'obj'; key: string | null; wantKey: boolean } | { kind: 'arr'; index: number };
  const stack: Frame[] = [];
  let i = 0;
  while (i < prefix.length) {
    const ch = prefix[i];
    if (ch === '"') {
      let j = i + 1;
      let s = '';
      while (j < prefix.length && prefix[j] !== '"') {
        if (prefix[j] === '\\') {
          s += prefix[j + 1] ?? '';
          j += 2;
        } else s += prefix[j++];
      }
      const top = stack[stack.length - 1];
      if (j >= prefix.length) {
        // cut inside this string: a key being written, or a value
        if (top?.kind === 'obj' && top.wantKey) top.key = s;
        break;
      }
      if (top?.kind === 'obj' && top.wantKey) {
        top.key = s;
        top.wantKey = false;
      }
      i = j + 1;
      continue;
    }
    const top = stack[stack.length - 1];
    if (ch === '{') stack.push({ kind: 'obj', key: null, wantKey: true });
    else if (ch === '[') stack.push({ kind: 'arr', index: 0 });
    else if (ch === '}' || ch === ']') stack.pop();
    else if (ch === ',' && top?.kind === 'obj') top.wantKey = true;
    else if (ch === ',' && top?.kind === 'arr') top.index++;
    i++;
  }
  return stack.map((f) => (f.kind === 'obj' ? (f.key ?? '') : String(f.index))).filter((p) => p !== '').join('.') || '(body)';
}

const lineOf = (b: Uint8Array, at: number) => {
  let line = 1;
  for (let k = 0; k < at; k++) if (b[k] === 0x0a) line++;
  return line;
};
const hex = (x: number) => `0x${x.toString(16).toUpperCase().padStart(2, '0')}`;

function fieldError(field: string, bytes: Uint8Array, at: number): AppError {
  return new AppError('VALIDATION', `The field "${field}" is not valid UTF-8 (byte ${hex(bytes[at])} at position ${at}). Send text encoded as UTF-8; nothing was saved.`, {
    errors: [{ path: field, message: 'invalid UTF-8' }],
  });
}

function fileError(what: string, path: string, bytes: Uint8Array, at: number): AppError {
  const line = lineOf(bytes, at);
  return new AppError('VALIDATION', `${what} is not valid UTF-8 (byte ${hex(bytes[at])}) on line ${line}. Save it as UTF-8 and send it again; nothing was saved.`, {
    errors: [{ path: `${path} line ${line}`, message: 'invalid UTF-8' }],
  });
}

/** Percent-decoding of an application/x-www-form-urlencoded name or value, to bytes. */
function formBytes(raw: Uint8Array): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < raw.length; i++) {
    const x = raw[i];
    if (x === 0x2b) out.push(0x20);
    else if (x === 0x25 && i + 2 < raw.length && /^[0-9a-fA-F]{2}$/.test(String.fromCharCode(raw[i + 1], raw[i + 2]))) {
      out.push(parseInt(String.fromCharCode(raw[i + 1], raw[i + 2]), 16));
      i += 2;
    } else out.push(x);
  }
  return Uint8Array.from(out);
}

function checkForm(body: Uint8Array): void {
  let start = 0;
  for (let i = 0; i <= body.length; i++) {
    if (i < body.length && body[i] !== 0x26) continue;
    const pair = body.subarray(start, i);
    start = i + 1;
    const eq = pair.indexOf(0x3d);
    const name = formBytes(eq < 0 ? pair : pair.subarray(0, eq));
    const value = formBytes(eq < 0 ? new Uint8Array() : pair.subarray(eq + 1));
    const badName = firstInvalidUtf8(name);
    if (badName >= 0) throw fieldError('(a field name)', name, badName);
    const bad = firstInvalidUtf8(value);
    if (bad >= 0) throw fieldError(new TextDecoder().decode(name), value, bad);
  }
}

const TEXT_FILE = /\.(csv|tsv|txt|json|jsonl|ndjson)$/i;
const isTextType = (ct: string) => ct.startsWith('text/') || ct.startsWith('application/json') || ct.includes('ndjson') || ct.startsWith('application/csv');

const indexOf = (hay: Uint8Array, needle: Uint8Array, from: number): number => Buffer.from(hay.buffer, hay.byteOffset, hay.byteLength).indexOf(needle, from);

function checkMultipart(body: Uint8Array, boundary: string): void {
  const delim = new TextEncoder().encode(`--${boundary}`);
  let at = indexOf(body, delim, 0);
  while (at >= 0) {
    const partStart = at + delim.length;
    if (body[partStart] === 0x2d && body[partStart + 1] === 0x2d) return; // closing delimiter
    const next = indexOf(body, delim, partStart);
    if (next < 0) return;
    const part = body.subarray(partStart, next);
    const headEnd = indexOf(part, new Uint8Array([0x0d, 0x0a, 0x0d, 0x0a]), 0);
    if (headEnd >= 0) {
      const head = new TextDecoder().decode(part.subarray(0, headEnd));
      const content = part.subarray(headEnd + 4, Math.max(headEnd + 4, part.length - 2)); // drop the CRLF before the next delimiter
      const name = /name="([^"]*)"/i.exec(head)?.[1] ?? '(unnamed)';
      const filename = /filename="([^"]*)"/i.exec(head)?.[1];
      const ct = (/content-type:\s*([^\r\n]+)/i.exec(head)?.[1] ?? '').toLowerCase();
      if (filename === undefined) {
        const bad = firstInvalidUtf8(content);
        if (bad >= 0) throw fieldError(name, content, bad);
      } else if (isTextType(ct) || TEXT_FILE.test(filename)) {
        const bad = firstInvalidUtf8(content);
        if (bad >= 0) throw fileError(`The file "${filename}" (field ${name})`, name, content, bad);
      }
    }
    at = next;
  }
}

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** Refuses request bodies that are not valid UTF-8 with 422, naming the field (see the comment at the top). */
export function requireUtf8(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!WITH_BODY.has(c.req.method)) return next();
    const ct = (c.req.header('content-type') ?? '').toLowerCase();
    const form = ct.startsWith('application/x-www-form-urlencoded');
    const multipart = ct.startsWith('multipart/form-data');
    const json = ct.startsWith('application/json') || ct.includes('+json');
    const text = !json && isTextType(ct);
    if (!form && !multipart && !json && !text) return next();
    const body = new Uint8Array(await c.req.arrayBuffer());
    if (json) {
      let text: string | null = null;
      try {
        text = fatal.decode(body);
      } catch {
        const bad = firstInvalidUtf8(body);
        throw fieldError(jsonPathAt(new TextDecoder().decode(body.subarray(0, bad))), body, bad);
      }
      // hand the decoded text to Hono's body cache: its json() reads the 'text' entry (and parses it), so the route's
      // validator neither decodes the bytes again nor — finding only 'arrayBuffer' cached — builds a WHATWG Response
      // from them to get its text (which an earlier 'json' entry here did not prevent: ≈ 5 % of a vote's CPU time)
      (c.req as unknown as { bodyCache: Record<string, Promise<unknown>> }).bodyCache.text = Promise.resolve(text);
    } else if (form) checkForm(body);
    else if (multipart) {
      const boundary = /boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(c.req.header('content-type') ?? '');
      if (boundary) checkMultipart(body, boundary[1] ?? boundary[2]);
    } else {
      const bad = firstInvalidUtf8(body);
      if (bad >= 0) throw fileError('The uploaded file', 'body', body, bad);
    }
    await next();
  };
}
