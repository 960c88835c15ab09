// Live job progress on the facilitator dashboard, from /api/assemblies/:id/jobs/events (Server-Sent Events).
(function () {
  const table = document.querySelector('[data-jobs-for]');
  if (!table || !window.EventSource) return;
  const assemblyId = table.getAttribute('data-jobs-for');
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
    row.querySelector('.type').textContent = ev.type;
    row.querySelector('.status').textContent = ev.status;
    const bar = row.querySelector('progress');
    bar.value = Math.round((ev.progress || 0) * 100);
    bar.setAttribute('aria-label', ev.type + ' ' + bar.value + '%');
    row.querySelector('.msg').textContent = ev.error || ev.message || '';
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
