"""The home page's "today" card: whether each of us checked in, today's question, the partner's note."""

from __future__ import annotations

from typing import Any

from django import template

from counterpoint.checkins import selectors
from counterpoint.checkins.selectors import CHECKIN_FIELD_SWITCH
from counterpoint.couples.selectors import partner_of

register = template.Library()


@register.inclusion_tag("checkins/_today_card.html", takes_context=True)
def checkin_today(context: template.Context) -> dict[str, Any]:
    """Reads only through the check-in selectors, so the partner's check-in shows only as far as
    they share it: a check-in whose every field they keep to themselves is not mentioned."""
    user = context["request"].user
    today = user.local_today()
    rows = selectors.visible_checkins(user, start=today, end=today)
    mine = [c for c in rows if c.mine]
    theirs = [c for c in rows if not c.mine and len(c.hidden) < len(CHECKIN_FIELD_SWITCH)]
    partner = partner_of(user)
    notes = [c.note for c in theirs if c.note]
    qv = None
    if partner is not None:
        from counterpoint.checkins.services import daily_question_get

        daily = daily_question_get(user=user)
        qv = selectors.question_view(user, daily) if daily else None
    return {
        "partner": partner,
        "i_checked_in": bool(mine),
        "partner_checked_in": bool(theirs),
        "partner_note": notes[-1] if notes else "",
        "qv": qv,
    }
