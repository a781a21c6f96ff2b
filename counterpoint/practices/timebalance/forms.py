from __future__ import annotations

from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from counterpoint.form_words import choice_words
from counterpoint.practices.timebalance.models import NOTE_MAX, TimeKind
from counterpoint.privacy.models import ONLY_ME_HELP, WHO_SEES_EMPTY, Visibility
from counterpoint.submissions import SubmissionKeyField
from counterpoint.unused_fields import ClearsUnusedFields, used_when


class TimeBlockForm(ClearsUnusedFields, forms.Form):
    # We-time is always the couple's: who may see it is not a question for it.
    fields_used_when = {"visibility": used_when("kind", TimeKind.ME)}

    kind = forms.ChoiceField(
        label=_("Kind of time"),
        choices=TimeKind.choices,
        widget=forms.RadioSelect,
        error_messages=choice_words(_("Choose me-time or we-time.")),
    )
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    minutes = forms.IntegerField(
        label=_("How long (minutes)"),
        min_value=5,
        max_value=24 * 60,
        widget=forms.NumberInput(attrs={"min": 5, "max": 1440, "step": 5}),
    )
    done = forms.TypedChoiceField(
        label=_("Plan or log"),
        choices=[("plan", _("Plan it")), ("log", _("It already happened"))],
        coerce=lambda v: v == "log",
        widget=forms.RadioSelect,
        initial="plan",
        error_messages=choice_words(_("Choose whether you're planning it or it already happened.")),
    )
    note = forms.CharField(
        label=_("What (optional)"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.TextInput(attrs={"maxlength": NOTE_MAX}),
    )
    visibility = forms.ChoiceField(
        label=_("Who can see my me-time"),
        choices=[
            (Visibility.PARTNER, _("Shared with my partner")),
            (Visibility.PRIVATE, _("Only me")),
        ],
        widget=forms.RadioSelect,
        initial=Visibility.PARTNER,
        help_text=format_lazy(
            "{} {}", _("We-time is always shared by the two of you."), ONLY_ME_HELP
        ),
        error_messages=choice_words(WHO_SEES_EMPTY),
    )
    submission_key = SubmissionKeyField()
