"""Sending notices (in-app, and by email when the person wants it) and reading them."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.urls import Resolver404, resolve, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from counterpoint.activity import selectors
from counterpoint.activity.models import Notice, NoticePreference
from counterpoint.notify import selectors as notify_selectors
from counterpoint.notify.services import push_send
from counterpoint.operations.versions import person_scope, versions_bump
from counterpoint.privacy import access

# A "waiting for you" push is still worth showing for three days; after that the feed has it.
NEEDS_ANSWER_PUSH_TTL = 3 * 24 * 60 * 60

if TYPE_CHECKING:
    from counterpoint.accounts.models import User
    from counterpoint.privacy.models import PersonalRecord

log = logging.getLogger(__name__)


def notice_send(
    *,
    recipient: User,
    kind: str,
    message: str,
    link: str = "",
    needs_answer: bool = False,
    about: Any = None,
) -> Notice | None:
    """Tell ``recipient`` something. With ``about`` (a personal record), nothing is sent unless
    the recipient may read that record right now: never announce what they may not see yet.

    A notice that asks for an answer (``needs_answer``) is about a record and points at its page
    (``about.get_absolute_url()``, the default link); the service that records the answer
    resolves it with :func:`notices_answered`.

    A closed account (deleted by the task runner in a few minutes) is told nothing: no notice, no
    email, no push."""
    if not recipient.is_active:
        return None
    if needs_answer and about is not None and not link:
        link = about.get_absolute_url()
    if about is not None:
        from counterpoint.privacy.access import can_read

        if not can_read(recipient, about):
            return None
    notice = Notice.objects.create(
        recipient=recipient,
        kind=kind,
        message=message[:300],
        link=link,
        needs_answer=needs_answer,
    )
    prefs = notice_preferences(user=recipient)
    if (needs_answer and prefs.email_when_asked) or prefs.email_everything:
        _notice_email(notice)  # stored with this write; delivered once it commits
    if needs_answer and notify_selectors.preferences_of(recipient).push_when_asked:
        push_send(
            user=recipient,
            title=_("Counterpoint"),
            body=_("Something is waiting for you"),  # neutral: lock screens are seen by others
            url=notice.link or "/activity/",
            ttl=NEEDS_ANSWER_PUSH_TTL,
        )
    return notice


def _notice_email(notice: Notice) -> None:
    """Email a notice just made (its recipient is loaded); marks it emailed once stored."""
    # the notice's own address, which checks that what it points to is still there when followed
    url = (
        f"{settings.SITE_URL}{reverse('activity:follow', args=[notice.pk])}"
        if notice.link
        else settings.SITE_URL
    )
    preferences_url = f"{settings.SITE_URL}{reverse('activity:preferences')}"
    # One line, whatever the message holds (a header with a line break is refused outright).
    subject = " ".join((_("Counterpoint: %(message)s") % {"message": notice.message[:80]}).split())
    try:
        with transaction.atomic():  # a savepoint: a failed email never undoes the notice
            sent = send_mail(
                subject=subject,
                message=_(
                    "%(message)s\n\nOpen it in Counterpoint: %(url)s\n\n"
                    "You can change which emails you get under Activity → Email preferences: %(prefs)s"
                )
                % {"message": notice.message, "url": url, "prefs": preferences_url},
                from_email=None,
                recipient_list=[notice.recipient.email],
            )
    except Exception:  # any mail failure: log it, and never mark the notice as emailed
        log.exception("Notice %s: email not sent", notice.pk)
        return
    if sent:
        Notice.objects.filter(pk=notice.pk).update(emailed_at=timezone.now())


def notice_preferences(*, user: User) -> NoticePreference:
    prefs, _created = NoticePreference.objects.get_or_create(user=user)
    return prefs


def notice_preferences_update(
    *, user: User, email_when_asked: bool, email_everything: bool
) -> NoticePreference:
    with transaction.atomic():
        prefs = notice_preferences(user=user)
        prefs.email_when_asked = email_when_asked
        prefs.email_everything = email_everything
        prefs.save()
    return prefs


def notice_open(*, user: User, notice: Notice) -> None:
    if notice.recipient_id == user.pk and notice.read_at is None:
        Notice.objects.filter(pk=notice.pk).update(read_at=timezone.now())


def notices_mark_read(*, user: User) -> int:
    return Notice.objects.filter(recipient=user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def unread_count(*, user: User) -> int:
    return selectors.unread_count(user)


def notices_seen(*, user: User, link: str) -> int:
    """The person opened the thing these notices point to: they are read (only in their own feed;
    nobody else learns of it)."""
    selectors.forget_unread_counts(user)
    return Notice.objects.filter(recipient=user, link=link, read_at__isnull=True).update(
        read_at=timezone.now()
    )


def notices_moot(*, user: User, about: Iterable[Any]) -> int:
    """What waited for ``user`` about these items no longer can: they were taken back (made
    "Only me" again) and ``user`` can no longer open them, their couple is ending
    (:func:`notices_couple_ending`), or the partner finished them (a plan done or deleted, a
    decision recorded, a repair closed, a boundary set aside: nothing is left to answer). Called only when ``user`` could read them until now, so it
    tells them nothing the items' vanishing, or the couple's ending, does not.

    They stop waiting but are not read: nobody read them, and ``read_at`` is the recipient's own
    act, exported to the second, so stamping it here would give them the exact moment of someone
    else's (the partner taking an item back, or ending the couple)."""
    links = {item.get_absolute_url() for item in about if hasattr(item, "get_absolute_url")}
    if not links:
        return 0
    selectors.forget_unread_counts(user)
    return Notice.objects.filter(recipient=user, link__in=links, needs_answer=True).update(
        needs_answer=False
    )


