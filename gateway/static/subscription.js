/* The subscription form: the total follows the quantities, one per title, each line's total
   too (no inline script: the pages are served under a strict Content-Security-Policy). */
(function () {
  'use strict';
  var t = document.getElementById('total');
  var inputs = document.querySelectorAll('input[data-price]');
  if (!t || !inputs.length) { return; }
  var fmt = new Intl.NumberFormat('fr-FR', {style: 'currency', currency: 'EUR'});
  function cents(input) { return Math.round(parseFloat(input.dataset.price) * 100); }
  function bound(q, name, fallback) {
    var v = q.getAttribute(name);
    return v === null || v === '' ? fallback : Number(v);
  }
  function update() {
    // a quantity the server would refuse (not a whole number, under the title's minimum, over
    // its maximum) shows no amount: « — », never a total that would not be charged
    var total = 0, valid = true;
    inputs.forEach(function (q) {
      var n = q.value.trim() === '' ? NaN : Number(q.value);
      var line = q.dataset.line && document.getElementById(q.dataset.line);
      if (!Number.isInteger(n) || n < bound(q, 'min', 0) || n > bound(q, 'max', Infinity)) {
        valid = false;
        if (line) { line.textContent = '—'; }
        return;
      }
      total += n * cents(q);
      if (line) { line.textContent = fmt.format(n * cents(q) / 100); }
    });
    t.textContent = valid ? fmt.format(total / 100) : '—';
  }
  inputs.forEach(function (q) { q.addEventListener('input', update); });
  update();
})();
