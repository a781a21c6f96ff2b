// Offline check-ins. A form marked data-offline-queue that is sent without a connection is kept
// on this device (IndexedDB) and posted once the connection is back. Each queued form keeps its
// submission key, so the server saves it once even if a send is repeated.
// A browser may be shared: each form keeps whose it is (the attribute's value, a mark that names
// nobody), and only the forms of the person whose page this is are sent, so one person's check-in
// is never saved as the next person's (the server refuses a form marked for someone else too).
// Forms older than a check-in can be (three days) are dropped unsent. Signing out clears the
// device's storage, this queue included (Clear-Site-Data).
(function () {
  "use strict";
  const DB_NAME = "counterpoint-offline";
  const STORE = "outbox";

  function openDb() {
    return new Promise((resolve, reject) => {
      const req = indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = () => req.result.createObjectStore(STORE, { keyPath: "key" });
      req.onsuccess = () => resolve(req.result);
      req.onerror = () => reject(req.error);
    });
  }

  function withStore(mode, work) {
    return openDb().then((db) => new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const result = work(tx.objectStore(STORE));
      tx.oncomplete = () => { db.close(); resolve(result && "result" in result ? result.result : result); };
      tx.onerror = () => { db.close(); reject(tx.error); };
    }));
  }

  function newKey() {
    if (self.crypto && crypto.randomUUID) return crypto.randomUUID().replace(/-/g, "");
    return Date.now().toString(36) + Math.random().toString(36).slice(2);
  }

  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : "";
  }

  function say(text) {
    const box = document.getElementById("offline-queue-status");
    if (box) { box.hidden = false; box.textContent = text; }
  }

  const MAX_AGE_MS = 1000 * 60 * 60 * 24 * 3;

  // Whose page this is: the mark on its queued form; none on a page without one (the offline
  // page), which then sends nothing.
  function currentOwner() {
    const form = document.querySelector("form[data-offline-queue]");
    return form ? form.getAttribute("data-offline-queue") || "" : "";
  }

  function queue(form) {
    const owner = form.getAttribute("data-offline-queue") || "";
    const body = new URLSearchParams(new FormData(form));
    body.delete("csrfmiddlewaretoken");
    body.set("queued_for", owner);
    let key = body.get("submission_key");
    if (!key) { key = newKey(); body.set("submission_key", key); }
    const item = { key: key, owner: owner, url: form.getAttribute("action") || window.location.pathname, body: body.toString(), at: Date.now() };
    return withStore("readwrite", (store) => store.put(item));
  }

  let flushing = false;
  async function flush() {
    if (flushing || !navigator.onLine) return;
    flushing = true;
    try {
      const items = await withStore("readonly", (store) => store.getAll());
      const owner = currentOwner();
      let sent = 0;
      let older = 0;
      for (const item of items || []) {
        if (!item.owner || Date.now() - item.at > MAX_AGE_MS) {
          await withStore("readwrite", (store) => store.delete(item.key));
          continue;
        }
        if (!owner || item.owner !== owner) continue; // someone else's: kept for them
        // How long ago the person pressed Save (this device's clock on both ends, so a wrong
        // clock does not matter): the server refuses the copy if the check-in was saved since.
        const body = new URLSearchParams(item.body);
        body.set("edited_ms_ago", String(Math.max(0, Date.now() - item.at)));
        let response;
        try {
          response = await fetch(item.url, {
            method: "POST",
            credentials: "same-origin",
            redirect: "manual",
            headers: { "Content-Type": "application/x-www-form-urlencoded", "X-CSRFToken": csrfToken() },
            body: body.toString(),
          });
        } catch (err) {
          return; // still no connection: keep everything for the next try
        }
        // A redirect (saved) or a refusal (400: the day has passed; 409: a newer check-in was
        // saved since) all end this item's trip.
        // 403: signed in as someone else meanwhile (or the form's token is stale): kept.
        if (response.type === "opaqueredirect" || (response.status < 500 && response.status !== 403)) {
          await withStore("readwrite", (store) => store.delete(item.key));
          if (response.type === "opaqueredirect" || response.ok) sent += 1;
          if (response.status === 409) older += 1;
        }
      }
      if (sent) say(sent === 1 ? "Your offline check-in is saved." : `${sent} offline check-ins are saved.`);
      if (older) say("A check-in written offline was older than the one saved since, so the newer one was kept.");
    } finally {
      flushing = false;
    }
  }

  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-offline-queue")) return;
    if (navigator.onLine) return;
    event.preventDefault();
    queue(form).then(() => say("You are offline. Your check-in is kept on this device and will be sent when you are back online."));
  });
  window.addEventListener("online", flush);
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", flush);
  else flush();
  window.counterpointOffline = { flush: flush, queue: queue };
})();
