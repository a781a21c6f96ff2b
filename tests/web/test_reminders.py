"""Check-in reminders at each person's local time: once a day, never after a check-in, never in
quiet hours, by push when they have a device (email otherwise), with working stop/pause links."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

import http_ece
import pytest
import time_machine
from django.core import mail
from django.test import Client

from counterpoint.accounts.alerts import ALERTS
from counterpoint.checkins import exporters
from counterpoint.checkins.models import CheckIn, CheckInSettings, ReminderSent
from counterpoint.checkins.reminders import reminders_send
from counterpoint.checkins.services import checkin_settings_update
from counterpoint.notify import services as notify_services
from counterpoint.operations.versions import person_scope, versions_of
from tests.factories import make_user
from tests.web.push_endpoint import FakeBrowserKeys, push_endpoint

NEW_YORK = "America/New_York"


def at(y: int, mo: int, d: int, h: int, mi: int, tz: str = NEW_YORK) -> dt.datetime:
    import zoneinfo

    return dt.datetime(y, mo, d, h, mi, tzinfo=zoneinfo.ZoneInfo(tz))


@pytest.fixture
def nina(db: None) -> Any:
    """A person in New York who wants a reminder at 19:00 her time."""
    person = make_user("nina@example.org", "Nina", tz=NEW_YORK)
    checkin_settings_update(user=person, values={"reminder_time": dt.time(19, 0)})
    return person


def run_at(moment: dt.datetime, capture: Any) -> int:
    with time_machine.travel(moment, tick=False), capture(execute=True):
        return reminders_send()


def test_the_reminder_comes_at_local_time_once_a_day_by_email_without_a_device(
    nina: Any, django_capture_on_commit_callbacks: Any
) -> None:
    assert run_at(at(2026, 3, 2, 18, 59), django_capture_on_commit_callbacks) == 0
    assert run_at(at(2026, 3, 2, 19, 0), django_capture_on_commit_callbacks) == 1
    assert run_at(at(2026, 3, 2, 19, 1), django_capture_on_commit_callbacks) == 0
    # 23:30 in New York is already the next day in UTC: still the same local day, no second one
    assert run_at(at(2026, 3, 2, 23, 30), django_capture_on_commit_callbacks) == 0
    assert [m.to for m in mail.outbox] == [["nina@example.org"]]
    message = mail.outbox[0]
    assert message.subject == "Time for your check-in"
    assert "/checkins/reminders/stop/" in message.body
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert run_at(at(2026, 3, 3, 19, 0), django_capture_on_commit_callbacks) == 1  # next day


def test_no_reminder_after_checking_in_or_while_paused(
    nina: Any, django_capture_on_commit_callbacks: Any
) -> None:
    CheckIn.objects.create(
        author=nina, day=dt.date(2026, 3, 2), mood=5, energy=5, stress=5, closeness=4
    )
    assert run_at(at(2026, 3, 2, 20, 0), django_capture_on_commit_callbacks) == 0
    with time_machine.travel(at(2026, 3, 3, 8, 0), tick=False):
        notify_services.reminders_pause(user=nina, days=7)
    assert run_at(at(2026, 3, 9, 19, 30), django_capture_on_commit_callbacks) == 0
    assert run_at(at(2026, 3, 10, 19, 30), django_capture_on_commit_callbacks) == 1
    assert mail.outbox and ReminderSent.objects.filter(user=nina).count() == 1


def test_quiet_hours_hold_the_reminder_until_they_end(
    nina: Any, django_capture_on_commit_callbacks: Any
) -> None:
    notify_services.notify_preferences_update(
        user=nina, values={"quiet_start": dt.time(18, 30), "quiet_end": dt.time(20, 15)}
    )
    assert run_at(at(2026, 3, 2, 19, 0), django_capture_on_commit_callbacks) == 0
    assert run_at(at(2026, 3, 2, 20, 14), django_capture_on_commit_callbacks) == 0
    assert run_at(at(2026, 3, 2, 20, 15), django_capture_on_commit_callbacks) == 1


def test_quiet_hours_across_midnight(nina: Any, django_capture_on_commit_callbacks: Any) -> None:
    CheckInSettings.objects.filter(user=nina).update(reminder_time=dt.time(6, 0))
    notify_services.notify_preferences_update(
        user=nina, values={"quiet_start": dt.time(22, 0), "quiet_end": dt.time(7, 0)}
    )
    assert run_at(at(2026, 3, 2, 6, 30), django_capture_on_commit_callbacks) == 0
    assert run_at(at(2026, 3, 2, 7, 0), django_capture_on_commit_callbacks) == 1


def test_with_a_device_the_reminder_is_a_push_that_lives_until_local_midnight(
    nina: Any, django_capture_on_commit_callbacks: Any
) -> None:
    keys = FakeBrowserKeys()
    with push_endpoint() as endpoint:
        notify_services.push_subscription_save(
            user=nina, endpoint=f"{endpoint.url}/nina", p256dh=keys.p256dh, auth=keys.auth
        )
        assert run_at(at(2026, 3, 2, 19, 0), django_capture_on_commit_callbacks) == 1
        [arrived] = endpoint.received
    # a device got it: no reminder email unless asked for (only the alert that a device was added)
    assert [m.subject for m in mail.outbox] == [str(ALERTS["device_added"][0])]
    assert arrived.headers["ttl"] == str(5 * 60 * 60)  # 19:00 → midnight in New York
    payload = json.loads(
        http_ece.decrypt(arrived.body, private_key=keys.private_key, auth_secret=keys.auth_secret)
    )
    assert payload["body"] == "Time for your check-in"  # neutral: nothing anyone wrote
    assert {a["action"] for a in payload["actions"]} == {"stop", "pause"}


def test_the_stop_link_in_the_reminder_turns_reminders_off_in_one_post(
    nina: Any, django_capture_on_commit_callbacks: Any
) -> None:
    run_at(at(2026, 3, 2, 19, 0), django_capture_on_commit_callbacks)
    stop = re.search(r"https?://\S+/checkins/reminders/stop/\S+", mail.outbox[0].body)  # type: ignore[arg-type]
    assert stop is not None
    path = stop.group(0).split("://", 1)[1].split("/", 1)[1]
    anonymous = Client()
    later = time_machine.travel(at(2026, 3, 3, 8, 0), tick=False)  # links work for 45 days
    later.start()
    # GET shows a page with one button and changes nothing; mail apps' one-click POST stops.
    assert anonymous.get(f"/{path}").status_code == 200
    assert CheckInSettings.objects.get(user=nina).reminder_time == dt.time(19, 0)
    own = versions_of([person_scope(nina.pk)])
    assert anonymous.post(f"/{path}").status_code == 200
    assert CheckInSettings.objects.get(user=nina).reminder_time is None
    # her own pages made before are not kept past it (the link is used signed out)
    assert versions_of([person_scope(nina.pk)]) != own
    moved = versions_of([person_scope(nina.pk)])
    assert anonymous.post(f"/{path}").status_code == 200  # stopped already: nothing changes
    assert versions_of([person_scope(nina.pk)]) == moved
    forged = path.replace("stop/", "stop/x")
    assert anonymous.post(f"/{forged}").status_code == 400
    later.stop()
    with time_machine.travel(at(2026, 5, 1, 8, 0), tick=False):  # too old now
        assert anonymous.get(f"/{path}").status_code == 400


def _closed_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])  # nothing listens there once the socket is closed


def test_a_reminder_whose_email_fails_is_never_marked_sent(
    nina: Any, django_capture_on_commit_callbacks: Any, settings: Any
) -> None:
    """The mail server refuses (a real SMTP connection to a closed port): the reminder stays
    "queued" while delivery is retried and becomes "failed" when the retries run out."""
    settings.EMAIL_BACKEND = "counterpoint.notify.backends.QueuedEmailBackend"  # as in production
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = (
        "127.0.0.1",
        _closed_port(),
        2,
    )
    assert run_at(at(2026, 3, 2, 19, 0), django_capture_on_commit_callbacks) == 1
    reminder = ReminderSent.objects.get(user=nina)
    assert reminder.email is not None and reminder.email.attempts == 1
    assert reminder.status == ReminderSent.Status.QUEUED and reminder.delivered_at is None
    while reminder.email.attempts < notify_services.EMAIL_MAX_ATTEMPTS:  # the runner's retries
        with pytest.raises(OSError):
            notify_services.email_deliver(pk=reminder.email.pk)
        reminder.refresh_from_db()
        reminder.email.refresh_from_db()
        if reminder.email.attempts < notify_services.EMAIL_MAX_ATTEMPTS:
            assert reminder.status == ReminderSent.Status.QUEUED
    assert reminder.email.status == "failed"
    assert reminder.status == ReminderSent.Status.FAILED
    [row] = list(exporters.checkin_settings_rows(nina))
    assert row["reminders_sent"] == []
    assert row["reminders_not_delivered"] == [{"day": "2026-03-02", "status": "failed"}]
    # the same day is not tried again (at most one reminder a day), the next day is
    assert run_at(at(2026, 3, 2, 21, 0), django_capture_on_commit_callbacks) == 0
    settings.EMAIL_DELIVERY_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert run_at(at(2026, 3, 3, 19, 0), django_capture_on_commit_callbacks) == 1
    delivered = ReminderSent.objects.get(user=nina, day=dt.date(2026, 3, 3))
    assert delivered.status == ReminderSent.Status.SENT and delivered.delivered_at is not None


def test_a_reminder_is_sent_when_its_push_arrives_and_failed_when_the_device_is_gone(
    nina: Any, django_capture_on_commit_callbacks: Any
) -> None:
    keys = FakeBrowserKeys()
    with push_endpoint() as endpoint:
        device = notify_services.push_subscription_save(
            user=nina, endpoint=f"{endpoint.url}/nina", p256dh=keys.p256dh, auth=keys.auth
        )
        assert run_at(at(2026, 3, 2, 19, 0), django_capture_on_commit_callbacks) == 1
        assert len(endpoint.received) == 1
    assert notify_services.push_subscription_remove(user=nina, pk=device.pk)
    pushed = ReminderSent.objects.get(user=nina)
    assert (pushed.status, pushed.push_devices, pushed.email) == ("sent", 1, None)
    with push_endpoint() as gone:
        gone.statuses["/nina"] = 410
        notify_services.push_subscription_save(
            user=nina, endpoint=f"{gone.url}/nina", p256dh=keys.p256dh, auth=keys.auth
        )
        assert run_at(at(2026, 3, 3, 19, 0), django_capture_on_commit_callbacks) == 1
    lost = ReminderSent.objects.get(user=nina, day=dt.date(2026, 3, 3))
    assert lost.status == ReminderSent.Status.FAILED  # the only device was gone: not sent
