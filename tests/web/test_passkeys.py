"""Passkeys through the app's own views, answered by a software authenticator
(tests/web/authenticator.py): adding one, signing in with one, and what each kind of person can
do with an answer that is not theirs, replayed, cloned or malformed.

Alice (A) and Bob (B) are partners, Carol (C) is in another couple; ``anon`` is a signed-out
browser. Race tests (two requests at the same instant) are in test_passkey_races.py.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import cbor2
import pytest
import time_machine
from django.contrib.sessions.models import Session
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from hypothesis import example, given
from hypothesis import strategies as st

from counterpoint.accounts.models import Passkey, SignIn, User
from tests.web.authenticator import (
    Authenticator,
    Refused,
    app_code,
    b64url,
    from_b64url,
    passkey_added,
    register,
    registration_options,
    sign_in,
    sign_in_answer,
    sign_in_options,
)
from tests.web.conftest import World
from tests.web.garbage import Watch, fixed_examples

PASSWORD = "a-long-test-passphrase"


def _signed_in_user(client: Client) -> int | None:
    value = client.session.get("_auth_user_id")
    return None if value is None else int(value)


def _subjects() -> list[str]:
    return [str(m.subject) for m in mail.outbox]


# -- signing in ------------------------------------------------------------------------------------


def test_a_passkey_signs_in_and_lands_at_home(
    world: World, django_capture_on_commit_callbacks
) -> None:
    device = Authenticator()
    key = passkey_added(world.client_for("A"), device, "Alice's phone")
    mail.outbox.clear()
    anon = Client()
    options = sign_in_options(anon)
    assert options["rpId"] == "testserver" and options["userVerification"] == "required"
    assert options.get("allowCredentials", []) == []  # discoverable: the device says who
    waiting_key = anon.session.session_key
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_in_answer(anon, device.get(options))
    assert response.status_code == 200 and response.json() == {"redirect": reverse("pages:home")}
    assert _signed_in_user(anon) == world.alice.pk
    assert anon.session.session_key != waiting_key  # the session key rotates at sign-in
    assert anon.get(reverse("pages:home")).status_code == 200
    assert SignIn.objects.filter(user=world.alice, session_key=anon.session.session_key).exists()
    assert _subjects() == ["New sign-in to your Counterpoint account"]
    key.refresh_from_db()
    assert key.sign_count == 1 and key.last_used_at is not None


def test_a_passkey_takes_the_person_where_they_were_going_on_this_site_only(world: World) -> None:
    device = Authenticator()
    passkey_added(world.client_for("A"), device)
    for next_url, lands in [("/journal/", "/journal/"), ("//evil.example/", "/home/")]:
        anon = Client()
        answer = device.get(sign_in_options(anon))
        assert sign_in_answer(anon, answer, next_url).json() == {"redirect": lands}


@pytest.mark.parametrize("counts", [True, False], ids=["counting", "synced (always 0)"])
def test_an_answer_signs_in_once(world: World, counts: bool) -> None:
    device = Authenticator(counts=counts)
    passkey_added(world.client_for("A"), device)
    first = Client()
    answer = device.get(sign_in_options(first))
    assert sign_in_answer(first, answer).status_code == 200
    # The same answer again: the challenge it signed was used up...
    assert sign_in_answer(first, answer).status_code == 400
    # ...and a new challenge is not the one it signed.
    other = Client()
    sign_in_options(other)
    response = sign_in_answer(other, answer)
    assert response.status_code == 400 and "password instead" in response.json()["error"]
    assert _signed_in_user(other) is None
    # The device itself signs in again with a fresh answer (a synced passkey always says 0).
    assert sign_in(Client(), device).status_code == 200


def test_an_answer_to_another_browsers_challenge_is_refused(world: World) -> None:
    device = Authenticator()
    passkey_added(world.client_for("A"), device)
    person, stranger = Client(), Client()
    answer = device.get(sign_in_options(person))
    sign_in_options(stranger)
    assert sign_in_answer(stranger, answer).status_code == 400
    assert _signed_in_user(stranger) is None
    assert sign_in_answer(person, answer).status_code == 200  # still the person's to use


def test_a_copied_passkey_stops_signing_in_and_the_owner_is_told(
    world: World, django_capture_on_commit_callbacks
) -> None:
    """A device counts its uses; a copy does not know them. Refusing only the copy's first try
    would not do: its next answer counts past the device's. So the passkey goes, for both."""
    device = Authenticator()
    key = passkey_added(world.client_for("A"), device, "Alice's phone")
    copy = device.clone()
    assert sign_in(Client(), device).status_code == 200  # count 1
    mail.outbox.clear()
    thief = Client()
    with django_capture_on_commit_callbacks(execute=True):
        response = sign_in(thief, copy)  # count 1 again
    assert response.status_code == 400 and _signed_in_user(thief) is None
    assert _subjects() == ["A passkey may have been copied"]
    assert "Alice" not in mail.outbox[0].body
    assert not Passkey.objects.filter(pk=key.pk).exists()
    assert sign_in(Client(), copy).status_code == 400  # count 2 would have passed
    assert sign_in(Client(), device).status_code == 400
    page = world.client_for("A").get(reverse("accounts:two_factor")).content.decode()
    assert "No passkeys yet." in page  # the owner adds it again after signing in


