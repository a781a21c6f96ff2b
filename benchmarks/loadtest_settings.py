"""Production settings for the load and kill tests, served over plain HTTP on loopback.

Everything of ``counterpoint.settings.production`` stays (DEBUG off, manifest static files, SMTP
off), except what needs TLS: the benchmark talks plain HTTP to 127.0.0.1, so cookies are not marked
Secure and there is no redirect to HTTPS. Never use this module for a real server.
"""

from __future__ import annotations

import os
from pathlib import Path

from counterpoint.settings.production import *  # noqa: F403

# one collected copy for every database of a run (bench_load.py collects it once)
if os.environ.get("LOAD_STATIC_ROOT"):
    STATIC_ROOT = Path(os.environ["LOAD_STATIC_ROOT"])

SECURE_SSL_REDIRECT = False
SECURE_HSTS_SECONDS = 0
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
SILENCED_SYSTEM_CHECKS = ["security.W004", "security.W008", "security.W012", "security.W016"]
EMAIL_BACKEND = "django.core.mail.backends.dummy.EmailBackend"
