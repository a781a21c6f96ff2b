from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from counterpoint.form_words import EMPTY, choice_words
from counterpoint.practices.plans.models import (
    DETAILS_MAX,
    TITLE_MAX,
    WHEN_MAX,
    WORDS_MAX,
    Interest,
    PlanKind,
)
from counterpoint.submissions import SubmissionKeyField

EARLIEST = dt.date(1900, 1, 1)
LATEST = dt.date(2999, 12, 31)


def _date_field(label: Any, *, required: bool) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=required,
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Choose a day."),
            "invalid": _("Enter a date like 2026-07-14."),
        },
    )


def _check_range(day: dt.date | None) -> dt.date | None:
    if day is not None and not (EARLIEST <= day <= LATEST):
        raise forms.ValidationError(_("Choose a day between the year 1900 and 2999."))
    return day


class _Submission(forms.Form):
    submission_key = SubmissionKeyField()


class PlanForm(_Submission):
    title = forms.CharField(
        label=_("What would you like to do?"),
        max_length=TITLE_MAX,
        error_messages={"required": EMPTY},
        widget=forms.TextInput(
            attrs={"maxlength": TITLE_MAX, "placeholder": _("e.g. learn to sail")}
        ),
    )
    kind = forms.ChoiceField(
        label=_("What kind of plan?"),
        choices=PlanKind.choices,
        error_messages=choice_words(_("Choose what kind of plan it is.")),
    )
    details = forms.CharField(
        label=_("Details (optional)"),
        max_length=DETAILS_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": DETAILS_MAX}),
    )
    when_date = _date_field(_("On a particular day (optional)"), required=False)
    when_text = forms.CharField(
        label=_("Or roughly when (optional)"),
        max_length=WHEN_MAX,
        required=False,
        widget=forms.TextInput(
            attrs={"maxlength": WHEN_MAX, "placeholder": _("e.g. next spring, someday")}
        ),
    )
    shared = forms.TypedChoiceField(
        label=_("Who is this for?"),
        choices=[
            ("yes", _("Both of us — ask my partner how they feel about it")),
            ("no", _("Just me, for now — my private someday list")),
        ],
        coerce=lambda value: value == "yes",
        initial="yes",
        widget=forms.RadioSelect,
        error_messages=choice_words(_("Choose who this is for.")),
    )

    def clean_when_date(self) -> dt.date | None:
        return _check_range(self.cleaned_data.get("when_date"))


class PlanEditForm(PlanForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["shared"]
        del self.fields["submission_key"]


class InterestForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("How do you feel about it?"),
        choices=Interest.choices,
        widget=forms.RadioSelect,
        error_messages=choice_words(_("Choose one of the three answers.")),
    )


class DoneForm(forms.Form):
    happened_on = _date_field(_("When did it happen?"), required=True)
    minutes_together = forms.IntegerField(
        label=_("About how long were you together? (minutes, optional)"),
        required=False,
        min_value=5,
        max_value=24 * 60,
        help_text=_("Counted as we-time in your me/we balance."),
        error_messages={
            "min_value": _("Enter at least 5 minutes, or leave it empty."),
            "max_value": _("Enter at most 1440 minutes (a whole day)."),
            "invalid": _("Enter a number of minutes, like 90."),
        },
    )

    def __init__(self, *args: Any, shared: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not shared:  # time on a private plan is not time together: not asked, not kept
            del self.fields["minutes_together"]

    def clean_happened_on(self) -> dt.date | None:
        return _check_range(self.cleaned_data.get("happened_on"))

    def clean_minutes_together(self) -> int:
        return self.cleaned_data.get("minutes_together") or 0


class MemoryForm(_Submission):
    title = forms.CharField(
        label=_("What happened?"),
        max_length=TITLE_MAX,
        error_messages={"required": EMPTY},
        widget=forms.TextInput(attrs={"maxlength": TITLE_MAX}),
    )
    happened_on = _date_field(_("When?"), required=True)
    shared = forms.TypedChoiceField(
        label=_("Whose memory is it?"),
        choices=[("yes", _("Ours — both of us keep it")), ("no", _("Just mine"))],
        coerce=lambda value: value == "yes",
        initial="yes",
        widget=forms.RadioSelect,
        error_messages=choice_words(_("Choose whose memory it is.")),
    )

    def clean_happened_on(self) -> dt.date | None:
        return _check_range(self.cleaned_data.get("happened_on"))


class WordsForm(forms.Form):
    text = forms.CharField(
        label=_("A few words about it"),
        max_length=WORDS_MAX,
        error_messages={"required": EMPTY},
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": WORDS_MAX}),
    )


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label=_("A photo (JPEG, PNG, WebP or GIF, up to 10 MB)"),
        error_messages={
            "required": _("Choose a photo to upload."),
            "empty": _("That file is empty. Choose a photo to upload."),
            "invalid": _("That upload didn't arrive as a file. Try choosing it again."),
        },
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )
