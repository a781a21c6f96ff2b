"""Issue 10 (lower): sign-up revealed which emails have accounts ("An account with this email
already exists"). Sign-up now confirms the address by email: the form answers the same way for
every address, and only the address's owner learns whether it had an account."""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Iterator
from urllib.parse import urlencode

import pytest
import time_machine
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.hashers import MD5PasswordHasher
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from huey.contrib.djhuey import HUEY
from huey.storage import MemoryStorage

from counterpoint.accounts.models import PendingSignup, User
from counterpoint.couples.selectors import partner_of
from counterpoint.pairing.services import invite_create
from tests.factories import make_user, signup_link_path

pytestmark = pytest.mark.django_db

PASSPHRASE = "a long and careful passphrase"


def _signup(client: Client, email: str, path: str = "/account/signup/"):
    return client.post(
        path,
        {
            "display_name": "Robin",
            "email": email,
            "password": PASSPHRASE,
            "time_zone": "Europe/Berlin",
        },
    )


class CountingHasher(MD5PasswordHasher):
    """The test hasher, counting how many passwords it hashed."""

    algorithm = "counting_md5"
    calls = 0

    def encode(self, password: str, salt: str) -> str:
        type(self).calls += 1
        return super().encode(password, salt)


@pytest.fixture
def queued_tasks() -> Iterator[MemoryStorage]:
    """Tasks wait in a queue, as with the real task runner, instead of running on the spot."""
    storage = MemoryStorage(HUEY.name)
    saved_storage, saved_immediate = HUEY.storage, HUEY._immediate
    HUEY._immediate, HUEY.storage = False, storage
    try:
        yield storage
    finally:
        HUEY._immediate, HUEY.storage = saved_immediate, saved_storage


def _run_queued() -> None:
    """Run what the task runner would (on this test's database connection)."""
    HUEY._immediate = True
    try:
        while (task := HUEY.dequeue()) is not None:
            HUEY.execute(task)
    finally:
        HUEY._immediate = False


def test_the_form_answers_the_same_for_a_taken_and_a_new_address() -> None:
    make_user("robin@example.org", "Robin", password="the owner's own passphrase")
    taken = _signup(Client(), "ROBIN@example.org")
    new = _signup(Client(), "new@example.org")
    assert taken.status_code == new.status_code == 302
    assert taken["Location"] == new["Location"] == "/account/signup/sent/"
    page = Client().get("/account/signup/sent/").content.decode()
    assert "Check your email" in page
    assert "already" not in page
    # Nothing was created for either address yet; the owner's account is untouched.
    assert User.objects.count() == 1
    assert User.objects.get().check_password("the owner's own passphrase")


def test_the_request_does_the_same_work_for_a_taken_and_a_new_address(
    settings, queued_tasks: MemoryStorage
) -> None:
    """Same database queries, one password hash, one queued task: the response time cannot
    tell the addresses apart. What differs happens later, in the task runner."""
    settings.PASSWORD_HASHERS = [f"{__name__}.CountingHasher"]
    make_user("robin@example.org", "Robin")
    seen = []
    for email in ("robin@example.org", "new@example.org"):
        CountingHasher.calls = 0
        with CaptureQueriesContext(connection) as queries:
            response = _signup(Client(), email)
        assert response.status_code == 302
        sql = [re.sub(r'"s\d+_x\d+"', "SP", q["sql"]) for q in queries.captured_queries]
        seen.append((sql, CountingHasher.calls))
        assert queued_tasks.queue_size() == 1
        _run_queued()
    (taken_sql, taken_hashes), (new_sql, new_hashes) = seen
    assert taken_hashes == new_hashes == 1
    assert taken_sql == new_sql
    assert not any('"accounts_user"' in sql for sql in taken_sql)
    assert [m.to for m in mail.outbox] == [["robin@example.org"], ["new@example.org"]]


def test_the_email_to_a_taken_address_says_so_and_creates_nothing() -> None:
    make_user("robin@example.org", "Robin")
    _signup(Client(), "robin@example.org")
    assert len(mail.outbox) == 1
    body = mail.outbox[0].body
    assert "already have one" in body
    assert "/account/login/" in body and "/account/password/reset/" in body
    assert "/account/signup/confirm/" not in body
    assert "Robin" not in body  # nothing the form's sender typed goes into the email
    assert User.objects.count() == 1
    assert not PendingSignup.objects.exists()


