from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class AcceptInviteForm(forms.Form):
    code = forms.CharField(
        label=_("Invitation code"),
        max_length=80,
        help_text=_("The 8-character code your partner gave you."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )


class UnpairForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand: we will no longer share anything new, and my partner is told."),
        required=True,
        error_messages={"required": _("Tick the box to confirm that you want to unpair.")},
    )
