"""The reveal rule for decisions lives here: a partner's view is visible only when both partners
have entered theirs for that round. Pages, JSON, export and notices all read through this."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from counterpoint.accounts.models import User
from counterpoint.practices.decisions.models import Decision, DecisionOutcome, DecisionView
from counterpoint.privacy import access
from counterpoint.privacy.days import day_iso


@dataclass
class RoundState:
    round: int
    mine: DecisionView | None
    partner_has_entered: bool
    revealed: bool
    others: list[DecisionView] = field(default_factory=list)  # empty until revealed
    outcome: DecisionOutcome | None = None


def decisions_for(user: User) -> QuerySet[Decision]:
    return access.readable(user, Decision).order_by("status", "-created_at")


def decision_for(user: User, pk: int) -> Decision:
    return access.get_readable_or_404(user, Decision, pk=pk)


def round_for(user: User, decision: Decision, round_no: int | None = None) -> RoundState:
    """One round as ``user`` may see it. Assumes ``user`` may read ``decision``."""
    number = decision.round if round_no is None else round_no
    views = list(
        DecisionView.objects.filter(decision=decision, round=number).select_related("author")
    )
    mine = next((v for v in views if v.author_id == user.pk), None)
    others = [v for v in views if v.author_id != user.pk]
    revealed = mine is not None and len(others) >= 1
    outcome = DecisionOutcome.objects.filter(decision=decision, round=number).first()
    return RoundState(
        round=number,
        mine=mine,
        partner_has_entered=bool(others),
        revealed=revealed,
        others=others if revealed else [],
        outcome=outcome,
    )


def history_for(user: User, decision: Decision) -> list[RoundState]:
    """Earlier rounds, newest first (only what was revealed in them is shown)."""
    return [round_for(user, decision, n) for n in range(decision.round - 1, 0, -1)]


def waiting_for(user: User) -> list[Decision]:
    """Open decisions of the person's current couple where their view is still missing."""
    open_ones = decisions_for(user).filter(status=Decision.Status.OPEN)
    return [d for d in open_ones if round_for(user, d).mine is None]


def _view_row(view: DecisionView, viewer: User) -> dict[str, Any]:
    return {
        "author": view.author.display_name,
        "preference": view.preference,
        "reasons": view.reasons,
        "importance": view.importance,
        "entered_on": day_iso(view.created_at, viewer),  # the viewer's day, as the page shows it
    }


def decision_row(user: User, decision: Decision) -> dict[str, Any]:
    state = round_for(user, decision)
    return {
        "id": decision.pk,
        "title": decision.title,
        "context": decision.context,
        "status": decision.status,
        "round": state.round,
        "my_view": _view_row(state.mine, user) if state.mine else None,
        "partner_has_entered": state.partner_has_entered,
        "revealed": state.revealed,
        "partner_views": [_view_row(v, user) for v in state.others],
        "outcome": None
        if state.outcome is None
        else {"decision": state.outcome.text, "reasons": state.outcome.reasons},
    }
