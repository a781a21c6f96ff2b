"""Every URL, as every named person: the status they get, and no private item ever leaks.

A view that no case in tests/web/access_cases/ covers makes ``test_every_url_is_covered`` fail.
"""

from __future__ import annotations

import io
import zipfile

import pytest
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests.web.access import PEOPLE, Case, case_send, expected_status
from tests.web.access_cases import all_cases
from tests.web.conftest import ALICE_PRIVATE_MARKER, BOB_PRIVATE_MARKER, World

CASES = all_cases()


def _url_names(resolver: URLResolver | None = None, prefix: str = "") -> set[str]:
    names: set[str] = set()
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{prefix}{entry.namespace}:" if entry.namespace else prefix
            names |= _url_names(entry, ns)
        elif isinstance(entry, URLPattern):
            if entry.name is None:
                pytest.fail(f"URL pattern {entry.pattern} has no name; every view needs one")
            names.add(f"{prefix}{entry.name}")
    return names


def test_every_url_is_covered() -> None:
    covered = {case.url_name for case in CASES}
    missing = sorted(_url_names() - covered)
    assert not missing, f"views with no access-matrix case: {missing}"


def test_no_case_names_a_url_that_does_not_exist() -> None:
    stale = sorted({case.url_name for case in CASES} - _url_names())
    assert not stale, f"access cases for URLs that no longer exist: {stale}"


def body_text(response) -> str:
    if getattr(response, "streaming", False):
        raw = b"".join(response.streaming_content)
    else:
        raw = response.content
    if response.get("Content-Type", "").startswith("application/zip"):
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return raw.decode("utf-8", "replace")


class _Rollback(Exception):
    """Raised to undo one person's request before the next person's."""


def _check(case: Case, person: str, world: World) -> list[str]:
    """What goes wrong when ``person`` makes ``case``'s request (an empty list: nothing)."""
    client = world.client_for(person)
    url = reverse(case.url_name, kwargs=case.kwargs(world))
    response = case_send(client, case, world, url)
    problems = []
    expected = expected_status(case.expect, person)
    if response.status_code != expected:
        problems.append(f"{case.id} as {person}: got {response.status_code}, expected {expected}")
    text = body_text(response)
    if person != "A" and ALICE_PRIVATE_MARKER in text:
        problems.append(f"{case.id} leaked Alice's private entry to {person}")
    if person != "B" and BOB_PRIVATE_MARKER in text:
        problems.append(f"{case.id} leaked Bob's private entry to {person}")
    return problems


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.id)
def test_access(case: Case, world: World) -> None:
    """Every person makes the case's request against the same freshly built world: each request
    runs in a savepoint that is rolled back afterwards, so a POST by one person never changes what
    the next one meets (as if each had a world of their own, without building it nine times)."""
    problems: list[str] = []
    for person in PEOPLE:
        try:
            with transaction.atomic():
                problems += _check(case, person, world)
                raise _Rollback
        except _Rollback:
            pass
    assert not problems, "\n".join(problems)
