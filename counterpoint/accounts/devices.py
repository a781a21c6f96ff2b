"""A sign-in's browser and system in words people use ("Chrome on Android"), from its User-Agent.

Only for the account owner's own security page and sign-in emails; the raw string stays in the
record (and the export). A small ordered list of tests is enough: anything unknown is said so.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

# Order matters: Edge, Opera and Samsung Internet also say "Chrome"; Chrome also says "Safari".
BROWSERS: list[tuple[str, str]] = [
    (r"Edg(e|A|iOS)?/", "Edge"),
    (r"OPR/|Opera", "Opera"),
    (r"SamsungBrowser/", "Samsung Internet"),
    (r"Firefox/|FxiOS/", "Firefox"),
    (r"Chrome/|CriOS/|Chromium/", "Chrome"),
    (r"Safari/", "Safari"),
]
SYSTEMS: list[tuple[str, str]] = [
    (r"iPhone", "iPhone"),
    (r"iPad", "iPad"),
    (r"Android", "Android"),
    (r"Windows", "Windows"),
    (r"CrOS", "ChromeOS"),
    (r"Mac OS X|Macintosh", "Mac"),
    (r"Linux", "Linux"),
]


def _first(patterns: list[tuple[str, str]], agent: str) -> str:
    return next((name for pattern, name in patterns if re.search(pattern, agent)), "")


def device_name(user_agent: str) -> str:
    """ "Chrome on Android", "Safari on iPhone", "Firefox" or "an unknown device"."""
    browser, system = _first(BROWSERS, user_agent), _first(SYSTEMS, user_agent)
    if browser and system:
        return _("%(browser)s on %(system)s") % {"browser": browser, "system": system}
    return browser or system or _("an unknown device")
