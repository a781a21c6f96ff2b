"""The guide a newly paired person sees on home: a first check-in, a first answer, the map."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db.models import Exists

from counterpoint.checkins.models import CheckIn, QuestionAnswer
from counterpoint.interdependence.selectors import own_positions
from counterpoint.privacy import access

if TYPE_CHECKING:
    from counterpoint.accounts.models import User


@dataclass(frozen=True)
class FirstSteps:
    checked_in: bool
    answered: bool
    placed_on_map: bool

    @property
    def all_done(self) -> bool:
        return self.checked_in and self.answered and self.placed_on_map


def first_steps(user: User) -> FirstSteps:
    """Only the person's own records, read through the access layer (in one query)."""
    row = (
        get_user_model()
        .objects.filter(pk=user.pk)
        .annotate(
            checked_in=Exists(access.own(user, CheckIn)),
            answered=Exists(access.own(user, QuestionAnswer)),
            placed_on_map=Exists(own_positions(user)),
        )
        .values("checked_in", "answered", "placed_on_map")
        .get()
    )
    return FirstSteps(**row)
