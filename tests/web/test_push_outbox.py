"""A push is stored with the write that caused it, so a worker killed before or while sending it
loses nothing: the runner's minute task sends it again, and the device still sees it once."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import http_ece
import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from counterpoint.checkins.models import ReminderSent
from counterpoint.checkins.reminders import reminders_send
from counterpoint.checkins.services import checkin_settings_update
from counterpoint.notify import services
from counterpoint.notify.models import PushMessage, PushSubscription
from tests.web.conftest import World
from tests.web.push_endpoint import FakeBrowserKeys, Received, push_endpoint

Status = PushMessage.Status


def _subscribe(user: Any, endpoint: str, keys: FakeBrowserKeys | None = None) -> None:
    """This person's one phone (the world's own device points nowhere reachable)."""
    PushSubscription.objects.filter(user=user).delete()
    keys = keys or FakeBrowserKeys()
    services.push_subscription_save(
        user=user, endpoint=endpoint, p256dh=keys.p256dh, auth=keys.auth, label="phone"
    )


def _opened(arrived: Received, keys: FakeBrowserKeys) -> Any:
    """What the phone reads of a push: decrypted with its keys."""
    plain = http_ece.decrypt(
        arrived.body,
        private_key=keys.private_key,
        auth_secret=keys.auth_secret,
        version="aes128gcm",
    )
    return json.loads(plain)


def _send_and_lose_the_task(user: Any, ttl: int = 3600, ref: str = "lost") -> PushMessage:
    """push_send commits, and the process dies before its task reaches the queue (the on-commit
    hook never runs): what a SIGKILL between the reply and the enqueue leaves behind."""
    with transaction.atomic():
        services.push_send(user=user, title="Counterpoint", body="b", url="/x/", ttl=ttl, ref=ref)
    [message] = PushMessage.objects.filter(user=user, ref=ref)
    return message


def test_a_push_whose_task_was_lost_is_sent_again_and_decrypts(world: World) -> None:
    keys = FakeBrowserKeys()
    with push_endpoint() as endpoint:
        _subscribe(world.alice, f"{endpoint.url}/phone", keys)
        message = _send_and_lose_the_task(world.alice)
        assert message.status == Status.QUEUED and endpoint.received == []
        # not yet: a task written a moment ago may simply be waiting in the queue
        assert services.pushes_requeue(now=message.created_at + dt.timedelta(minutes=1)) == 0
        assert services.pushes_requeue(now=message.created_at + dt.timedelta(minutes=3)) == 1
        [arrived] = endpoint.received
    assert _opened(arrived, keys)["url"] == "/x/"
    assert arrived.headers["topic"] == f"m{message.pk}"
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 1)
    assert message.sent_at is not None


def test_a_worker_killed_while_sending_leaves_it_queued_and_it_goes_later(world: World) -> None:
    with push_endpoint() as endpoint:
        _subscribe(world.alice, f"{endpoint.url}/phone")
        message = _send_and_lose_the_task(world.alice)
        # six minutes ago a worker claimed it (attempt 1) and was killed before it recorded anything
        tried = timezone.now() - dt.timedelta(minutes=6)
        PushMessage.objects.filter(pk=message.pk).update(attempts=1, tried_at=tried)
        # a second task for it inside the claim leaves it alone: never two sends at once
        assert services.push_deliver(pk=message.pk, now=tried + dt.timedelta(seconds=5)) == ""
        assert services.pushes_requeue(now=tried + dt.timedelta(minutes=4)) == 0
        assert services.pushes_requeue() == 1
        assert len(endpoint.received) == 1
    message.refresh_from_db()
    assert (message.status, message.attempts) == (Status.SENT, 2)
    # sent: nothing more to do, however often the minute task runs
    assert services.pushes_requeue(now=tried + dt.timedelta(hours=1)) == 0
    assert services.push_deliver(pk=message.pk) == ""


def test_a_push_past_its_time_to_live_is_not_sent_late(world: World) -> None:
    with push_endpoint() as endpoint:
        _subscribe(world.alice, f"{endpoint.url}/phone")
        message = _send_and_lose_the_task(world.alice, ttl=60)
        written = timezone.now() - dt.timedelta(minutes=3)  # its task was lost three minutes ago
        PushMessage.objects.filter(pk=message.pk).update(created_at=written)
        assert services.pushes_requeue() == 1
        assert endpoint.received == []
    message.refresh_from_db()
    assert message.status == Status.EXPIRED


def test_the_time_to_live_counts_from_the_write_not_from_the_retry(world: World) -> None:
    with push_endpoint() as endpoint:
        _subscribe(world.alice, f"{endpoint.url}/phone")
        message = _send_and_lose_the_task(world.alice, ttl=3600)
        later = message.created_at + dt.timedelta(minutes=10)
        assert services.push_deliver(pk=message.pk, now=later) == Status.SENT
        [arrived] = endpoint.received
    assert arrived.headers["ttl"] == str(3600 - 600)


def test_the_last_failed_attempt_gives_up_and_says_so(world: World) -> None:
    with push_endpoint() as endpoint:
        _subscribe(world.alice, f"{endpoint.url}/broken")
        endpoint.statuses["/broken"] = 503
        message = _send_and_lose_the_task(world.alice)
        PushMessage.objects.filter(pk=message.pk).update(attempts=services.PUSH_MAX_ATTEMPTS - 1)
        assert services.push_deliver(pk=message.pk) == Status.FAILED
    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert services.pushes_requeue(now=timezone.now() + dt.timedelta(hours=1)) == 0


def test_a_push_rolls_back_with_the_write_that_caused_it(world: World) -> None:
    _subscribe(world.alice, "https://push.example.invalid/phone")
    with pytest.raises(RuntimeError), transaction.atomic():
        services.push_send(user=world.alice, title="t", body="b", url="/", ttl=60)
        raise RuntimeError("the write failed")
    assert not PushMessage.objects.filter(user=world.alice).exists()


def test_a_reminder_whose_push_was_lost_still_reaches_the_phone(world: World) -> None:
    """The daily habit: the reminder row says "queued" until the requeued push gets through."""
    with push_endpoint() as endpoint:
        _subscribe(world.alice, f"{endpoint.url}/phone")
        checkin_settings_update(user=world.alice, values={"reminder_time": dt.time(0, 0)})
        now = timezone.now()
        with transaction.atomic():  # the on-commit enqueue is lost with the worker
            assert reminders_send(now=now) >= 1
        reminder = ReminderSent.objects.get(user=world.alice)
        assert reminder.status == ReminderSent.Status.QUEUED and endpoint.received == []
        services.pushes_requeue(now=now + dt.timedelta(minutes=3))
        assert len(endpoint.received) == 1
    reminder.refresh_from_db()
    assert reminder.status == ReminderSent.Status.SENT


def test_settled_pushes_are_forgotten_after_two_days(world: World) -> None:
    with push_endpoint() as endpoint:
        _subscribe(world.alice, f"{endpoint.url}/phone")
        message = _send_and_lose_the_task(world.alice)
        services.push_deliver(pk=message.pk)
    services.pushes_requeue(now=message.created_at + dt.timedelta(days=1))
    assert PushMessage.objects.filter(pk=message.pk).exists()
    services.pushes_requeue(now=message.created_at + dt.timedelta(days=3))
    assert not PushMessage.objects.filter(pk=message.pk).exists()


def test_a_push_queued_by_the_version_before_still_arrives(world: World) -> None:
    """A queue that outlived an upgrade holds tasks of the old shape (the push itself)."""
    from counterpoint.notify import tasks

    keys = FakeBrowserKeys()
    with push_endpoint() as endpoint:
        _subscribe(world.alice, f"{endpoint.url}/phone", keys)
        sub = PushSubscription.objects.get(user=world.alice)
        payload = json.dumps({"title": "Counterpoint", "body": "b", "url": "/old/", "actions": []})
        tasks.deliver_push(sub.pk, payload, 600, "")  # the runner is immediate in tests
        [arrived] = endpoint.received
    assert _opened(arrived, keys)["url"] == "/old/"
    assert PushMessage.objects.get(user=world.alice).status == Status.SENT


def test_a_push_waiting_for_a_browser_that_moves_to_someone_else_never_reaches_it(
    world: World,
) -> None:
    """The family tablet: Alice's check-in reminder is stored for it, and its send does not get
    through at once (the worker died; the push service was down). Meanwhile Bob signs in on the
    tablet and turns on notifications: the browser's subscription moves to him. The retry must not
    bring him her reminder (that she had not checked in, her signed "stop" and "pause" links)."""
    keys = FakeBrowserKeys()
    with push_endpoint() as endpoint:
        tablet = f"{endpoint.url}/tablet"
        _subscribe(world.alice, tablet, keys)
        checkin_settings_update(user=world.alice, values={"reminder_time": dt.time(0, 0)})
        now = timezone.now()
        with transaction.atomic():  # the on-commit enqueue is lost with the worker
            assert reminders_send(now=now) >= 1
        [waiting] = PushMessage.objects.filter(user=world.alice, status=Status.QUEUED)

        bob = world.client_for("B")
        body = {"endpoint": tablet, "keys": {"p256dh": keys.p256dh, "auth": keys.auth}}
        moved = bob.post(reverse("notify:subscribe"), body, content_type="application/json")
        assert moved.status_code == 201
        assert PushSubscription.objects.get(endpoint=tablet).user_id == world.bob.pk

        services.pushes_requeue(now=now + dt.timedelta(minutes=3))
        assert endpoint.received == []
    waiting.refresh_from_db()
    assert waiting.status == Status.GONE
