/* Confirmations on forms that delete, out of the HTML (the Content-Security-Policy allows no
   inline script; the other behaviours have their own files: menu.js, share.js,
   subscription.js, payment-status.js). */
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
})();
