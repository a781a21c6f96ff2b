from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:  # django-stubs is a development tool: never imported when the app runs
    from django_stubs_ext import StrOrPromise

from counterpoint.checkins.models import (
    ANSWER_MAX,
    CLOSENESS_MAX,
    CLOSENESS_MIN,
    JOURNAL_MAX,
    MINUTES_MAX,
    NOTE_MAX,
    REACTION_WORDS_MAX,
    SCALE_MAX,
    SCALE_MIN,
    CheckInSettings,
    ReactionKind,
    SoughtSupport,
)
from counterpoint.form_words import NOT_A_CHOICE, choice_words
from counterpoint.submissions import SubmissionKeyField
from counterpoint.unused_fields import ClearsUnusedFields, used_when

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

_MINUTE_ERRORS = {
    "min_value": _("Minutes can't be negative."),
    "max_value": _("A day has at most 1440 minutes."),
    "invalid": _("Enter minutes as a whole number."),
    "required": _("Enter minutes (0 is fine)."),
}


def _scale(label: StrOrPromise, *, required: bool = False) -> forms.Field:
    """A 0–10 answer as a row of choices; left alone it stays "not answered" (None), never 5."""
    return forms.TypedChoiceField(
        label=label,
        coerce=int,
        empty_value=None,
        required=required,
        choices=[(i, str(i)) for i in range(SCALE_MIN, SCALE_MAX + 1)],
        widget=forms.RadioSelect,
        error_messages={
            "invalid_choice": _("Choose a number from 0 to 10."),
            "required": _("Please choose a number from 0 to 10."),
        },
    )


def _minutes(label: StrOrPromise) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=0,
        max_value=MINUTES_MAX,
        required=False,
        error_messages=_MINUTE_ERRORS,
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "step": 5}),
    )


OFFLINE_MAX_MS = 1000 * 60 * 60 * 24 * 3  # a check-in is for today or yesterday: 3 days at most
OFFLINE_QUEUE_SALT = "counterpoint.checkins.offline-queue"


def offline_queue_owner(user: Any) -> str:
    """Whose a check-in kept on a device by the offline queue is (static/js/offline.js).

    A browser is often shared: one person writes a check-in offline, another signs in on the same
    browser before it is sent. The queue keeps this mark with each form and sends only the forms
    of the person whose page it runs in; the server refuses a queued form marked for anyone else,
    so one person's words are never saved as another's. It names nobody: a keyed hash of the
    person's number, the same on every device."""
    return salted_hmac(OFFLINE_QUEUE_SALT, str(user.pk), algorithm="sha256").hexdigest()[:32]


class CheckInForm(forms.Form):
    """The whole day in one form: the check-in and today's answer save together, so saving one
    never throws away words typed in the other. Every field may be left unanswered."""

    day = forms.DateField(widget=forms.HiddenInput)
    submission_key = SubmissionKeyField()
    # Set by the offline queue when it sends a form saved on the device earlier (static/js/
    # offline.js): how long ago, by the device's own clock, the person pressed Save. The server
    # refuses the copy when the check-in was saved again after that (never an older edit over a
    # newer one). Not rendered: a form sent online was edited now.
    edited_ms_ago = forms.IntegerField(required=False, min_value=0, max_value=OFFLINE_MAX_MS)
    # Set by the offline queue with every form it sends: whose it is (``offline_queue_owner``).
    queued_for = forms.CharField(required=False, max_length=64)
    mood = _scale(_("Mood"))
    energy = _scale(_("Energy"))
    stress = _scale(_("Stress"))
    closeness = forms.TypedChoiceField(
        label=_("How close did you feel today?"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[(i, str(i)) for i in range(CLOSENESS_MIN, CLOSENESS_MAX + 1)],
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("Choose one of the seven pictures.")},
    )
    sought_support = forms.ChoiceField(
        label=_("Did you reach out for support today?"),
        choices=SoughtSupport.choices,
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": NOT_A_CHOICE},
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
    answer = forms.CharField(
        label=_("Your answer"),
        required=False,
        max_length=ANSWER_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
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
    life_satisfaction = _scale(
        _("All in all, how satisfied are you with your life this week?"), required=True
    )
    relationship_satisfaction = _scale(
        _("And how satisfied are you with our relationship this week?"), required=True
    )
    helped = forms.CharField(
        label=_("What helped this week?"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class CheckInSettingsForm(ClearsUnusedFields, forms.ModelForm):
    # Without a reminder time there is no reminder to send by email too.
    fields_used_when = {"reminder_email": used_when("reminder_time")}

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


class ReactionForm(forms.Form):
    kind = forms.ChoiceField(
        choices=ReactionKind.choices,
        widget=forms.RadioSelect,
        error_messages=choice_words(_("Choose how you'd like to react.")),
    )
    words = forms.CharField(
        label=_("A few words (optional)"), max_length=REACTION_WORDS_MAX, required=False
    )
    next = forms.CharField(required=False, widget=forms.HiddenInput)
