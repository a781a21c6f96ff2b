from __future__ import annotations

import unicodedata
import zoneinfo
from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
)
from django.utils.translation import gettext_lazy as _

from counterpoint.accounts.models import User
from counterpoint.accounts.twofactor import second_factor_verify, two_factor_enabled
from counterpoint.form_words import choice_words

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

TIME_ZONES = sorted(zoneinfo.available_timezones() - {"localtime", "Factory"})
TIME_ZONE_SET = frozenset(TIME_ZONES)

# What each account field says when it is left empty (docs/conventions.md, "A field left empty").
NAME_EMPTY = _("Tell us what to call you.")
EMAIL_EMPTY = _("Please enter your email address.")
PASSWORD_EMPTY = _("Please enter your password.")
NEW_PASSWORD_EMPTY = _("Please choose a new password.")
NEW_PASSWORD_AGAIN_EMPTY = _("Please type the new password a second time.")
CODE_EMPTY = _("Please enter the code from your authenticator app, or one of your recovery codes.")
TIME_ZONE_WORDS = choice_words(_("Choose your time zone."))


def say_when_empty(form: forms.BaseForm, words: dict[str, StrOrPromise]) -> None:
    """Our words for "left empty" on fields a form we did not write declares (Django's)."""
    for name, text in words.items():
        if name in form.fields:
            form.fields[name].error_messages["required"] = text


def clean_name(value: str) -> str:
    """A display name is one plain line: it goes into email subjects and other people's pages."""
    name = value.strip()
    if not name:
        raise forms.ValidationError(NAME_EMPTY)
    if any(unicodedata.category(c) in {"Cc", "Cf", "Zl", "Zp"} for c in name):
        raise forms.ValidationError(
            _("A name can't contain line breaks, tabs or other invisible characters.")
        )
    return name


class SignupForm(forms.Form):
    display_name = forms.CharField(
        label=_("Your name"),
        max_length=60,
        help_text=_("How your partner will see you."),
        error_messages={"required": NAME_EMPTY},
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    email = forms.EmailField(
        label=_("Email address"),
        error_messages={"required": EMAIL_EMPTY},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("At least 10 characters; not a common password."),
        error_messages={"required": _("Please choose a password.")},
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    # Filled in by static/js/app.js from the browser (Intl.DateTimeFormat); changeable later in
    # account settings. Without JavaScript it stays UTC.
    # A zone the browser made up (or none) is UTC: nobody can fix a hidden field.
    time_zone = forms.CharField(
        label=_("Time zone"),
        required=False,
        initial="UTC",
        widget=forms.HiddenInput(attrs={"data-detect-time-zone": ""}),
    )

    def clean_time_zone(self) -> str:
        zone = self.cleaned_data.get("time_zone") or ""
        return zone if zone in TIME_ZONE_SET else "UTC"

    def clean_display_name(self) -> str:
        return clean_name(self.cleaned_data["display_name"])

    def clean_email(self) -> str:
        # Whether the address has an account is not the form's to say (it is emailed instead).
        return str(self.cleaned_data["email"]).strip().lower()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        password = cleaned.get("password")
        if password:
            probe = User(
                email=cleaned.get("email", ""), display_name=cleaned.get("display_name", "")
            )
            try:
                password_validation.validate_password(password, probe)
            except forms.ValidationError as error:
                self.add_error("password", error)
        return cleaned


class SignInForm(AuthenticationForm):
    """An empty field says which one it is; that says nothing about any account."""

    username = forms.EmailField(
        label=_("Email address"),
        error_messages={"required": EMAIL_EMPTY},
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        error_messages={"required": PASSWORD_EMPTY},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    error_messages = {
        "invalid_login": _(
            "That email and password don't match an account. Check both and try again."
        ),
        "inactive": _("This account is not active."),
    }


class SettingsForm(forms.ModelForm):
    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=[(tz, tz) for tz in TIME_ZONES],
        error_messages=TIME_ZONE_WORDS,
    )

    class Meta:
        model = User
        fields = ["display_name", "time_zone"]
        error_messages = {"display_name": {"required": NAME_EMPTY}}

    def clean_display_name(self) -> str:
        return clean_name(self.cleaned_data["display_name"])


class TimeZoneForm(forms.Form):
    """The zone the browser reports, when it differs from the account's (offered on any page)."""

    time_zone = forms.ChoiceField(
        choices=[(tz, tz) for tz in TIME_ZONES], error_messages=TIME_ZONE_WORDS
    )


class DeleteAccountForm(forms.Form):
    CONFIRMATION = "delete my account"

    confirm = forms.CharField(
        label=_('Type "delete my account" to confirm'),
        error_messages={"required": _('Type "delete my account" here to confirm.')},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    remove_couple_items = forms.BooleanField(
        label=_("Also remove the things I added to our shared (co-owned) lists"),
        required=False,
        help_text=_(
            "If you leave this unticked, your former partner keeps them in their archive, "
            'shown as written by "former partner".'
        ),
    )
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        error_messages={"required": PASSWORD_EMPTY},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_confirm(self) -> str:
        value = self.cleaned_data["confirm"].strip().lower()
        if value != self.CONFIRMATION:
            raise forms.ValidationError(_('Type exactly "delete my account" to confirm.'))
        return value

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That password is not right."))
        return password


class ConfirmIdentityForm(forms.Form):
    """A fresh confirmation that the person at the screen is the account's owner."""

    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        error_messages={"required": PASSWORD_EMPTY},
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "autofocus": True}),
    )

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("Six digits from your authenticator app, or one of your recovery codes."),
        error_messages={"required": CODE_EMPTY},
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        if not two_factor_enabled(user):
            del self.fields["code"]

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError(_("That password is not right."))
        return password

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if not second_factor_verify(user=self.user, code=code):
            raise forms.ValidationError(_("That code is not right, or it was already used."))
        return code


class NewPasswordForm(SetPasswordForm):
    """A new password, typed twice (the reset link's page; the emergency reset builds on it)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        say_when_empty(
            self,
            {"new_password1": NEW_PASSWORD_EMPTY, "new_password2": NEW_PASSWORD_AGAIN_EMPTY},
        )


class ChangePasswordForm(PasswordChangeForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        say_when_empty(
            self,
            {
                "old_password": _("Please enter your current password."),
                "new_password1": NEW_PASSWORD_EMPTY,
                "new_password2": NEW_PASSWORD_AGAIN_EMPTY,
            },
        )


class ResetPasswordForm(PasswordResetForm):
    """Asks for the address; whether it has an account is never said (the email is the answer)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        say_when_empty(self, {"email": EMAIL_EMPTY})
