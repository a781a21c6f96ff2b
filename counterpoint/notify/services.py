"""Writes for notifications: queue and deliver email, send web push, keep devices and quiet hours."""

from __future__ import annotations

import base64
import datetime as dt
import json
import logging
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.dispatch import Signal
from django.utils import timezone
from django.utils.translation import gettext as _

from counterpoint.notify.models import (
    NotifyPreference,
    OutboundEmail,
    PushMessage,
    PushSubscription,
)

if TYPE_CHECKING:
    from django.contrib.sessions.backends.base import SessionBase

    from counterpoint.accounts.models import User

log = logging.getLogger("counterpoint.notify")
# Sent when a browser not seen before subscribes to someone's notifications (accounts emails the
# owner about it; notify sits below accounts, so it announces rather than calls).
push_device_added = Signal()
# Sent when a delivery is settled: ``ref`` names what was delivered ("email:<pk>", or the ``ref``
# given to push_send), ``ok`` whether it got through. Callers above notify (reminders) listen to
# record what really reached a person; a failure that will be retried sends nothing yet.
delivery_settled = Signal()

EMAIL_MAX_ATTEMPTS = 5
Status = OutboundEmail.Status


# -- email ------------------------------------------------------------------------------------------
def email_queue(*, message: EmailMessage) -> OutboundEmail:
    """Store an email and have the task runner deliver it once the current transaction commits."""
    to = [str(address) for address in message.to]
    users = get_user_model()._default_manager
    recipient = users.filter(email__iexact=to[0]).first() if len(to) == 1 else None
    row = OutboundEmail.objects.create(
        recipient=recipient,
        to=to,
        from_email=str(message.from_email or settings.DEFAULT_FROM_EMAIL),
        subject=str(message.subject)[:300],
        body=str(message.body),
        headers={str(k): str(v) for k, v in (message.extra_headers or {}).items()},
    )
    from counterpoint.notify import tasks

    pk = row.pk
    transaction.on_commit(lambda: tasks.deliver_email(pk))
    return row


def emails_to_address_forget(*, email: str) -> int:
    """Delete the stored emails that went to this address alone while no account had it (the
    sign-up link: the account did not exist yet, so ``recipient`` is empty). Account deletion
    calls it; the emails that name the account as recipient go with it by their key."""
    address = email.strip().lower()
    rows = OutboundEmail.objects.filter(recipient__isnull=True, to__icontains=address)
    alone = [pk for pk, to in rows.values_list("pk", "to") if _addresses(to) == [address]]
    return OutboundEmail.objects.filter(pk__in=alone).delete()[0]


def _addresses(to: object) -> list[str]:
    return [str(a).strip().lower() for a in to] if isinstance(to, list) else []


def email_deliver(*, pk: int) -> bool:
    """Send one stored email through the real backend. Raises on failure so the runner retries;
    a row that another worker claimed or already sent is left alone (never sent twice)."""
    claimed = OutboundEmail.objects.filter(pk=pk, status=Status.QUEUED).update(
        status=Status.SENDING, attempts=F("attempts") + 1
    )
    if not claimed:
        return False
    row = OutboundEmail.objects.get(pk=pk)
    message = EmailMessage(
        subject=row.subject,
        body=row.body,
        from_email=row.from_email,
        to=row.to,
        headers=row.headers,
        connection=get_connection(settings.EMAIL_DELIVERY_BACKEND),
    )
    try:
        message.send()
    except Exception as exc:
        final = row.attempts >= EMAIL_MAX_ATTEMPTS
        OutboundEmail.objects.filter(pk=pk).update(
            status=Status.FAILED if final else Status.QUEUED,
            last_error=f"{type(exc).__name__}: {exc}"[:300],
        )
        log.warning("email %s attempt %s failed: %s", pk, row.attempts, exc)
        if final:
            delivery_settled.send(sender=OutboundEmail, ref=f"email:{pk}", ok=False)
        raise
    OutboundEmail.objects.filter(pk=pk).update(
        status=Status.SENT, sent_at=timezone.now(), last_error=""
    )
    delivery_settled.send(sender=OutboundEmail, ref=f"email:{pk}", ok=True)
    log.info("email %s sent to %s: %s", pk, ", ".join(row.to), row.subject)
    return True


