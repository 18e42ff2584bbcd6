"""Encryption of plugin secrets at rest (Fernet: AES-128-CBC + HMAC-SHA256).

``PLUGIN_SECRET_KEYS`` holds one or more Fernet keys, newest first. New values
are encrypted with the first; any listed key decrypts. To rotate: put a new key
first, keep the old ones, run ``manage.py rotate_plugin_secrets``, then drop the
old keys. In embedded mode without keys, a key is derived from SECRET_KEY.
"""

from __future__ import annotations

import base64
import hashlib
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings


@cache
def _fernet() -> MultiFernet:
    keys = list(settings.PLUGIN_SECRET_KEYS)
    if not keys:
        digest = hashlib.sha256(f"plugin-secrets:{settings.SECRET_KEY}".encode()).digest()
        keys = [base64.urlsafe_b64encode(digest).decode()]
    return MultiFernet([Fernet(key.encode()) for key in keys])


def reset_keys() -> None:
    _fernet.cache_clear()


def encrypt(plaintext: str) -> str:
    return _fernet().encrypt(plaintext.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return _fernet().decrypt(token.encode()).decode()
    except InvalidToken as exc:
        raise RuntimeError(
            "A plugin secret cannot be decrypted: PLUGIN_SECRET_KEYS lacks the key it was "
            "encrypted with."
        ) from exc


def rotate(token: str) -> str:
    return _fernet().rotate(token.encode()).decode()


def mask(secret: str | None) -> str | None:
    """What clients see of a secret: its last four characters at most."""
    if not secret:
        return None
    tail = secret[-4:] if len(secret) >= 12 else ""
    return f"****{tail}"
