"""Issue 10 (lower): a display name with a line break silently stopped notification emails while
marking them sent. Names are validated; unsent mail is never marked sent."""

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from counterpoint.accounts.models import User
from counterpoint.activity.models import Notice
from counterpoint.activity.services import notice_send
from tests.factories import make_user
from tests.web.conftest import World

BAD_NAMES = [
    "Eve\nBcc: someone@example.org",
    "Eve\rSmith",
    "Eve\u2028Smith",
    "Eve\tSmith",
    "Eve\u200b",
]


@pytest.mark.parametrize("name", BAD_NAMES)
def test_signup_refuses_a_display_name_with_line_breaks_or_control_characters(
    db: None, name: str
) -> None:
    response = Client().post(
        "/account/signup/",
        {
            "display_name": name,
            "email": "eve@example.org",
            "password": "a long and careful passphrase",
            "time_zone": "UTC",
        },
    )
    assert response.status_code == 200
    assert "line breaks" in response.content.decode()
    assert not User.objects.filter(email="eve@example.org").exists()


@pytest.mark.parametrize("name", BAD_NAMES)
def test_settings_refuse_a_display_name_with_line_breaks(world: World, name: str) -> None:
    response = world.client_for("A").post(
        "/account/settings/", {"display_name": name, "time_zone": "UTC"}
    )
    assert "line breaks" in response.content.decode()
    world.alice.refresh_from_db()
    assert world.alice.display_name == "Alice"


def test_a_notice_whose_email_cannot_be_sent_is_not_marked_sent(
    django_capture_on_commit_callbacks, db: None
) -> None:
    # A name saved before validation existed (or by an admin) still holds a line break.
    eve = make_user("eve@example.org", "Eve")
    User.objects.filter(pk=eve.pk).update(display_name="Eve\nBcc: x@example.org")
    eve.refresh_from_db()
    bob = make_user("bob@example.org", "Bob")
    with django_capture_on_commit_callbacks(execute=True):
        notice = notice_send(
            recipient=bob,
            kind="test",
            message=f"{eve.display_name} asked for your view.",
            link="/",
            needs_answer=True,
        )
    assert notice is not None
    notice = Notice.objects.get(pk=notice.pk)
    sent = [m for m in mail.outbox if m.to == ["bob@example.org"]]
    if sent:
        assert "\n" not in sent[0].subject and notice.emailed_at is not None
    else:
        assert notice.emailed_at is None
