"""A model field that stores text encrypted with AES-256-GCM.

Stored form: ``gcm1$<key id>$<base64(nonce + ciphertext + tag)>``. The key id (first 8 hex
characters of the key's SHA-256) picks the decrypting key, so IXPORTAL_ENCRYPTION_KEYS can
rotate: the first key encrypts, any listed key decrypts.
"""

import base64
import binascii
import hashlib
import os
from functools import lru_cache

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import models

PREFIX = "gcm1"


class DecryptionError(Exception):
    """The stored value cannot be decrypted with any configured key."""


@lru_cache(maxsize=8)
def _keys(raw_keys: tuple[str, ...]) -> tuple[tuple[str, AESGCM], ...]:
    keys = []
    for raw in raw_keys:
        try:
            key = base64.b64decode(raw, validate=True)
        except binascii.Error:
            raise ImproperlyConfigured(
                "IXPORTAL_ENCRYPTION_KEYS holds a value that is not base64."
            ) from None
        if len(key) != 32:
            raise ImproperlyConfigured(
                "Each IXPORTAL_ENCRYPTION_KEYS entry must decode to 32 bytes."
            )
        keys.append((hashlib.sha256(key).hexdigest()[:8], AESGCM(key)))
    return tuple(keys)


def _configured_keys() -> tuple[tuple[str, AESGCM], ...]:
    return _keys(tuple(settings.IXPORTAL_ENCRYPTION_KEYS))


def encrypt(plaintext: str) -> str:
    key_id, aead = _configured_keys()[0]
    nonce = os.urandom(12)
    sealed = aead.encrypt(nonce, plaintext.encode(), PREFIX.encode())
    return f"{PREFIX}${key_id}${base64.b64encode(nonce + sealed).decode()}"


def decrypt(stored: str) -> str:
    try:
        prefix, key_id, payload = stored.split("$", 2)
        blob = base64.b64decode(payload, validate=True)
    except (ValueError, binascii.Error):
        raise DecryptionError("The stored secret is not in the encrypted format.") from None
    if prefix != PREFIX:
        raise DecryptionError("The stored secret is not in the encrypted format.")
    for candidate_id, aead in _configured_keys():
        if candidate_id == key_id:
            try:
                return aead.decrypt(blob[:12], blob[12:], PREFIX.encode()).decode()
            except InvalidTag:
                break
    raise DecryptionError("The stored secret cannot be decrypted with the configured keys.")


def needs_rotation(stored: str) -> bool:
    """True when `stored` was not encrypted with the current (first) key."""
    return not stored.startswith(f"{PREFIX}${_configured_keys()[0][0]}$")


class EncryptedTextField(models.TextField):
    """Text encrypted at rest. Reads give the plaintext; the column holds only ciphertext."""

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return decrypt(value)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return encrypt(value)


class HttpsURLField(models.URLField):
    """A URL field whose form assumes https:// when the scheme is left out."""

    def formfield(self, **kwargs):
        return super().formfield(**{"assume_scheme": "https", **kwargs})
