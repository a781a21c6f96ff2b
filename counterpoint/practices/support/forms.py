from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from counterpoint.form_words import choice_words
from counterpoint.practices.support.models import TEXT_MAX, WHEN_MAX, Landing, Offer, SupportKind
from counterpoint.submissions import SubmissionKeyField


class SupportRequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("I could use…"),
        choices=SupportKind.choices,
        widget=forms.RadioSelect,
        error_messages=choice_words(_("Choose what you could use.")),
    )
    details = forms.CharField(
        label=_("A little more, if you like"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_MAX}),
        help_text=_("Optional. What would help, or what's going on."),
    )
    submission_key = SubmissionKeyField()

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("kind") == SupportKind.OTHER and not str(data.get("details", "")).strip():
            self.add_error("details", _("Say a few words about what you could use."))
        return data


class SupportAnswerForm(forms.Form):
    offer = forms.ChoiceField(
        label=_("Your answer"),
        choices=Offer.choices,
        widget=forms.RadioSelect,
        error_messages=choice_words(_("Choose your answer.")),
    )
    message = forms.CharField(
        label=_("What you can offer"),
        max_length=TEXT_MAX,
        error_messages={"required": _("Write a few words about what you can offer.")},
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_MAX}),
    )
    when = forms.CharField(
        label=_("When"),
        required=False,
        max_length=WHEN_MAX,
        help_text=_("For example: tonight after dinner."),
        widget=forms.TextInput(attrs={"maxlength": WHEN_MAX}),
    )

    def clean_message(self) -> str:
        message = self.cleaned_data["message"].strip()
        if not message:
            raise forms.ValidationError(_("Write a few words about what you can offer."))
        return message


class SupportLandingForm(forms.Form):
    landed = forms.ChoiceField(
        label=_("How did it land?"),
        choices=Landing.choices,
        widget=forms.RadioSelect,
        error_messages=choice_words(_("Choose how it landed.")),
    )
    note = forms.CharField(
        label=_("Anything to add"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": TEXT_MAX}),
    )
