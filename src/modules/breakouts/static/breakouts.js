/* global document, window, fetch, crypto, localStorage, setTimeout, Element */
// Breakouts: a resumable chunked uploader (fetch + the upload endpoints) and segment seeking in the review player.
(function () {
  'use strict';

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
  if (!form || !window.fetch || !window.crypto || !window.crypto.subtle) return;
  const base = form.getAttribute('data-uploader');
  const groupId = form.getAttribute('data-group');
  const csrf = form.getAttribute('data-csrf');
  const chunk = Number(form.getAttribute('data-chunk')) || 8388608;
  const bar = form.querySelector('[data-upload-progress]');
  const status = form.querySelector('[data-upload-status]');
  const say = function (msg) { status.textContent = msg; };
  const hex = function (buf) { return Array.from(new Uint8Array(buf)).map(function (b) { return b.toString(16).padStart(2, '0'); }).join(''); };

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
      const digest = file.arrayBuffer().then(function (b) { return crypto.subtle.digest('SHA-256', b); }).then(hex);
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
        const res = await call('PUT', base + '/uploads/' + id, file.slice(offset, end), { 'content-type': 'application/octet-stream', 'content-range': 'bytes ' + offset + '-' + (end - 1) + '/' + file.size });
        if (res.ok) { offset = res.data.offset; retries = 0; }
        else if (res.status === 409 && res.data && typeof res.data.offset === 'number') offset = res.data.offset;
        else if (res.status >= 500 && retries < 5) { retries++; await new Promise(function (r) { setTimeout(r, 1000 * retries); }); }
        else throw new Error(res.data && res.data.detail ? res.data.detail : 'HTTP ' + res.status);
        bar.value = Math.round((offset / file.size) * 100);
        say(Math.round(offset / 1048576) + ' / ' + Math.round(file.size / 1048576) + ' MiB');
      }
      say('sha256…');
      const done = await call('POST', base + '/uploads/' + id + '/complete', JSON.stringify({ sha256: await digest }), { 'content-type': 'application/json' });
      localStorage.removeItem(key);
      if (!done.ok) throw new Error(done.data && done.data.detail ? done.data.detail : 'HTTP ' + done.status);
      say('✓');
      window.location.reload();
    } catch (err) {
      say(String(err && err.message ? err.message : err));
      form.querySelector('button[type=submit]').disabled = false;
    }
  });
})();
