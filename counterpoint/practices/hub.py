"""The practices hub: the practices in the order a couple meets them, one plain list."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class PracticeLink:
    url_name: str
    title: Any  # a lazily translated string
    summary: Any


PRACTICE_LINKS: list[PracticeLink] = [
    PracticeLink(
        "boundaries:list",
        _("Boundaries"),
        _(
            "Say what you need to stay yourself and why. Your partner reads it and "
            "says they understand — or asks to talk. Either of you can come back to it."
        ),
    ),
    PracticeLink(
        "goals:list",
        _("My goals and our goals"),
        _(
            "Your own goals stay yours — your partner can cheer, never steer. "
            "Shared goals you both own and both call done."
        ),
    ),
    PracticeLink(
        "commitments:list",
        _("Commitments"),
        _(
            "“I will … by …”: small promises to each other, kept or honestly missed. "
            "Trust grows from the everyday ones."
        ),
    ),
    PracticeLink(
        "support:list",
        _("Support requests"),
        _(
            "Say what you could use — an ear, a hand, some space, a hug — and hear "
            "what your partner can offer."
        ),
    ),
    PracticeLink(
        "moments:list",
        _("Wins and struggles"),
        _("Share something that went well or something hard; your partner responds."),
    ),
    PracticeLink(
        "decisions:list",
        _("Decisions"),
        _(
            "Each of you says what you'd choose and how much it matters, before "
            "seeing the other's view. Then you decide together."
        ),
    ),
    PracticeLink(
        "repair:list",
        _("Repair after a conflict"),
        _(
            "Each of you says what you feel and need, hears the other back, and you "
            "agree one next step."
        ),
    ),
    PracticeLink(
        "timebalance:week",
        _("Me-time and we-time"),
        _("Plan and log time of your own and time together, and see the balance."),
    ),
    PracticeLink(
        "plans:list",
        _("Plans and memories"),
        _(
            "Ideas for things to do together, each of you saying how you feel about "
            "them; when one happens, keep it as a memory with a photo and your words."
        ),
    ),
]
