"""Sign-up, sign-in, throttling, sessions, password reset, settings."""

from __future__ import annotations

import re

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.core import mail
from django.test import Client

from counterpoint.accounts.models import PendingSignup, SignIn, User
from tests.factories import make_user, signup_link_path

pytestmark = pytest.mark.django_db


def _signup(client: Client, **overrides: str):
    data = {
        "display_name": "Robin",
        "email": "robin@example.org",
        "password": "correct horse battery",
        "time_zone": "Europe/Berlin",
    }
    data.update(overrides)
    return client.post("/account/signup/", data)


def _confirm(client: Client, email: str = "robin@example.org"):
    """Open the link from the sign-up email and press its button."""
    return client.post(signup_link_path(email))


def test_it_signs_up_and_signs_in() -> None:
    client = Client()
    response = _signup(client)
    assert response.status_code == 302
    assert not User.objects.exists()  # nothing until the address is confirmed
    response = _confirm(client)
    assert response.status_code == 302 and response["Location"] == "/home/"
    user = User.objects.get(email="robin@example.org")
    assert user.display_name == "Robin"
    assert user.time_zone == "Europe/Berlin"
    assert client.session[SESSION_KEY] == str(user.pk)
    assert SignIn.objects.filter(user=user).count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "not-an-email", "Enter a valid email address."),
        ("email", "", "Please enter your email address."),
        ("password", "short", "at least 10 characters"),
        ("password", "password123", "too common"),
        ("password", "12345678901234", "entirely numeric"),
        ("display_name", "   ", "Tell us what to call you."),
    ],
)
def test_signup_rejects_bad_input_with_a_clear_message(
    field: str, value: str, message: str
) -> None:
    response = _signup(Client(), **{field: value})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not User.objects.exists()
    assert not PendingSignup.objects.exists()
    assert not mail.outbox


def test_signup_with_an_unknown_time_zone_uses_utc() -> None:
    """The zone comes from the browser in a hidden field: a bad one is not the person's error."""
    client = Client()
    _signup(client, time_zone="Mars/Olympus")
    _confirm(client)
    assert User.objects.get().time_zone == "UTC"


def test_a_later_visit_can_switch_to_the_devices_time_zone() -> None:
    person = make_user("tz@example.org", "Tz", tz="Europe/Berlin")
    client = Client()
    client.force_login(person)
    page = client.get("/home/").content.decode()
    assert 'id="tz-offer"' in page and 'data-current="Europe/Berlin"' in page
    response = client.post(
        "/account/time-zone/", {"time_zone": "America/New_York", "next": "/home/"}
    )
    assert response.status_code == 302 and response["Location"] == "/home/"
    person.refresh_from_db()
    assert person.time_zone == "America/New_York"
    client.post("/account/time-zone/", {"time_zone": "Nowhere/Else"})
    person.refresh_from_db()
    assert person.time_zone == "America/New_York"  # refused, nothing changed


def test_passwords_are_hashed_with_argon2_by_default() -> None:
    assert (
        django_settings.PASSWORD_HASHERS
    )  # the test hasher is overridden per test; read the module
    from counterpoint import settings as base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"


def test_login_rotates_the_session_key_and_emails_the_owner() -> None:
    make_user("kim@example.org", "Kim", password="a long passphrase")
    client = Client()
    client.get("/account/login/")
    client.cookies[django_settings.SESSION_COOKIE_NAME] = "x" * 32
    before = client.session.session_key
    response = client.post(
        "/account/login/",
        {"username": "kim@example.org", "password": "a long passphrase"},
        HTTP_USER_AGENT=ANDROID_CHROME,
    )
    assert response.status_code == 302
    assert client.session.session_key != before
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["kim@example.org"]
    # The device in words, not the raw User-Agent string.
    assert "from Chrome on Android." in mail.outbox[0].body
    assert "Mozilla" not in mail.outbox[0].body
    page = client.get("/account/security/").content.decode()
    assert "Chrome on Android" in page and "Mozilla" not in page


ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Mobile Safari/537.36"
)


@pytest.mark.parametrize(
    ("agent", "words"),
    [
        (ANDROID_CHROME, "Chrome on Android"),
        (
            "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
            "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1",
            "Safari on iPhone",
        ),
        (
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
            "Chrome/131.0.0.0 Safari/537.36 Edg/131.0.0.0",
            "Edge on Windows",
        ),
        (
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 14.5; rv:132.0) Gecko/20100101 Firefox/132.0",
            "Firefox on Mac",
        ),
        (
            "Mozilla/5.0 (Linux; Android 14; SM-S921B) AppleWebKit/537.36 (KHTML, like Gecko) "
            "SamsungBrowser/26.0 Chrome/122.0.0.0 Mobile Safari/537.36",
            "Samsung Internet on Android",
        ),
        ("", "an unknown device"),
        ("curl/8.5.0", "an unknown device"),
    ],
)
def test_devices_are_named_in_plain_words(agent: str, words: str) -> None:
    from counterpoint.accounts.devices import device_name

    assert device_name(agent) == words


def test_wrong_password_gives_one_clear_message() -> None:
    make_user("kim@example.org", "Kim", password="a long passphrase")
    response = Client().post("/account/login/", {"username": "kim@example.org", "password": "nope"})
    assert response.status_code == 200
    assert "don&#x27;t match an account" in response.content.decode()


def test_login_is_throttled_after_repeated_failures() -> None:
    make_user("kim@example.org", "Kim", password="a long passphrase")
    client = Client()
    for _ in range(django_settings.AXES_FAILURE_LIMIT):
        client.post("/account/login/", {"username": "kim@example.org", "password": "wrong"})
    response = client.post(
        "/account/login/", {"username": "kim@example.org", "password": "a long passphrase"}
    )
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.content.decode()
    assert SESSION_KEY not in client.session


