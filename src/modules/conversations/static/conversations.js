/* global document, window, fetch, URLSearchParams */
// Near-duplicate warning while a participant writes a statement: asks the server for similar accepted
// statements (debounced) and lists them under the text box. Without JavaScript the form works as is.
(function () {
  const form = document.querySelector('form[data-similar]');
  if (!form || !window.fetch) return;
  const box = form.querySelector('textarea[name="text"]');
  const out = document.getElementById('similar-list');
  if (!box || !out) return;
  let timer = null;
  let last = '';
  function render(items) {
    out.textContent = '';
    if (!items.length) return;
    const p = document.createElement('p');
    p.className = 'cite';
    p.textContent = form.getAttribute('data-similar-label');
    const ul = document.createElement('ul');
    for (const it of items) {
      const li = document.createElement('li');
      li.textContent = it.text;
      ul.appendChild(li);
    }
    out.appendChild(p);
    out.appendChild(ul);
  }
  function check() {
    const text = box.value.trim();
    if (text === last) return;
    last = text;
    if (text.length < 8) return render([]);
    fetch(form.getAttribute('data-similar') + '?' + new URLSearchParams({ text: text }), { headers: { accept: 'application/json' }, credentials: 'same-origin' })
      .then(function (r) { return r.ok ? r.json() : []; })
      .then(function (items) { if (box.value.trim() === text) render(items); })
      .catch(function () { render([]); });
  }
  box.addEventListener('input', function () {
    if (timer) window.clearTimeout(timer);
    timer = window.setTimeout(check, 300);
  });
})();