def test_a_lower_count_without_the_keys_signature_alerts_nobody(
    world: World, django_capture_on_commit_callbacks
) -> None:
    """Only a real signature can say "copied": anyone can write a count into a forged answer."""
    device = Authenticator()
    passkey_added(world.client_for("A"), device)
    assert sign_in(Client(), device).status_code == 200
    mail.outbox.clear()
    forger = Client()
    answer = json.loads(device.get(sign_in_options(forger)))
    auth_data = from_b64url(answer["response"]["authenticatorData"])
    answer["response"]["authenticatorData"] = b64url(auth_data[:33] + bytes(4))  # count 0
    with django_capture_on_commit_callbacks(execute=True):
        assert sign_in_answer(forger, json.dumps(answer)).status_code == 400
    assert mail.outbox == []
    assert sign_in(Client(), device).status_code == 200  # the passkey was not taken for a copy


def test_a_removed_passkey_no_longer_signs_in(
    world: World, django_capture_on_commit_callbacks
) -> None:
    alice = world.client_for("A")
    device = Authenticator()
    key = passkey_added(alice, device)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = alice.post(reverse("accounts:passkey_remove", args=[key.pk]))
    assert response.status_code == 302
    assert _subjects() == ["A passkey was removed"]
    anon = Client()
    assert sign_in(anon, device).status_code == 400 and _signed_in_user(anon) is None


def _deactivated(world: World, alice: Client) -> None:
    User.objects.filter(pk=world.alice.pk).update(is_active=False)  # what the operator does


def _deleted(world: World, alice: Client) -> None:
    data = {"confirm": "delete my account", "password": PASSWORD}
    assert alice.post(reverse("accounts:delete"), data).status_code == 302
    assert not User.objects.filter(pk=world.alice.pk).exists()


@pytest.mark.parametrize("ended", [_deactivated, _deleted], ids=["deactivated", "deleted"])
def test_the_passkey_of_an_account_that_ended_does_not_sign_in(world: World, ended: Any) -> None:
    world.alice.set_password(PASSWORD)
    world.alice.save()
    alice = world.client_for("A")
    device = Authenticator()
    passkey_added(alice, device)
    ended(world, alice)
    anon = Client()
    assert sign_in(anon, device).status_code == 400 and _signed_in_user(anon) is None


