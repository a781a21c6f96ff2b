"""How a prompt reaches a participant: web push to their devices, email when they have none.

Both go through ``counterpoint.notify`` (push_send queues one task per device; the email backend
stores the message and the task runner delivers it). Texts are neutral: a lock screen is seen by
others, so a push never names the study or the questions. During the person's quiet hours the
prompt is only shown in the app (the log says so).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.mail import EmailMessage
from django.urls import reverse
from django.utils.translation import gettext as _

from counterpoint.notify import selectors as notify_selectors
from counterpoint.notify.services import push_send
from counterpoint.research.models import Prompt, PromptEvent


def deliver_prompt(*, prompt: Prompt, reminder: bool, now: dt.datetime) -> str:
    """Push to the participant's devices, or email when they have none; returns the channel."""
    user = prompt.participant.user
    url = reverse("research:answer", args=[prompt.pk])
    prefs = notify_selectors.preferences_of(user)
    local = now.astimezone(user.tzinfo).time().replace(microsecond=0)
    if notify_selectors.in_quiet_hours(prefs, local):
        channel = "in the app only (quiet hours)"
    else:
        ttl = max(int((prompt.closes_at - now).total_seconds()), 60)
        devices = push_send(
            user=user,
            title=_("Counterpoint"),
            body=_("A study question is waiting (a minute or two)")
            if not reminder
            else _("Still time to answer the study question"),
            url=url,
            ttl=ttl,
        )
        if devices:
            channel = f"push to {devices} device(s)"
        else:
            EmailMessage(
                subject=_("A study question is waiting"),
                body=_(
                    "A question from a study you take part in is open until %(until)s "
                    "(your time).\n\nAnswer: %(url)s\n\nYou can leave the study at any time: "
                    "%(mine)s\n"
                )
                % {
                    "until": prompt.closes_at.astimezone(user.tzinfo).strftime("%H:%M"),
                    "url": f"{settings.SITE_URL}{url}",
                    "mine": f"{settings.SITE_URL}{reverse('research:mine')}",
                },
                to=[user.email],
            ).send(fail_silently=True)
            channel = "email"
    PromptEvent.objects.filter(
        prompt=prompt, at=now, to_state="reminded" if reminder else "sent"
    ).update(detail={"channel": channel})
    return channel
