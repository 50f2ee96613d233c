/* « Copier le lien » (Clipboard API) and « Partager le lien… » (navigator.share, on phones)
   for a grouped order's public link. Each button shows only where the browser can do it; the
   link stays visible and selectable in any case. No inline script (strict CSP). */
(function () {
  'use strict';
  var status = document.getElementById('share-status');
  function say(text) { if (status) { status.textContent = text; } }

  var copy = document.getElementById('copy-link');
  if (copy && navigator.clipboard && window.isSecureContext) {
    copy.hidden = false;
    copy.addEventListener('click', function () {
      var input = document.getElementById(copy.dataset.copy);
      navigator.clipboard.writeText(input.value).then(function () {
        say('Lien copié : collez-le dans votre message aux familles.');
      }, function () {
        input.select();
        say('La copie n\'a pas fonctionné : le lien est sélectionné, copiez-le vous-même.');
      });
    });
  }

  var share = document.getElementById('share-link');
  if (share && navigator.share) {
    share.hidden = false;
    share.addEventListener('click', function () {
      var input = document.getElementById(share.dataset.share);
      navigator.share({title: share.dataset.title, text: 'Commande groupée : ' +
                       share.dataset.title, url: input.value})
        .catch(function () { /* closed by the person: nothing to say */ });
    });
  }

  var field = document.getElementById('share-url');
  if (field) { field.addEventListener('focus', function () { field.select(); }); }
})();
