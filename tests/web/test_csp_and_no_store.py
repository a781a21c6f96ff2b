"""Issue 10 (lower): a strict Content-Security-Policy on every page (scripts only from this site
or with the response's nonce; no inline event handlers; no eval), and ``Cache-Control: no-store``
on every page a signed-in person gets, so a shared computer's cache keeps nothing private."""

from __future__ import annotations

import re

from django.urls import reverse

from tests.web.conftest import World

PAGES = [
    "pages:home",
    "insights:page",
    "interdependence:home",
    "couples:home",
    "timebalance:balance",
    "timebalance:week",
    "journal:list",
    "journal:new",
    "checkins:today",
    "accounts:settings",
]


def _policy(response) -> dict[str, str]:
    header = response.get("Content-Security-Policy", "")
    parts = [p.strip() for p in header.split(";") if p.strip()]
    return {p.split()[0]: p for p in parts}


def test_every_page_has_a_strict_content_security_policy(world: World) -> None:
    client = world.client_for("A")
    for name in PAGES:
        response = client.get(reverse(name))
        assert response.status_code == 200, name
        policy = _policy(response)
        assert "script-src" in policy and "default-src" in policy, name
        scripts = policy["script-src"]
        assert "'unsafe-inline'" not in scripts and "'unsafe-eval'" not in scripts, name
        assert "frame-ancestors 'none'" in policy.get("frame-ancestors", ""), name
        assert "object-src 'none'" in policy.get("object-src", ""), name
        html = response.content.decode()
        nonce = re.search(r"'nonce-([^']+)'", scripts)
        for tag in re.findall(r"<script\b[^>]*>", html):
            if "src=" not in tag and 'type="application/json"' not in tag:
                assert nonce and f'nonce="{nonce.group(1)}"' in tag, f"{name}: inline {tag}"
        handler = re.search(r"<[^>]+\son[a-z]+=\"", html)
        assert handler is None, f"{name}: inline event handler {handler.group(0)}"


def test_private_pages_are_never_cached(world: World) -> None:
    client = world.client_for("A")
    for name in PAGES:
        response = client.get(reverse(name))
        assert "no-store" in response.get("Cache-Control", ""), name
    data = client.get(reverse("interdependence:json"))
    assert "no-store" in data.get("Cache-Control", "")
