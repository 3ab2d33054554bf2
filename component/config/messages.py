"""Turn jsonschema's ValidationErrors into short sentences a user can act on.

jsonschema describes failures in its own vocabulary ("1.5 is greater than the maximum of 1", or a
wall of sub-errors for ``oneOf``). We rephrase every keyword as "what was expected, and what we got",
and collapse ``oneOf``/``anyOf`` to one message per path: either the schema's own ``x-message`` or
the errors of the alternative that matches the value's type best. Unknown keys get a did-you-mean
hint from the keys the schema allows.
"""

from __future__ import annotations

import ast
import difflib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from component.config.yamlfile import join_path

if TYPE_CHECKING:  # jsonschema is imported lazily (see validate.py); only its types are needed here
    from jsonschema.exceptions import ValidationError

_TYPE_WORDS = {"object": "mapping", "array": "list", "null": "empty value"}
_COMPOSITE = ("oneOf", "anyOf")
_REQUIRED = re.compile(r"^(.+) is a required property$")
_OWN_MESSAGE_EXEMPT = ("type", "required", "additionalProperties")
MISSPELLING_CUTOFF = 0.8  # similarity (difflib ratio, case-insensitive) above which an unknown key is a typo


@dataclass(frozen=True)
class Message:
    """One readable problem, located by a dotted path below ``inputs``."""

    path: str
    text: str
    hint: str = ""
    unknown: tuple[str | int, ...] | None = None  # set for an unknown key: its location in the document
    misspelling: bool = False  # an unknown key that is clearly one of the allowed keys mistyped
    noun: str = "key"  # what an unknown key was meant to be (the schema's x-key-noun)


def _schema(error: ValidationError) -> dict[str, Any]:
    return error.schema if isinstance(error.schema, dict) else {}


def _expected(error: ValidationError) -> Any:
    """The keyword's value in the schema (jsonschema types it loosely)."""
    return error.validator_value


def messages_for(error: ValidationError, root: str) -> Iterator[Message]:
    """Yield the readable messages for one (top-level) validation error."""
    path = _path(root, error)
    if "propertyNames" in error.relative_schema_path:
        path = join_path(path, str(error.instance))
    own = _schema(error).get("x-message")
    if isinstance(own, str) and error.validator not in _OWN_MESSAGE_EXEMPT:
        yield Message(path, f"{own}, got {describe(error.instance)}")
    elif error.validator in _COMPOSITE:
        yield from _composite(error, root)
    elif error.validator == "additionalProperties":
        yield from _unknown_keys(error, path)
    elif error.validator == "required":
        yield Message(join_path(path, _missing_key(error)), "is required")
    else:
        yield _simple(error, path)


def _path(root: str, error: ValidationError) -> str:
    path = root
    for part in error.absolute_path:
        path = join_path(path, part)
    return path


