"""Email leaves the request through the task runner; web push reaches (and decrypts on) a device."""

from __future__ import annotations

import json
import smtplib
from typing import Any

import http_ece
import pytest
from django.core import mail
from django.core.mail import send_mail
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import reverse

from counterpoint.notify import services
from counterpoint.notify.models import OutboundEmail, PushSubscription
from tests.web.conftest import World
from tests.web.push_endpoint import FakeBrowserKeys, push_endpoint

LOCMEM = "django.core.mail.backends.locmem.EmailBackend"


class RefusingBackend(BaseEmailBackend):
    """An SMTP server that is down."""

    def send_messages(self, email_messages: Any) -> int:
        raise smtplib.SMTPServerDisconnected("connection refused")


@pytest.fixture
def queued_email(settings: Any) -> Any:
    settings.EMAIL_BACKEND = "counterpoint.notify.backends.QueuedEmailBackend"
    settings.EMAIL_DELIVERY_BACKEND = LOCMEM
    return settings


def test_an_email_is_stored_then_delivered_after_commit(
    world: World, queued_email: Any, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        send_mail("Subject line", "Body text", None, ["alice@example.org"])
        row = OutboundEmail.objects.get()
        assert row.status == OutboundEmail.Status.QUEUED
        assert mail.outbox == []  # nothing leaves before the transaction commits
    for callback in callbacks:
        callback()
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.SENT and row.attempts == 1
    assert row.recipient == world.alice
    assert [(m.subject, m.to) for m in mail.outbox] == [("Subject line", ["alice@example.org"])]


def test_a_failed_delivery_is_recorded_retried_and_never_sent_twice(
    world: World, queued_email: Any, django_capture_on_commit_callbacks: Any
) -> None:
    queued_email.EMAIL_DELIVERY_BACKEND = "tests.web.test_notify.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=True):
        send_mail("Hello", "Body", None, ["bob@example.org"])  # the task fails (logged by huey)
    row = OutboundEmail.objects.get()
    assert row.status == OutboundEmail.Status.QUEUED and row.attempts == 1
    assert "connection refused" in row.last_error
    queued_email.EMAIL_DELIVERY_BACKEND = LOCMEM  # the server is back: the retry delivers
    assert services.email_deliver(pk=row.pk) is True
    assert services.email_deliver(pk=row.pk) is False  # a late duplicate task sends nothing
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.SENT and row.attempts == 2
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("send", ["security alert", "notice"])
def test_an_email_is_stored_with_the_write_that_caused_it(
    world: World, queued_email: Any, send: str
) -> None:
    """A server killed between its commit and its on-commit hooks (here: the hooks never run)
    still has the email: stored in the write's own transaction, sent by the runner's requeue.
    A write that rolls back leaves no email."""
    import datetime as dt

    from django.db import transaction
    from django.utils import timezone

    from counterpoint.accounts.alerts import security_alert_send
    from counterpoint.activity.services import notice_preferences_update, notice_send

    notice_preferences_update(user=world.bob, email_when_asked=True, email_everything=True)

    def event() -> None:
        if send == "security alert":
            security_alert_send(user=world.bob, event="passkey_added")
        else:
            notice_send(recipient=world.bob, kind="fyi", message="Alice wrote back", link="/x/")

    with pytest.raises(RuntimeError), transaction.atomic():
        event()
        raise RuntimeError("the write failed")
    assert not OutboundEmail.objects.filter(recipient=world.bob).exists()

    with transaction.atomic():
        event()
    [row] = OutboundEmail.objects.filter(recipient=world.bob)
    assert row.status == OutboundEmail.Status.QUEUED and mail.outbox == []
    assert services.emails_requeue(now=timezone.now() + dt.timedelta(minutes=11)) == 1
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.SENT
    assert [m.to for m in mail.outbox] == [[world.bob.email]]


def test_an_email_gives_up_after_the_last_attempt(world: World, queued_email: Any) -> None:
    queued_email.EMAIL_DELIVERY_BACKEND = "tests.web.test_notify.RefusingBackend"
    row = OutboundEmail.objects.create(
        to=["bob@example.org"], from_email="x@y", subject="s", body="b"
    )
    for _attempt in range(services.EMAIL_MAX_ATTEMPTS):
        with pytest.raises(smtplib.SMTPException):
            services.email_deliver(pk=row.pk)
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.FAILED
    assert services.email_deliver(pk=row.pk) is False


@pytest.fixture(autouse=True)
def _no_seeded_devices(world: World) -> None:
    """Start with no device at all (other test modules seed some into the shared world)."""
    PushSubscription.objects.all().delete()


def _subscribe(user: Any, endpoint: str, keys: FakeBrowserKeys) -> PushSubscription:
    return services.push_subscription_save(
        user=user, endpoint=endpoint, p256dh=keys.p256dh, auth=keys.auth, label="test phone"
    )


def test_a_push_arrives_encrypted_and_decrypts_with_the_subscription_keys(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    keys = FakeBrowserKeys()
    with push_endpoint() as endpoint:
        sub = _subscribe(world.alice, f"{endpoint.url}/phone", keys)
        with django_capture_on_commit_callbacks(execute=True):
            count = services.push_send(
                user=world.alice,
                title="Counterpoint",
                body="Time for your check-in",
                url="/checkins/",
                ttl=3600,
            )
        assert count == 1
        [arrived] = endpoint.received
    assert arrived.path == "/phone"
    assert arrived.headers["content-encoding"] == "aes128gcm"
    assert arrived.headers["ttl"] == "3600"
    assert arrived.headers["authorization"].startswith("vapid t=")
    assert b"check-in" not in arrived.body  # encrypted on the wire
    plain = http_ece.decrypt(
        arrived.body,
        private_key=keys.private_key,
        auth_secret=keys.auth_secret,
        version="aes128gcm",
    )
    payload = json.loads(plain)
    assert payload["title"] == "Counterpoint"
    assert payload["body"] == "Time for your check-in"
    assert payload["url"] == "/checkins/"
    sub.refresh_from_db()
    assert sub.last_success_at is not None


def test_a_410_removes_that_device_and_the_others_still_get_theirs(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    with push_endpoint() as endpoint:
        gone = _subscribe(world.alice, f"{endpoint.url}/gone", FakeBrowserKeys())
        lost = _subscribe(world.alice, f"{endpoint.url}/lost", FakeBrowserKeys())
        kept = _subscribe(world.alice, f"{endpoint.url}/kept", FakeBrowserKeys())
        broken = _subscribe(world.alice, f"{endpoint.url}/broken", FakeBrowserKeys())
        endpoint.statuses.update({"/gone": 410, "/lost": 404, "/broken": 500})
        with django_capture_on_commit_callbacks(execute=True):
            services.push_send(user=world.alice, title="t", body="b", url="/", ttl=60)
        assert sorted(r.path for r in endpoint.received) == ["/broken", "/gone", "/kept", "/lost"]
    remaining = set(PushSubscription.objects.filter(user=world.alice).values_list("pk", flat=True))
    assert remaining == {kept.pk, broken.pk}  # a 500 is retried later, not removed
    assert gone.pk not in remaining and lost.pk not in remaining


def test_devices_are_listed_and_removable_only_by_their_owner(world: World) -> None:
    sub = _subscribe(world.alice, "https://push.example.invalid/abc", FakeBrowserKeys())
    alice, bob = world.client_for("A"), world.client_for("B")
    page = alice.get(reverse("notify:devices"))
    assert "test phone" in page.content.decode()
    assert "test phone" not in bob.get(reverse("notify:devices")).content.decode()
    assert bob.post(reverse("notify:device_remove", kwargs={"pk": sub.pk})).status_code == 404
    assert PushSubscription.objects.filter(pk=sub.pk).exists()
    assert alice.post(reverse("notify:device_remove", kwargs={"pk": sub.pk})).status_code == 302
    assert not PushSubscription.objects.filter(pk=sub.pk).exists()


def test_subscribing_through_the_json_endpoint(world: World) -> None:
    keys = FakeBrowserKeys()
    client = world.client_for("B")
    body = {
        "endpoint": "https://push.example.invalid/bob",
        "keys": {"p256dh": keys.p256dh, "auth": keys.auth},
        "label": "Chrome on Android",
    }
    response = client.post(
        reverse("notify:subscribe"), json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 201
    assert PushSubscription.objects.get(user=world.bob).label == "Chrome on Android"
    bad = client.post(
        reverse("notify:subscribe"), json.dumps({"endpoint": "x"}), content_type="application/json"
    )
    assert bad.status_code == 400
    assert PushSubscription.objects.filter(user=world.bob).count() == 1


def test_needs_an_answer_goes_to_devices_only_by_choice_and_says_nothing_personal(
    world: World, django_capture_on_commit_callbacks: Any
) -> None:
    from counterpoint.activity.services import notice_send

    keys = FakeBrowserKeys()
    with push_endpoint() as endpoint:
        _subscribe(world.bob, f"{endpoint.url}/bob", keys)
        with django_capture_on_commit_callbacks(execute=True):
            notice_send(
                recipient=world.bob,
                kind="x",
                message="Alice asked: SECRET",
                link="/activity/",
                needs_answer=True,
            )
        assert endpoint.received == []  # not chosen: no push
        services.notify_preferences_update(user=world.bob, values={"push_when_asked": True})
        with django_capture_on_commit_callbacks(execute=True):
            notice_send(
                recipient=world.bob,
                kind="x",
                message="Alice asked: SECRET",
                link="/activity/",
                needs_answer=True,
            )
        [arrived] = endpoint.received
    payload = json.loads(
        http_ece.decrypt(arrived.body, private_key=keys.private_key, auth_secret=keys.auth_secret)
    )
    assert payload["body"] == "Something is waiting for you"
    assert "SECRET" not in json.dumps(payload) and "Alice" not in json.dumps(payload)
    assert arrived.headers["ttl"] == str(3 * 24 * 60 * 60)


def test_the_check_in_settings_say_how_reminders_reach_this_person(world: World) -> None:
    client = world.client_for("B")
    page = client.get(reverse("checkins:settings")).content.decode()
    assert "by email to bob@example.org" in page
    _subscribe(world.bob, "https://push.example.invalid/bob-phone", FakeBrowserKeys())
    page = client.get(reverse("checkins:settings")).content.decode()
    assert "a notification on your device (test phone)" in page


def test_forgetting_an_address_deletes_the_emails_that_went_to_it_before_it_had_an_account(
    world: World, queued_email: Any
) -> None:
    send_mail("Confirm your email", "a link", None, ["Newcomer@Example.org"])  # no account yet
    send_mail("To both", "hello", None, ["newcomer@example.org", "bob@example.org"])
    send_mail("Not yet", "a link", None, ["someone@example.org"])
    send_mail("For Alice", "hello", None, ["alice@example.org"])  # names her account
    assert services.emails_to_address_forget(email="newcomer@example.org") == 1
    left = sorted(OutboundEmail.objects.values_list("subject", flat=True))
    assert left == ["For Alice", "Not yet", "To both"]  # an email with others on it is theirs too
    assert services.emails_to_address_forget(email="alice@example.org") == 0
