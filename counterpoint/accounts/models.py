"""People and their sign-ins."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any, ClassVar

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from counterpoint.numbers import NumberingManager, RandomlyNumbered


class UserManager(NumberingManager["User"], BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **extra: Any) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin, RandomlyNumbered):
    """A person. Signs in with an email address; everything they write is theirs."""

    email = models.EmailField(_("email address"), unique=True)
    display_name = models.CharField(_("display name"), max_length=60)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # Bumped by "sign out everywhere": every session signed with the old value stops working.
    session_generation = models.PositiveIntegerField(default=0)
    # Set when the person deleted their account and part of it (a large study's data) is still
    # being deleted by the task runner: the account is closed (inactive, no password) meanwhile.
    deletion_requested_at = models.DateTimeField(null=True, blank=True, editable=False)

    objects: ClassVar[UserManager] = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = ["display_name"]

    class Meta:
        ordering = ["date_joined", "id"]

    def __str__(self) -> str:
        return self.display_name or self.email

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        key_salt = "counterpoint.accounts.User.session_auth_hash"
        value = f"{self.password}:{self.session_generation}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()

    @property
    def tzinfo(self) -> zoneinfo.ZoneInfo:
        try:
            return zoneinfo.ZoneInfo(self.time_zone)
        except (zoneinfo.ZoneInfoNotFoundError, ValueError):
            return zoneinfo.ZoneInfo("UTC")

    def local_now(self) -> dt.datetime:
        return timezone.now().astimezone(self.tzinfo)

    def local_today(self) -> dt.date:
        """Every "today" in the product is the person's own local day."""
        return self.local_now().date()


class SignIn(RandomlyNumbered):
    """A successful sign-in, shown to the account's owner only (recent sign-ins). Numbered at
    random: numbers in turn, in the owner's export, would count everyone else's sign-ins between
    two of theirs (on a household installation, the partner's)."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="sign_ins")
    at = models.DateTimeField(default=timezone.now)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    user_agent = models.CharField(max_length=300, blank=True)
    session_key = models.CharField(max_length=40, blank=True, db_index=True)

    class Meta:
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user_id} at {self.at:%Y-%m-%d %H:%M}"

    @property
    def device(self) -> str:
        """The browser and system in words ("Chrome on Android")."""
        from counterpoint.accounts.devices import device_name

        return device_name(self.user_agent)


class Passkey(RandomlyNumbered):
    """A WebAuthn credential (a passkey) that signs its owner in without a password (numbered at
    random: its number is in the address that removes it).

    Only the public key is stored; the private key never leaves the person's device.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="passkeys")
    credential_id = models.CharField(max_length=1400, unique=True)  # base64url
    public_key = models.BinaryField()
    sign_count = models.PositiveBigIntegerField(default=0)
    name = models.CharField(_("name"), max_length=60)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)
    # The challenge of its last sign-in (base64url): one answer signs in once, even sent twice at
    # the same instant with the same session (accounts/passkeys.py).
    last_challenge = models.CharField(max_length=100, blank=True, editable=False)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return self.name


class PendingSignup(RandomlyNumbered):
    """A sign-up waiting for its address to be confirmed: no account exists until the link is used.

    The password is kept hashed here, never in the email. Rows expire after
    ``SIGNUP_LINK_MAX_AGE_SECONDS`` and are deleted once used or expired.
    """

    email = models.EmailField(_("email address"), db_index=True)
    display_name = models.CharField(_("display name"), max_length=60)
    time_zone = models.CharField(_("time zone"), max_length=64, default="UTC")
    password = models.CharField(max_length=128)  # a hash, as User.password
    next_url = models.CharField(max_length=500, blank=True)
    nonce = models.CharField(max_length=64)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"sign-up {self.pk} from {self.created_at:%Y-%m-%d %H:%M}"
