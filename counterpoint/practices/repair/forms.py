from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from counterpoint.form_words import EMPTY, choice_words
from counterpoint.practices.repair.models import TEXT_MAX, TOPIC_MAX, FeelingNow
from counterpoint.submissions import SubmissionKeyField
from counterpoint.unused_fields import ClearsUnusedFields, used_when


def _text(
    label: Any, help_text: Any = "", *, required: bool = True, rows: int = 4
) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=TEXT_MAX,
        required=required,
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": TEXT_MAX}),
        error_messages={"required": EMPTY},
    )


class RepairStartForm(forms.Form):
    topic = forms.CharField(
        label=_("What it was about, in a few words (optional)"),
        max_length=TOPIC_MAX,
        required=False,
        help_text=_(
            'Your partner sees this. Keep it neutral: "Saturday evening", not who was wrong.'
        ),
        widget=forms.TextInput(attrs={"maxlength": TOPIC_MAX}),
    )
    submission_key = SubmissionKeyField()


class ShareForm(forms.Form):
    feeling = _text(
        _("What I feel"),
        _('Start with "I feel…" — about yourself, not about what your partner did.'),
    )
    need = _text(_("What I need"), _("Something your partner could actually do or give."))


class ReflectForm(forms.Form):
    text = _text(
        _("What I heard you say"),
        _("In your own words, what your partner feels and needs. Not whether you agree."),
    )


class AnswerForm(ClearsUnusedFields, forms.Form):
    fields_used_when = {"correction": used_when("confirmed", "no")}

    confirmed = forms.TypedChoiceField(
        label=_("Did they hear you?"),
        choices=[("yes", _("Yes, that's it")), ("no", _("Not quite"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
        error_messages=choice_words(_("Choose one.")),
    )
    correction = _text(_("What I'd put differently"), required=False, rows=3)

    def clean(self) -> dict:
        data = super().clean() or {}
        if data.get("confirmed") is False and not (data.get("correction") or "").strip():
            self.add_error(
                "correction", _("Say what you'd put differently, so your partner can try again.")
            )
        return data


class NextStepForm(forms.Form):
    text = _text(
        _("A next step we could agree on"), _("Small and concrete: who does what, by when."), rows=3
    )


class AgreeForm(forms.Form):
    seen_text = forms.CharField(widget=forms.HiddenInput, max_length=TEXT_MAX)


class CloseForm(forms.Form):
    feeling_now = forms.ChoiceField(
        label=_("How do you feel now?"),
        choices=FeelingNow.choices,
        widget=forms.RadioSelect,
        error_messages=choice_words(_("Choose the one closest to how you feel.")),
    )
    note = _text(_("Anything to add (optional)"), required=False, rows=2)
