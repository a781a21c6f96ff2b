from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from counterpoint.notify.models import NotifyPreference


class NotifyPreferenceForm(forms.ModelForm):
    class Meta:
        model = NotifyPreference
        fields = ["quiet_start", "quiet_end", "push_when_asked"]
        widgets = {
            "quiet_start": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
            "quiet_end": forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("quiet_start"), cleaned.get("quiet_end")
        if (start is None) != (end is None):
            raise forms.ValidationError(
                _("Give both times for quiet hours, or leave both empty for none.")
            )
        return cleaned
