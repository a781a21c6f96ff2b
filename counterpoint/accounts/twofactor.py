"""Two-factor sign-in with an authenticator app (TOTP) and one-time recovery codes (django-otp).

A person has at most one authenticator app and one set of ten recovery codes. Six digits are checked
against the app; anything else against the recovery codes (each works once). django-otp throttles
repeated wrong codes and refuses a code already used.
"""

from __future__ import annotations

import base64
import io
import re

import segno
from django.db import transaction
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from counterpoint.accounts.alerts import security_alert_send
from counterpoint.accounts.models import User

RECOVERY_CODE_COUNT = 10
APP_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"


def two_factor_enabled(user: User) -> bool:
    return TOTPDevice.objects.filter(user=user, confirmed=True).exists()


def totp_enrol_start(*, user: User) -> TOTPDevice:
    """A new, unconfirmed authenticator; it does nothing until a code from it is confirmed."""
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=False).delete()
        return TOTPDevice.objects.create(user=user, name=APP_NAME, confirmed=False)


def totp_pending(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=False).first()


def totp_secret(device: TOTPDevice) -> str:
    """The shared secret as authenticator apps take it when typed in (base32, in groups of four)."""
    raw = base64.b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(raw[i : i + 4] for i in range(0, len(raw), 4))


def totp_qr_svg(device: TOTPDevice) -> str:
    """The otpauth:// link as an inline SVG QR code (drawn here; nothing is sent anywhere)."""
    buffer = io.BytesIO()
    segno.make(device.config_url, error="m").save(
        buffer, kind="svg", scale=4, xmldecl=False, svgns=True, title="QR code"
    )
    return buffer.getvalue().decode("utf-8")


def _digits(code: str) -> str:
    return re.sub(r"\s+", "", code)


def recovery_codes_new(*, user: User, alert: bool = True) -> list[str]:
    """Ten fresh one-time recovery codes; the old ones stop working."""
    with transaction.atomic():
        StaticDevice.objects.filter(user=user).delete()
        device = StaticDevice.objects.create(user=user, name=RECOVERY_NAME, confirmed=True)
        codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
        StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
        if alert:
            security_alert_send(user=user, event="recovery_codes_new")
    return codes


def totp_enrol_confirm(*, user: User, device: TOTPDevice, code: str) -> list[str] | None:
    """Turn the authenticator on when ``code`` comes from it; returns the new recovery codes."""
    if device.user_id != user.pk or device.confirmed:
        return None
    if not device.verify_token(_digits(code)):
        return None
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user, confirmed=True).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = recovery_codes_new(user=user, alert=False)
        security_alert_send(user=user, event="two_factor_on")
    return codes


def two_factor_disable(*, user: User, alert: bool = True) -> bool:
    """Remove the authenticator and the recovery codes. True when there was something to remove."""
    with transaction.atomic():
        removed, _ = TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        if removed and alert:
            security_alert_send(user=user, event="two_factor_off")
    return bool(removed)


def second_factor_verify(*, user: User, code: str) -> bool:
    """A code from the authenticator app (six digits) or an unused recovery code."""
    value = _digits(code).lower().replace("-", "")
    if not value:
        return False
    if value.isdigit() and len(value) == 6:
        devices = TOTPDevice.objects.filter(user=user, confirmed=True)
        return any(device.verify_token(value) for device in devices)
    static = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return static is not None and static.verify_token(value)


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user).count()
