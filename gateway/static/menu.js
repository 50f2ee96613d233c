/* The main menu is a <details> disclosure: folded under « Menu » on a phone, works without
   script. On a wide screen this opens it and hides its summary (class "js" on <html>). */
(function () {
  'use strict';
  document.documentElement.classList.add('js');
  function setup() {
    var menu = document.getElementById('menu');
    if (!menu || !window.matchMedia) { return; }
    var wide = window.matchMedia('(min-width: 641px)');
    function sync() { menu.open = wide.matches; }
    sync();
    if (wide.addEventListener) { wide.addEventListener('change', sync); }
  }
  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', setup);
  } else {
    setup();
  }
})();
