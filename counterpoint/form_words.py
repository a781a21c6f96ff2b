"""Words every form says the same way. See docs/conventions.md ("A field left empty")."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:  # django-stubs is a development tool: never imported when the app runs
    from django_stubs_ext import StrOrPromise

# A text field that must not be left empty, where no sentence of its own says better what to write.
EMPTY = _("Please write something here — it can't be empty.")

# A choice left unmade, where no sentence of its own says better what to choose.
CHOOSE = _("Please choose one of these.")

# A value the form never offered: a page from before a change, or a request made by hand.
NOT_A_CHOICE = _("That isn't one of the choices here. Please choose one of them.")


def choice_words(when_empty: StrOrPromise = CHOOSE) -> dict[str, StrOrPromise]:
    """A choice field's ``error_messages``: what to choose when none is, and a value never offered."""
    return {"required": when_empty, "invalid_choice": NOT_A_CHOICE, "invalid_list": NOT_A_CHOICE}
