"""The guide a newly paired person sees on home: a first check-in, a first answer, the map."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

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
    """Only the person's own records, read through the access layer."""
    return FirstSteps(
        checked_in=access.readable(user, CheckIn).filter(author=user).exists(),
        answered=access.readable(user, QuestionAnswer).filter(author=user).exists(),
        placed_on_map=own_positions(user).exists(),
    )
