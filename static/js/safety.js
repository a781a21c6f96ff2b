/* "Leave quickly": replace the page with a neutral site (no history entry for the app page), on a
   click of the control or on Escape pressed twice. Coming back with Back leaves again at once.
   Loaded in <head> without defer so a page reached by Back is left before it is drawn. */
(function () {
  "use strict";
  var FLAG = "counterpoint-left-quickly";
  var lastEscape = 0;

  function destination() {
    var link = document.querySelector("[data-quick-exit]");
    return link ? link.href : null;
  }

  function leave(url) {
    url = url || destination();
    if (!url) { return; }
    try { sessionStorage.setItem(FLAG, url); } catch (e) { /* storage may be off */ }
    if (document.body) { document.body.style.visibility = "hidden"; }
    document.title = "";
    window.location.replace(url);
  }

  function cameBack(event) {
    var url = null;
    try { url = sessionStorage.getItem(FLAG); } catch (e) { return; }
    if (!url) { return; }
    var nav = window.performance && performance.getEntriesByType
      ? performance.getEntriesByType("navigation")[0] : null;
    if ((event && event.persisted) || (nav && nav.type === "back_forward")) {
      leave(url);
    } else {
      sessionStorage.removeItem(FLAG);  // a fresh visit: the person chose to come back
    }
  }

  cameBack(null);
  window.addEventListener("pageshow", function (event) { if (event.persisted) { cameBack(event); } });
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("[data-quick-exit]") : null;
    if (link && !event.ctrlKey && !event.metaKey && !event.shiftKey) {
      event.preventDefault();
      leave(link.href);
    }
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") { return; }
    var now = Date.now();
    if (now - lastEscape < 1000) { leave(null); }
    lastEscape = now;
  });
})();
