"""Issue 10: lockout and sign-in addresses behind the documented reverse proxy. The client address
comes from X-Forwarded-For only as far as the configured number of trusted proxies; lockout is by
account and address together, so a stranger cannot lock the owner out; the owner hears about
repeated failed attempts by email."""

from __future__ import annotations

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client

from counterpoint.accounts.models import SignIn
from tests.factories import make_user

PASSWORD = "a long passphrase"
PROXY = "10.0.0.2"  # the reverse proxy, as the app server sees it
OWNER = "203.0.113.9"
STRANGER = "198.51.100.7"

pytestmark = pytest.mark.django_db


def _sign_in(client: Client, password: str, address: str, spoofed: str = "") -> int:
    forwarded = f"{spoofed}, {address}" if spoofed else address
    response = client.post(
        "/account/login/",
        {"username": "kim@example.org", "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    return response.status_code


def test_sign_in_records_the_client_address_behind_a_trusted_proxy(settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    user = make_user("kim@example.org", "Kim", password=PASSWORD)
    # Whatever the client claims, the address the trusted proxy saw is the one recorded.
    assert _sign_in(Client(), PASSWORD, OWNER, spoofed="1.2.3.4") == 302
    assert SignIn.objects.get(user=user).ip_address == OWNER


def test_forwarded_for_is_ignored_without_a_trusted_proxy(settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 0
    user = make_user("kim@example.org", "Kim", password=PASSWORD)
    assert _sign_in(Client(), PASSWORD, OWNER) == 302
    assert SignIn.objects.get(user=user).ip_address == PROXY


def test_a_stranger_behind_the_proxy_cannot_lock_the_owner_out(settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    make_user("kim@example.org", "Kim", password=PASSWORD)
    stranger = Client()
    for _ in range(django_settings.AXES_FAILURE_LIMIT + 1):
        _sign_in(stranger, "wrong", STRANGER)
    assert _sign_in(stranger, PASSWORD, STRANGER) == 429  # the stranger's address is paused
    owner = Client()
    assert _sign_in(owner, PASSWORD, OWNER) == 302
    assert SESSION_KEY in owner.session


def test_the_owner_is_emailed_once_about_repeated_failed_attempts(settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    make_user("kim@example.org", "Kim", password=PASSWORD)
    stranger = Client()
    for _ in range(django_settings.AXES_FAILURE_LIMIT + 3):
        _sign_in(stranger, "wrong guess 123", STRANGER)
    to_owner = [m for m in mail.outbox if m.to == ["kim@example.org"]]
    assert len(to_owner) == 1
    body = to_owner[0].body
    assert "wrong password" in body and STRANGER in body
    assert "wrong guess 123" not in body  # never what was typed


def test_nobody_is_emailed_about_attempts_on_an_address_with_no_account(settings) -> None:
    settings.TRUSTED_PROXY_COUNT = 1
    stranger = Client()
    for _ in range(django_settings.AXES_FAILURE_LIMIT + 1):
        _sign_in(stranger, "wrong", STRANGER)
    assert mail.outbox == []