def test_the_partners_passkey_cannot_answer_for_the_other_account(world: World) -> None:
    alices, bobs = Authenticator(), Authenticator()
    alice_key = passkey_added(world.client_for("A"), alices)
    passkey_added(world.client_for("B"), bobs)
    alice_handle = b64url(alices.credentials[0].user_handle)

    def bob_answers(**changes: Any) -> Client:
        client = Client()
        answer = json.loads(bobs.get(sign_in_options(client)))
        answer.update(changes.pop("top", {}))
        answer["response"].update(changes)
        assert sign_in_answer(client, json.dumps(answer)).status_code == 400, changes
        return client

    # Bob's signature with Alice's user handle, or under Alice's credential id.
    assert _signed_in_user(bob_answers(userHandle=alice_handle)) is None
    ids = {"id": alice_key.credential_id, "rawId": alice_key.credential_id}
    assert _signed_in_user(bob_answers(top=ids)) is None
    # A discoverable passkey always says whose it is: an answer without it is refused.
    assert _signed_in_user(bob_answers(userHandle=None)) is None
    assert sign_in(Client(), bobs).status_code == 200  # Bob's own answer signs Bob in


def test_a_passkey_signs_in_while_wrong_passwords_pause_password_sign_in(
    world: World, settings
) -> None:
    """The pause stops guessing passwords; a passkey cannot be guessed, so the owner gets in, and
    that sign-in ends the pause as a right password would (AXES_RESET_ON_SUCCESS)."""
    settings.AXES_FAILURE_LIMIT = 2
    world.alice.set_password(PASSWORD)
    world.alice.save()
    device = Authenticator()
    passkey_added(world.client_for("A"), device)
    login = reverse("accounts:login")
    for _ in range(2):
        Client().post(login, {"username": world.alice.email, "password": "wrong-wrong-wrong"})
    paused = {"username": world.alice.email, "password": PASSWORD}
    assert Client().post(login, paused).status_code == 429
    assert sign_in(Client(), device).status_code == 200
    assert Client().post(login, paused).status_code == 302


# -- what a sign-in with a passkey carries along ----------------------------------------------------


def _totp_on(client: Client) -> None:
    """Turn on an authenticator app through the pages (as test_two_factor.py does)."""
    client.post(reverse("accounts:totp_start"))
    page = client.get(reverse("accounts:totp_setup")).content.decode()
    found = re.search(r'id="totp-secret" class="secret">([A-Z2-7 ]+)<', page)
    assert found is not None
    assert (
        client.post(reverse("accounts:totp_setup"), {"code": app_code(found[1])}).status_code == 200
    )


def test_a_passkey_ends_a_half_done_password_sign_in(world: World) -> None:
    """A passkey with the screen lock counts as both factors: no code is asked, and the password
    step someone left waiting for a code in this browser is over."""
    for person in (world.alice, world.bob):
        person.set_password(PASSWORD)
        person.save()
    for who in ("A", "B"):
        _totp_on(world.client_for(who))
    device = Authenticator()
    passkey_added(world.client_for("A"), device)
    shared = Client()
    data = {"username": world.bob.email, "password": PASSWORD}
    assert shared.post(reverse("accounts:login"), data)["Location"] == reverse(
        "accounts:login_code"
    )
    assert sign_in(shared, device).status_code == 200
    assert _signed_in_user(shared) == world.alice.pk
    # Bob's waiting step is gone: the code page sends the browser to sign in again.
    assert shared.get(reverse("accounts:login_code"))["Location"] == reverse("accounts:login")


@pytest.mark.parametrize("how", ["passkey", "password"])
def test_a_visitors_waiting_session_lasts_minutes_and_a_sign_in_its_full_time(
    world: World, how: str, settings
) -> None:
    """Anyone can ask for a challenge, and each one was a session row kept for 30 days."""
    world.alice.set_password(PASSWORD)
    world.alice.save()
    device = Authenticator()
    passkey_added(world.client_for("A"), device)
    visitor = Client()
    answer = device.get(sign_in_options(visitor))
    waiting = Session.objects.get(session_key=visitor.session.session_key)
    assert waiting.expire_date <= timezone.now() + dt.timedelta(minutes=5)
    if how == "passkey":
        assert sign_in_answer(visitor, answer).status_code == 200
    else:  # the same browser signs in with the password instead
        data = {"username": world.alice.email, "password": PASSWORD}
        assert visitor.post(reverse("accounts:login"), data).status_code == 302
    signed_in = Session.objects.get(session_key=visitor.session.session_key)
    lifetime = dt.timedelta(seconds=settings.SESSION_COOKIE_AGE)
    assert signed_in.expire_date >= timezone.now() + lifetime - dt.timedelta(minutes=1)


