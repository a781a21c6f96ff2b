"""An export tells no one else's clock (the partner is in the threat model).

Pages show the partner's acts by the day. Before this test, a person's export carried them to the
microsecond: when Bob confirmed Alice's commitment, answered her request for support, shared a
moment (the notice, email and push it sent her), when he ended the couple, and when their
therapist opened the overview. Each of those acts is done here at a moment no one else uses; then
not one file of Alice's archive may name that moment's time, in UTC or in her time zone. Her own
acts stay exact.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

import pytest
import time_machine
from django.core.mail import EmailMessage
from django.test import Client
from django.urls import reverse

from counterpoint.accounts.services import account_time_zone_set
from counterpoint.journal.services import journal_entry_create
from counterpoint.notify.services import (
    email_queue,
    notify_preferences_update,
    push_send,
    push_subscription_save,
)
from counterpoint.pairing.services import couple_unpair, invite_accept, invite_create
from counterpoint.practices.commitments.models import Commitment, Outcome
from counterpoint.practices.commitments.services import (
    commitment_confirm,
    commitment_make,
    commitment_mark,
)
from counterpoint.practices.moments.services import moment_share
from counterpoint.practices.support.services import support_request_answer, support_request_create
from counterpoint.practices.taking_back import item_make_private
from counterpoint.privacy.models import Visibility
from counterpoint.professionals import services as professionals
from tests.factories import make_user
from tests.web.conftest import World
from tests.web.form_pages import export_text
from tests.web.push_endpoint import FakeBrowserKeys, push_endpoint

ZONE = "Pacific/Auckland"  # far from UTC, and on another day for part of every day
START = dt.datetime(2031, 3, 3, 9, 0, tzinfo=dt.UTC)


def _at(minutes: int, seconds: int) -> dt.datetime:
    """A moment no other act in this test shares (each act gets its own minute and second)."""
    micro = 100_000 + minutes * 1000 + seconds
    return START + dt.timedelta(minutes=minutes, seconds=seconds, microseconds=micro)


def _clock_texts(moment: dt.datetime) -> set[str]:
    """Every way a file could name this moment to the second: UTC and Alice's own zone."""
    local = moment.astimezone(zoneinfo.ZoneInfo(ZONE))
    return {moment.strftime("%H:%M:%S"), local.strftime("%H:%M:%S"), moment.strftime("%S.%f")}


def test_the_archive_gives_others_acts_as_days_and_the_persons_own_exactly(world: World) -> None:
    a, b = world.alice, world.bob
    account_time_zone_set(user=a, time_zone=ZONE)
    a.refresh_from_db()
    notify_preferences_update(user=a, values={"push_when_asked": True})

    others: list[dt.datetime] = []
    with time_machine.travel(_at(1, 11), tick=False):
        professionals.profile_save(user=world.terry, name="Terry", practice="T", contact="t@x.org")
        link = professionals.link_invite(user=a, email_or_code="terry@example.org")
        professionals.grant_save(user=a, link=link, scopes=["checkin_trends"])
        professionals.grant_save(user=b, link=link, scopes=["checkin_trends"])
        promise, _ = commitment_make(
            user=a, promise="Call the plumber", due_on=a.local_today(), submission_key="c1"
        )
        commitment_mark(user=a, commitment=promise, outcome=Outcome.KEPT)
        request, _ = support_request_create(
            user=a, kind="listening", details="A hard week", submission_key="s1"
        )
        own, _ = journal_entry_create(
            user=a, title="", body="Mine", visibility=Visibility.PARTNER, submission_key="j1"
        )
    with time_machine.travel(_at(7, 23), tick=False):
        commitment_confirm(user=b, commitment=promise, view="agree")
        others.append(_at(7, 23))
    with time_machine.travel(_at(13, 37), tick=False):
        support_request_answer(user=b, support_request=request, offer="yes", message="I'm here")
        others.append(_at(13, 37))
    with time_machine.travel(_at(19, 41), tick=False):
        moment_share(user=b, kind="win", text="Got it!", visibility=Visibility.PARTNER)
        email_queue(message=EmailMessage("Bob shared a win", "Look", to=[a.email]))
        push_send(user=a, title="Counterpoint", body="Bob shared a win", url="/", ttl=60)
        others.append(_at(19, 41))
    with time_machine.travel(_at(29, 53), tick=False):
        terry = Client()
        terry.force_login(world.terry)
        assert terry.get(reverse("professionals:couple_view", args=[link.pk])).status_code == 200
        others.append(_at(29, 53))
    with time_machine.travel(_at(31, 59), tick=False):
        couple_unpair(user=b)
        others.append(_at(31, 59))

    with time_machine.travel(_at(45, 3), tick=False):
        text = export_text(a)

    # the acts happened and are in the archive, by the day
    for needle in ("Call the plumber", "A hard week", "checkin_trends", "Bob shared a win"):
        assert needle in text
    leaked = {m.isoformat(): [t for t in _clock_texts(m) if t in text] for m in others}
    leaked = {moment: texts for moment, texts in leaked.items() if texts}
    assert not leaked, f"the archive names the time of someone else's act: {leaked}"
    # what Alice did herself keeps its exact time
    assert own.created_at.isoformat() in text


