// The answer page's countdown: rewrites "About N minutes left" once a minute (the server's number
// is the truth; this only keeps the page honest while it stays open). Screen readers hear the
// status line only when the minutes change.
(function () {
  "use strict";
  var box = document.querySelector("[data-seconds-left]");
  if (!box) return;
  var text = box.querySelector(".time-left-text");
  var end = Date.now() + Number(box.getAttribute("data-seconds-left")) * 1000;
  var last = null;
  function tick() {
    var left = Math.max(0, Math.round((end - Date.now()) / 1000));
    var minutes = Math.ceil(left / 60);
    if (minutes !== last) {
      last = minutes;
      if (left <= 0) {
        text.textContent = box.getAttribute("data-closed-text") || "Time is up";
      } else if (minutes === 1) {
        text.textContent = box.getAttribute("data-one-text") || "Less than a minute left";
      } else {
        text.textContent = (box.getAttribute("data-many-text") || "About N minutes left").replace("N", String(minutes));
      }
    }
    if (left > 0) window.setTimeout(tick, 1000);
  }
  tick();
})();
