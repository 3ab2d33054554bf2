"""Tencent timer-trigger cron: seven fields, ``sec min hour day month weekday year``, in Beijing time.

Supported per field: ``*``, ``?`` (day/weekday), numbers, ranges ``a-b``, lists ``a,b``, steps ``*/n``,
``a/n``, ``a-b/n``, and month (``JAN``…) / weekday (``SUN``…) names. Weekdays are 0-6 from Sunday (7 is
also Sunday). As in cron, when both day and weekday are restricted a time matches either. Evaluated one
second at a time by the timer firing (``timers.py``), so a parsed expression is a set per field.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from component.emulator.core.errors import ApiError

_MONTHS = {
    m: i
    for i, m in enumerate(["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"], start=1)
}
_DAYS = {d: i for i, d in enumerate(["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"])}
# (low, high, names) for: second, minute, hour, day, month, weekday, year
_FIELDS: tuple[tuple[int, int, dict[str, int]], ...] = (
    (0, 59, {}),
    (0, 59, {}),
    (0, 23, {}),
    (1, 31, {}),
    (1, 12, _MONTHS),
    (0, 7, _DAYS),
    (1970, 2099, {}),
)


def _bad(expr: str) -> ApiError:
    return ApiError("InvalidParameterValue.TriggerDesc", f"TriggerDesc传入参数错误。invalid cron expression {expr!r}")


def _value(text: str, names: dict[str, int], expr: str) -> int:
    upper = text.upper()
    if upper in names:
        return names[upper]
    if not text.isdigit():
        raise _bad(expr)
    return int(text)


def _field(text: str, low: int, high: int, names: dict[str, int], expr: str) -> frozenset[int] | None:
    """The allowed values, or ``None`` for "any" (``*`` / ``?``)."""
    if text in ("*", "?"):
        return None
    values: set[int] = set()
    for part in text.split(","):
        span, _, step_text = part.partition("/")
        step = _value(step_text, {}, expr) if step_text else 1
        if step < 1:
            raise _bad(expr)
        if span in ("*", "?"):
            start, end = low, high
        elif "-" in span:
            a, b = span.split("-", 1)
            start, end = _value(a, names, expr), _value(b, names, expr)
        else:
            start = _value(span, names, expr)
            end = high if step_text else start
        if not (low <= start <= end <= high):
            raise _bad(expr)
        values.update(range(start, end + 1, step))
    return frozenset(values)


@dataclass(frozen=True)
class Cron:
    expression: str
    fields: tuple[frozenset[int] | None, ...]

    def matches(self, moment: datetime) -> bool:
        sec, minute, hour, day, month, weekday, year = self.fields
        weekday_now = (moment.weekday() + 1) % 7  # Python: Monday=0; cron: Sunday=0
        checks = (
            (sec, moment.second),
            (minute, moment.minute),
            (hour, moment.hour),
            (month, moment.month),
            (year, moment.year),
        )
        if any(allowed is not None and value not in allowed for allowed, value in checks):
            return False
        day_ok = day is None or moment.day in day
        week_ok = weekday is None or weekday_now in weekday or (weekday_now == 0 and 7 in weekday)
        if day is not None and weekday is not None:
            return day_ok or week_ok
        return day_ok and week_ok


def parse_cron(expression: str) -> Cron:
    """Parse a seven-field expression; ``InvalidParameterValue.TriggerDesc`` when it is not one."""
    parts = expression.split()
    if len(parts) != len(_FIELDS):
        raise _bad(expression)
    fields = tuple(
        _field(p, low, high, names, expression) for p, (low, high, names) in zip(parts, _FIELDS, strict=True)
    )
    return Cron(expression, fields)
