/* The result page while a payment is being checked: asks a small status endpoint every two
   seconds, without reloading the page (a self-refreshing page is an accessibility failure),
   then shows the result in place and announces it in the live region. Without JavaScript the
   page keeps its « Actualiser la page » link. */
(function () {
  'use strict';
  var box = document.getElementById('result');
  var live = document.getElementById('payment-live');
  if (!box || !box.dataset.waiting || !window.fetch) { return; }
  var url = box.dataset.pollUrl;
  var tries = 0;
  var timer = null;

  function show(message) {
    fetch(window.location.href, {credentials: 'same-origin'})
      .then(function (r) { return r.text(); })
      .then(function (html) {
        var fresh = new DOMParser().parseFromString(html, 'text/html').getElementById('result');
        if (fresh) { box.innerHTML = fresh.innerHTML; delete box.dataset.waiting; }
        live.textContent = message;
      })
      .catch(function () { live.textContent = message; });
  }

  function poll() {
    tries += 1;
    fetch(url, {credentials: 'same-origin', headers: {'Accept': 'application/json'}})
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (state) {
        if (state && !state.waiting) {
          window.clearInterval(timer);
          show(state.message);
        } else if (tries >= 90) {  // three minutes: stop, the link stays
          window.clearInterval(timer);
          live.textContent = 'Le résultat du paiement tarde : actualisez la page dans un moment.';
        }
      })
      .catch(function () { /* the next try will tell */ });
  }

  timer = window.setInterval(poll, 2000);
})();
