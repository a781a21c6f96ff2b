"""A passkey device for web tests, and the two ceremonies as the sign-in and two-factor pages run
them (static/js/passkeys.js): ask the app for options, let the device answer, post the answer.

The device makes real WebAuthn responses (https://www.w3.org/TR/webauthn-2/), so test worlds add
and use passkeys through the app's own views and the app verifies every signature as it would a
phone's. tests/browser/test_two_factor.py does the same with Chromium's virtual authenticator.

- Registration: clientDataJSON ``{type: "webauthn.create", challenge, origin}``; authenticator data
  = SHA-256(relying-party id) ‖ flags (user present, user verified, attested credential data) ‖
  sign count (4 bytes) ‖ AAGUID (16 zero bytes: no make is claimed) ‖ credential id length
  (2 bytes) ‖ credential id ‖ the public key as a COSE map; the attestation object
  ``{fmt: "none", attStmt: {}, authData}`` in CBOR.
- Sign-in: clientDataJSON ``{type: "webauthn.get", …}``; the authenticator data without the
  credential; an ES256 (P-256, SHA-256) signature over authenticator data ‖ SHA-256(clientDataJSON);
  the user handle the credential was registered with.

Like a device, it keeps its credentials (private keys included) and a sign count per credential.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from django.test import Client
from django.urls import reverse
from django_otp.oath import totp

from counterpoint.accounts.models import Passkey

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse as Response

ORIGIN = "http://testserver"  # the test client's; the app uses the request's own (passkeys._origin)
USER_PRESENT, USER_VERIFIED, ATTESTED_DATA = 0x01, 0x04, 0x40
ES256 = -7  # COSE algorithm: ECDSA with SHA-256 on P-256
JSON_ACCEPT = {"Accept": "application/json"}  # what passkeys.js sends


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def from_b64url(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


class Refused(Exception):
    """What the browser raises instead of answering (no credential fits, one is excluded)."""


@dataclass
class Credential:
    id: bytes
    rp_id: str
    user_handle: bytes
    key: ec.EllipticCurvePrivateKey
    sign_count: int = 0

    @property
    def cose_key(self) -> bytes:
        numbers = self.key.public_key().public_numbers()
        return cbor2.dumps(
            {
                1: 2,  # kty: EC2
                3: ES256,  # alg
                -1: 1,  # crv: P-256
                -2: numbers.x.to_bytes(32, "big"),
                -3: numbers.y.to_bytes(32, "big"),
            }
        )


@dataclass
class Authenticator:
    """A phone's passkey store. ``counts``: whether it reports a sign count that goes up with each
    use (security keys do) or always 0 (passkeys synced between devices do)."""

    origin: str = ORIGIN
    counts: bool = True
    credentials: list[Credential] = field(default_factory=list)

    def create(
        self, options: dict[str, Any], *, credential_id: bytes | None = None, obey: bool = True
    ) -> str:
        """The answer to ``navigator.credentials.create``: a new credential, kept here.

        ``credential_id``: the id to claim (a device's ids are random); ``obey=False`` answers even
        when the options exclude one of this device's credentials, as no real browser would.
        """
        rp_id = options["rp"]["id"]
        if ES256 not in [p["alg"] for p in options["pubKeyCredParams"]]:
            raise Refused("the site takes no key this device makes")
        excluded = {from_b64url(c["id"]) for c in options.get("excludeCredentials", [])}
        if obey and any(c.id in excluded and c.rp_id == rp_id for c in self.credentials):
            raise Refused("this device already has a passkey for this account")
        credential = Credential(
            id=credential_id if credential_id is not None else os.urandom(32),
            rp_id=rp_id,
            user_handle=from_b64url(options["user"]["id"]),
            key=ec.generate_private_key(ec.SECP256R1()),
        )
        self.credentials.append(credential)
        attested = bytes(16) + len(credential.id).to_bytes(2, "big") + credential.id
        auth_data = self._auth_data(credential, ATTESTED_DATA) + attested + credential.cose_key
        client_data = self._client_data("webauthn.create", options["challenge"])
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return self._answer(
            credential,
            {
                "clientDataJSON": b64url(client_data),
                "attestationObject": b64url(attestation),
                "transports": ["internal"],
            },
        )

    def get(self, options: dict[str, Any], *, credential: Credential | None = None) -> str:
        """The answer to ``navigator.credentials.get``: signed by ``credential``, or by the only
        one this device has for the site (the app lists none: passkeys are discoverable)."""
        if credential is None:
            allowed = {from_b64url(c["id"]) for c in options.get("allowCredentials", [])}
            fitting = [
                c
                for c in self.credentials
                if c.rp_id == options["rpId"] and (not allowed or c.id in allowed)
            ]
            if len(fitting) != 1:
                raise Refused(f"{len(fitting)} passkeys fit; say which")
            credential = fitting[0]
        if self.counts:
            credential.sign_count += 1
        auth_data = self._auth_data(credential, 0)
        client_data = self._client_data("webauthn.get", options["challenge"])
        signed = auth_data + hashlib.sha256(client_data).digest()
        signature = credential.key.sign(signed, ec.ECDSA(hashes.SHA256()))
        return self._answer(
            credential,
            {
                "clientDataJSON": b64url(client_data),
                "authenticatorData": b64url(auth_data),
                "signature": b64url(signature),
                "userHandle": b64url(credential.user_handle),
            },
        )

    def clone(self) -> Authenticator:
        """A copy of this device as it is now: the same keys, its own sign counts from here on."""
        return Authenticator(
            origin=self.origin,
            counts=self.counts,
            credentials=[replace(c) for c in self.credentials],
        )

    def _auth_data(self, credential: Credential, extra_flags: int) -> bytes:
        flags = USER_PRESENT | USER_VERIFIED | extra_flags
        return (
            hashlib.sha256(credential.rp_id.encode()).digest()
            + bytes([flags])
            + credential.sign_count.to_bytes(4, "big")
        )

    def _client_data(self, kind: str, challenge: str) -> bytes:
        data = {"type": kind, "challenge": challenge, "origin": self.origin, "crossOrigin": False}
        return json.dumps(data).encode()

    @staticmethod
    def _answer(credential: Credential, response: dict[str, Any]) -> str:
        """The JSON static/js/passkeys.js posts for a credential."""
        return json.dumps(
            {
                "id": b64url(credential.id),
                "rawId": b64url(credential.id),
                "type": "public-key",
                "clientExtensionResults": {},
                "response": response,
            }
        )


# -- the ceremonies, as the pages' script runs them --------------------------------------------------


def _options(client: Client, url_name: str) -> dict[str, Any]:
    """Ask for a ceremony's options, as the page's script does before calling the device."""
    response = client.post(reverse(url_name), headers=JSON_ACCEPT)
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def registration_options(client: Client) -> dict[str, Any]:
    return _options(client, "accounts:passkey_register_options")


def register(client: Client, answer: str, name: str = "My phone") -> Response:
    """Post a registration answer as the two-factor page's form does."""
    data = {"name": name, "credential": answer}
    return client.post(reverse("accounts:passkey_register"), data, headers=JSON_ACCEPT)


def passkey_added(client: Client, device: Authenticator, name: str = "My phone") -> Passkey:
    """Add a passkey on ``device`` for the person signed in on ``client``, as they would."""
    response = register(client, device.create(registration_options(client)), name)
    assert response.status_code == 200, response.content
    return Passkey.objects.get(credential_id=b64url(device.credentials[-1].id))


def sign_in_options(client: Client) -> dict[str, Any]:
    return _options(client, "accounts:passkey_sign_in_options")


def sign_in_answer(client: Client, answer: str, next_url: str = "") -> Response:
    """Post a sign-in answer as the sign-in page's passkey form does."""
    data = {"next": next_url, "credential": answer}
    return client.post(reverse("accounts:passkey_sign_in"), data, headers=JSON_ACCEPT)


def sign_in(client: Client, device: Authenticator, **kwargs: Any) -> Response:
    """The whole sign-in with a passkey on ``device`` (``credential=``: which one)."""
    return sign_in_answer(client, device.get(sign_in_options(client), **kwargs))


def app_code(secret: str) -> str:
    """What an authenticator app shows now for the two-factor ``secret`` the setup page showed
    (the reference TOTP of django-otp's oath)."""
    raw = secret.replace(" ", "")
    key = base64.b32decode(raw + "=" * (-len(raw) % 8))
    return f"{totp(key):06d}"