def test_sign_out_everywhere_ends_a_passkey_session(world: World) -> None:
    device = Authenticator()
    passkey_added(world.client_for("A"), device)
    phone = Client()
    assert sign_in(phone, device).status_code == 200
    world.client_for("A").post(reverse("accounts:sign_out_everywhere"))
    assert phone.get(reverse("pages:home")).status_code == 302
    assert sign_in(Client(), device).status_code == 200  # the passkey itself still works


# -- adding and removing ------------------------------------------------------------------------------


def test_adding_a_passkey_tells_the_owner_without_its_name(
    world: World, django_capture_on_commit_callbacks
) -> None:
    alice = world.client_for("A")
    with django_capture_on_commit_callbacks(execute=True):
        key = passkey_added(alice, Authenticator(), "Kitchen tablet")
    assert (key.user, key.name, key.sign_count) == (world.alice, "Kitchen tablet", 0)
    assert _subjects() == ["A new passkey was added"]
    assert "Kitchen tablet" not in mail.outbox[0].body
    assert "Kitchen tablet" in alice.get(reverse("accounts:two_factor")).content.decode()


def test_the_exclude_list_names_this_accounts_passkeys_only(world: World) -> None:
    alice, bob = world.client_for("A"), world.client_for("B")
    phone, laptop = Authenticator(), Authenticator()
    keys = {passkey_added(alice, phone).credential_id, passkey_added(alice, laptop).credential_id}
    options = registration_options(alice)
    assert {c["id"] for c in options["excludeCredentials"]} == keys
    with pytest.raises(Refused):  # the browser says this device has one already
        phone.create(options)
    assert registration_options(bob)["excludeCredentials"] == []
    passkey_added(bob, phone)  # Bob's passkey on the same (shared) phone is Bob's own


@pytest.mark.parametrize("who", ["A", "B"])
def test_the_same_credential_cannot_be_added_twice(
    world: World, who: str, django_capture_on_commit_callbacks
) -> None:
    """A device that ignores the exclude list, or claims the id of someone else's credential."""
    device = Authenticator()
    passkey_added(world.client_for("A"), device)
    taken = device.credentials[0].id
    client = world.client_for(who)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        answer = Authenticator().create(registration_options(client), credential_id=taken)
        response = register(client, answer)
    assert response.status_code == 400 and response.json()["error"]
    assert Passkey.objects.filter(credential_id=b64url(taken)).get().user == world.alice
    assert mail.outbox == []
    assert sign_in(Client(), device).status_code == 200  # Alice's passkey is still Alice's


@pytest.mark.parametrize("other", ["B", "C"])
def test_nobody_sees_or_removes_someone_elses_passkey(world: World, other: str) -> None:
    alice = world.client_for("A")
    device = Authenticator()
    key = passkey_added(alice, device, "Alice's phone")
    client = world.client_for(other)
    page = client.get(reverse("accounts:two_factor")).content.decode()
    assert "Alice&#x27;s phone" not in page and "Alice's phone" not in page
    assert "No passkeys yet." in page
    assert reverse("accounts:passkey_remove", args=[key.pk]) not in page
    assert client.post(reverse("accounts:passkey_remove", args=[key.pk])).status_code == 404
    assert Passkey.objects.filter(pk=key.pk).exists()
    assert sign_in(Client(), device).status_code == 200


def test_a_passkey_made_for_another_site_is_refused(world: World) -> None:
    alice = world.client_for("A")
    phishing = Authenticator(origin="https://counterpoint.example.net")
    assert register(alice, phishing.create(registration_options(alice))).status_code == 400
    device = Authenticator()
    passkey_added(alice, device)
    device.origin = "https://counterpoint.example.net"  # a look-alike site relays the challenge
    anon = Client()
    assert sign_in(anon, device).status_code == 400 and _signed_in_user(anon) is None


# -- malformed answers ------------------------------------------------------------------------------
# Each is made from a real answer with one part broken, so it gets past the parts before it; a
# case's function returns what is sent (text as it is, anything else as JSON).

