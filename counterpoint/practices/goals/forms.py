from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from counterpoint.form_words import choice_words
from counterpoint.practices.goals.models import TEXT_MAX, TITLE_MAX, EncouragementKind
from counterpoint.privacy.models import ONLY_ME_HELP, Visibility
from counterpoint.submissions import SubmissionKeyField
from counterpoint.unused_fields import ClearsUnusedFields, used_when

KIND_CHOICES = [
    (Visibility.PRIVATE, _("My goal, just for me")),
    (Visibility.PARTNER, _("My goal, shared with my partner (they can encourage, not change it)")),
    (Visibility.COUPLE, _("Our goal: we both own it")),
]


class GoalForm(forms.Form):
    title = forms.CharField(
        label=_("Goal"),
        max_length=TITLE_MAX,
        error_messages={"required": _("Name the goal first.")},
        widget=forms.TextInput(attrs={"maxlength": TITLE_MAX}),
    )
    why = forms.CharField(
        label=_("Why it matters"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": TEXT_MAX}),
    )
    visibility = forms.ChoiceField(
        label=_("Whose goal is it?"),
        choices=KIND_CHOICES,
        widget=forms.RadioSelect,
        initial=Visibility.PARTNER,
        help_text=ONLY_ME_HELP,
        error_messages=choice_words(_("Choose whose goal it is.")),
    )
    submission_key = SubmissionKeyField()

    def __init__(self, *args: object, shared: bool | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        if shared is True:
            del self.fields["visibility"]
        elif shared is False:
            self.fields["visibility"].choices = KIND_CHOICES[:2]  # type: ignore[attr-defined]
            self.fields["visibility"].label = _("Who can see it")

    def clean_title(self) -> str:
        title = self.cleaned_data["title"].strip()
        if not title:
            raise forms.ValidationError(_("Name the goal first."))
        return title


class ProgressForm(forms.Form):
    percent = forms.IntegerField(
        label=_("How far along (percent)"),
        min_value=0,
        max_value=100,
        widget=forms.NumberInput(attrs={"min": 0, "max": 100, "step": 5}),
    )
    note = forms.CharField(
        label=_("A note, if you like"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": TEXT_MAX}),
    )
    submission_key = SubmissionKeyField()


class EncourageForm(ClearsUnusedFields, forms.Form):
    fields_used_when = {"note": used_when("kind", EncouragementKind.NOTE)}

    kind = forms.ChoiceField(
        choices=EncouragementKind.choices,
        widget=forms.HiddenInput,
        error_messages=choice_words(_("Send a cheer or write a note.")),
    )
    note = forms.CharField(
        label=_("Or write a note of encouragement"),
        required=False,
        max_length=TEXT_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": TEXT_MAX}),
    )
    submission_key = SubmissionKeyField()

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        if data.get("kind") == EncouragementKind.NOTE and not str(data.get("note", "")).strip():
            self.add_error("note", _("Write your note first, or send a cheer instead."))
        return data
