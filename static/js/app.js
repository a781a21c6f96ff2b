// Every page: register the service worker (offline shell, notifications), fill the sign-up form's
// time zone from the browser, and offer the device's zone when it differs from the account's.
(function () {
  "use strict";
  if ("serviceWorker" in navigator && window.isSecureContext) {
    window.addEventListener("load", () => {
      navigator.serviceWorker.register("/sw.js", { scope: "/" }).catch(() => {});
    });
  }

  function deviceZone() {
    try { return Intl.DateTimeFormat().resolvedOptions().timeZone || ""; } catch (e) { return ""; }
  }

  document.addEventListener("DOMContentLoaded", () => {
    const zone = deviceZone();
    if (!zone) return;
    for (const input of document.querySelectorAll("input[data-detect-time-zone]")) input.value = zone;

    const offer = document.getElementById("tz-offer");
    if (!offer || offer.dataset.current === zone) return;
    const keptKey = `counterpoint-keep-tz:${offer.dataset.current}:${zone}`;
    try { if (localStorage.getItem(keptKey)) return; } catch (e) { /* private mode */ }
    offer.querySelector("input[name=time_zone]").value = zone;
    offer.querySelector("[data-tz-device]").textContent = zone;
    offer.querySelector("[data-tz-keep]").addEventListener("click", () => {
      try { localStorage.setItem(keptKey, "1"); } catch (e) { /* private mode */ }
      offer.hidden = true;
    });
    offer.hidden = false;
  });
})();
