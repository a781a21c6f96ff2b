"""The one place that decides who may see or change personal data.

Every view reaches personal records through these helpers. They take the requesting user and
return only what that user may know exists; anything else is a 404 (never a 403, which would
confirm that the thing exists).

The rules:

* **private**: only its author, ever.
* **partner**: its author, and the other member of the couple it was written in, while that couple
  is still together. After unpairing it is the author's alone again.
* **couple** (co-owned): every member the couple ever had, including after unpairing (the archive).
  Only members of a couple that is still together may change it.

A **partner's item** is one the current partner wrote in the couple and the user may read: the only
kind a person acknowledges, confirms, answers or encourages (`is_partners_item`).

Anonymous visitors and people in other couples see nothing. A therapist is a plain user here and
sees nothing; consented aggregates come through their own selectors, never through these.

A **researcher** reads only what was given to a study they run (`study_readable`): the answers a
participant submitted to its prompts after consenting, and the study's own records (consents,
prompts, their log). Nothing else of anyone's app data (journal, practices, check-ins) is ever
reachable this way.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar, cast

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from counterpoint.couples.selectors import active_couple, couple_ids_ever
from counterpoint.privacy.models import PersonalRecord, Visibility

if TYPE_CHECKING:
    from counterpoint.accounts.models import User

R = TypeVar("R", bound=PersonalRecord)
M = TypeVar("M", bound=Model)


def _queryset(source: type[R] | QuerySet[R]) -> QuerySet[R]:
    if isinstance(source, QuerySet):
        return source
    return cast("QuerySet[R]", source._default_manager.all())


def readable_q(user: User) -> Q:
    """A filter matching the records ``user`` may read."""
    if not user.is_authenticated:
        return Q(pk__in=[])
    rule = Q(author=user)
    couple = active_couple(user)
    ever = couple_ids_ever(user)
    if couple is not None and isinstance(ever, list) and ever == [couple.pk]:
        # in one couple, ever: the two rules below in one (the partner's shared, and the couple's)
        return rule | Q(couple_id=couple.pk, visibility__in=_SHARED_WITH_THE_COUPLE)
    if couple is not None:
        rule |= Q(visibility=Visibility.PARTNER, couple=couple)
    rule |= Q(visibility=Visibility.COUPLE, couple__in=ever)
    return rule


_SHARED_WITH_THE_COUPLE = (Visibility.PARTNER, Visibility.COUPLE)


def readable(user: User, source: type[R] | QuerySet[R]) -> QuerySet[R]:
    """The records in ``source`` that ``user`` may read."""
    return _queryset(source).filter(readable_q(user))


def own(user: User, source: type[R] | QuerySet[R]) -> QuerySet[R]:
    """The records in ``source`` that ``user`` wrote: ``readable(user, source)`` narrowed to the
    author, without building the partner's and the couple's rules only to rule them out."""
    if not user.is_authenticated:
        return _queryset(source).none()
    return _queryset(source).filter(author=user)


def get_readable_or_404(user: User, source: type[R] | QuerySet[R], **lookup: object) -> R:
    try:
        return readable(user, source).get(**lookup)
    except (_queryset(source).model.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def get_own_or_404(user: User, source: type[R] | QuerySet[R], **lookup: object) -> R:
    """A record only its author may change (individual items: autonomy is enforced here)."""
    if not user.is_authenticated:
        raise Http404
    try:
        return _queryset(source).get(author=user, **lookup)
    except (_queryset(source).model.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def get_couple_writable_or_404(user: User, source: type[R] | QuerySet[R], **lookup: object) -> R:
    """A co-owned record either member of a couple that is still together may change."""
    couple = active_couple(user)
    if couple is None:
        raise Http404
    try:
        return _queryset(source).get(visibility=Visibility.COUPLE, couple=couple, **lookup)
    except (_queryset(source).model.DoesNotExist, ValueError) as exc:
        raise Http404 from exc


def can_read(user: User, record: PersonalRecord) -> bool:
    return readable(user, type(record)).filter(pk=record.pk).exists()


def is_partners_item(user: User, record: PersonalRecord) -> bool:
    """The user's current partner wrote ``record`` in their couple and the user may read it: the
    one kind of item a person answers (acknowledges, confirms, answers, encourages)."""
    if not user.is_authenticated or record.author_id is None or record.author_id == user.pk:
        return False
    couple = active_couple(user)
    return couple is not None and record.couple_id == couple.pk and can_read(user, record)


def get_partners_or_404(user: User, source: type[R] | QuerySet[R], **lookup: object) -> R:
    """A record of the user's current partner that the user may answer (see is_partners_item)."""
    record = get_readable_or_404(user, source, **lookup)
    if not is_partners_item(user, record):
        raise Http404
    return record


def can_edit(user: User, record: PersonalRecord) -> bool:
    if not user.is_authenticated:
        return False
    if record.visibility == Visibility.COUPLE:
        couple = active_couple(user)
        return couple is not None and record.couple_id == couple.pk
    return record.author_id == user.pk


def stamp_new_record(user: User, record: PersonalRecord) -> None:
    """Set author and couple on a record about to be created by ``user``."""
    record.author = user
    record.couple = active_couple(user)
    stamp_visibility(user, record)


def stamp_visibility(user: User, record: PersonalRecord) -> None:
    """Tie partner-shared records to the author's current couple; keep a record private when
    there is nobody to share it with."""
    if record.visibility == Visibility.PARTNER:
        record.couple = active_couple(user)
    if record.visibility in (Visibility.PARTNER, Visibility.COUPLE) and record.couple is None:
        # Nobody to share with: keep it private rather than pretend it is shared.
        record.visibility = Visibility.PRIVATE


def shown_visibility(record: PersonalRecord) -> str:
    """The visibility a record has in effect: one shared with a partner of a couple that has since
    ended is nobody's but its author's, and edit forms show it as "Only me"."""
    if record.visibility == Visibility.PARTNER:
        couple = record.couple
        if couple is None or couple.ended_at is not None:
            return Visibility.PRIVATE
    return record.visibility


def visibility_change(user: User, record: PersonalRecord, *, visibility: str) -> None:
    """Apply the visibility chosen on an edit form.

    A shared item stays bound to the couple it was shared in: editing it never re-shares it with
    a new partner. Sharing with the current partner is an explicit act per item (choosing
    "shared" for an item that is, in effect, private).
    """
    if visibility == Visibility.PARTNER and shown_visibility(record) != Visibility.PARTNER:
        record.visibility = Visibility.PARTNER
        record.couple = active_couple(user)
    elif visibility != Visibility.PARTNER or record.visibility != Visibility.PARTNER:
        record.visibility = visibility
    if record.visibility in (Visibility.PARTNER, Visibility.COUPLE) and record.couple is None:
        record.visibility = Visibility.PRIVATE


def personal_record_models() -> list[type[Model]]:
    """Every concrete model that holds personal records (used by export and account deletion)."""
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if issubclass(model, PersonalRecord) and not model._meta.abstract
    ]


def study_readable(
    user: User, source: type[M] | QuerySet[M], *, researcher_lookup: str
) -> QuerySet[M]:
    """The rows of ``source`` that belong to a study ``user`` runs (``researcher_lookup`` is the
    path from the row to the study's researcher, e.g. ``"study__researcher"``). Study rows exist
    only for what a participant answered after consenting, so this never reaches app data."""
    queryset = source if isinstance(source, QuerySet) else source._default_manager.all()
    if not user.is_authenticated:
        return queryset.none()
    return queryset.filter(**{researcher_lookup: user})