def test_logout_needs_post() -> None:
    client = Client()
    client.force_login(make_user("kim@example.org", "Kim"))
    assert client.get("/account/logout/").status_code == 405
    client.post("/account/logout/")
    assert SESSION_KEY not in client.session


def test_password_reset_by_email_round_trip() -> None:
    make_user("kim@example.org", "Kim", password="a long passphrase")
    client = Client()
    client.post("/account/password/reset/", {"email": "kim@example.org"})
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/account/password/reset/\S+/", mail.outbox[0].body)  # type: ignore[arg-type]
    assert link is not None
    path = "/" + link.group(0).split("/", 3)[3]  # the link starts with SITE_URL
    form_page = client.get(path, follow=True)
    assert "Choose a new password" in form_page.content.decode()
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a brand new passphrase", "new_password2": "a brand new passphrase"},
    )
    assert response.status_code == 302
    assert User.objects.get(email="kim@example.org").check_password("a brand new passphrase")


def test_password_reset_for_an_unknown_email_says_nothing_different() -> None:
    response = Client().post("/account/password/reset/", {"email": "nobody@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 0


def test_settings_change_name_and_time_zone_and_reject_bad_ones() -> None:
    user = make_user("kim@example.org", "Kim")
    client = Client()
    client.force_login(user)
    client.post("/account/settings/", {"display_name": "Kimberly", "time_zone": "Asia/Tokyo"})
    user.refresh_from_db()
    assert (user.display_name, user.time_zone) == ("Kimberly", "Asia/Tokyo")
    response = client.post("/account/settings/", {"display_name": "", "time_zone": "Nowhere/Land"})
    assert response.status_code == 200
    user.refresh_from_db()
    assert (user.display_name, user.time_zone) == ("Kimberly", "Asia/Tokyo")


def test_local_today_follows_the_persons_time_zone(time_machine) -> None:
    time_machine.move_to("2026-03-01 23:30:00+00:00", tick=False)
    tokyo = make_user("t@example.org", "T", tz="Asia/Tokyo")
    london = make_user("l@example.org", "L", tz="Europe/London")
    assert str(tokyo.local_today()) == "2026-03-02"
    assert str(london.local_today()) == "2026-03-01"


def test_sign_out_everywhere_ends_other_sessions_but_keeps_this_one() -> None:
    user = make_user("kim@example.org", "Kim")
    phone, laptop = Client(), Client()
    phone.force_login(user)
    laptop.force_login(user)
    response = laptop.post("/account/security/sign-out-everywhere/")
    assert response.status_code == 302
    assert laptop.get("/account/settings/").status_code == 200
    assert phone.get("/account/settings/").status_code == 302


def test_security_page_lists_own_sign_ins_only() -> None:
    kim = make_user("kim@example.org", "Kim", password="a long passphrase")
    lee = make_user("lee@example.org", "Lee", password="a long passphrase")
    agents = {
        kim: "Mozilla/5.0 (X11; Linux x86_64; rv:132.0) Gecko/20100101 Firefox/132.0",
        lee: "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1",
    }
    for person, agent in agents.items():
        Client().post(
            "/account/login/",
            {"username": person.email, "password": "a long passphrase"},
            HTTP_USER_AGENT=agent,
        )
    client = Client()
    client.force_login(kim)
    page = client.get("/account/security/").content.decode()
    assert "Firefox on Linux" in page  # Kim's own sign-in, named in words
    assert "iPhone" not in page  # Lee's is not on Kim's page


def _lockout_records(email: str) -> list[str]:
    """django-axes' rows about sign-ins to ``email``, as typed (any case)."""
    return [
        f"{model.__name__} {username}"
        for model in (AccessAttempt, AccessFailureLog, AccessLog)
        for username in model.objects.filter(username__iexact=email).values_list(
            "username", flat=True
        )
    ]


def test_a_sign_in_leaves_no_record_beside_the_owners_own_list() -> None:
    """Sign-ins are listed for the owner (SignIn, which goes with the account); django-axes keeps
    no access log of its own, with the address, IP and browser."""
    kim = make_user("kim@example.org", "Kim", password="a long passphrase")
    client = Client()
    response = client.post(
        "/account/login/", {"username": "kim@example.org", "password": "a long passphrase"}
    )
    assert response.status_code == 302
    assert SignIn.objects.filter(user=kim).count() == 1
    assert _lockout_records("kim@example.org") == []


def test_deleting_an_account_deletes_the_lockouts_records_of_its_address(settings) -> None:
    from counterpoint.accounts.services import account_delete

    # An installation that wrote the access log before it was turned off, and an operator who
    # turned the failure log on: every kind of record goes.
    settings.AXES_DISABLE_ACCESS_LOG = False
    settings.AXES_ENABLE_ACCESS_FAILURE_LOG = True
    kim = make_user("kim@example.org", "Kim", password="a long passphrase")
    make_user("lee@example.org", "Lee", password="a long passphrase")
    for typed, password in (
        ("KIM@Example.org", "wrong"),  # a failed attempt, as typed: not reset by the sign-in
        ("kim@example.org", "a long passphrase"),
        ("lee@example.org", "wrong"),
    ):
        Client().post("/account/login/", {"username": typed, "password": password})
    assert sorted(_lockout_records("kim@example.org")) == [
        "AccessAttempt KIM@Example.org",
        "AccessFailureLog KIM@Example.org",
        "AccessLog kim@example.org",
    ]
    account_delete(user=kim, remove_couple_items=False)
    assert _lockout_records("kim@example.org") == []
    assert len(_lockout_records("lee@example.org")) == 2  # someone else's stay
