from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from counterpoint.checkins.models import (
    ANSWER_MAX,
    CLOSENESS_MAX,
    CLOSENESS_MIN,
    JOURNAL_MAX,
    MINUTES_MAX,
    NOTE_MAX,
    SCALE_MAX,
    SCALE_MIN,
    CheckInSettings,
    SoughtSupport,
)

# The seven Inclusion-of-Other-in-Self pictures: (value, left centre, right centre, words).
_IOS_WORDS = {
    1: _("far apart"),
    2: _("a little connected"),
    3: _("somewhat close"),
    4: _("close"),
    5: _("quite close"),
    6: _("very close"),
    7: _("almost one"),
}
IOS_PICTURES = [
    (i, 36 - (34 - (i - 1) * 5.5) / 2, 36 + (34 - (i - 1) * 5.5) / 2, _IOS_WORDS[i])
    for i in range(CLOSENESS_MIN, CLOSENESS_MAX + 1)
]
MINUTE_PRESETS = [0, 15, 30, 60, 120, 180]

_RANGE_ERRORS = {
    "min_value": _("Choose a value from %(limit_value)s up."),
    "max_value": _("Choose a value up to %(limit_value)s."),
    "required": _("Please choose a value."),
    "invalid": _("Enter a whole number."),
}
_MINUTE_ERRORS = {
    "min_value": _("Minutes can't be negative."),
    "max_value": _("A day has at most 1440 minutes."),
    "invalid": _("Enter minutes as a whole number."),
    "required": _("Enter minutes (0 is fine)."),
}


def _scale(label: StrOrPromise, low: int = SCALE_MIN, high: int = SCALE_MAX) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        initial=(low + high) // 2,
        error_messages=_RANGE_ERRORS,
        widget=forms.NumberInput(attrs={"type": "range", "class": "scale"}),
    )


def _minutes(label: StrOrPromise) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MINUTES_MAX,
        initial=0,
        error_messages=_MINUTE_ERRORS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 5}),
    )


class CheckInForm(forms.Form):
    day = forms.DateField(widget=forms.HiddenInput)
    mood = _scale(_("Mood"))
    energy = _scale(_("Energy"))
    stress = _scale(_("Stress"))
    closeness = forms.TypedChoiceField(
        label=_("How close did you feel today?"),
        coerce=int,
        choices=[(i, str(i)) for i in range(CLOSENESS_MIN, CLOSENESS_MAX + 1)],
        initial=4,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the seven pictures.")},
    )
    sought_support = forms.ChoiceField(
        label=_("Did you reach out for support today?"),
        choices=SoughtSupport.choices,
        initial=SoughtSupport.NO,
        widget=forms.RadioSelect,
    )
    gave_support = forms.BooleanField(label=_("I supported my partner today"), required=False)
    me_minutes = _minutes(_("Me-time (minutes)"))
    we_minutes = _minutes(_("We-time (minutes)"))
    note = forms.CharField(
        label=_("A note to your partner (optional)"),
        required=False,
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    journal_line = forms.CharField(
        label=_("A line for your private journal (optional, only ever seen by you)"),
        required=False,
        max_length=JOURNAL_MAX,
    )


class AnswerForm(forms.Form):
    text = forms.CharField(
        label=_("Your answer"),
        required=False,
        max_length=ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReflectionForm(forms.Form):
    week_start = forms.DateField(widget=forms.HiddenInput)
    life_satisfaction = forms.IntegerField(
        label=_("All in all, how satisfied are you with your life this week? (0–10)"),
        min_value=SCALE_MIN,
        max_value=SCALE_MAX,
        error_messages=_RANGE_ERRORS,
    )
    relationship_satisfaction = forms.IntegerField(
        label=_("And how satisfied are you with our relationship this week? (0–10)"),
        min_value=SCALE_MIN,
        max_value=SCALE_MAX,
        error_messages=_RANGE_ERRORS,
    )
    helped = forms.CharField(
        label=_("What helped this week?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CheckInSettingsForm(forms.ModelForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")  # checkbox labels read better without a colon
        super().__init__(*args, **kwargs)

    class Meta:
        model = CheckInSettings
        fields = [
            "share_mood",
            "share_energy",
            "share_stress",
            "share_closeness",
            "share_support",
            "share_time",
            "share_note",
            "share_reflection",
            "share_helped",
            "twice_daily",
            "reminder_time",
            "reminder_email",
        ]
        widgets = {"reminder_time": forms.TimeInput(attrs={"type": "time"}, format="%H:%M")}
