"""Two-factor sign-in (authenticator app + recovery codes) and its alerts; passkey options.

Passkey ceremonies with a software authenticator are in test_passkeys.py."""

from __future__ import annotations

import json
import re
import time

import time_machine
from django.core import mail
from django.test import Client
from django.urls import reverse

from counterpoint.accounts.models import SignIn, User
from counterpoint.accounts.reauth import SESSION_KEY
from counterpoint.accounts.twofactor import two_factor_enabled
from tests.web.authenticator import app_code
from tests.web.conftest import World

PASSWORD = "a-long-test-passphrase"


def _signed_in(user: User) -> Client:
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    client.force_login(user)
    return client


def _enrol(client: Client) -> tuple[str, list[str]]:
    assert client.post(reverse("accounts:totp_start")).status_code == 302
    page = client.get(reverse("accounts:totp_setup")).content.decode()
    secret = re.search(r'id="totp-secret" class="secret">([A-Z2-7 ]+)<', page).group(1)  # type: ignore[union-attr]
    assert "<svg" in page  # the QR code, drawn on the server
    response = client.post(reverse("accounts:totp_setup"), {"code": app_code(secret)})
    assert response.status_code == 200
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", response.content.decode())
    return secret, codes


def _password_step(email: str) -> Client:
    client = Client()
    response = client.post(reverse("accounts:login"), {"username": email, "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login_code")
    return client


def test_enrolment_turns_two_factor_on_and_shows_ten_recovery_codes(
    world: World, django_capture_on_commit_callbacks
) -> None:
    client = _signed_in(world.alice)
    with django_capture_on_commit_callbacks(execute=True):
        _secret, codes = _enrol(client)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert two_factor_enabled(world.alice)
    assert [m.subject for m in mail.outbox] == ["Two-factor sign-in is now on"]
    assert all(code not in mail.outbox[0].body for code in codes)


def test_a_wrong_code_at_enrolment_changes_nothing(world: World) -> None:
    client = _signed_in(world.alice)
    client.post(reverse("accounts:totp_start"))
    response = client.post(reverse("accounts:totp_setup"), {"code": "000000"})
    assert response.status_code == 200 and "not right" in response.content.decode()
    assert not two_factor_enabled(world.alice)


def test_sign_in_needs_the_code_after_the_password(world: World) -> None:
    secret, _codes = _enrol(_signed_in(world.alice))
    client = _password_step(world.alice.email)
    assert client.get(reverse("pages:home")).status_code == 302  # not signed in yet
    wrong = client.post(reverse("accounts:login_code"), {"code": "123456"})
    assert wrong.status_code == 200 and "not right" in wrong.content.decode()
    # Half a minute later (the code used at enrolment cannot be used again).
    with time_machine.travel(time.time() + 30):
        code = app_code(secret)
        right = client.post(reverse("accounts:login_code"), {"code": code})
        assert right.status_code == 302
        assert client.get(reverse("pages:home")).status_code == 200
        assert SignIn.objects.filter(user=world.alice).exists()

        again = _password_step(world.alice.email)
        replay = again.post(reverse("accounts:login_code"), {"code": code})
        assert replay.status_code == 200  # a code works once
        assert again.get(reverse("pages:home")).status_code == 302


def test_a_recovery_code_signs_in_once(world: World) -> None:
    _secret, codes = _enrol(_signed_in(world.alice))
    first = _password_step(world.alice.email)
    assert first.post(reverse("accounts:login_code"), {"code": codes[0].upper()}).status_code == 302
    second = _password_step(world.alice.email)
    assert second.post(reverse("accounts:login_code"), {"code": codes[0]}).status_code == 200


def test_five_wrong_codes_end_the_attempt(world: World) -> None:
    _enrol(_signed_in(world.alice))
    client = _password_step(world.alice.email)
    for _ in range(4):
        assert client.post(reverse("accounts:login_code"), {"code": "nope"}).status_code == 200
    response = client.post(reverse("accounts:login_code"), {"code": "nope"})
    assert response["Location"] == reverse("accounts:login")
    assert client.get(reverse("accounts:login_code"))["Location"] == reverse("accounts:login")


def test_confirming_identity_needs_the_code_too(world: World) -> None:
    client = _signed_in(world.alice)
    _secret, codes = _enrol(client)
    session = client.session
    session[SESSION_KEY] = int(time.time()) - 3600
    session.save()
    url = reverse("accounts:confirm") + "?next=/account/data/"
    assert client.post(url, {"password": PASSWORD}).status_code == 200
    response = client.post(url, {"password": PASSWORD, "code": codes[1]})
    assert response.status_code == 302 and response["Location"] == "/account/data/"


def test_turning_off_and_new_codes_send_alerts_without_codes(
    world: World, django_capture_on_commit_callbacks
) -> None:
    client = _signed_in(world.alice)
    _enrol(client)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(reverse("accounts:recovery_codes")).content.decode()
        client.post(reverse("accounts:two_factor_disable"))
    new_codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page)
    assert len(new_codes) == 10
    assert [m.subject for m in mail.outbox] == [
        "New recovery codes were made",
        "Two-factor sign-in was turned off",
    ]
    assert not any(code in m.body for m in mail.outbox for code in new_codes)
    assert not two_factor_enabled(world.alice)


def test_passkey_options_are_bound_to_this_site_and_garbage_never_signs_in(world: World) -> None:
    client = _signed_in(world.alice)
    options = json.loads(client.post(reverse("accounts:passkey_register_options")).content)
    assert options["rp"]["id"] == "testserver"
    assert options["authenticatorSelection"]["userVerification"] == "required"
    anon = Client()
    sign_in = json.loads(anon.post(reverse("accounts:passkey_sign_in_options")).content)
    assert sign_in["rpId"] == "testserver" and sign_in["challenge"]
    forged = json.dumps({"id": "AAAA", "rawId": "AAAA", "type": "public-key", "response": {}})
    response = anon.post(reverse("accounts:passkey_sign_in"), {"credential": forged})
    assert response.status_code == 400
    assert anon.get(reverse("pages:home")).status_code == 302
    # without a fresh challenge, even a well-formed answer is refused
    assert anon.post(reverse("accounts:passkey_sign_in"), {"credential": forged}).status_code == 400
