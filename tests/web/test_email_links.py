"""Every link in every email Counterpoint sends starts with SITE_URL and opens an existing page.

Each kind of email is produced the way people cause it (forms, services); the test then follows
every link in it as the recipient would (signed in where the page needs it).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.urls import resolve

from counterpoint.accounts.alerts import ALERTS, security_alert_send
from counterpoint.activity.services import notice_send
from counterpoint.checkins.reminders import reminders_send
from counterpoint.checkins.services import checkin_settings_update
from tests.factories import make_user

SITE = "http://counterpoint.test:8123"
LINK = re.compile(r"https?://[^\s<>\"')]+")


@pytest.fixture
def person(db: None, settings: Any) -> Any:
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["counterpoint.test", "testserver"]
    return make_user("lee@example.org", "Lee", password="a long passphrase")


def _emails_of_every_kind(person: Any, capture: Any) -> dict[str, Any]:
    kinds: dict[str, Any] = {}

    def take(kind: str) -> None:
        assert mail.outbox, f"no email for {kind}"
        kinds[kind] = mail.outbox[-1]
        mail.outbox.clear()

    Client().post("/account/password/reset/", {"email": person.email})
    take("password reset")
    Client().post("/account/login/", {"username": person.email, "password": "a long passphrase"})
    take("sign-in notice")
    with capture(execute=True):
        notice_send(
            recipient=person,
            kind="test",
            message="Your partner asked",
            link="/activity/",
            needs_answer=True,
        )
    take("activity notice")
    for event in ALERTS:
        with capture(execute=True):
            security_alert_send(user=person, event=event)
        take(f"security alert {event}")
    checkin_settings_update(user=person, values={"reminder_time": dt.time(9, 0)})
    with (
        time_machine.travel(dt.datetime.now(dt.UTC).replace(hour=9, minute=30), tick=False),
        capture(execute=True),
    ):
        reminders_send()
    take("check-in reminder")
    return kinds


def test_every_link_in_every_email_opens_an_existing_page(
    person: Any, django_capture_on_commit_callbacks: Any
) -> None:
    kinds = _emails_of_every_kind(person, django_capture_on_commit_callbacks)
    signed_in = Client()
    signed_in.force_login(person)
    checked = 0
    for kind, message in kinds.items():
        links = LINK.findall(message.body)
        assert links, f"the {kind} email has no link"
        assert "Account → Notices" not in message.body
        for url in links:
            url = url.rstrip(".,;:")
            assert url.startswith(SITE), f"{kind}: {url} does not start with SITE_URL"
            path = urlsplit(url).path
            resolve(path)  # raises Resolver404 for a page that does not exist
            client = Client() if "/password/reset/" in path else signed_in
            response = client.get(path, follow=True)
            assert response.status_code == 200, f"{kind}: {path} gave {response.status_code}"
            checked += 1
    assert checked >= len(kinds)
