"""JSON Schema's regular expressions (ECMA-262) on Python's ``re``.

The schema's patterns are ECMA-262 expressions, as JSON Schema specifies and as editors run them. Python
reads them almost the same way, with one difference that matters here: Python's ``$`` also matches just
before a final newline, so ``^[a-z]+$`` accepted ``"release\\n"`` (an alias named with a newline, a region
that fails later as a network error). ECMA's ``$`` (without the multiline flag) matches only at the end.
Both validators (``quickcheck`` and jsonschema's ``pattern`` keyword, replaced in ``validate``) compile
the schema's patterns here, with every ``$`` outside a character class read as the end of the text.
"""

from __future__ import annotations

import re
from functools import cache


@cache
def ecma_regex(pattern: str) -> re.Pattern[str]:
    out: list[str] = []
    index, in_class = 0, False
    while index < len(pattern):
        char = pattern[index]
        if char == "\\":
            out.append(pattern[index : index + 2])
            index += 2
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
        elif char == "$":
            char = r"\Z"
        out.append(char)
        index += 1
    return re.compile("".join(out))
