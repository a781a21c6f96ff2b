{% load static %}// Counterpoint's service worker: an offline shell, and notifications from web push.
// Personal pages are never cached: offline, a page that needs the server shows the offline shell.
const SHELL = "counterpoint-shell-{{ version }}";
const OFFLINE_URL = "{% url 'pwa:offline' %}";
const SHELL_FILES = [
  OFFLINE_URL,
  "{% static 'css/app.css' %}",
  "{% static 'css/checkins.css' %}",
  "{% static 'js/offline.js' %}",
  "{% static 'js/checkins.js' %}",
  "{% static 'img/icon.svg' %}",
  "{% static 'img/icon-192.png' %}",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(SHELL_FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith("counterpoint-") && k !== SHELL).map((k) => caches.delete(k))))
      .then(() => self.clients.claim())
  );
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (request.mode === "navigate") {
    event.respondWith(fetch(request).catch(() => caches.match(OFFLINE_URL)));
  } else if (url.pathname.startsWith("{% get_static_prefix %}")) {
    event.respondWith(fetch(request).catch(() => caches.match(request)));
  }
});

self.addEventListener("push", (event) => {
  let data = {};
  try { data = event.data ? event.data.json() : {}; } catch (e) { data = {}; }
  const actions = Array.isArray(data.actions) ? data.actions : [];
  event.waitUntil(self.registration.showNotification(data.title || "Counterpoint", {
    body: data.body || "",
    icon: "{% static 'img/icon-192.png' %}",
    badge: "{% static 'img/icon-192.png' %}",
    tag: data.url || "counterpoint",
    data: { url: data.url || "/", actions: actions },
    actions: actions.map((a) => ({ action: a.action, title: a.title })),
  }));
});

self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const data = event.notification.data || {};
  const chosen = (data.actions || []).find((a) => a.action === event.action);
  if (chosen) {
    // Stop / pause: the signed link does it in one step, no page needed.
    event.waitUntil(fetch(chosen.url, { method: "POST", credentials: "omit" }));
    return;
  }
  const target = new URL(data.url || "/", self.location.origin).href;
  event.waitUntil(
    self.clients.matchAll({ type: "window", includeUncontrolled: true }).then((windows) => {
      for (const w of windows) {
        if (w.url === target && "focus" in w) return w.focus();
      }
      return self.clients.openWindow(target);
    })
  );
});
