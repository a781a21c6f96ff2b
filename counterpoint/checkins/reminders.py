"""Daily check-in reminders: who is due, through which channel, and the signed stop/pause links."""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from counterpoint.accounts.models import User
from counterpoint.activity.services import notice_send
from counterpoint.checkins.models import CheckIn, CheckInSettings, ReminderSent
from counterpoint.notify import selectors as notify_selectors
from counterpoint.notify.services import push_send, reminders_pause

log = logging.getLogger("counterpoint.checkins")

LINK_SALT = "counterpoint.checkins.reminder-link"
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
        CheckInSettings.objects.filter(user=user).update(reminder_time=None)
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
                ReminderSent.objects.create(user=user, day=day)
                notice_send(
                    recipient=user,
                    kind="checkin_reminder",
                    message=_("A minute for today's check-in?"),
                    link=reverse("checkins:today"),
                )
                _deliver(user=user, wants_email=s.reminder_email, now=now)
        except IntegrityError:
            continue  # already sent for this day
        sent += 1
    return sent


def _deliver(*, user: User, wants_email: bool, now: dt.datetime) -> None:
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
    )
    emailed = devices == 0 or wants_email
    if emailed:
        EmailMessage(
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
        ).send(fail_silently=True)
    log.info(
        "reminder for user %s at %s local: push to %d device(s)%s",
        user.pk,
        now.astimezone(user.tzinfo).strftime("%H:%M %Z"),
        devices,
        ", email" if emailed else "",
    )