Answer = dict[str, Any]


def _with(answer: Answer, **response: Any) -> Answer:
    """``answer`` with parts of its ``response`` changed (``None``: left out)."""
    changed = {**answer["response"], **response}
    return {**answer, "response": {k: v for k, v in changed.items() if v is not None}}


def _attestation(answer: Answer) -> dict[str, Any]:
    return cbor2.loads(from_b64url(answer["response"]["attestationObject"]))


def _with_attestation(answer: Answer, **parts: Any) -> Answer:
    encoded = cbor2.dumps({**_attestation(answer), **parts})
    return _with(answer, attestationObject=b64url(encoded))


def _key_at(auth_data: bytes) -> int:
    """Where the COSE key starts: after rpIdHash, flags, count, AAGUID, id length and the id."""
    return 55 + int.from_bytes(auth_data[53:55], "big")


def _with_key(answer: Answer, key: Any) -> Answer:
    """``answer`` claiming ``key`` (a COSE map, or anything) as the credential's public key."""
    auth_data = _attestation(answer)["authData"]
    return _with_attestation(answer, authData=auth_data[: _key_at(auth_data)] + cbor2.dumps(key))


def _key(answer: Answer) -> dict[int, Any]:
    auth_data = _attestation(answer)["authData"]
    return cbor2.loads(auth_data[_key_at(auth_data) :])


def _off_curve(answer: Answer) -> Answer:
    """The key with the last bit of its y flipped: a point off the P-256 curve."""
    key = _key(answer)
    return _with_key(answer, key | {-3: key[-3][:-1] + bytes([key[-3][-1] ^ 1])})


SIGN_IN_BROKEN: dict[str, Any] = {
    "response is a list": lambda a: {**a, "response": []},
    "response is text": lambda a: {**a, "response": "x"},
    "no signature": lambda a: _with(a, signature=None),
    "signature is a number": lambda a: _with(a, signature=7),
    "user handle is a number": lambda a: _with(a, userHandle=7),
    "user handle is a list": lambda a: _with(a, userHandle=["a"]),
    "user handle is not base64url": lambda a: _with(a, userHandle="é"),
    "user handle is huge": lambda a: _with(a, userHandle="A" * 100_000),
    "client data is not base64url": lambda a: _with(a, clientDataJSON="é"),
    "client data is not JSON": lambda a: _with(a, clientDataJSON=b64url(b"{")),
    "client data is a list": lambda a: _with(a, clientDataJSON=b64url(b"[]")),
    "client data has no challenge": lambda a: _with(
        a, clientDataJSON=b64url(b'{"type": "webauthn.get"}')
    ),
    "authenticator data is short": lambda a: _with(a, authenticatorData=b64url(b"x" * 10)),
    "authenticator data is empty": lambda a: _with(a, authenticatorData=""),
    "type is a number": lambda a: {**a, "type": 1},
    "id is a number": lambda a: {**a, "id": 1},
    "no rawId": lambda a: {k: v for k, v in a.items() if k != "rawId"},
    "id and rawId differ": lambda a: {**a, "rawId": b64url(b"other")},
    "a list": lambda a: [1, 2],
    "empty": lambda a: {},
    "not JSON": lambda a: "{",
}


def _sent(answer: str, broken: Any) -> str:
    value = broken(json.loads(answer))
    return value if isinstance(value, str) else json.dumps(value)


def _nothing_written(send: Any) -> Any:
    watch = Watch()
    with connection.execute_wrapper(watch):
        response = send()
    assert not watch.tables, watch.tables
    return response


@pytest.mark.parametrize("how", list(SIGN_IN_BROKEN))
def test_a_malformed_sign_in_answer_is_a_clear_400_and_changes_nothing(
    world: World, how: str
) -> None:
    device = Authenticator()
    key = passkey_added(world.client_for("A"), device)
    anon = Client(raise_request_exception=False)
    answer = _sent(device.get(sign_in_options(anon)), SIGN_IN_BROKEN[how])
    mail.outbox.clear()
    response = _nothing_written(lambda: sign_in_answer(anon, answer))
    assert response.status_code == 400 and response.json()["error"]
    assert _signed_in_user(anon) is None and mail.outbox == []
    assert Passkey.objects.get(pk=key.pk).sign_count == 0


