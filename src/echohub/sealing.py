"""Secrets kept at rest sealed: encrypted and authenticated with a key from the environment.

A hub's video platform secrets (a Zoom client secret, an Entra application's
secret, a BigBlueButton shared secret) must be stored, because the worker
signs in with them, and must be useless to whoever reads the database or a
backup alone. `seal` encrypts with Fernet (AES-128-CBC with HMAC-SHA256, from
`cryptography`) under the first of SECRETS_KEYS; `unseal` tries each key, so a
new key goes first and the old ones stay until `echohub reseal` has sealed
everything again under the new one (docs/deploy.md).

Without SECRETS_KEYS (a developer's clone) the key is derived from SECRET_KEY,
and `check --deploy` warns (echohub.W001): such a deployment's secrets would
fall with its SECRET_KEY.
"""

import base64
from functools import cache

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.core.checks import CheckMessage, Warning, register
from django.core.exceptions import ImproperlyConfigured


class Unsealable(ValueError):
    """A sealed value that no configured key opens (a key was dropped too early)."""


def new_key() -> str:
    """A fresh key for SECRETS_KEYS (`echohub reseal --new-key` prints one)."""
    return Fernet.generate_key().decode()


def _derived_key() -> bytes:
    derived = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=b"echohub.sealing").derive(
        settings.SECRET_KEY.encode()
    )
    return base64.urlsafe_b64encode(derived)


@cache
def _fernet(keys: tuple[str, ...]) -> MultiFernet:
    try:
        return MultiFernet([Fernet(key.encode()) for key in keys] or [Fernet(_derived_key())])
    except ValueError as error:
        raise ImproperlyConfigured(
            "SECRETS_KEYS: each key must be 32 url-safe base64-encoded bytes "
            "(make one with `echohub reseal --new-key`)."
        ) from error


def _keys() -> MultiFernet:
    return _fernet(tuple(settings.SECRETS_KEYS))


def seal(secret: str) -> str:
    """The secret encrypted under the current key, as text for a database column."""
    return _keys().encrypt(secret.encode()).decode()


def unseal(sealed: str) -> str:
    try:
        return _keys().decrypt(sealed.encode()).decode()
    except InvalidToken as error:
        raise Unsealable(
            "A sealed secret opens with none of SECRETS_KEYS: was a key removed before "
            "`echohub reseal` ran?"
        ) from error


def reseal(sealed: str) -> str:
    """The same secret sealed under the current (first) key."""
    try:
        return _keys().rotate(sealed.encode()).decode()
    except InvalidToken as error:
        raise Unsealable("A sealed secret opens with none of SECRETS_KEYS.") from error


@register(deploy=True)
def check_secrets_keys(**kwargs: object) -> list[CheckMessage]:
    if settings.SECRETS_KEYS:
        return []
    return [
        Warning(
            "SECRETS_KEYS is not set: video platform secrets are sealed with a key derived "
            "from SECRET_KEY.",
            hint="Set SECRETS_KEYS to a key from `echohub reseal --new-key` (docs/deploy.md).",
            id="echohub.W001",
        )
    ]
