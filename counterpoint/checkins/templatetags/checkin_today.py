"""The home page's "today" card: whether each of us checked in, today's question, the partner's note."""

from __future__ import annotations

from typing import Any

from django import template

from counterpoint.checkins import selectors
from counterpoint.checkins.reactions import reactions_to
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
    notes = [c for c in theirs if c.note]
    my_notes = [c for c in mine if c.note]
    qv = None
    if partner is not None:
        from counterpoint.checkins.services import daily_question_get

        daily = daily_question_get(user=user)
        qv = selectors.question_view(user, daily) if daily else None
    partner_note_pk = notes[-1].pk if notes else None
    my_note_pk = my_notes[-1].pk if my_notes and partner is not None else None
    on_notes = reactions_to(user, checkins=[pk for pk in (partner_note_pk, my_note_pk) if pk])
    return {
        "partner": partner,
        "i_checked_in": bool(mine),
        "partner_checked_in": bool(theirs),
        "partner_note": notes[-1].note if notes else "",
        "partner_note_pk": partner_note_pk,
        # my reaction to their note, and theirs to mine (one query for both)
        "reacted": next(
            (r for r in on_notes if r.checkin_id == partner_note_pk and r.author_id == user.pk),
            None,
        ),
        "their_reaction": next(
            (r for r in on_notes if r.checkin_id == my_note_pk and r.author_id != user.pk), None
        ),
        # the card renders in a context of its own: what its forms and tags need
        "request": context["request"],
        "user": user,
        "csrf_token": context.get("csrf_token"),
        "qv": qv,
    }
