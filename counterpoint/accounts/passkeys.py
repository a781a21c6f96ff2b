"""Passkeys (WebAuthn) with the `webauthn` library: register one, sign in with one.

The challenge for each ceremony lives in the session and is used once. User verification (a PIN,
fingerprint or face on the device) is required, so a passkey counts as both factors.
"""

from __future__ import annotations

import time
from urllib.parse import urlsplit

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils import timezone
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import (
    base64url_to_bytes,
    bytes_to_base64url,
    decode_credential_public_key,
    decoded_public_key_to_cryptography,
    parse_authentication_credential_json,
)
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from counterpoint.accounts.alerts import security_alert_send
from counterpoint.accounts.models import Passkey, User
from counterpoint.http import BadJSON, json_parse

REGISTER_KEY = "counterpoint_passkey_register"
SIGN_IN_KEY = "counterpoint_passkey_sign_in"
# What verifying an answer raises when it is not a valid one: the library's own errors (all
# WebAuthnException: its JSON parser's InvalidJSONStructure is not an Invalid…Response) and what
# decoding hostile base64, JSON and CBOR raises on the way (a COSE key that is a list: IndexError).
NOT_VERIFIED = (WebAuthnException, ValueError, TypeError, LookupError, ArithmeticError)
# How long a challenge may be answered: the browser is told this too (its ``timeout``). Kept in
# the session with when it was given, so one left in a signed-in session does not stay good for
# the session's thirty days. A visitor's session that holds only a sign-in challenge lasts this
# long too: anyone can ask for one, and each is a row in the session table (a sign-in gives the
# session its full lifetime).
CHALLENGE_SECONDS = 300
# WebAuthn's limit for a credential id; Passkey.credential_id holds it in base64url (1,364 chars).
MAX_CREDENTIAL_ID_BYTES = 1023


class PasskeyError(Exception):
    """A passkey ceremony that did not verify; nothing was changed."""


def _origin(request: HttpRequest) -> str:
    return settings.WEBAUTHN_ORIGIN or f"{request.scheme}://{request.get_host()}"


def _rp_id(request: HttpRequest) -> str:
    return settings.WEBAUTHN_RP_ID or (urlsplit(_origin(request)).hostname or "")


def _user_handle(user: User) -> bytes:
    return f"counterpoint-user-{user.pk}".encode()


def _challenge_keep(request: HttpRequest, key: str, challenge: bytes) -> None:
    request.session[key] = {"challenge": bytes_to_base64url(challenge), "at": time.time()}


def _challenge_take(request: HttpRequest, key: str) -> str | None:
    """The challenge kept under ``key``, once (it is removed), if it was given within
    ``CHALLENGE_SECONDS``; None otherwise."""
    kept = request.session.pop(key, None)
    if not isinstance(kept, dict):  # none, or the bare string an earlier version kept
        return None
    at, challenge = kept.get("at"), kept.get("challenge")
    if not isinstance(at, float | int) or not isinstance(challenge, str):
        return None
    if not 0 <= time.time() - at <= CHALLENGE_SECONDS:
        return None
    return challenge


def passkey_registration_options(*, request: HttpRequest, user: User) -> str:
    options = generate_registration_options(
        rp_id=_rp_id(request),
        rp_name="Counterpoint",
        timeout=CHALLENGE_SECONDS * 1000,
        user_id=_user_handle(user),
        user_name=user.email,
        user_display_name=user.display_name,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=[
            PublicKeyCredentialDescriptor(id=base64url_to_bytes(p.credential_id))
            for p in user.passkeys.all()
        ],
    )
    _challenge_keep(request, REGISTER_KEY, options.challenge)
    return options_to_json(options)


def passkey_register(*, request: HttpRequest, user: User, credential: str, name: str) -> Passkey:
    challenge = _challenge_take(request, REGISTER_KEY)
    if not challenge:
        raise PasskeyError("no registration under way")
    try:
        data = json_parse(credential)
    except BadJSON as exc:
        raise PasskeyError(f"not a passkey answer: {exc}") from exc
    try:
        verified = verify_registration_response(
            credential=data,
            expected_challenge=base64url_to_bytes(challenge),
            expected_rp_id=_rp_id(request),
            expected_origin=_origin(request),
            require_user_verification=True,
        )
        # The library checks the key's algorithm, not that it is a key: one that is not (a point
        # off its curve) would fail every sign-in after its owner was told it was added.
        decoded_public_key_to_cryptography(
            decode_credential_public_key(verified.credential_public_key)
        )
    except NOT_VERIFIED as exc:
        raise PasskeyError(str(exc)) from exc
    if len(verified.credential_id) > MAX_CREDENTIAL_ID_BYTES:
        raise PasskeyError("the credential id is longer than WebAuthn allows")
    credential_id = bytes_to_base64url(verified.credential_id)
    try:
        with transaction.atomic():
            # The unique id decides, also between two requests with the same answer at once.
            passkey = Passkey.objects.create(
                user=user,
                credential_id=credential_id,
                public_key=verified.credential_public_key,
                sign_count=verified.sign_count,
                name=name.strip()[:60] or "Passkey",
            )
            security_alert_send(user=user, event="passkey_added")
    except IntegrityError as exc:
        raise PasskeyError("this passkey is already registered") from exc
    return passkey


