from __future__ import annotations

from django.utils import timezone

from counterpoint.accounts.models import User
from counterpoint.activity.models import Notice


def notice_send(*, recipient: User, kind: str, message: str, link: str = "") -> Notice:
    return Notice.objects.create(recipient=recipient, kind=kind, message=message, link=link)


def notices_mark_read(*, user: User) -> int:
    return Notice.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def unread_count(*, user: User) -> int:
    return Notice.objects.filter(recipient=user, read_at__isnull=True).count()
