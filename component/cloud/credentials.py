"""Find credentials without importing the SDK.

Order (first complete pair wins): the SDK's variables ``TENCENTCLOUD_SECRET_ID``/``TENCENTCLOUD_SECRET_KEY``
(+ ``TENCENTCLOUD_SESSION_TOKEN``), the serverless CLI's ``TENCENT_SECRET_ID``/``TENCENT_SECRET_KEY``
(+ ``TENCENT_TOKEN``), both read from the real environment merged with the project's ``.env`` files,
then the SDK profile file ``~/.tencentcloud/credentials`` (section ``[default]``). The CVM instance role
is not probed: a network call to the metadata service from a laptop would hang for seconds; set the
variables from the role in CI instead.

The secret never leaves this object in readable form: ``repr`` hides it, and nothing here formats it
into a message.
"""

from __future__ import annotations

import configparser
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from component.errors import CredentialsError

_ENV_PAIRS = (
    ("TENCENTCLOUD_SECRET_ID", "TENCENTCLOUD_SECRET_KEY", "TENCENTCLOUD_SESSION_TOKEN"),
    ("TENCENT_SECRET_ID", "TENCENT_SECRET_KEY", "TENCENT_TOKEN"),
)

MISSING_MESSAGE = (
    "no Tencent Cloud credentials found: set TENCENT_SECRET_ID and TENCENT_SECRET_KEY "
    "(or TENCENTCLOUD_SECRET_ID/TENCENTCLOUD_SECRET_KEY) in the environment or a .env file, "
    "or run against the local emulator with --local"
)


@dataclass(frozen=True)
class Credentials:
    secret_id: str
    secret_key: str = field(repr=False)
    token: str | None = field(default=None, repr=False)
    source: str = ""

    def secrets(self) -> tuple[str, ...]:
        """Values that must never appear in any output (used by the output scrubber)."""
        return tuple(s for s in (self.secret_key, self.token) if s)


def find_credentials(env: Mapping[str, str], home: Path | None = None) -> Credentials | None:
    for id_var, key_var, token_var in _ENV_PAIRS:
        secret_id, secret_key = env.get(id_var, "").strip(), env.get(key_var, "").strip()
        if secret_id and secret_key:
            token = env.get(token_var, "").strip() or None
            return Credentials(secret_id, secret_key, token, source=f"environment ({id_var})")
    try:
        home = home or Path.home()
    except RuntimeError:  # no HOME and no password entry: there is no profile to read
        return None
    return _from_profile(home / ".tencentcloud" / "credentials")


def require_credentials(env: Mapping[str, str], home: Path | None = None) -> Credentials:
    found = find_credentials(env, home)
    if found is None:
        raise CredentialsError(_half_pair(env) or MISSING_MESSAGE)
    return found


def _half_pair(env: Mapping[str, str]) -> str | None:
    """Which variable of a pair is set while its partner is not (names only, never a value)."""
    for id_var, key_var, _ in _ENV_PAIRS:
        have_id, have_key = bool(env.get(id_var, "").strip()), bool(env.get(key_var, "").strip())
        if have_id != have_key:
            given, missing = (id_var, key_var) if have_id else (key_var, id_var)
            return (
                f"incomplete Tencent Cloud credentials: {given} is set but {missing} is not (set both, in the "
                "environment or a .env file, or run against the local emulator with --local)"
            )
    return None


def _from_profile(path: Path) -> Credentials | None:
    parser = configparser.ConfigParser()
    try:
        if not path.is_file():
            return None
        with open(path, encoding="utf-8") as handle:
            parser.read_file(handle)
    except OSError as exc:  # unreadable profile or HOME: say which file, never a traceback
        msg = (
            f"cannot read the credentials profile {path}: {exc.strerror or type(exc).__name__}; "
            "fix its permissions or set TENCENT_SECRET_ID/TENCENT_SECRET_KEY"
        )
        raise CredentialsError(msg) from None
    except (configparser.Error, UnicodeDecodeError):
        return None
    section = parser["default"] if parser.has_section("default") else None
    if section is None:
        return None
    secret_id = section.get("secret_id", "").strip()
    secret_key = section.get("secret_key", "").strip()
    if not (secret_id and secret_key):
        return None
    return Credentials(secret_id, secret_key, source=f"profile {path}")
