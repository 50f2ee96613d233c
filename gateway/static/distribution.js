/* Distribution day (issue 10 K5): each tick is saved at once with fetch (the form's CSRF token,
   an Idempotency-Key of its own: a retry after a lost answer repeats the same key, so the same
   tick is one change), the page says « Enregistré » or « Non enregistré — Réessayer »; and the
   search box filters the list as one types (accents and case ignored). Without JavaScript the
   forms post and the search is a GET form. */
(function () {
  'use strict';
  if (!window.fetch || !window.FormData) { return; }

  function bare(text) {
    return (text || '').normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase()
      .replace(/\s+/g, ' ').trim();
  }

  function newKey() {
    if (window.crypto && window.crypto.randomUUID) { return window.crypto.randomUUID(); }
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  // -- the search ------------------------------------------------------------------------------
  var search = document.getElementById('q');
  var list = document.getElementById('buyers');
  var count = document.getElementById('search-count');
  var none = document.getElementById('no-match');
  if (search && list) {
    var total = list.dataset.total;
    search.addEventListener('input', function () {
      var words = bare(search.value).split(' ').filter(Boolean);
      var shown = 0;
      list.querySelectorAll('.distribution-buyer').forEach(function (li) {
        var name = li.dataset.search;
        var match = words.every(function (w) { return name.indexOf(w) !== -1; });
        li.hidden = !match;
        if (match) { shown += 1; }
      });
      count.textContent = shown + ' acheteur' + (shown > 1 ? 's' : '') + ' sur ' + total;
      none.hidden = shown > 0;
    });
  }

  // -- the ticks -------------------------------------------------------------------------------
  function bump(id, delta) {
    var el = document.getElementById(id);
    if (el) { el.textContent = String(parseInt(el.textContent, 10) + delta); }
  }

  function show(li, field, on) {
    var button = li.querySelector('.tick[data-field="' + field + '"]');
    if (!button) { return; }
    var was = button.getAttribute('aria-pressed') === 'true';
    if (was !== on) {
      bump(field === 'came' ? 'recap-came' : 'recap-collected', on ? 1 : -1);
      if (field === 'came') { bump('recap-absent', on ? -1 : 1); }
    }
    button.setAttribute('aria-pressed', on ? 'true' : 'false');
    button.classList.toggle('ticked', on);
    button.querySelector('.box').textContent = on ? '☑' : '☐';
    button.form.querySelector('input[name="value"]').value = on ? '0' : '1';
  }

  function send(form, body, key, li, tries) {
    var state = li.querySelector('.save-state');
    state.textContent = 'Enregistrement…';
    state.className = 'save-state';
    fetch(form.action, {
      method: 'POST', credentials: 'same-origin', body: body,
      headers: {'X-Requested-With': 'fetch', 'Accept': 'application/json', 'Idempotency-Key': key}
    }).then(function (r) {
      return r.json().then(function (data) { return {status: r.status, data: data}; },
                           function () { return {status: r.status, data: null}; });
    }).then(function (answer) {
      if (answer.status === 200 && answer.data && answer.data.ok) {
        show(li, 'came', answer.data.came);
        show(li, 'collected_all', answer.data.collected_all);
        state.textContent = 'Enregistré';
        state.className = 'save-state saved';
      } else if (answer.status >= 400 && answer.status < 500 && answer.data) {
        state.textContent = 'Non enregistré : ' + answer.data.message;
        state.className = 'save-state failed';
      } else {
        throw new Error('server');
      }
    }).catch(function () {
      if (tries < 2) {  // a flaky connection: the same request, the same key, a moment later
        window.setTimeout(function () { send(form, body, key, li, tries + 1); }, 800);
        return;
      }
      state.textContent = 'Non enregistré, réessayer : ';
      state.className = 'save-state failed';
      var again = document.createElement('button');
      again.type = 'button';
      again.className = 'retry';
      again.textContent = 'Réessayer';
      again.addEventListener('click', function () { send(form, body, key, li, 0); });
      state.appendChild(again);
    });
  }

  document.querySelectorAll('.tick-form').forEach(function (form) {
    form.addEventListener('submit', function (event) {
      event.preventDefault();
      var li = form.closest('.distribution-buyer');
      send(form, new URLSearchParams(new FormData(form)), newKey(), li, 0);
    });
  });
}());
