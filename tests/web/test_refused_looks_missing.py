"""A record that is not yours answers exactly as one that does not exist.

For every request of the access matrix that refuses Bob (a 404: Alice's private items, her
partner-only pages, anything of another couple's), the same request with every number in its
address replaced by one never used must get the same status, the same headers and the same page,
byte for byte once the per-request values are set aside. Otherwise Bob could tell that Alice has a
private entry number N by the way he is turned away.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.web.access import Case, case_send, expected_status
from tests.web.access_cases import all_cases
from tests.web.conftest import World
from tests.web.test_access_matrix import body_text

NEVER_USED = 2**53 + 12345  # above every record number (counterpoint.numbers.new_record_number)
# Headers that differ between any two requests.
PER_REQUEST = {"date", "content-security-policy", "set-cookie", "content-length", "x-request-id"}
_TOKENS = [
    (re.compile(r'nonce="[^"]*"'), 'nonce="-"'),
    (re.compile(r'csrfmiddlewaretoken" value="[^"]*"'), 'csrfmiddlewaretoken" value="-"'),
    (re.compile(r'CSRFToken": "[^"]*"'), 'CSRFToken": "-"'),
]


def _numbered_routes(resolver: URLResolver | None = None, prefix: str = "") -> set[str]:
    """The names of the URLs whose address holds a number."""
    names: set[str] = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            names |= _numbered_routes(
                entry, f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            )
        elif isinstance(entry, URLPattern) and "<int:" in str(entry.pattern):
            names.add(f"{prefix}{entry.name}")
    return names


def _refusals() -> list[Case]:
    numbered = _numbered_routes()
    return [
        case
        for case in all_cases()
        if case.url_name in numbered and expected_status(case.expect, "B") == 404
    ]


class _Rollback(Exception):
    """Undo one request before the next."""


def _answer(world: World, case: Case, kwargs: dict[str, object]) -> tuple[int, dict, str]:
    url = reverse(case.url_name, kwargs=kwargs)
    client: Client = world.client_for("B")
    try:
        with transaction.atomic():
            response = case_send(client, case, world, url)
            raise _Rollback
    except _Rollback:
        pass
    text = body_text(response).replace(url, "<address>")
    for pattern, placeholder in _TOKENS:
        text = pattern.sub(placeholder, text)
    kept = {k.lower(): v for k, v in response.items() if k.lower() not in PER_REQUEST}
    return response.status_code, kept, text


def test_bob_is_turned_away_as_if_it_did_not_exist(world: World) -> None:
    cases = _refusals()
    assert len(cases) > 50  # every item page, edit and delete of Alice's and Carol's
    differ = []
    for case in cases:
        kwargs = case.kwargs(world)
        never = {k: NEVER_USED if isinstance(v, int) else v for k, v in kwargs.items()}
        if _answer(world, case, kwargs) != _answer(world, case, never):
            differ.append(case.id)
    assert not differ, differ
