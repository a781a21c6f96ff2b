// "Get notifications on this device": ask the browser for a push subscription and register it.
(function () {
  "use strict";
  const box = document.getElementById("push-setup");
  const button = document.getElementById("push-enable");
  const status = document.getElementById("push-status");
  if (!box || !button) return;

  function say(text) { status.textContent = text; }

  function keyBytes(base64url) {
    const padded = (base64url + "===".slice((base64url.length + 3) % 4)).replace(/-/g, "+").replace(/_/g, "/");
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  }

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function deviceLabel() {
    const ua = navigator.userAgent;
    const os = /iPhone|iPad/.test(ua) ? "iPhone/iPad" : /Android/.test(ua) ? "Android" : /Mac/.test(ua) ? "Mac" : /Windows/.test(ua) ? "Windows" : /Linux/.test(ua) ? "Linux" : "";
    const browser = /Edg\//.test(ua) ? "Edge" : /Firefox\//.test(ua) ? "Firefox" : /Chrome\//.test(ua) ? "Chrome" : /Safari\//.test(ua) ? "Safari" : "Browser";
    return os ? `${browser} on ${os}` : browser;
  }

  async function enable() {
    button.disabled = true;
    try {
      const permission = await Notification.requestPermission();
      if (permission !== "granted") {
        say("Notifications are blocked for this site. Allow them in the browser's site settings, then try again.");
        return;
      }
      const registration = await navigator.serviceWorker.register("/sw.js", { scope: "/" });
      await navigator.serviceWorker.ready;
      const subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(box.dataset.key),
      });
      const payload = Object.assign(subscription.toJSON(), { label: deviceLabel() });
      const response = await fetch(box.dataset.url, {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
        body: JSON.stringify(payload),
      });
      if (!response.ok) throw new Error(`server said ${response.status}`);
      say("This device now gets your notifications.");
      window.location.reload();
    } catch (err) {
      say(`This browser could not turn on notifications (${err && err.message ? err.message : err}).`);
    } finally {
      button.disabled = false;
    }
  }

  if (!("serviceWorker" in navigator) || !("PushManager" in window) || !window.isSecureContext) {
    say("This browser cannot show notifications from a website. On an iPhone, add Counterpoint to the Home Screen first.");
    return;
  }
  button.hidden = false;
  button.addEventListener("click", enable);
})();
