from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from counterpoint.form_words import choice_words
from counterpoint.practices.moments.models import NOTE_MAX, TEXT_MAX, MomentKind, Reaction
from counterpoint.privacy.models import ONLY_ME_HELP, WHO_SEES_EMPTY, Visibility
from counterpoint.submissions import SubmissionKeyField


class MomentForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What kind of moment"),
        choices=MomentKind.choices,
        widget=forms.RadioSelect,
        error_messages=choice_words(_("Choose what kind of moment it was.")),
    )
    text = forms.CharField(
        label=_("What happened"),
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 5, "maxlength": TEXT_MAX}),
        strip=True,
        error_messages={
            "required": _("Write a line or two first — an empty moment can't be shared.")
        },
    )
    visibility = forms.ChoiceField(
        label=_("Who can see this"),
        choices=[
            (Visibility.PARTNER, _("Shared with my partner")),
            (Visibility.PRIVATE, _("Only me (just for my own record)")),
        ],
        widget=forms.RadioSelect,
        initial=Visibility.PARTNER,
        help_text=ONLY_ME_HELP,
        error_messages=choice_words(WHO_SEES_EMPTY),
    )
    submission_key = SubmissionKeyField()


class ResponseForm(forms.Form):
    reaction = forms.ChoiceField(
        label=_("How you meet it"),
        choices=Reaction.choices,
        widget=forms.RadioSelect,
        error_messages=choice_words(_("Choose how you meet it.")),
    )
    note = forms.CharField(
        label=_("A few words (optional)"),
        max_length=NOTE_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE_MAX}),
    )
