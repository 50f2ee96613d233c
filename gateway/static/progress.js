/* The public page's progress toward the minimum and the cap (issue 10): asked again every
   15 seconds, shown without reloading; the figures are in an aria-live region, so a screen
   reader hears them change. Without the script the page shows the figures of its loading. */
(function () {
  'use strict';
  var card = document.getElementById('copies-progress');
  if (!card || !window.fetch) { return; }
  var url = card.dataset.url;
  function set(id, text) {
    var el = document.getElementById(id);
    if (el && text && el.textContent !== text) { el.textContent = text; }
  }
  function refresh() {
    fetch(url, {headers: {'Accept': 'application/json'}, credentials: 'same-origin'})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (p) {
        if (!p) { return; }
        set('progress-label', p.label);
        var bar = document.getElementById('progress-bar');
        if (bar && p.minimum) { bar.value = Math.min(p.paid, p.minimum); }
        set('progress-minimum', p.texts.minimum);
        (p.texts.titles || []).forEach(function (t) {  /* each title's own minimum */
          set('progress-title-' + t.ean, t.text);
          var li = document.getElementById('progress-title-' + t.ean);
          if (li) { li.className = t.minimum_reached ? 'reached' : 'not-reached'; }
        });
        set('progress-cap', p.texts.cap);
        var cap = document.getElementById('progress-cap');
        if (cap) { cap.classList.toggle('warn-text', p.full); }
      })
      .catch(function () { /* offline for a moment: the next round will tell */ });
  }
  window.setInterval(refresh, 15000);
})();