REGISTER_BROKEN: dict[str, Any] = {
    "response is a list": lambda a: {**a, "response": []},
    "response is text": lambda a: {**a, "response": "x"},
    "no attestation object": lambda a: _with(a, attestationObject=None),
    "attestation object is a number": lambda a: _with(a, attestationObject=7),
    "attestation object is not CBOR": lambda a: _with(a, attestationObject=b64url(b"\xff\xff")),
    "attestation object is a CBOR list": lambda a: _with(a, attestationObject=b64url(b"\x80")),
    "attestation object is an empty map": lambda a: _with(a, attestationObject=b64url(b"\xa0")),
    "attestation object is empty": lambda a: _with(a, attestationObject=""),
    "attestation statement is a list": lambda a: _with_attestation(a, fmt="packed", attStmt=[]),
    "format is a number": lambda a: _with_attestation(a, fmt=7),
    "authenticator data is a number": lambda a: _with_attestation(a, authData=7),
    "key is a list": lambda a: _with_key(a, [1, 2]),
    "key is a number": lambda a: _with_key(a, 7),
    "key has no type": lambda a: _with_key(a, {k: v for k, v in _key(a).items() if k != 1}),
    "key has no y": lambda a: _with_key(a, {k: v for k, v in _key(a).items() if k != -3}),
    "key is off its curve": _off_curve,
    "key is on no known curve": lambda a: _with_key(a, _key(a) | {-1: 99}),
    "key's x and y are numbers": lambda a: _with_key(a, _key(a) | {-2: 5, -3: 6}),
    "key is an OKP key with ES256": lambda a: _with_key(a, _key(a) | {1: 1}),
    "client data is not base64url": lambda a: _with(a, clientDataJSON="é"),
    "client data is a list": lambda a: _with(a, clientDataJSON=b64url(b"[]")),
    "type is a list": lambda a: {**a, "type": []},
    "id is a number": lambda a: {**a, "id": 1},
    "a list": lambda a: ["AAAA"],
    "empty": lambda a: {},
    "nothing": lambda a: "",
}


@pytest.mark.parametrize("how", list(REGISTER_BROKEN))
def test_a_malformed_registration_is_a_clear_400_and_changes_nothing(
    world: World, how: str
) -> None:
    alice = world.client_for("A")
    alice.raise_request_exception = False
    answer = _sent(Authenticator().create(registration_options(alice)), REGISTER_BROKEN[how])
    mail.outbox.clear()
    response = _nothing_written(lambda: register(alice, answer))
    assert response.status_code == 400 and response.json()["error"]
    assert not Passkey.objects.exists() and mail.outbox == []


CBOR = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats()
    | st.binary(max_size=40)
    | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(
            st.integers(-4, 4) | st.sampled_from(["alg", "sig", "x5c"]), inner, max_size=4
        )
    ),
    max_leaves=8,
)


@fixed_examples(40)
@example(part="key", value=[])  # found by a longer run: an IndexError inside the verifier
@given(part=st.sampled_from(["fmt", "attStmt", "authData", "key"]), value=CBOR)
def test_no_attestation_object_is_a_server_error(world: World, part: str, value: Any) -> None:
    """Any CBOR in any part of the attestation object is refused with a reason (or, were it
    valid, added): what the verifier raises on the way is never a 500."""
    alice = world.client_for("A")
    alice.raise_request_exception = False
    answer = json.loads(Authenticator().create(registration_options(alice)))
    broken = (
        _with_key(answer, value) if part == "key" else _with_attestation(answer, **{part: value})
    )
    response = register(alice, json.dumps(broken))
    assert response.status_code in (200, 400), (part, value, response.content)
    assert response.status_code == 200 or response.json()["error"]


