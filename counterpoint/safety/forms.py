from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from counterpoint.accounts.forms import NewPasswordForm
from counterpoint.accounts.models import User


class EmergencyResetForm(NewPasswordForm):
    """A new password (checked like any other), and whether to unpair too."""

    unpair = forms.BooleanField(
        label=_("Also unpair from my partner"),
        required=False,
        help_text=_(
            "Your partner is told that you unpaired — and nothing else. Leave it unticked "
            "to stay paired; they will simply see less."
        ),
    )

    remove_sign_in_methods = forms.BooleanField(
        label=_("Also remove every passkey and authenticator app"),
        required=False,
        initial=True,
        help_text=_(
            "Someone who held your phone may have added their own. Set yours up again afterwards."
        ),
    )

    def __init__(self, user: User, *args: Any, paired: bool, **kwargs: Any) -> None:
        super().__init__(user, *args, **kwargs)
        if not paired:
            del self.fields["unpair"]
