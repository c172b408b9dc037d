// Pré-inscription: the price follows the choices as the family makes them. Without this script
// the « Voir le prix » button does the same. Nothing is sent before « Envoyer ma demande ».
(function () {
  'use strict';
  var form = document.querySelector('form[data-prix]');
  if (!form || !window.fetch || !window.DOMParser) return;
  var pending = null;

  function preview() {
    var data = new URLSearchParams(new FormData(form));
    data.set('action', 'apercu');
    var asked = data.toString();
    pending = asked;
    // Not form.action: the buttons named « action » shadow it.
    fetch(form.getAttribute('action'), {
      method: 'POST',
      body: asked,
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    })
      .then(function (res) { return res.status < 500 ? res.text() : null; })
      .then(function (html) {
        if (!html || pending !== asked) return;
        var page = new DOMParser().parseFromString(html, 'text/html');
        swap(page, '#prix-zone');
        swap(page, '#actions-zone');
      })
      .catch(function () { /* the button still works */ });
  }

  function swap(page, selector) {
    var fresh = page.querySelector(selector);
    var here = form.querySelector(selector);
    if (fresh && here) here.replaceWith(fresh);
  }

  form.addEventListener('change', function (e) {
    if (e.target && e.target.tagName === 'SELECT') preview();
  });
})();
