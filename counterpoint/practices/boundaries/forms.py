from __future__ import annotations

from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from counterpoint.practices.boundaries.models import TEXT_MAX, WHAT_MAX
from counterpoint.submissions import SubmissionKeyField

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise


def _text(
    label: str | _StrPromise,
    *,
    required: bool = True,
    rows: int = 3,
    help_text: str = "",
    required_message: str | _StrPromise = "",
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=TEXT_MAX,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": TEXT_MAX}),
        error_messages={"required": required_message} if required_message else None,
    )


class BoundaryForm(forms.Form):
    what = forms.CharField(
        label=_("My boundary"),
        max_length=WHAT_MAX,
        error_messages={"required": _("Say what the boundary is.")},
        widget=forms.TextInput(attrs={"maxlength": WHAT_MAX}),
        help_text=_("For example: “I need the first half hour after work to myself.”"),
    )
    why = _text(
        _("Why it matters to me"),
        required_message=_("Say a few words about why it matters to you."),
    )
    what_helps = _text(_("What helps me (optional)"), required=False)
    submission_key = SubmissionKeyField()

    def clean_what(self) -> str:
        what = self.cleaned_data["what"].strip()
        if not what:
            raise forms.ValidationError(_("Say what the boundary is."))
        return what

    def clean_why(self) -> str:
        why = self.cleaned_data["why"].strip()
        if not why:
            raise forms.ValidationError(_("Say a few words about why it matters to you."))
        return why


class ReviseForm(BoundaryForm):
    note = _text(_("What changed (optional)"), required=False, rows=2)


class TalkForm(forms.Form):
    note = _text(
        _("What would you like to talk about?"),
        rows=2,
        required_message=_("Say a few words about what you'd like to talk about."),
    )
    submission_key = SubmissionKeyField()

    def clean_note(self) -> str:
        note = self.cleaned_data["note"].strip()
        if not note:
            raise forms.ValidationError(_("Say a few words about what you'd like to talk about."))
        return note


class AcknowledgeForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
