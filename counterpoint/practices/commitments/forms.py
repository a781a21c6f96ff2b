from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from counterpoint.form_words import choice_words
from counterpoint.practices.commitments.models import (
    NOTE_MAX,
    PROMISE_EMPTY,
    TEXT_MAX,
    Outcome,
    PartnerView,
    promise_checked,
)
from counterpoint.submissions import SubmissionKeyField


class CommitmentForm(forms.Form):
    promise = forms.CharField(
        label=_("I will…"),
        max_length=TEXT_MAX,
        error_messages={"required": PROMISE_EMPTY},
        widget=forms.TextInput(attrs={"maxlength": TEXT_MAX}),
        help_text=_("Something specific you can do, like “book the train tickets”."),
    )
    due_on = forms.DateField(
        label=_("By"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": _("Pick the day you'll do it by.")},
    )
    submission_key = SubmissionKeyField()

    def __init__(self, *args: object, today: object = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.today = today
        self.label_suffix = ""
        if today is not None:
            self.fields["due_on"].widget.attrs["min"] = str(today)

    def clean_promise(self) -> str:
        return promise_checked(self.cleaned_data["promise"])

    def clean_due_on(self) -> object:
        due_on = self.cleaned_data["due_on"]
        if self.today is not None and due_on < self.today:
            raise forms.ValidationError(
                _("Pick today or a day ahead — that date has already passed.")
            )
        return due_on


class MarkForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("How did it go?"),
        choices=[c for c in Outcome.choices if c[0] != Outcome.OPEN],
        widget=forms.RadioSelect,
        error_messages=choice_words(_("Choose how it went.")),
    )
    note = forms.CharField(
        label=_("A note, if you like"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": NOTE_MAX}),
    )


class ConfirmForm(forms.Form):
    view = forms.ChoiceField(
        label=_("How did you see it?"),
        choices=PartnerView.choices,
        widget=forms.RadioSelect,
        error_messages=choice_words(_("Choose how you saw it.")),
    )
