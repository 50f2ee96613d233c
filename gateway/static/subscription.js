/* The subscription form: the total follows the quantities, one per title, each line's total
   too (no inline script: the pages are served under a strict Content-Security-Policy). */
(function () {
  'use strict';
  var t = document.getElementById('total');
  var inputs = document.querySelectorAll('input[data-price]');
  if (!t || !inputs.length) { return; }
  var fmt = new Intl.NumberFormat('fr-FR', {style: 'currency', currency: 'EUR'});
  function cents(input) { return Math.round(parseFloat(input.dataset.price) * 100); }
  function update() {
    var total = 0, valid = true;
    inputs.forEach(function (q) {
      var n = q.value.trim() === '' ? NaN : Number(q.value);
      if (!Number.isInteger(n) || n < 0) { valid = false; return; }
      total += n * cents(q);
      var line = q.dataset.line && document.getElementById(q.dataset.line);
      if (line) { line.textContent = fmt.format(n * cents(q) / 100); }
    });
    if (valid) { t.textContent = fmt.format(total / 100); }
  }
  inputs.forEach(function (q) { q.addEventListener('input', update); });
  update();
})();