def describe(value: Any) -> str:
    """A short, type-revealing rendering of a user value ('x', 1.5, true, a list …)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if value is None:
        return "nothing (empty value)"
    if isinstance(value, dict):
        keys = ", ".join(sorted(value)[:5]) + (", ..." if len(value) > 5 else "")
        return f"a mapping with {keys}" if value else "an empty mapping"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, str):
        return repr(value)
    return json.dumps(value)


def _type_words(types: Any) -> str:
    """``a string``, ``an integer``, ``a string, number or boolean``."""
    names = [types] if isinstance(types, str) else list(types)
    words = [_TYPE_WORDS.get(t, t) for t in names]
    text = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]
    return ("an " if text[0] in "aeiou" else "a ") + text


def _composite(error: ValidationError, root: str) -> Iterator[Message]:
    branches: dict[int, list[ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(int(sub.schema_path[0]), []).append(sub)
    fitting = [errs for errs in branches.values() if not any(_root_type_error(e, error) for e in errs)]
    if fitting:
        best = min(fitting, key=len)
        for sub in best:
            yield from messages_for(sub, root)
        return
    types: list[Any] = [b["type"] for b in _expected(error) if isinstance(b, dict) and "type" in b]
    flat = [t for ty in types for t in ([ty] if isinstance(ty, str) else ty)]
    expected = _type_words(list(dict.fromkeys(flat))) if flat else "a different value"
    yield Message(_path(root, error), f"must be {expected}, got {describe(error.instance)}")


def _root_type_error(sub: ValidationError, parent: ValidationError) -> bool:
    return sub.validator == "type" and len(sub.absolute_path) == len(parent.absolute_path)


def _unknown_keys(error: ValidationError, path: str) -> Iterator[Message]:
    schema = _schema(error)
    allowed = sorted(schema.get("properties", {}))
    noun = schema.get("x-key-noun", "key")
    known = set(allowed)
    for key in error.instance if isinstance(error.instance, dict) else {}:
        if key in known or _matches_pattern_properties(schema, key):
            continue
        where = (*error.absolute_path, key)
        hint = did_you_mean(key, allowed)
        typo = bool(did_you_mean(key, allowed, cutoff=MISSPELLING_CUTOFF))
        yield Message(join_path(path, key), f"unknown {noun} {key!r}", hint, unknown=where, misspelling=typo, noun=noun)


def _matches_pattern_properties(schema: dict[str, Any], key: str) -> bool:
    return any(re.search(pattern, key) for pattern in schema.get("patternProperties", {}))


def did_you_mean(word: str, choices: list[str], cutoff: float = 0.6) -> str:
    """``did you mean 'traffic'?`` when *word* is close to one of *choices*, else ''."""
    lowered = {c.lower(): c for c in choices}
    close = difflib.get_close_matches(word.lower(), list(lowered), n=1, cutoff=cutoff)
    return f"did you mean {lowered[close[0]]!r}?" if close else ""


def _missing_key(error: ValidationError) -> str:
    """The property a ``required`` error is about (jsonschema yields one error per missing key)."""
    match = _REQUIRED.match(error.message)
    if match:
        return str(ast.literal_eval(match.group(1)))
    return str(_expected(error)[0])


def _simple(error: ValidationError, path: str) -> Message:
    value, got = _expected(error), describe(error.instance)
    keyword = str(error.validator)
    if keyword == "type":
        return Message(path, f"must be {_type_words(value)}, got {got}")
    if keyword in ("enum", "const"):
        options = value if keyword == "enum" else [value]
        hint = did_you_mean(error.instance, [str(o) for o in options]) if isinstance(error.instance, str) else ""
        shown = ", ".join(str(o) for o in options)
        prefix = "must be one of" if len(options) > 1 else "must be"
        return Message(path, f"{prefix} {shown} (got {got})", hint)
    if keyword in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return Message(path, f"{_range_words(_schema(error))}, got {got}")
    return Message(path, _other(keyword, value, got, error.instance))


def _range_words(schema: dict[str, Any]) -> str:
    noun = "an integer" if schema.get("type") == "integer" else "a number"
    low = schema.get("minimum", schema.get("exclusiveMinimum"))
    high = schema.get("maximum", schema.get("exclusiveMaximum"))
    low_word = "greater than" if "exclusiveMinimum" in schema else "at least"
    high_word = "less than" if "exclusiveMaximum" in schema else "at most"
    if low is not None and high is not None:
        if "exclusiveMinimum" in schema or "exclusiveMaximum" in schema:
            return f"must be {noun} {low_word} {low} and {high_word} {high}"
        return f"must be {noun} between {low} and {high}"
    if low is not None:
        return f"must be {low_word} {low}"
    return f"must be {high_word} {high}"


def _keys(instance: Any) -> str:
    keys = sorted(instance) if isinstance(instance, dict) else []
    return f"{len(keys)} ({', '.join(keys)})"


def _other(keyword: str, value: Any, got: str, instance: Any) -> str:
    plural = "" if value == 1 else "s"
    templates = {
        "pattern": f"must match the pattern {value}, got {got}",
        "minLength": f"must be at least {value} character{plural} long, got {got}",
        "maxLength": f"must be at most {value} character{plural} long",
        "minItems": f"must have at least {value} item{plural}",
        "maxItems": f"must have at most {value} item{plural}",
        "minProperties": f"must have at least {value} key{plural}",
        "maxProperties": f"must have at most {value} key{plural}, got {_keys(instance)}",
        "uniqueItems": "must not contain duplicates",
        "multipleOf": f"must be a multiple of {value}, got {got}",
        "propertyNames": "has an invalid key",
    }
    return templates.get(keyword, f"is not valid ({keyword})")
