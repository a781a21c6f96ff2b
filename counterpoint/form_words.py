"""Words every form says the same way. See docs/conventions.md ("A field left empty")."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

# A text field that must not be left empty, where no sentence of its own says better what to write.
EMPTY = _("Please write something here — it can't be empty.")
