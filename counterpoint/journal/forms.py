from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from counterpoint.form_words import choice_words
from counterpoint.journal.models import BODY_MAX, JournalEntry
from counterpoint.privacy.models import ONLY_ME_HELP, WHO_SEES_EMPTY, Visibility
from counterpoint.submissions import SubmissionKeyField


class JournalEntryForm(forms.ModelForm):
    visibility = forms.ChoiceField(
        label=_("Who can see this"),
        choices=[
            (Visibility.PRIVATE, _("Only me")),
            (Visibility.PARTNER, _("Shared with my partner")),
        ],
        widget=forms.RadioSelect,
        initial=Visibility.PRIVATE,
        help_text=ONLY_ME_HELP,
        error_messages=choice_words(WHO_SEES_EMPTY),
    )
    submission_key = SubmissionKeyField()

    class Meta:
        model = JournalEntry
        fields = ["title", "body", "visibility"]
        widgets = {"body": forms.Textarea(attrs={"rows": 6, "maxlength": BODY_MAX})}
        error_messages = {
            "body": {"required": _("Write something first — an empty entry can't be saved.")}
        }

    def __init__(self, *args: Any, shown_visibility: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if shown_visibility is not None:
            self.initial["visibility"] = shown_visibility

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Write something first — an empty entry can't be saved."))
        return body
