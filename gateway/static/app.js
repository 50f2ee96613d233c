/* The pages' few behaviours, out of the HTML (the Content-Security-Policy allows no inline
   script): the subscription form's live total, and confirmations on forms that delete. */
(function () {
  "use strict";

  // <form data-confirm="Supprimer ce panier ?">: ask before sending
  document.addEventListener("submit", function (event) {
    var form = event.target;
    var question = form && form.getAttribute && form.getAttribute("data-confirm");
    if (question && !window.confirm(question)) {
      event.preventDefault();
    }
  });

  // the subscription page: Total TTC follows the quantity
  function subscriptionTotal() {
    var q = document.getElementById("quantity");
    var t = document.getElementById("total");
    var price = document.getElementById("unit-price");
    if (!q || !t || !price || !price.dataset.price) {
      return;
    }
    var cents = Math.round(parseFloat(price.dataset.price) * 100);
    var fmt = new Intl.NumberFormat("fr-FR", {style: "currency", currency: "EUR"});
    function update() {
      var n = parseInt(q.value, 10);
      if (n > 0) {
        t.textContent = fmt.format(n * cents / 100);
      }
    }
    q.addEventListener("input", update);
    update();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", subscriptionTotal);
  } else {
    subscriptionTotal();
  }
})();