def emails_requeue(*, now: dt.datetime | None = None) -> int:
    """Pick up emails whose delivery task got lost (a stopped worker, a wiped queue)."""
    now = now or timezone.now()
    OutboundEmail.objects.filter(
        status=Status.SENDING, created_at__lt=now - dt.timedelta(minutes=30)
    ).update(status=Status.QUEUED)
    stale = list(
        OutboundEmail.objects.filter(
            status=Status.QUEUED,
            created_at__lt=now - dt.timedelta(minutes=10),
            attempts__lt=EMAIL_MAX_ATTEMPTS,
        ).values_list("pk", flat=True)[:200]
    )
    from counterpoint.notify import tasks

    for pk in stale:
        tasks.deliver_email(pk)
    OutboundEmail.objects.filter(
        status=Status.SENT, created_at__lt=now - dt.timedelta(days=settings.EMAIL_RECORD_DAYS)
    ).delete()
    return len(stale)


# -- web push ---------------------------------------------------------------------------------------
def push_subscription_save(
    *, user: User, endpoint: str, p256dh: str, auth: str, label: str = ""
) -> PushSubscription:
    """Remember this device for this person. A browser that re-subscribes replaces its old entry
    (an endpoint belongs to one browser profile, so it moves to whoever signed in there last)."""
    if not endpoint.startswith(("https://", "http://")) or not _keys_look_right(p256dh, auth):
        raise ValidationError(_("This browser sent an incomplete subscription."))
    _fits("endpoint", endpoint, _("The subscription's address"))
    _fits("label", label, _("The device's name"))
    with transaction.atomic():
        sub, created = PushSubscription.objects.update_or_create(
            endpoint=endpoint,
            defaults={"user": user, "p256dh": p256dh, "auth": auth, "label": label},
        )
        if created:
            push_device_added.send(sender=PushSubscription, user=user)
    return sub


def _fits(name: str, value: str, what: str) -> None:
    """Refuse (never cut) text longer than its column, and text no column stores."""
    limit = getattr(PushSubscription._meta.get_field(name), "max_length", None)
    if limit is not None and len(value) > limit:
        raise ValidationError(
            _("%(what)s is too long: %(length)d characters, at most %(limit)d.")
            % {"what": what, "length": len(value), "limit": limit}
        )
    if "\x00" in value:
        raise ValidationError(_("The subscription holds a NUL character."))


def _keys_look_right(p256dh: str, auth: str) -> bool:
    """A P-256 public point (65 bytes, uncompressed) and a 16-byte secret, base64url-encoded.

    Strictly: characters outside the base64url alphabet are refused, not skipped.
    """
    try:
        point = base64.b64decode(p256dh + "=" * (-len(p256dh) % 4), altchars=b"-_", validate=True)
        secret = base64.b64decode(auth + "=" * (-len(auth) % 4), altchars=b"-_", validate=True)
    except (ValueError, TypeError):
        return False
    return len(point) == 65 and point[0] == 4 and len(secret) == 16


# The session keeps the numbers of the subscriptions made while it was signed in: signing out of
# this browser stops its notifications (a shared device must not show the next person's
# partner-facing reminders), and "sign out everywhere else" stops every other browser's.
SESSION_DEVICES_KEY = "push_devices"


def _session_devices(session: SessionBase) -> list[int]:
    return [n for n in session.get(SESSION_DEVICES_KEY, []) if isinstance(n, int)]


def session_device_add(*, session: SessionBase, pk: int) -> None:
    """Remember in this browser's session that it subscribed (``push_subscription_save``)."""
    devices = _session_devices(session)
    if pk not in devices:
        session[SESSION_DEVICES_KEY] = [*devices, pk]


def session_devices_forget(*, user: User, session: SessionBase) -> int:
    """Stop notifications to the browsers that subscribed in this session: at sign-out."""
    devices = _session_devices(session)
    if not devices:
        return 0
    removed, _rows = PushSubscription.objects.filter(user=user, pk__in=devices).delete()
    return removed


