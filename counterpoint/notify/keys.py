"""The server's VAPID key pair: from the environment in production, else made once under var/."""

from __future__ import annotations

import base64
import os
from functools import cache
from pathlib import Path

from django.conf import settings


def _key_file() -> Path:
    return Path(settings.VAPID_KEY_FILE)


def vapid_keys_ensure() -> Path | None:
    """Create the key file when no key is configured yet (``make run`` calls this at setup).

    Returns the file written, or None when a key already exists (environment or file)."""
    if settings.VAPID_PRIVATE_KEY or _key_file().exists():
        return None
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import ec

    key = ec.generate_private_key(ec.SECP256R1())
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    path = _key_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
    vapid_private_pem.cache_clear()
    return path


@cache
def vapid_private_pem() -> bytes:
    configured = settings.VAPID_PRIVATE_KEY.strip()
    if configured:
        # Environments often carry a PEM on one line with literal "\n".
        return configured.replace("\\n", "\n").encode()
    vapid_keys_ensure()
    return _key_file().read_bytes()


def b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def vapid_public_key() -> str:
    """The application server key a browser needs to subscribe (base64url, uncompressed point)."""
    from cryptography.hazmat.primitives import serialization

    key = serialization.load_pem_private_key(vapid_private_pem(), password=None)
    public = key.public_key().public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return b64url(public)