def test_a_credential_id_longer_than_webauthn_allows_is_refused(world: World) -> None:
    """WebAuthn ids are at most 1,023 bytes. Longer ones were stored, and on PostgreSQL one past
    1,050 bytes (1,400 characters of base64url, the column's length) was a 500."""
    alice = world.client_for("A")
    alice.raise_request_exception = False
    for size, status in [(1100, 400), (1024, 400), (1023, 200)]:
        answer = Authenticator().create(registration_options(alice), credential_id=b"i" * size)
        response = register(alice, answer)
        assert response.status_code == status, (size, response.content)
    assert Passkey.objects.filter(user=world.alice).count() == 1


def test_a_challenge_is_good_for_minutes_not_for_the_sessions_thirty_days(
    world: World, settings
) -> None:
    """A challenge left in a signed-in session (a registration begun and dropped) is not answerable
    weeks later; one answered within the minutes the browser was told is."""
    settings.REAUTH_MAX_AGE_SECONDS = 3600  # this is about the challenge, not the confirmation
    alice = world.client_for("A")
    late = Authenticator().create(registration_options(alice))
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=6), tick=False):
        assert register(alice, late).status_code == 400
        assert not Passkey.objects.filter(user=world.alice).exists()
        options = registration_options(alice)
        assert options["timeout"] == 300_000  # what the browser is told is what is kept
        device = Authenticator()
        in_time = device.create(options)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=10), tick=False):
        assert register(alice, in_time).status_code == 200
    visitor = Client()
    answer = device.get(sign_in_options(visitor))
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=4), tick=False):
        assert sign_in_answer(visitor, answer).status_code == 200


def test_a_passkey_is_renamed_from_the_list_and_still_signs_in(world: World) -> None:
    alice = world.client_for("A")
    device = Authenticator()
    key = passkey_added(alice, device, "My phone")
    rename_url = reverse("accounts:passkey_rename", args=[key.pk])
    assert f'href="{rename_url}"' in alice.get(reverse("accounts:two_factor")).content.decode()
    form = alice.get(rename_url)
    assert form.status_code == 200 and 'value="My phone"' in form.content.decode()
    saved = alice.post(rename_url, {"name": "  Work laptop  "}, follow=True)
    assert "The passkey is renamed." in saved.content.decode()
    assert "Work laptop" in saved.content.decode()
    assert Passkey.objects.get(pk=key.pk).name == "Work laptop"
    assert sign_in(Client(), device).status_code == 200


@pytest.mark.parametrize(
    "name, message",
    [("", "Give the passkey a name."), ("   ", "Give the passkey a name."),
     ("x" * 61, "at most 60 characters"), ("a\x00b", "Null characters are not allowed.")],
)  # fmt: skip
def test_a_bad_passkey_name_is_refused_and_the_old_one_kept(
    world: World, name: str, message: str
) -> None:
    alice = world.client_for("A")
    key = passkey_added(alice, Authenticator(), "My phone")
    response = alice.post(reverse("accounts:passkey_rename", args=[key.pk]), {"name": name})
    assert response.status_code == 400 and message in response.content.decode()
    assert Passkey.objects.get(pk=key.pk).name == "My phone"


@pytest.mark.parametrize("other", ["B", "C"])
def test_nobody_renames_someone_elses_passkey(world: World, other: str) -> None:
    key = passkey_added(world.client_for("A"), Authenticator(), "Alice's phone")
    client = world.client_for(other)
    url = reverse("accounts:passkey_rename", args=[key.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"name": "Not yours"}).status_code == 404
    assert Passkey.objects.get(pk=key.pk).name == "Alice's phone"


def test_renaming_a_passkey_asks_for_the_password_again_after_a_while(
    world: World, settings: Any
) -> None:
    alice = world.client_for("A")
    key = passkey_added(alice, Authenticator(), "My phone")
    settings.REAUTH_MAX_AGE_SECONDS = 300
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=10), tick=False):
        response = alice.post(reverse("accounts:passkey_rename", args=[key.pk]), {"name": "Taken"})
    # not carried out: the confirm page asks for the password, carrying the new name along
    page = response.content.decode()
    assert response.status_code == 200 and 'type="password"' in page and 'value="Taken"' in page
    assert Passkey.objects.get(pk=key.pk).name == "My phone"
