"""The feed: a person's own notices (only ever the recipient's)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from django.db.models import QuerySet
from django.http import Http404
from django.urls import Resolver404, resolve

from counterpoint.activity.models import Notice
from counterpoint.operations.memo import memo_of_request, memoized
from counterpoint.privacy import access
from counterpoint.privacy.days import day_iso

if TYPE_CHECKING:
    from counterpoint.accounts.models import User
    from counterpoint.privacy.models import PersonalRecord


def feed_for(user: User, *, limit: int = 100) -> QuerySet[Notice]:
    return Notice.objects.filter(recipient=user)[:limit]


FEED_PAGE_SIZE = 30


@dataclass(frozen=True)
class FeedPage:
    notices: list[Notice]
    number: int
    has_older: bool

    @property
    def has_newer(self) -> bool:
        return self.number > 1


def feed_page(user: User, number: int) -> FeedPage:
    """One page of the person's notices, the newest first (``number`` from 1). One query: a row
    past the page tells whether there are older ones."""
    start = (number - 1) * FEED_PAGE_SIZE
    rows = list(Notice.objects.filter(recipient=user)[start : start + FEED_PAGE_SIZE + 1])
    return FeedPage(rows[:FEED_PAGE_SIZE], number, len(rows) > FEED_PAGE_SIZE)


def notice_for_recipient_or_404(user: User, pk: int) -> Notice:
    notice = Notice.objects.filter(recipient=user, pk=pk).first()
    if notice is None:
        raise Http404
    return notice


def leads_somewhere(user: User, link: str) -> bool:
    """Whether ``link``, a notice's address, still opens for ``user``. A notice about an item
    (a win, a plan, a request) outlives it: its author may delete it or keep it to themselves
    again, and the address then answers 404. Only an item page can be gone; any other address
    (Home, the couple's page, a study) is taken as it is. One query, only when a notice is opened.

    It tells the recipient nothing the 404 would not: whether the item was deleted or taken back
    reads the same."""
    try:
        match = resolve(link)
    except Resolver404:
        return True
    model = _item_pages().get(match.view_name)
    numbers = [value for value in match.kwargs.values() if isinstance(value, int)]
    if model is None or len(numbers) != 1:
        return True
    return access.readable(user, model).filter(pk=numbers[0]).exists()


_ITEM_PAGES: dict[str, type[PersonalRecord]] = {}


def _item_pages() -> dict[str, type[PersonalRecord]]:
    """The view name of each kind of personal record's own page, and its model: every record's
    ``get_absolute_url`` is its page reversed from its number alone (a new kind needs nothing)."""
    if not _ITEM_PAGES:
        for model in access.personal_record_models():
            page = getattr(model, "get_absolute_url", None)
            if page is None:
                continue
            _ITEM_PAGES[resolve(page(model(pk=1))).view_name] = cast("type[PersonalRecord]", model)
    return _ITEM_PAGES


def waiting_for(user: User) -> QuerySet[Notice]:
    """What still waits for the person's answer (read or not: reading is not answering), the
    oldest first: the one waiting longest is the one to answer next."""
    return Notice.objects.filter(recipient=user, needs_answer=True).order_by("created_at", "id")


def unread_counts(user: User) -> dict[str, int]:
    """Unread notices, and those still waiting for the person's answer. The navigation, Home and
    Activity all count through here, so they always show the same numbers."""
    return {"unread": unread_count(user), "waiting_for_you": waiting_for(user).count()}


def unread_count(user: User) -> int:
    """Unread notices (the navigation's badge: counted once per read-only request)."""
    return memoized(
        ("unread_count", user.pk),
        lambda: Notice.objects.filter(recipient=user, read_at__isnull=True).count(),
    )


def forget_unread_counts(user: User) -> None:
    """A read request is about to mark notices read (opening what they point to): count again."""
    memo = memo_of_request()
    if memo is not None:
        memo.pop(("unread_count", user.pk), None)


def notice_rows(user: User) -> list[dict[str, Any]]:
    return [
        {
            "id": n.pk,
            "kind": n.kind,
            "message": n.message,
            "link": n.link,
            "needs_answer": n.needs_answer,
            "day": day_iso(n.created_at, user),
            "read": n.read_at is not None,
        }
        for n in feed_for(user)
    ]
