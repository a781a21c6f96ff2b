"""Every account, password, two-factor and passkey form says in our words which field was left
empty, never Django's "This field is required." (docs/conventions.md, "A field left empty"); on
the sign-in page the words say nothing about whether an account exists, and an empty sign-in is
not a failed one for the lockout."""

from __future__ import annotations

import html
import re

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.test import Client
from django.urls import reverse

from counterpoint.accounts.models import User
from tests.web.authenticator import Authenticator, passkey_added
from tests.web.conftest import World

PASSWORD = "a-long-test-passphrase"
DJANGO_WORDS = "This field is required"


def _page(response) -> str:
    return html.unescape(response.content.decode())


def _signed_in(user: User) -> Client:
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    client.force_login(user)  # a sign-in: a fresh confirmation for the sensitive pages
    return client


def _reset_link(client: Client, email: str) -> str:
    """The page the emailed reset link opens (where the new password is typed)."""
    client.post(reverse("accounts:password_reset"), {"email": email})
    link = re.search(r"http://\S+/account/password/reset/\S+/", mail.outbox[-1].body)  # type: ignore[arg-type]
    assert link is not None
    form_page = client.get("/" + link.group(0).split("/", 3)[3], follow=True)
    return form_page.redirect_chain[-1][0]


def _post_empty(world: World, form: str) -> tuple[str, int]:
    """Send ``form`` with its fields left empty, as a person in a hurry would; the page."""
    if form == "signup":
        response = Client().post(reverse("accounts:signup"), {"display_name": "   "})
    elif form == "sign in":
        response = Client().post(reverse("accounts:login"), {})
    elif form == "password reset":
        response = Client().post(reverse("accounts:password_reset"), {"email": ""})
    elif form == "new password":
        _signed_in(world.alice)
        client = Client()
        response = client.post(_reset_link(client, world.alice.email), {})
    elif form == "password change":
        response = _signed_in(world.alice).post(reverse("accounts:password_change"), {})
    elif form == "settings":
        response = _signed_in(world.alice).post(
            reverse("accounts:settings"), {"display_name": " ", "time_zone": "UTC"}
        )
    elif form == "delete account":
        response = _signed_in(world.alice).post(reverse("accounts:delete"), {})
    elif form == "confirm identity":
        response = _signed_in(world.alice).post(reverse("accounts:confirm"), {})
    elif form == "passkey name":
        alice = _signed_in(world.alice)
        key = passkey_added(alice, Authenticator(), "My phone")
        response = alice.post(reverse("accounts:passkey_rename", args=[key.pk]), {"name": " "})
    elif form == "authenticator app":
        alice = _signed_in(world.alice)
        alice.post(reverse("accounts:totp_start"))
        response = alice.post(reverse("accounts:totp_setup"), {"code": ""})
    elif form == "emergency reset":
        response = _signed_in(world.alice).post(reverse("safety:emergency_reset"), {})
    else:
        raise AssertionError(form)
    return _page(response), response.status_code


@pytest.mark.parametrize(
    ("form", "words"),
    [
        ("signup", ["Tell us what to call you.", "Please enter your email address.",
                    "Please choose a password."]),
        ("sign in", ["Please enter your email address.", "Please enter your password."]),
        ("password reset", ["Please enter your email address."]),
        ("new password", ["Please choose a new password.",
                          "Please type the new password a second time."]),
        ("password change", ["Please enter your current password.",
                             "Please choose a new password.",
                             "Please type the new password a second time."]),
        ("settings", ["Tell us what to call you."]),
        ("delete account", ['Type "delete my account" here to confirm.',
                            "Please enter your password."]),
        ("confirm identity", ["Please enter your password."]),
        ("passkey name", ["Give the passkey a name."]),
        ("authenticator app", ["Please enter the six digits your authenticator app shows now."]),
        ("emergency reset", ["Please choose a new password.",
                             "Please type the new password a second time."]),
    ],
)  # fmt: skip
def test_an_empty_account_field_says_what_to_write(
    world: World, form: str, words: list[str]
) -> None:
    page, status = _post_empty(world, form)
    assert status in {200, 400}, form
    for text in words:
        assert text in page, (form, text)
    assert DJANGO_WORDS not in page, form


def test_the_second_step_of_sign_in_asks_for_the_code_in_our_words(world: World) -> None:
    from tests.web.test_two_factor import _enrol

    _enrol(_signed_in(world.alice))
    client = Client()
    client.post(reverse("accounts:login"), {"username": world.alice.email, "password": PASSWORD})
    page = _page(client.post(reverse("accounts:login_code"), {"code": ""}))
    assert (
        "Please enter the code from your authenticator app, or one of your recovery codes." in page
    )
    assert DJANGO_WORDS not in page


def test_an_empty_password_at_sign_in_tells_nothing_about_the_account(world: World) -> None:
    """The same page for an address with an account and one without, and no lockout count."""
    _signed_in(world.alice)
    pages = []
    for email in (world.alice.email, "nobody@example.org"):
        response = Client().post(reverse("accounts:login"), {"username": email, "password": ""})
        assert response.status_code == 200
        page = re.sub(r"[A-Za-z0-9]{32,}", "TOKEN", _page(response))  # the CSRF tokens
        pages.append(page.replace(email, "EMAIL"))
    assert pages[0] == pages[1]
    assert "Please enter your password." in pages[0]
    assert "don't match an account" not in pages[0]
    assert not AccessAttempt.objects.exists()  # a form sent empty is not a wrong password


def test_a_refused_passkey_name_at_registration_says_why(world: World) -> None:
    """The page shows what the JSON says: the name's own error, not always the same sentence."""
    alice = _signed_in(world.alice)
    url = reverse("accounts:passkey_register")
    empty = alice.post(url, {"name": " ", "credential": "{}"})
    assert empty.status_code == 400 and empty.json() == {"error": "Give the passkey a name."}
    long = alice.post(url, {"name": "x" * 61, "credential": "{}"})
    assert long.status_code == 400 and "at most 60 characters" in long.json()["error"]
