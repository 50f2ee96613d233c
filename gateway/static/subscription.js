/* The subscription form: the total follows the quantity (no inline script: the pages are
   served under a strict Content-Security-Policy). */
(function () {
  'use strict';
  var q = document.getElementById('quantity');
  var t = document.getElementById('total');
  var price = document.getElementById('unit-price');
  if (!q || !t || !price) { return; }
  var cents = Math.round(parseFloat(price.dataset.price) * 100);
  var fmt = new Intl.NumberFormat('fr-FR', {style: 'currency', currency: 'EUR'});
  function update() {
    var n = parseInt(q.value, 10);
    if (n > 0) { t.textContent = fmt.format(n * cents / 100); }
  }
  q.addEventListener('input', update);
  update();
})();
