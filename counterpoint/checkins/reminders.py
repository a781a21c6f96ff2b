"""Daily check-in reminders: who is due, through which channel, and the signed stop/pause links."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from counterpoint.accounts.models import User
from counterpoint.activity.services import notice_send
from counterpoint.checkins.models import CheckIn, CheckInSettings, ReminderSent
from counterpoint.notify import selectors as notify_selectors
from counterpoint.notify.backends import QUEUED_AS
from counterpoint.notify.services import push_send, reminders_pause
from counterpoint.operations.versions import person_scope, versions_bump

log = logging.getLogger("counterpoint.checkins")

LINK_SALT = "counterpoint.checkins.reminder-link"
REMINDER_REF = "reminder:"  # how a reminder's pushes name it (notify.services.delivery_settled)
LINK_MAX_AGE = 60 * 60 * 24 * 45  # a reminder's links keep working for 45 days
LINK_ACTIONS = ("stop", "pause")
PAUSE_DAYS = 7


def reminder_link(*, user: User, action: str) -> str:
    """An absolute, signed one-click link that stops or pauses this person's reminders."""
    token = signing.dumps({"u": user.pk, "a": action}, salt=LINK_SALT, compress=True)
    path = reverse("checkins:reminder_link", kwargs={"action": action, "token": token})
    return f"{settings.SITE_URL}{path}"


def reminder_link_user(*, action: str, token: str) -> User | None:
    """The person a link was made for, or None when it is forged, expired or for another action."""
    try:
        data = signing.loads(token, salt=LINK_SALT, max_age=LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("a") != action or action not in LINK_ACTIONS:
        return None
    pk = data.get("u")
    if not isinstance(pk, int):
        return None
    return User.objects.filter(pk=pk, is_active=True).first()


@transaction.atomic
def reminder_link_apply(*, user: User, action: str) -> dt.date | None:
    """Stop: no reminder time any more. Pause: none for a week (returns the day they resume)."""
    if action == "stop":
        stopped = CheckInSettings.objects.filter(user=user, reminder_time__isnull=False).update(
            reminder_time=None, reminder_email=False
        )
        if stopped:  # update() sends no signal, and the link is used signed out: say it here
            versions_bump(scopes=[person_scope(user.pk)])
        return None
    return reminders_pause(user=user, days=PAUSE_DAYS)


def reminders_send(*, now: dt.datetime | None = None) -> int:
    """Send every reminder that is due and not sent yet for the person's local day.

    Due: the person's local time has passed their reminder time, they have not checked in that
    day, reminders are not paused and it is not their quiet hours (a reminder that falls in quiet
    hours goes when they end, if it is still the same day). One ``ReminderSent`` row per person and
    day makes it idempotent: the task runner calls this every minute, and two overlapping runs
    never send twice.
    """
    now = now or timezone.now()
    sent = 0
    wanted = CheckInSettings.objects.filter(
        reminder_time__isnull=False, user__is_active=True
    ).select_related("user")
    for s in wanted:
        user = s.user
        local = now.astimezone(user.tzinfo)
        day = local.date()
        assert s.reminder_time is not None
        if local.time() < s.reminder_time:
            continue
        prefs = notify_selectors.preferences_of(user)
        if notify_selectors.reminders_paused(prefs, day):
            continue
        if notify_selectors.in_quiet_hours(prefs, local.time().replace(microsecond=0)):
            continue
        if CheckIn.objects.filter(author=user, day=day).exists():
            continue
        try:
            with transaction.atomic():
                reminder = ReminderSent.objects.create(user=user, day=day)
                notice_send(
                    recipient=user,
                    kind="checkin_reminder",
                    message=_("A minute for today's check-in?"),
                    link=reverse("checkins:today"),
                )
                _deliver(reminder=reminder, wants_email=s.reminder_email, now=now)
        except IntegrityError:
            continue  # already sent for this day
        sent += 1
    return sent


def _deliver(*, reminder: ReminderSent, wants_email: bool, now: dt.datetime) -> None:
    """Queue the push (each device) and, without a device or by choice, the email. The reminder
    stays "queued" until one of them is delivered (``reminder_delivery_settled``)."""
    user = reminder.user
    stop, pause = reminder_link(user=user, action="stop"), reminder_link(user=user, action="pause")
    devices = push_send(
        user=user,
        title=_("Counterpoint"),
        body=_("Time for your check-in"),
        url=reverse("checkins:today"),
        ttl=notify_selectors.seconds_left_today(user, now),
        actions=[
            {"action": "pause", "title": _("Pause for a week"), "url": pause},
            {"action": "stop", "title": _("Stop reminders"), "url": stop},
        ],
        ref=f"{REMINDER_REF}{reminder.pk}",
    )
    emailed = devices == 0 or wants_email
    fields: dict[str, object] = {"push_devices": devices}
    if emailed:
        message = EmailMessage(
            subject=_("Time for your check-in"),
            body=_(
                "A gentle reminder: today's check-in takes about a minute.\n\n"
                "Check in: %(today)s\n\n"
                "Pause these reminders for a week: %(pause)s\n"
                "Stop these reminders: %(stop)s\n"
                "Change the time or how they reach you: %(settings)s"
            )
            % {
                "today": f"{settings.SITE_URL}{reverse('checkins:today')}",
                "pause": pause,
                "stop": stop,
                "settings": f"{settings.SITE_URL}{reverse('checkins:settings')}",
            },
            to=[user.email],
            headers={
                "List-Unsubscribe": f"<{stop}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        # No fail_silently: if it cannot be queued, there is no reminder row either (this
        # transaction), and the next minute tries again.
        message.send()
        queued = getattr(message, QUEUED_AS, None)
        if queued is not None:  # stored for the task runner: "sent" once it is delivered
            fields["email_id"] = queued
        else:  # a backend that delivers at once (EMAIL_BACKEND set so) took it
            fields.update(status=ReminderSent.Status.SENT, delivered_at=timezone.now())
    ReminderSent.objects.filter(pk=reminder.pk).update(**fields)
    log.info(
        "reminder for user %s at %s local: push to %d device(s)%s",
        user.pk,
        now.astimezone(user.tzinfo).strftime("%H:%M %Z"),
        devices,
        ", email" if emailed else "",
    )


def reminder_delivery_settled(*, sender: object, ref: str, ok: bool, **_kwargs: object) -> None:
    """A push or an email of a reminder got through (the reminder is "sent") or gave up (when
    every channel it went out on gave up, it is "failed"; never "sent" before one got through)."""
    if ref.startswith(REMINDER_REF):
        found = ReminderSent.objects.filter(pk=int(ref.removeprefix(REMINDER_REF)))
    elif ref.startswith("email:"):
        found = ReminderSent.objects.filter(email_id=int(ref.removeprefix("email:")))
    else:
        return
    if ok:
        found.exclude(status=ReminderSent.Status.SENT).update(
            status=ReminderSent.Status.SENT, delivered_at=timezone.now()
        )
        return
    found.update(failed_channels=F("failed_channels") + 1)
    for reminder in found.filter(status=ReminderSent.Status.QUEUED):
        channels = reminder.push_devices + (1 if reminder.email_id else 0)
        if reminder.failed_channels >= channels:
            ReminderSent.objects.filter(pk=reminder.pk, status=ReminderSent.Status.QUEUED).update(
                status=ReminderSent.Status.FAILED
            )