def devices_forget_except_session(*, user: User, session: SessionBase) -> int:
    """Stop notifications to every browser but those that subscribed in this session: when the
    person signs out everywhere else (a subscription made before sessions kept their devices
    cannot be told apart from another browser's, so it goes too; this browser subscribes again)."""
    keep = _session_devices(session)
    removed, _rows = PushSubscription.objects.filter(user=user).exclude(pk__in=keep).delete()
    return removed


def push_subscription_remove(*, user: User, pk: int) -> bool:
    deleted, _rows = PushSubscription.objects.filter(user=user, pk=pk).delete()
    return bool(deleted)


PUSH_MAX_ATTEMPTS = 4
# A worker holds a message this long while it tries (webpush's own timeout is 10 s); a second
# task for the same message inside that time leaves it alone.
PUSH_CLAIM_SECONDS = 60
# pushes_requeue (every minute) sends again a message never tried this long after it was written,
# or tried this long ago and still queued: its task was lost with a killed worker or a wiped queue.
PUSH_REQUEUE_UNTRIED = dt.timedelta(minutes=2)
PUSH_REQUEUE_TRIED = dt.timedelta(minutes=5)
PUSH_RECORD_DAYS = 2


def push_send(
    *,
    user: User,
    title: str,
    body: str,
    url: str,
    ttl: int,
    actions: list[dict[str, str]] | None = None,
    ref: str = "",
) -> int:
    """Store one push per device of ``user`` with the caller's write (same transaction) and have the
    task runner deliver them once it commits; returns how many devices. Texts must be neutral: a
    lock screen is seen by others. ``ref`` comes back with ``delivery_settled``."""
    payload = json.dumps({"title": title, "body": body, "url": url, "actions": actions or []})
    from counterpoint.notify import tasks

    pks = [
        PushMessage.objects.create(
            user=user, subscription_id=sub_pk, payload=payload, ttl=max(ttl, 0), ref=ref
        ).pk
        for sub_pk in user.push_subscriptions.values_list("pk", flat=True)
    ]

    def enqueue() -> None:
        for pk in pks:  # one task per device: one failing never holds up the others
            tasks.send_push_message(pk)

    transaction.on_commit(enqueue)
    return len(pks)


def push_deliver(*, pk: int, now: dt.datetime | None = None) -> str:
    """Send one stored push to its device: "sent", "gone" (the device was removed, or the push
    service answered 404/410: the browser dropped it), "expired" (its time to live passed before
    it could go), "failed" (the last attempt failed) or "" (already sent, or another worker holds
    it). Other failures raise, so the runner retries this device alone."""
    from py_vapid import Vapid02
    from pywebpush import WebPushException, webpush

    from counterpoint.notify.keys import vapid_private_pem

    now = now or timezone.now()
    PushStatus = PushMessage.Status
    claimed = (
        PushMessage.objects.filter(pk=pk, status=PushStatus.QUEUED)
        .filter(
            Q(tried_at__isnull=True)
            | Q(tried_at__lt=now - dt.timedelta(seconds=PUSH_CLAIM_SECONDS))
        )
        .update(attempts=F("attempts") + 1, tried_at=now)
    )
    if not claimed:
        return ""
    message = PushMessage.objects.select_related("subscription").get(pk=pk)

    def settle(status: str, *, ok: bool) -> str:
        fields: dict[str, object] = {"status": status}
        if ok:
            fields["sent_at"] = timezone.now()
        PushMessage.objects.filter(pk=pk).update(**fields)
        if message.ref:
            delivery_settled.send(sender=PushMessage, ref=message.ref, ok=ok)
        return str(status)

    sub = message.subscription
    if sub is None or sub.user_id != message.user_id:
        # Removed, or moved to whoever signed in on that browser since (push_subscription_save):
        # what was meant for one person never reaches the next one's device.
        return settle(PushStatus.GONE, ok=False)
    ttl_left = message.ttl - int((now - message.created_at).total_seconds())
    if ttl_left <= 0:
        return settle(PushStatus.EXPIRED, ok=False)
    try:
        webpush(
            sub.as_info(),
            data=message.payload,
            vapid_private_key=Vapid02.from_pem(vapid_private_pem()),
            vapid_claims={"sub": settings.VAPID_SUBJECT},
            # the push service keeps only the newest undelivered message of a topic: a message
            # sent again (a retry, a requeue) never reaches the device twice while it is away
            headers={"Topic": f"m{message.pk}"},
            ttl=ttl_left,
            timeout=10,
        )
    except Exception as exc:  # an answer other than 2xx, or none (unreachable, a timeout)
        status = getattr(getattr(exc, "response", None), "status_code", None)
        if isinstance(exc, WebPushException) and status in (404, 410):
            sub.delete()
            log.info("push subscription %s gone (%s): removed", sub.pk, status)
            return settle(PushStatus.GONE, ok=False)
        log.warning("push %s to subscription %s failed: %s", pk, sub.pk, status or exc)
        if message.attempts >= PUSH_MAX_ATTEMPTS:
            return settle(PushStatus.FAILED, ok=False)
        raise
    PushSubscription.objects.filter(pk=sub.pk).update(last_success_at=timezone.now())
    log.info("push %s sent to subscription %s (ttl %ss)", pk, sub.pk, ttl_left)
    return settle(PushStatus.SENT, ok=True)


