"""One passkey answer sent twice at the same instant (two requests carrying the same session): it
counts once. PostgreSQL row locks; skipped on SQLite, which runs one writer at a time."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from counterpoint.accounts.models import Passkey
from tests.factories import make_user
from tests.web.authenticator import (
    Authenticator,
    passkey_added,
    register,
    registration_options,
    sign_in_answer,
    sign_in_options,
)
from tests.web.concurrency import at_once, needs_row_locks

pytestmark = pytest.mark.django_db(transaction=True)


def _signed_in() -> Client:
    """Alice, on her own: a transactional test builds anything it asks for afresh."""
    client = Client()
    client.force_login(make_user("alice@example.org", "Alice"))
    return client


def _twin(client: Client) -> Client:
    """Another request from the same browser: the same session cookie."""
    twin = Client()
    twin.cookies[settings.SESSION_COOKIE_NAME] = client.cookies[settings.SESSION_COOKIE_NAME].value
    return twin


def _statuses(results: list[Any]) -> list[str]:
    """Each answer's status, or the exception a request raised."""
    return sorted(str(getattr(r, "status_code", repr(r))) for r in results)


@pytest.mark.parametrize("counts", [True, False], ids=["counting", "synced (always 0)"])
def test_one_answer_signs_in_once_when_sent_twice_at_once(counts: bool) -> None:
    needs_row_locks()
    device = Authenticator(counts=counts)
    key = passkey_added(_signed_in(), device)
    first = Client()
    answer = device.get(sign_in_options(first))
    second = _twin(first)
    results = at_once(lambda: sign_in_answer(first, answer), lambda: sign_in_answer(second, answer))
    assert _statuses(results) == ["200", "400"], results
    key.refresh_from_db()
    assert key.sign_count == (1 if counts else 0)


def test_one_passkey_is_added_once_when_sent_twice_at_once() -> None:
    needs_row_locks()
    alice = _signed_in()
    answer = Authenticator().create(registration_options(alice))
    twin = _twin(alice)
    results = at_once(lambda: register(alice, answer), lambda: register(twin, answer))
    assert _statuses(results) == ["200", "400"], results
    assert Passkey.objects.count() == 1
