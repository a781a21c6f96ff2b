"""The repair flow as one person may see it. The reveal rule lives here: the other's feeling and
need (and later how they feel now) are visible only once both have written theirs. Pages, JSON,
export and notices all read through this."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from counterpoint.accounts.models import User
from counterpoint.practices.repair.models import (
    Repair,
    RepairClosing,
    RepairReflection,
    RepairShare,
)
from counterpoint.privacy import access

STAGES = ("share", "reflect", "next_step", "close", "closed")


@dataclass
class RepairState:
    stage: str
    my_share: RepairShare | None
    partner_has_shared: bool
    partner_share: RepairShare | None  # None until both have written
    my_reflection: RepairReflection | None  # my latest reflection of what my partner said
    reflection_to_answer: RepairReflection | None  # my partner's pending reflection of me
    partner_reflection: RepairReflection | None  # my partner's latest reflection of me
    my_closing: RepairClosing | None
    partner_has_closed: bool
    partner_closing: RepairClosing | None  # None until both have closed

    @property
    def stage_index(self) -> int:
        return STAGES.index(self.stage)


def repairs_for(user: User) -> QuerySet[Repair]:
    return access.readable(user, Repair).order_by("-created_at", "-id")


def repair_for(user: User, pk: int) -> Repair:
    return access.get_readable_or_404(user, Repair, pk=pk)


def reflection_to_answer_or_404(user: User, repair: Repair, pk: int) -> RepairReflection:
    """A reflection of what ``user`` said, written by the other partner in ``repair``."""
    reflection = RepairReflection.objects.filter(repair=repair, pk=pk).exclude(author=user).first()
    if reflection is None:
        raise Http404
    return reflection


def _latest(reflections: list[RepairReflection]) -> RepairReflection | None:
    return reflections[-1] if reflections else None


def stage_of(repair: Repair) -> str:
    if repair.closed_at is not None:
        return "closed"
    if repair.shares.count() < 2:
        return "share"
    confirmed = set(
        repair.reflections.filter(answer=RepairReflection.Answer.CONFIRMED).values_list(
            "author_id", flat=True
        )
    )
    if len(confirmed) < 2:
        return "reflect"
    if repair.next_step_agreed_at is None:
        return "next_step"
    return "close"


def state_for(user: User, repair: Repair) -> RepairState:
    """Assumes ``user`` may read ``repair``."""
    stage = stage_of(repair)
    shares = list(repair.shares.select_related("author"))
    mine = next((s for s in shares if s.author_id == user.pk), None)
    theirs = next((s for s in shares if s.author_id != user.pk), None)
    both_shared = mine is not None and theirs is not None
    reflections = list(repair.reflections.all()) if both_shared else []
    my_reflections = [r for r in reflections if r.author_id == user.pk]
    their_reflections = [r for r in reflections if r.author_id != user.pk]
    pending_for_me = next(
        (r for r in their_reflections if r.answer == RepairReflection.Answer.PENDING), None
    )
    closings = list(repair.closings.all())
    my_closing = next((c for c in closings if c.author_id == user.pk), None)
    their_closing = next((c for c in closings if c.author_id != user.pk), None)
    return RepairState(
        stage=stage,
        my_share=mine,
        partner_has_shared=theirs is not None,
        partner_share=theirs if both_shared else None,
        my_reflection=_latest(my_reflections),
        reflection_to_answer=pending_for_me,
        partner_reflection=_latest(their_reflections),
        my_closing=my_closing,
        partner_has_closed=their_closing is not None,
        partner_closing=their_closing if my_closing is not None else None,
    )


def waiting_for(user: User) -> list[Repair]:
    """Open repairs of the current couple where it is this person's turn."""
    out = []
    for repair in repairs_for(user).filter(closed_at__isnull=True):
        if not access.can_edit(user, repair):
            continue
        s = state_for(user, repair)
        if (
            (s.stage == "share" and s.my_share is None)
            or s.reflection_to_answer is not None
            or (s.stage == "reflect" and s.my_reflection is None)
            or (s.stage == "next_step" and repair.next_step and repair.next_step_by_id != user.pk)
            or (s.stage == "close" and s.my_closing is None)
        ):
            out.append(repair)
    return out


def repair_row(user: User, repair: Repair) -> dict[str, Any]:
    s = state_for(user, repair)

    def share(x: RepairShare | None) -> dict[str, str] | None:
        return None if x is None else {"feeling": x.feeling, "need": x.need}

    def reflection(x: RepairReflection | None) -> dict[str, str] | None:
        return (
            None if x is None else {"text": x.text, "answer": x.answer, "correction": x.correction}
        )

    return {
        "id": repair.pk,
        "topic": repair.topic,
        "stage": s.stage,
        "my_share": share(s.my_share),
        "partner_has_shared": s.partner_has_shared,
        "partner_share": share(s.partner_share),
        "my_reflection": reflection(s.my_reflection),
        "partner_reflection": reflection(s.partner_reflection),
        "next_step": repair.next_step,
        "next_step_agreed": repair.next_step_agreed_at is not None,
        "my_feeling_now": s.my_closing.feeling_now if s.my_closing else None,
        "partner_feeling_now": s.partner_closing.feeling_now if s.partner_closing else None,
        "closed": repair.closed_at is not None,
    }


def reflection_rows(user: User) -> list[dict[str, Any]]:
    """For the export: what this person wrote in reflections, and their own corrections of what
    the partner heard, never the partner's words."""
    return [
        row
        for r in RepairReflection.objects.filter(repair__shares__author=user).distinct()
        for person, row in reflection_rows_of(r, others=[user.pk])
        if person == user.pk
    ]


def reflection_rows_of(
    r: RepairReflection, *, others: list[int] | None = None
) -> list[tuple[int | None, dict[str, Any]]]:
    """(person, export row) for the words one reflection holds: what its author heard, and the
    other person's correction of it. ``others`` are the repair's other writers, if known."""
    rows: list[tuple[int | None, dict[str, Any]]] = [
        (
            r.author_id,
            {
                "repair": r.repair_id,
                "role": "what I heard",
                "text": r.text,
                "answer": r.answer,
                "written_at": r.created_at.isoformat(),
            },
        )
    ]
    if r.answer == RepairReflection.Answer.CORRECTED:
        if others is None:
            others = list(
                RepairShare.objects.filter(repair_id=r.repair_id).values_list(
                    "author_id", flat=True
                )
            )
        correction = {
            "repair": r.repair_id,
            "role": "my correction",
            "text": r.correction,
            "answer": r.answer,
            "written_at": r.answered_at.isoformat() if r.answered_at else "",
        }
        rows += [(other, correction) for other in others if other != r.author_id]
    return rows
