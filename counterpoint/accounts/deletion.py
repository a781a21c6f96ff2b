"""Deleting an account whose data is too large for one request.

Almost every account goes in the request that asks for it (``services.account_delete``). A
researcher's account takes their studies with it, and what each participant gave a study is kept
for that participant (``privacy.kept``): for a study of many couples that is tens of thousands of
rows, time that grows with the study until it outlasts the web server's timeout, in one
transaction that holds SQLite's write lock throughout.

Such a part of an account is a *large part*, registered by the feature that owns it
(:func:`large_part`; research registers the studies a person runs). When an account's large parts
hold more than ``settings.ACCOUNT_DELETE_IN_REQUEST_ROWS`` rows, the request does everything else
as before and closes the account: no password, inactive, every device signed out, each large part
stopped (``begin``: a study's participants are told it ended and it sends nothing more), and its
address is free at once. The task runner then deletes the large parts a batch at a time, each batch
in its own short transaction and kept for others exactly as the whole would be, and the account
last (:func:`account_deletion_finish`). A batch that fails or a worker killed mid-batch leaves the
batch as it was; the task runner's sweep (every minute) starts again from what is left, so an
acknowledged deletion always completes.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from counterpoint.accounts.models import User
from counterpoint.operations.versions import versions_forget_person
from counterpoint.privacy.kept import delete_keeping, deleting_as

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LargePart:
    """Something an account takes with it that may be too large to delete in one request.

    ``size``: how many rows it would delete (a cheap count). ``begin``: in the request, inside its
    transaction, stop it (tell whoever must be told; send nothing more). ``batches``: what is left
    of it, as querysets to delete one at a time (each of a bounded size)."""

    name: str
    size: Callable[[User], int]
    begin: Callable[[User], None]
    batches: Callable[[User], Iterator[QuerySet[Any]]]


_PARTS: dict[str, LargePart] = {}


def large_part(part: LargePart) -> None:
    """Register a large part (from an app's ``ready``; registering a name again replaces it)."""
    _PARTS[part.name] = part


_CLOSING: dict[str, Callable[[User], None]] = {}


def on_close(name: str, step: Callable[[User], None]) -> None:
    """Register what a feature ends at once when an account is closed, rather than when the task
    runner deletes it: whatever would show others the person, or reach them, in between (a
    professional's name on a couple's page). Registering a name again replaces it."""
    _CLOSING[name] = step


def closed_address(pk: int) -> str:
    """The address a closed account holds until it is deleted: the person's own is free at once
    (to sign up again), and nothing can be sent to this one (``.invalid`` is never a domain)."""
    return f"closed-{pk}@deleted.invalid"


def large_parts_size(user: User) -> int:
    return sum(part.size(user) for part in _PARTS.values())


def deletes_in_the_background(user: User) -> bool:
    """Whether deleting ``user`` is too large for one request."""
    return large_parts_size(user) > settings.ACCOUNT_DELETE_IN_REQUEST_ROWS


def account_close(user: User) -> None:
    """In the deletion's request and transaction: stop the large parts and close the account, so
    that nobody can sign in to it and nothing more happens in it, until the task runner has
    deleted it (on commit, and the sweep)."""
    for part in _PARTS.values():
        part.begin(user)
    for step in _CLOSING.values():
        step(user)
    user.push_subscriptions.all().delete()  # no device hears from a closed account
    # a new (unusable) password also ends any session signed with the old one
    User.objects.filter(pk=user.pk).update(
        is_active=False,
        password=make_password(None),
        email=closed_address(user.pk),
        deletion_requested_at=timezone.now(),
    )
    pk = user.pk
    transaction.on_commit(lambda: _enqueue(pk))


def _enqueue(pk: int) -> None:
    from counterpoint.accounts.tasks import finish_account_deletion

    finish_account_deletion(pk)


def account_deletion_finish(pk: int) -> bool:
    """Delete what is left of a closed account: each large part a batch at a time, then the
    account (and what goes with it, as in the request). Safe to run twice, or two at once: a
    batch already deleted is simply not found. False when there is no such account waiting."""
    user = User.objects.filter(pk=pk, deletion_requested_at__isnull=False).first()
    if user is None:
        return False
    batches = 0
    with deleting_as(user):
        for part in _PARTS.values():
            for batch in part.batches(user):
                with transaction.atomic():
                    if not _claimed(pk):
                        return False
                    delete_keeping(batch)  # read here, after the claim: only what is left
                batches += 1
    with transaction.atomic():
        if not _claimed(pk):
            return False
        delete_keeping(user)
        versions_forget_person(pk)
    log.info("account %s deleted in the background (%d batches)", pk, batches)
    return True


def _claimed(pk: int) -> bool:
    """Inside a batch's transaction: lock the closed account's row, so that two finishers (the
    task and the sweep) take turns batch by batch, and the second finds what the first deleted
    gone rather than keeping it twice. False once the account is gone."""
    return bool(list(User.objects.select_for_update().filter(pk=pk).values_list("pk", flat=True)))


def account_deletions_finish() -> int:
    """The task runner's sweep: finish every account deletion still waiting (one whose task was
    lost, or failed). Returns how many were finished."""
    waiting = User.objects.filter(deletion_requested_at__isnull=False).order_by(
        "deletion_requested_at"
    )
    finished = 0
    for pk in list(waiting.values_list("pk", flat=True)):
        try:
            finished += account_deletion_finish(pk)
        except Exception:  # one that fails (logged, tried again next minute) stops no other
            log.exception("account %s: the deletion failed; it is tried again in a minute", pk)
    return finished
