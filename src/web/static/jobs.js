// Live job progress on the facilitator dashboard, from /api/assemblies/:id/jobs/events (Server-Sent Events).
(function () {
  const table = document.querySelector('[data-jobs-for]');
  if (!table || !window.EventSource) return;
  const assemblyId = table.getAttribute('data-jobs-for');
  // names and statuses in the page's language (progress messages and errors come from the server in English)
  let i18n = { lang: 'en', types: {}, status: {}, errorIn: '' };
  try {
    i18n = Object.assign(i18n, JSON.parse(table.getAttribute('data-i18n') || '{}'));
  } catch (err) {
    console.warn('unreadable job strings', err);
  }
  const es = new EventSource('/api/assemblies/' + encodeURIComponent(assemblyId) + '/jobs/events');
  function render(ev) {
    let row = document.getElementById('job-' + ev.id);
    if (!row) {
      row = document.createElement('tr');
      row.id = 'job-' + ev.id;
      row.innerHTML = '<td class="type"></td><td class="status"></td><td><progress max="100"></progress> <span class="msg"></span></td>';
      table.querySelector('tbody').prepend(row);
      const empty = document.getElementById('no-jobs');
      if (empty) empty.remove();
    }
    const name = i18n.types[ev.type] || ev.type;
    row.querySelector('.type').textContent = name;
    row.querySelector('.status').textContent = i18n.status[ev.status] || ev.status;
    const bar = row.querySelector('progress');
    bar.value = Math.round((ev.progress || 0) * 100);
    bar.setAttribute('aria-label', name + ' ' + bar.value + ' %');
    const msg = row.querySelector('.msg');
    msg.textContent = '';
    if (i18n.lang === 'en') msg.textContent = ev.error || ev.message || '';
    else if (ev.error) {
      const en = document.createElement('span');
      en.lang = 'en';
      en.textContent = ev.error;
      msg.append(i18n.errorIn + ' ', en);
    }
  }
  function onEvent(e) {
    let data = null;
    try {
      data = JSON.parse(e.data);
    } catch (err) {
      console.warn('unreadable job event', err);
    }
    if (data && data.id) render(data);
  }
  es.addEventListener('job', onEvent);
  es.onmessage = onEvent;
})();
