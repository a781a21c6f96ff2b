"""The installable app: manifest, icons, service worker (offline shell), install help."""
