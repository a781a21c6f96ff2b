from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from counterpoint.form_words import EMPTY, choice_words
from counterpoint.professionals.models import NOTE_MAX, ProfessionalProfile, Scope


class ProfileForm(forms.ModelForm):
    class Meta:
        model = ProfessionalProfile
        fields = ["name", "practice", "contact"]
        error_messages = {f: {"required": EMPTY} for f in ["name", "practice", "contact"]}

    def clean(self) -> dict[str, object]:
        data = super().clean() or {}
        for name in ("name", "practice", "contact"):
            value = str(data.get(name) or "")
            if any(ch in value for ch in "\r\n\x00"):
                self.add_error(name, _("Please keep this on one line."))
            elif name in data:
                data[name] = value.strip()
        return data


class InviteForm(forms.Form):
    email_or_code = forms.CharField(
        label=_("Your professional's email address or professional code"),
        max_length=254,
        error_messages={"required": EMPTY},
        help_text=_("They find their code on their Counterpoint professional page."),
    )


class GrantForm(forms.Form):
    scopes = forms.MultipleChoiceField(
        label=_(
            "What may they see? Only summaries — never anything you wrote, and never anything you keep private."
        ),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages=choice_words(
            _("Choose at least one view to share, or end the link to share nothing.")
        ),
    )


class NoteForm(forms.Form):
    text = forms.CharField(
        label=_("A note for both of them (a practice to try, homework)"),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": NOTE_MAX}),
        error_messages={"required": EMPTY},
    )


class TopicForm(forms.Form):
    text = forms.CharField(
        label=_(
            "Something to bring to the next session (your professional and your partner see it)"
        ),
        max_length=NOTE_MAX,
        widget=forms.Textarea(attrs={"rows": 2, "maxlength": NOTE_MAX}),
        error_messages={"required": EMPTY},
    )
