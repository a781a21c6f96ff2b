from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from counterpoint.form_words import EMPTY, choice_words
from counterpoint.practices.decisions.models import IMPORTANCE_LABELS, TEXT_MAX, TITLE_MAX
from counterpoint.submissions import SubmissionKeyField


def _text(label: Any, *, rows: int = 4, required: bool = True) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=TEXT_MAX,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": TEXT_MAX}),
        error_messages={"required": EMPTY},
    )


class DecisionForm(forms.Form):
    title = forms.CharField(
        label=_("What are you deciding?"),
        max_length=TITLE_MAX,
        error_messages={"required": EMPTY},
        widget=forms.TextInput(attrs={"maxlength": TITLE_MAX}),
    )
    context = _text(_("Background (optional)"), rows=3, required=False)
    submission_key = SubmissionKeyField()


class ViewForm(forms.Form):
    preference = _text(_("What would you choose?"), rows=3)
    reasons = _text(_("Why?"), rows=4)
    importance = forms.TypedChoiceField(
        label=_("How much does it matter to you?"),
        choices=list(IMPORTANCE_LABELS.items()),
        coerce=int,
        widget=forms.RadioSelect,
        error_messages=choice_words(_("Choose how much it matters to you.")),
    )


class OutcomeForm(forms.Form):
    text = _text(_("What did you decide together?"), rows=3)
    reasons = _text(_("Why did you decide it?"), rows=3)