def passkey_sign_in_options(*, request: HttpRequest) -> str:
    options = generate_authentication_options(
        rp_id=_rp_id(request),
        user_verification=UserVerificationRequirement.REQUIRED,
        timeout=CHALLENGE_SECONDS * 1000,
    )
    _challenge_keep(request, SIGN_IN_KEY, options.challenge)
    if not request.user.is_authenticated:
        request.session.set_expiry(CHALLENGE_SECONDS)
    return options_to_json(options)


def passkey_authenticate(*, request: HttpRequest, credential: str) -> User:
    """The owner of the passkey that answered this session's challenge; raises otherwise.

    A passkey whose sign count did not go up was copied (WebAuthn's cloned-authenticator signal:
    a device counts its own uses, a copy does not know them): it is removed, not just refused
    once, since a copy that tries again counts past it, and its owner is told.
    """
    challenge = _challenge_take(request, SIGN_IN_KEY)
    if not challenge:
        raise PasskeyError("no sign-in under way")
    try:
        answer = parse_authentication_credential_json(json_parse(credential))
    except NOT_VERIFIED as exc:
        raise PasskeyError(f"not a passkey answer: {exc}") from exc
    with transaction.atomic():
        passkey = (
            Passkey.objects.select_for_update(of=("self",))  # one sign-in of a passkey at a time
            .select_related("user")
            .filter(credential_id=answer.id)
            .first()
        )
        if passkey is None or not passkey.user.is_active:
            raise PasskeyError("unknown passkey")
        # The sign-in page asks for any passkey of this site, so the answer must say whose it is
        # and be that person's (WebAuthn, verifying an assertion, step 6). The handle is not signed.
        if answer.response.user_handle != _user_handle(passkey.user):
            raise PasskeyError("the passkey did not answer for its own account")
        # The session's challenge is used once, but two requests carrying the same session at
        # once both read it: the passkey's row, locked above, says which came second.
        if passkey.last_challenge == challenge:
            raise PasskeyError("this answer was used already")
        try:
            verified = verify_authentication_response(
                credential=answer,
                expected_challenge=base64url_to_bytes(challenge),
                expected_rp_id=_rp_id(request),
                expected_origin=_origin(request),
                credential_public_key=bytes(passkey.public_key),
                credential_current_sign_count=0,  # compared below, once the signature is the key's
                require_user_verification=True,
            )
        except NOT_VERIFIED as exc:
            raise PasskeyError(str(exc)) from exc
        # A synced passkey always says 0; a device counts up.
        copied = passkey.sign_count > 0 and verified.new_sign_count <= passkey.sign_count
        if copied:
            passkey.delete()
            security_alert_send(user=passkey.user, event="passkey_copied")
        else:
            Passkey.objects.filter(pk=passkey.pk).update(
                sign_count=verified.new_sign_count,
                last_used_at=timezone.now(),
                last_challenge=challenge,
            )
    if copied:
        raise PasskeyError("the passkey's sign count did not go up: a copy of it answered")
    return passkey.user


def passkey_rename(*, user: User, pk: int, name: str) -> bool:
    """Give one of the person's own passkeys a new name; False if they have none by that id."""
    with transaction.atomic():
        return bool(Passkey.objects.filter(user=user, pk=pk).update(name=name))


def passkey_remove(*, user: User, pk: int) -> bool:
    with transaction.atomic():
        removed, _ = Passkey.objects.filter(user=user, pk=pk).delete()
        if removed:
            security_alert_send(user=user, event="passkey_removed")
    return bool(removed)


def passkeys_remove_all(*, user: User) -> int:
    with transaction.atomic():
        removed, _ = Passkey.objects.filter(user=user).delete()
        if removed:
            security_alert_send(user=user, event="passkey_removed")
    return removed
