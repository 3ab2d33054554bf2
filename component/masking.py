"""Secrets out of everything the tool prints, writes or stores: whole values only.

A secret is replaced where it stands as a whole value, never inside a longer word: with a secret
key ``y`` the word ``deploy`` stays ``deploy`` (masking substrings turned it into ``deplo***``),
while ``key=y`` becomes ``key=***``. A long secret (:data:`LONG` characters or more, which real keys
and tokens are) is masked wherever it occurs, glued to other text or not: such a string does not
occur by accident. :class:`Masker` is held by the :class:`~component.render.Reporter`, so progress,
results, ``error:`` lines and NDJSON events go through the same one; the rollout masks a hook's
output with it before the text becomes a reason stored on the alias or written to outputs.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

MASK = "***"
LONG = 12  # characters: from here on, a secret is masked even inside a longer string
_WORD = "A-Za-z0-9"


class Masker:
    def __init__(self, secrets: Iterable[str] = ()) -> None:
        self._secrets: list[str] = []
        self._pattern: re.Pattern[str] | None = None
        self.add(secrets)

    def add(self, secrets: Iterable[str]) -> None:
        fresh = [s for s in secrets if s and s not in self._secrets]
        if not fresh:
            return
        self._secrets += fresh
        # longest first, so a secret that contains another is masked as a whole
        parts = [_part(s) for s in sorted(self._secrets, key=len, reverse=True)]
        self._pattern = re.compile("|".join(parts))

    def mask(self, text: str) -> str:
        return text if self._pattern is None else self._pattern.sub(MASK, text)

    def __bool__(self) -> bool:
        return bool(self._secrets)


def _part(secret: str) -> str:
    escaped = re.escape(secret)
    if len(secret) >= LONG:
        return escaped
    return f"(?<![{_WORD}]){escaped}(?![{_WORD}])"