def test_the_link_to_a_new_address_creates_the_account_and_signs_in() -> None:
    client = Client()
    _signup(client, "new@example.org")
    assert [m.to for m in mail.outbox] == [["new@example.org"]]
    assert not User.objects.exists()
    link = signup_link_path("new@example.org")
    page = client.get(link)
    assert page.status_code == 200 and "new@example.org" in page.content.decode()
    assert not User.objects.exists()  # opening the link (a mail scanner does) creates nothing
    response = client.post(link)
    assert response.status_code == 302 and response["Location"] == "/home/"
    user = User.objects.get(email="new@example.org")
    assert (user.display_name, user.time_zone) == ("Robin", "Europe/Berlin")
    assert user.check_password(PASSPHRASE)
    assert client.session[SESSION_KEY] == str(user.pk)
    assert not PendingSignup.objects.exists()
    # The link works once.
    assert Client().get(link).status_code == 404
    assert Client().post(link).status_code == 404
    assert User.objects.count() == 1


def test_the_first_of_two_links_wins_and_the_other_stops_working() -> None:
    _signup(Client(), "new@example.org")
    first = signup_link_path("new@example.org")
    _signup(Client(), "new@example.org")
    second = signup_link_path("new@example.org")
    assert first != second
    assert Client().post(second).status_code == 302
    assert Client().post(first).status_code == 404
    assert User.objects.count() == 1


@pytest.mark.parametrize("change", ["tampered", "expired"])
def test_a_tampered_or_expired_link_creates_nothing(change: str) -> None:
    start = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False):
        _signup(Client(), "new@example.org")
    link = signup_link_path("new@example.org")
    if change == "tampered":
        link = link[:-3] + ("A" if link[-3] != "A" else "B") + link[-2:]
        when = start
    else:
        when = start + dt.timedelta(days=2, minutes=1)
    with time_machine.travel(when, tick=False):
        assert Client().post(link).status_code == 404
    assert not User.objects.exists()


def test_signup_emails_to_one_address_are_limited_whatever_the_address() -> None:
    make_user("robin@example.org", "Robin")
    for _ in range(5):
        _signup(Client(), "robin@example.org")
        _signup(Client(), "new@example.org")
    assert sum(m.to == ["robin@example.org"] for m in mail.outbox) == 3
    assert sum(m.to == ["new@example.org"] for m in mail.outbox) == 3


def test_an_invitation_link_still_pairs_a_visitor_who_signs_up() -> None:
    ann = make_user("ann@example.org", "Ann")
    invite = invite_create(inviter=ann)
    visitor = Client()
    welcome = visitor.get(f"/couple/join/{invite.token}/").content.decode()
    found = re.search(r'href="(/account/signup/\?next=[^"]+)"', welcome)
    assert found is not None
    signup_url = html.unescape(found.group(1))
    _signup(visitor, "ben@example.org", path=signup_url)
    # The link may be opened in another browser (the phone's mail app): it carries the way back.
    phone = Client()
    response = phone.post(signup_link_path("ben@example.org"))
    assert response["Location"] == f"/couple/join/{invite.token}/"
    assert phone.get(response["Location"]).status_code == 200
    assert phone.post(f"/couple/join/{invite.token}/").status_code == 302
    ben = User.objects.get(email="ben@example.org")
    assert partner_of(ben) == ann


@pytest.mark.parametrize(
    "next_url", ["//evil.example/", "/\\evil.example/", "https://evil.example/"]
)
def test_the_way_back_after_sign_up_stays_on_this_site(next_url: str) -> None:
    client = Client()
    _signup(client, "new@example.org", path=f"/account/signup/?{urlencode({'next': next_url})}")
    response = client.post(signup_link_path("new@example.org"))
    assert response["Location"] == "/home/"


def test_the_sign_up_page_tells_professionals_and_researchers_how_to_join() -> None:
    page = html.unescape(Client().get("/account/signup/").content.decode())
    assert "A therapist, coach or researcher? You sign up here too" in page
    assert 'href="/pro/"' in page and 'href="/research/studies/"' in page
    # each side's own page sends them here, with where to go once the account is made
    assert 'href="/account/signup/?next=/pro/profile/"' in Client().get("/pro/").content.decode()
    research = Client().get("/research/studies/").content.decode()
    assert 'href="/account/signup/?next=/research/profile/"' in research


@pytest.mark.parametrize(
    ("profile", "words"),
    [
        ("/pro/profile/", "set up your professional profile"),
        ("/research/profile/", "set up your researcher profile"),
    ],
)
def test_a_professional_or_researcher_signs_up_the_same_way_and_lands_on_their_profile(
    profile: str, words: str
) -> None:
    client = Client()
    path = f"/account/signup/?next={profile}"
    page = html.unescape(client.get(path).content.decode())
    assert words in page and "You will pair them in the next step" not in page
    assert _signup(client, "new@example.org", path=path).status_code == 302
    response = client.post(signup_link_path("new@example.org"))
    assert response["Location"] == profile
    assert client.get(profile).status_code == 200