def push_deliver_queued_before_upgrade(
    *, subscription_pk: int, payload: str, ttl: int, ref: str = ""
) -> str:
    """Deliver a task of the old shape (the push itself, not a stored row's id): store it as a
    row, then deliver that, so a queue that outlived an upgrade still reaches the device."""
    sub = PushSubscription.objects.filter(pk=subscription_pk).first()
    if sub is None:
        if ref:
            delivery_settled.send(sender=PushMessage, ref=ref, ok=False)
        return str(PushMessage.Status.GONE)
    message = PushMessage.objects.create(
        user_id=sub.user_id, subscription=sub, payload=payload, ttl=max(ttl, 0), ref=ref
    )
    return push_deliver(pk=message.pk)


def pushes_requeue(*, now: dt.datetime | None = None) -> int:
    """Send again the pushes whose delivery task got lost (a killed worker, a wiped queue), and
    forget settled ones after PUSH_RECORD_DAYS. Returns how many were queued again."""
    now = now or timezone.now()
    PushStatus = PushMessage.Status
    lost = list(
        PushMessage.objects.filter(status=PushStatus.QUEUED, attempts__lt=PUSH_MAX_ATTEMPTS)
        .filter(
            Q(tried_at__isnull=True, created_at__lt=now - PUSH_REQUEUE_UNTRIED)
            | Q(tried_at__lt=now - PUSH_REQUEUE_TRIED)
        )
        .values_list("pk", flat=True)[:500]
    )
    from counterpoint.notify import tasks

    for pk in lost:
        tasks.send_push_message(pk)
    PushMessage.objects.exclude(status=PushStatus.QUEUED).filter(
        created_at__lt=now - dt.timedelta(days=PUSH_RECORD_DAYS)
    ).delete()
    return len(lost)


# -- preferences ------------------------------------------------------------------------------------
def notify_preferences(*, user: User) -> NotifyPreference:
    prefs, _created = NotifyPreference.objects.get_or_create(user=user)
    return prefs


def notify_preferences_update(*, user: User, values: dict[str, Any]) -> NotifyPreference:
    with transaction.atomic():
        prefs = notify_preferences(user=user)
        for field in ("quiet_start", "quiet_end", "push_when_asked"):
            if field in values:
                setattr(prefs, field, values[field])
        prefs.save()
    return prefs


def reminders_pause(*, user: User, days: int) -> dt.date:
    until = user.local_today() + dt.timedelta(days=days)
    prefs = notify_preferences(user=user)
    prefs.reminders_paused_until = until
    prefs.save(update_fields=["reminders_paused_until"])
    return until


def reminders_resume(*, user: User) -> None:
    NotifyPreference.objects.filter(user=user).update(reminders_paused_until=None)
