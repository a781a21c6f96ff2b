from __future__ import annotations

from django import forms

from counterpoint.activity.models import NoticePreference


class NoticePreferenceForm(forms.ModelForm):
    class Meta:
        model = NoticePreference
        fields = ["email_when_asked", "email_everything"]