@pytest.mark.django_db
def test_the_moment_the_partner_accepted_the_invitation_is_a_day_in_the_inviters_archive() -> None:
    """Both join a couple at the moment the invited partner accepts: for the one who invited,
    that moment is the partner's act."""
    alice = make_user("inviter@example.org", "Alice")
    bob = make_user("accepter@example.org", "Bob")
    with time_machine.travel(_at(2, 13), tick=False):
        invitation = invite_create(inviter=alice)
    with time_machine.travel(_at(11, 47), tick=False):
        invite_accept(user=bob, code_or_token=invitation.token)
    with time_machine.travel(_at(45, 3), tick=False):
        text = export_text(alice)
    assert "joined_at" in text
    leaked = [t for t in _clock_texts(_at(11, 47)) if t in text]
    assert not leaked, f"Alice's archive names the moment Bob accepted: {leaked}"


def test_when_a_push_last_reached_a_device_is_a_day(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    """A device's last successful push is the moment something reached it, most often made by the
    partner's act (he shared a win, answered a request): his clock, not the device owner's."""
    a, b = world.alice, world.bob
    keys = FakeBrowserKeys()
    with push_endpoint() as endpoint:
        with time_machine.travel(_at(3, 17), tick=False):
            push_subscription_save(
                user=a, endpoint=f"{endpoint.url}/phone", p256dh=keys.p256dh, auth=keys.auth
            )
        with (
            time_machine.travel(_at(21, 43), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            moment_share(user=b, kind="win", text="Got it!", visibility=Visibility.PARTNER)
            assert push_send(user=a, title="Counterpoint", body="Bob shared a win", url="/", ttl=60)
        assert endpoint.received
    with time_machine.travel(_at(45, 3), tick=False):
        text = export_text(a)
    assert "last_success_at" in text
    leaked = [t for t in _clock_texts(_at(21, 43)) if t in text]
    assert not leaked, f"Alice's archive names the moment Bob's act reached her phone: {leaked}"


def test_an_item_made_private_again_keeps_the_partners_last_touch_as_a_day(world: World) -> None:
    """Bob confirming Alice's commitment changes it (its last change is his act); Alice then makes
    it private again, which leaves that last change alone. Only she can see it now, but the moment
    of its last change is still his."""
    a, b = world.alice, world.bob
    with time_machine.travel(_at(1, 11), tick=False):
        promise, _ = commitment_make(
            user=a, promise="Fix the shelf", due_on=a.local_today(), submission_key="c2"
        )
        commitment_mark(user=a, commitment=promise, outcome=Outcome.KEPT)
    with time_machine.travel(_at(9, 29), tick=False):
        commitment_confirm(user=b, commitment=promise, view="agree")
    with time_machine.travel(_at(17, 31), tick=False):
        item_make_private(user=a, item=Commitment.objects.get(pk=promise.pk))
    with time_machine.travel(_at(45, 3), tick=False):
        text = export_text(a)
    assert "Fix the shelf" in text
    leaked = [t for t in _clock_texts(_at(9, 29)) if t in text]
    assert not leaked, f"Alice's archive names the moment Bob confirmed: {leaked}"


def test_a_notice_answered_by_the_partners_act_is_read_on_a_day(world: World) -> None:
    """Taking back what waited for Bob's answer marks his notice answered and read at that moment:
    the moment of Alice's act, not of his reading."""
    a, b = world.alice, world.bob
    with time_machine.travel(_at(1, 11), tick=False):
        request, _ = support_request_create(
            user=a, kind="listening", details="A long day", submission_key="s2"
        )
    with time_machine.travel(_at(23, 19), tick=False):
        item_make_private(user=a, item=request)
    with time_machine.travel(_at(45, 3), tick=False):
        text = export_text(b)
    assert "could use some support" in text
    leaked = [t for t in _clock_texts(_at(23, 19)) if t in text]
    assert not leaked, f"Bob's archive names the moment Alice took it back: {leaked}"
