/* Kiosque — borne (kiosk) mode.
 *
 * After `data-inactivite` seconds without activity, a warning dialog (#inactivite, already in the page)
 * counts down `data-avertissement` seconds; then everything typed is forgotten and the kiosk goes back
 * to `data-accueil`. Only the « more time » button (or Escape) cancels the warning: a stray touch
 * while walking away must not keep the previous person's page on screen.
 *
 * Without JavaScript the page still works; the machine's own idle watcher restarts the browser.
 * Vanilla ES2017, no dependency, loaded with `defer` (CSP: script-src 'self').
 */
(function () {
  'use strict';

  var ACTIVITY_EVENTS = ['pointerdown', 'keydown', 'wheel', 'touchstart', 'input', 'scroll'];
  // Short tick: timers in a throttled tab drift, so every decision is taken from the wall clock.
  var TICK_MS = 250;

  function seconds(value) {
    var n = parseInt(value, 10);
    return Number.isFinite(n) && n > 0 ? n : null;
  }

  function countdownText(remaining) {
    return "L'écran revient à l'accueil dans " + remaining +
      (remaining === 1 ? ' seconde.' : ' secondes.');
  }

  function clearStorage(name) {
    try {
      window[name].clear();
    } catch (e) {
      // Storage disabled or unavailable: nothing was kept there.
    }
  }

  function resetForms() {
    Array.prototype.forEach.call(document.forms, function (form) {
      form.reset();
    });
  }

  function wirePrint() {
    var button = document.getElementById('imprimer');
    if (!button) return;
    button.hidden = false;
    button.addEventListener('click', function () {
      window.print();
    });
  }

  function wireTimer() {
    var body = document.body;
    var idleSeconds = seconds(body.dataset.inactivite);
    var warningSeconds = seconds(body.dataset.avertissement);
    var home = body.dataset.accueil;
    var dialog = document.getElementById('inactivite');
    var countdown = document.getElementById('inactivite-decompte');
    var moreTime = document.getElementById('plus-de-temps');
    if (!idleSeconds || !warningSeconds || !home || !dialog || !countdown || !moreTime) return;

    var state = 'idle'; // idle -> warning -> resetting
    var lastActivity = Date.now();
    var deadline = 0;
    var shown = null;
    var focusBefore = null;

    function onActivity() {
      // During the warning, activity does not count: only the button (or Escape) gives more time.
      if (state === 'idle') lastActivity = Date.now();
    }

    function showWarning(now) {
      state = 'warning';
      deadline = now + warningSeconds * 1000;
      focusBefore = document.activeElement;
      shown = null;
      updateCountdown(now);
      dialog.hidden = false;
      moreTime.focus();
    }

    function updateCountdown(now) {
      var remaining = Math.max(0, Math.ceil((deadline - now) / 1000));
      if (remaining !== shown) {
        shown = remaining;
        countdown.textContent = countdownText(remaining);
      }
    }

    function giveMoreTime() {
      if (state !== 'warning') return;
      state = 'idle';
      dialog.hidden = true;
      lastActivity = Date.now();
      if (focusBefore && focusBefore !== document.body && document.contains(focusBefore)) {
        focusBefore.focus();
      } else {
        var main = document.getElementById('contenu');
        if (main) main.focus();
      }
      focusBefore = null;
    }

    function goHome() {
      state = 'resetting';
      clearStorage('sessionStorage');
      clearStorage('localStorage');
      resetForms();
      window.location.replace(home);
    }

    function tick() {
      var now = Date.now();
      if (state === 'idle' && now - lastActivity >= idleSeconds * 1000) {
        showWarning(now);
      } else if (state === 'warning') {
        if (now >= deadline) {
          goHome();
        } else {
          updateCountdown(now);
        }
      }
    }

    ACTIVITY_EVENTS.forEach(function (type) {
      // Capture phase: scroll does not bubble, and a page handler must not hide activity from us.
      document.addEventListener(type, onActivity, { capture: true, passive: true });
    });

    moreTime.addEventListener('click', giveMoreTime);

    document.addEventListener('keydown', function (event) {
      if (state !== 'warning') return;
      if (event.key === 'Escape') {
        event.preventDefault();
        giveMoreTime();
      } else if (event.key === 'Tab') {
        // Modal dialog with a single control: focus stays on it.
        event.preventDefault();
        moreTime.focus();
      }
    });

    // A page restored from the back/forward cache keeps what was typed: forget it, start afresh.
    window.addEventListener('pageshow', function (event) {
      if (!event.persisted) return;
      resetForms();
      dialog.hidden = true;
      state = 'idle';
      lastActivity = Date.now();
    });

    window.setInterval(tick, TICK_MS);
  }

  function start() {
    wirePrint();
    wireTimer();
  }

  if (document.readyState === 'loading') {
    document.addEventListener('DOMContentLoaded', start);
  } else {
    start();
  }
})();
