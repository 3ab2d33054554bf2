"""``--since 10m``-style durations: a number with a unit (s, m, h, d); a bare number is seconds."""

from __future__ import annotations

import re

from component.errors import UsageError

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_DURATION = re.compile(r"^(\d+(?:\.\d+)?)([smhd]?)$")


def parse_duration(text: str, flag: str = "--since") -> float:
    found = _DURATION.match(text.strip())
    if found is None or float(found.group(1)) <= 0:
        msg = f"{flag}: expected a duration such as 30s, 10m, 1h or 2d (got {text!r})"
        raise UsageError(msg)
    return float(found.group(1)) * _UNITS[found.group(2) or "s"]
