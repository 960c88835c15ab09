/* global document, window, fetch, localStorage, setTimeout, Element */
// Breakouts: a resumable chunked uploader (fetch + the upload endpoints) and segment seeking in the review player.
(function () {
  'use strict';

  // ---- incremental SHA-256 (FIPS 180-4, section 6.2): the whole file is hashed chunk by chunk as it is uploaded,
  // so memory stays at one chunk however large the recording (crypto.subtle.digest needs the whole file at once) ----
  const K = new Uint32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
    0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
    0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
    0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
  ]);

  /** new Sha256(): update(Uint8Array) any number of times, then hex() once. */
  function Sha256() {
    this.h = new Uint32Array([0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19]);
    this.w = new Uint32Array(64);
    this.block = new Uint8Array(64);
    this.fill = 0; // bytes waiting in `block`
    this.length = 0; // bytes hashed so far
  }
  Sha256.prototype.compress = function (bytes, at) {
    const w = this.w;
    const h = this.h;
    for (let t = 0; t < 16; t++) {
      const i = at + t * 4;
      w[t] = (bytes[i] << 24) | (bytes[i + 1] << 16) | (bytes[i + 2] << 8) | bytes[i + 3];
    }
    for (let t = 16; t < 64; t++) {
      const x = w[t - 15];
      const y = w[t - 2];
      const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
      const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
      w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
    }
    let a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], k = h[7];
    for (let t = 0; t < 64; t++) {
      const S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
      const ch = (e & f) ^ (~e & g);
      const t1 = (k + S1 + ch + K[t] + w[t]) | 0;
      const S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
      const maj = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (S0 + maj) | 0;
      k = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
    }
    h[0] += a; h[1] += b; h[2] += c; h[3] += d; h[4] += e; h[5] += f; h[6] += g; h[7] += k;
  };
  Sha256.prototype.update = function (bytes) {
    let i = 0;
    this.length += bytes.length;
    if (this.fill > 0) {
      const take = Math.min(64 - this.fill, bytes.length);
      this.block.set(bytes.subarray(0, take), this.fill);
      this.fill += take;
      i = take;
      if (this.fill < 64) return this;
      this.compress(this.block, 0);
      this.fill = 0;
    }
    for (; i + 64 <= bytes.length; i += 64) this.compress(bytes, i);
    if (i < bytes.length) {
      this.block.set(bytes.subarray(i), 0);
      this.fill = bytes.length - i;
    }
    return this;
  };
  Sha256.prototype.hex = function () {
    // padding: 0x80, zeros, then the message length in bits as a 64-bit big-endian number
    const bits = this.length * 8;
    const pad = new Uint8Array((this.fill < 56 ? 64 : 128) - this.fill);
    pad[0] = 0x80;
    const n = pad.length;
    const hi = Math.floor(bits / 4294967296);
    const lo = bits >>> 0;
    pad[n - 8] = hi >>> 24; pad[n - 7] = (hi >>> 16) & 255; pad[n - 6] = (hi >>> 8) & 255; pad[n - 5] = hi & 255;
    pad[n - 4] = lo >>> 24; pad[n - 3] = (lo >>> 16) & 255; pad[n - 2] = (lo >>> 8) & 255; pad[n - 1] = lo & 255;
    const length = this.length;
    this.update(pad);
    this.length = length;
    return Array.from(this.h, function (x) { return x.toString(16).padStart(8, '0'); }).join('');
  };
  if (typeof window !== 'undefined') window.PlenarySha256 = Sha256;

  // ---- seeking: each segment's button sets the matching track's currentTime ----
  document.addEventListener('click', function (e) {
    const btn = e.target instanceof Element ? e.target.closest('[data-seek]') : null;
    if (!btn) return;
    const player = document.querySelector('audio[data-player="' + btn.getAttribute('data-track') + '"]') || document.querySelector('audio[data-player]');
    if (!player) return;
    player.currentTime = Number(btn.getAttribute('data-seek')) || 0;
    const p = player.play();
    if (p && p.catch) p.catch(function () {});
  });

  // ---- uploader ----
  const form = document.querySelector('form[data-uploader]');
  if (!form || !window.fetch) return;
  const base = form.getAttribute('data-uploader');
  const groupId = form.getAttribute('data-group');
  const csrf = form.getAttribute('data-csrf');
  const chunk = Number(form.getAttribute('data-chunk')) || 8388608;
  const bar = form.querySelector('[data-upload-progress]');
  const status = form.querySelector('[data-upload-status]');
  const say = function (msg) { status.textContent = msg; };

  async function call(method, url, body, headers) {
    const res = await fetch(url, { method: method, credentials: 'same-origin', headers: Object.assign({ 'x-csrf-token': csrf, accept: 'application/json' }, headers || {}), body: body });
    let data = null;
    try { data = await res.json(); } catch { data = null; }
    return { ok: res.ok, status: res.status, data: data };
  }

  form.addEventListener('submit', async function (e) {
    e.preventDefault();
    const file = form.querySelector('input[type=file]').files[0];
    if (!file) return;
    const memberId = form.querySelector('[name=memberId]').value || null;
    const language = form.querySelector('[name=language]').value || null;
    const key = 'plenary-upload:' + groupId + ':' + file.name + ':' + file.size + ':' + file.lastModified + ':' + (memberId || '');
    form.querySelector('button[type=submit]').disabled = true;
    try {
      say('…');
      // the hash follows the upload: bytes [0, hashed) are in `hash`; each chunk read for sending is hashed once
      const hash = new Sha256();
      let hashed = 0;
      const feed = function (at, bytes) {
        if (at <= hashed && hashed < at + bytes.length) {
          hash.update(bytes.subarray(hashed - at));
          hashed = at + bytes.length;
        }
      };
      const hashUpTo = async function (target) {
        while (hashed < target) feed(hashed, new Uint8Array(await file.slice(hashed, Math.min(target, hashed + chunk)).arrayBuffer()));
      };
      let id = localStorage.getItem(key);
      let offset = 0;
      if (id) {
        const st = await call('GET', base + '/uploads/' + id);
        if (st.ok && st.data.status === 'open') offset = st.data.offset; else id = null;
      }
      if (!id) {
        const cr = await call('POST', base + '/groups/' + groupId + '/uploads', JSON.stringify({ filename: file.name, size: file.size, memberId: memberId, language: language }), { 'content-type': 'application/json' });
        if (!cr.ok) throw new Error(cr.data && cr.data.detail ? cr.data.detail : 'HTTP ' + cr.status);
        id = cr.data.id;
        localStorage.setItem(key, id);
      }
      let retries = 0;
      while (offset < file.size) {
        const end = Math.min(file.size, offset + chunk);
        await hashUpTo(offset); // resuming: the bytes stored earlier are read back from the file, one chunk at a time
        const bytes = new Uint8Array(await file.slice(offset, end).arrayBuffer());
        feed(offset, bytes);
        const res = await call('PUT', base + '/uploads/' + id, bytes, { 'content-type': 'application/octet-stream', 'content-range': 'bytes ' + offset + '-' + (end - 1) + '/' + file.size });
        if (res.ok) { offset = res.data.offset; retries = 0; }
        else if (res.status === 409 && res.data && typeof res.data.offset === 'number') offset = res.data.offset;
        else if (res.status >= 500 && retries < 5) { retries++; await new Promise(function (r) { setTimeout(r, 1000 * retries); }); }
        else throw new Error(res.data && res.data.detail ? res.data.detail : 'HTTP ' + res.status);
        bar.value = Math.round((offset / file.size) * 100);
        say(Math.round(offset / 1048576) + ' / ' + Math.round(file.size / 1048576) + ' MiB');
      }
      say('sha256…');
      await hashUpTo(file.size);
      const done = await call('POST', base + '/uploads/' + id + '/complete', JSON.stringify({ sha256: hash.hex() }), { 'content-type': 'application/json' });
      localStorage.removeItem(key);
      if (!done.ok) throw new Error(done.data && done.data.detail ? done.data.detail : 'HTTP ' + done.status);
      const cut = (done.data.warnings || []).filter(function (w) { return w.code === 'TRUNCATED'; })[0];
      if (cut) {
        // stored, but cut short: say so and stay on the page (reload shows the new track)
        say((form.dataset.warnTruncated || cut.message).replace('{file}', cut.file).replace('{decoded}', cut.decodedSec.toLocaleString(document.documentElement.lang || undefined, { minimumFractionDigits: 1, maximumFractionDigits: 1 })));
        form.querySelector('button[type=submit]').disabled = false;
        return;
      }
      say('✓');
      window.location.reload();
    } catch (err) {
      say(String(err && err.message ? err.message : err));
      form.querySelector('button[type=submit]').disabled = false;
    }
  });
})();