def notices_couple_ending(*, couple_id: int, members: Iterable[User]) -> int:
    """The couple ``couple_id`` is ending: from then on nothing of theirs can be answered. What one
    shared "with my partner" becomes the author's alone (the other gets a 404) and what they
    co-owned a read-only archive, so whatever waits for a member about one of the couple's items
    stops waiting, whatever the practice.

    Called in the unpairing's transaction just before the couple ends, for the members' own
    notices about items each of them may read until then (the access layer decides), so it tells
    nobody anything the couple's ending does not. The items are found from the notices' links
    (every notice that asks for an answer points at its item's page, see :func:`notice_send`),
    so a new kind of item needs nothing here."""
    moot = 0
    for member in members:
        links = set(
            Notice.objects.filter(recipient=member, needs_answer=True).values_list(
                "link", flat=True
            )
        )
        answered = notices_moot(user=member, about=_couple_items_at(member, links, couple_id))
        if answered:  # update() sends no signal: the member's own pages count again
            versions_bump(scopes=[person_scope(member.pk)])
        moot += answered
    return moot


def _couple_items_at(user: User, links: set[str], couple_id: int) -> list[Any]:
    """The couple's items that ``user`` may read now whose pages are among ``links``."""
    numbers: set[int] = set()
    for link in links:
        try:
            match = resolve(link)
        except Resolver404:  # "/couple/", an address outside the app: no item
            continue
        numbers.update(value for value in match.kwargs.values() if isinstance(value, int))
    if not numbers:
        return []
    items: list[Any] = []
    for model in access.personal_record_models():
        if not hasattr(model, "get_absolute_url"):
            continue
        records = cast("type[PersonalRecord]", model)
        rows = access.readable(user, records).filter(couple_id=couple_id, pk__in=numbers)
        for row in rows:
            item: Any = row  # a record with a page (checked above)
            if item.get_absolute_url() in links:
                items.append(item)
    return items


def notices_answered(*, user: User, about: Any) -> int:
    """``user`` did what was asked of them about ``about`` (answered, acknowledged, confirmed, or
    there is nothing left to answer): it no longer waits for them. Called by the service that
    records the answer, never by a page being opened (reading is not answering), and only for the
    person who acted: what someone else's act ends goes through :func:`notices_moot`, which
    leaves it unread (its ``read_at`` would give that act's exact time in their export). A notice
    read earlier keeps the time it was read."""
    return Notice.objects.filter(
        recipient=user, link=about.get_absolute_url(), needs_answer=True
    ).update(needs_answer=False, read_at=Coalesce("read_at", Value(timezone.now())))
