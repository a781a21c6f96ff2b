"""Reacting to the partner's revealed answer or shared note: what may be reacted to, what each
person sees, and giving one. Built on the access layer and the check-in selectors, so only what
the reactor may read right now can carry a reaction (never a private or still-hidden thing)."""

from __future__ import annotations

from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from counterpoint.accounts.models import User
from counterpoint.activity.services import notice_send
from counterpoint.checkins.models import CheckIn, QuestionAnswer, Reaction, ReactionKind
from counterpoint.checkins.selectors import question_view, visible_checkins
from counterpoint.privacy import access
from counterpoint.privacy.models import Visibility


def partner_answer_or_404(viewer: User, pk: int) -> QuestionAnswer:
    """The partner's answer, only once it is revealed to the viewer."""
    answer = access.get_partners_or_404(viewer, QuestionAnswer, pk=pk)
    if question_view(viewer, answer.question).partner_answer != answer:
        raise Http404
    return answer


def partner_note_or_404(viewer: User, pk: int) -> CheckIn:
    """The partner's check-in, only while its note is shared with the viewer."""
    checkin = access.get_partners_or_404(viewer, CheckIn, pk=pk)
    rows = visible_checkins(viewer, start=checkin.day, end=checkin.day)
    if not any(row.pk == checkin.pk and row.note for row in rows):
        raise Http404
    return checkin


def reactions_to(
    viewer: User, *, answers: list[int] | None = None, checkins: list[int] | None = None
) -> list[Reaction]:
    """The reactions the viewer may read on these answers or check-ins (theirs and the partner's)."""
    qs = access.readable(viewer, Reaction)
    if answers is not None:
        qs = qs.filter(answer_id__in=answers)
    if checkins is not None:
        qs = qs.filter(checkin_id__in=checkins)
    return list(qs.select_related("author"))


def reaction_give(
    *,
    user: User,
    kind: str,
    words: str = "",
    answer: QuestionAnswer | None = None,
    checkin: CheckIn | None = None,
) -> Reaction:
    """React to one thing (an answer or a note) the caller loaded with the *_or_404 helpers above;
    a second reaction to the same thing replaces the first. The partner hears of it once, and again
    only if it was taken back in between."""
    if kind not in ReactionKind.values or (answer is None) == (checkin is None):
        raise ValueError("one known reaction to one thing")
    target = answer if answer is not None else checkin
    assert target is not None
    with transaction.atomic():
        existing = access.own(user, Reaction).filter(answer=answer, checkin=checkin)
        reaction = existing.select_for_update().first()
        tell = reaction is None  # the partner hears of a reaction they could not see before
        if reaction is None:
            reaction = Reaction(answer=answer, checkin=checkin, visibility=Visibility.PARTNER)
            access.stamp_new_record(user, reaction)
        elif reaction.visibility != Visibility.PARTNER:
            # taken back since ("stop sharing everything"): reacting again shares it again, and
            # the partner hears of it as of a first reaction (they could not see the last one)
            reaction.visibility = Visibility.PARTNER
            access.stamp_visibility(user, reaction)
            tell = reaction.visibility == Visibility.PARTNER
        reaction.kind = kind
        reaction.words = " ".join(words.split())[:200]
        reaction.save()
    if tell and target.author is not None:
        what = _("your answer") if answer is not None else _("your note")
        notice_send(
            recipient=target.author,
            kind="reaction",
            message=_("%(name)s reacted to %(what)s.") % {"name": user.display_name, "what": what},
            link=reverse("checkins:question") if answer is not None else reverse("pages:home"),
            about=reaction,
        )
    return reaction
