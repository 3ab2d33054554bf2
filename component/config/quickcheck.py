"""Accept clean inputs without importing jsonschema.

Importing jsonschema costs about 40–60 ms, more than a whole unchanged deploy spends on its own work,
and a new or edited ``serverless.yml`` cannot use the validation cache (``validcache``). Most files are
valid, though, and for a valid file all jsonschema contributes is "no errors". This module evaluates
the subset of JSON Schema 2020-12 that ``schemas/scf.schema.json`` uses, with jsonschema's semantics,
and answers in three values: :data:`VALID`, :data:`INVALID` or :data:`UNSURE`. Only :data:`VALID` is
acted on (the schema pass is skipped); anything else runs jsonschema, which then writes the messages,
file, line and hint exactly as before. So this code can only make a valid file faster, and a keyword
or a value it does not handle exactly (an unknown keyword, ``uniqueItems`` over non-strings, a float
``multipleOf``) answers :data:`UNSURE` instead of guessing.

``tests/config/test_quickcheck.py`` holds it to jsonschema: every corpus file is :data:`VALID` here and
valid there, and on thousands of mutated files the two never disagree where this module is sure.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from component.config.ecma import ecma_regex

VALID, INVALID, UNSURE = "valid", "invalid", "unsure"
ANNOTATIONS = frozenset({"title", "description", "default", "$schema", "$id", "$defs", "x-message", "x-key-noun",
                         "format"})  # no format checker is given to jsonschema: format only annotates


def verdict(instance: Any, schema: Mapping[str, Any]) -> str:
    """Whether ``instance`` is valid against ``schema`` (the root, holding ``$defs``)."""
    return _Checker(schema).check(instance, schema)


class _Checker:
    def __init__(self, root: Mapping[str, Any]) -> None:
        self._defs: Mapping[str, Any] = root.get("$defs", {})

    def check(self, instance: Any, schema: Any) -> str:
        if schema is True:
            return VALID
        if schema is False:
            return INVALID
        if not isinstance(schema, Mapping):
            return UNSURE
        result = VALID
        for key, value in schema.items():
            if key in ANNOTATIONS or key in ("then", "else"):
                continue
            rule = _RULES.get(key)
            outcome = rule(self, instance, value, schema) if rule is not None else UNSURE
            if outcome == INVALID:
                return INVALID
            if outcome == UNSURE:
                result = UNSURE
        return result

    def ref(self, instance: Any, ref: Any, _: Mapping[str, Any]) -> str:
        prefix = "#/$defs/"
        if not isinstance(ref, str) or not ref.startswith(prefix) or ref[len(prefix):] not in self._defs:
            return UNSURE
        return self.check(instance, self._defs[ref[len(prefix):]])

    def properties(self, instance: Any, value: Mapping[str, Any], _: Mapping[str, Any]) -> str:
        if not isinstance(instance, dict):
            return VALID
        return _all(self.check(instance[key], sub) for key, sub in value.items() if key in instance)

    def additional(self, instance: Any, value: Any, schema: Mapping[str, Any]) -> str:
        if not isinstance(instance, dict):
            return VALID
        if "patternProperties" in schema:
            return UNSURE
        known = schema.get("properties", {})
        return _all(self.check(item, value) for key, item in instance.items() if key not in known)

    def items(self, instance: Any, value: Any, schema: Mapping[str, Any]) -> str:
        if not isinstance(instance, list):
            return VALID
        if "prefixItems" in schema:
            return UNSURE
        return _all(self.check(item, value) for item in instance)

    def names(self, instance: Any, value: Any, _: Mapping[str, Any]) -> str:
        return _all(self.check(key, value) for key in instance) if isinstance(instance, dict) else VALID

    def any_of(self, instance: Any, value: Any, _: Mapping[str, Any]) -> str:
        outcomes = [self.check(instance, sub) for sub in value]
        if VALID in outcomes:
            return VALID
        return UNSURE if UNSURE in outcomes else INVALID

    def one_of(self, instance: Any, value: Any, _: Mapping[str, Any]) -> str:
        outcomes = [self.check(instance, sub) for sub in value]
        if UNSURE in outcomes:
            return UNSURE
        return VALID if outcomes.count(VALID) == 1 else INVALID

    def if_then(self, instance: Any, value: Any, schema: Mapping[str, Any]) -> str:
        condition = self.check(instance, value)
        if condition == UNSURE:
            return UNSURE
        branch = schema.get("then", True) if condition == VALID else schema.get("else", True)
        return self.check(instance, branch)


def _all(outcomes: Any) -> str:
    result = VALID
    for outcome in outcomes:
        if outcome == INVALID:
            return INVALID
        if outcome == UNSURE:
            result = UNSURE
    return result


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


_TYPES: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "integer": lambda v: (isinstance(v, int) and not isinstance(v, bool)) or (isinstance(v, float) and v.is_integer()),
    "number": _is_number,
    "boolean": lambda v: isinstance(v, bool),
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "null": lambda v: v is None,
}


def _type(_: _Checker, instance: Any, value: Any, __: Mapping[str, Any]) -> str:
    names = value if isinstance(value, list) else [value]
    if any(name not in _TYPES for name in names):
        return UNSURE
    return VALID if any(_TYPES[name](instance) for name in names) else INVALID


def _equal(one: Any, two: Any) -> bool:
    """jsonschema's equality: a boolean equals only a boolean (``True`` is not ``1``); containers deeply."""
    if isinstance(one, bool) or isinstance(two, bool):
        return isinstance(one, bool) and isinstance(two, bool) and one is two
    if isinstance(one, dict) and isinstance(two, dict):
        return one.keys() == two.keys() and all(_equal(one[k], two[k]) for k in one)
    if isinstance(one, list) and isinstance(two, list):
        return len(one) == len(two) and all(_equal(a, b) for a, b in zip(one, two, strict=True))
    if isinstance(one, dict | list) or isinstance(two, dict | list):
        return False
    return bool(one == two)


def _check(ok: bool) -> str:
    return VALID if ok else INVALID


def _bounded(kind: Callable[[Any], bool], measure: Callable[[Any], Any], test: Callable[[Any, Any], bool]) -> Any:
    def rule(_: _Checker, instance: Any, value: Any, __: Mapping[str, Any]) -> str:
        return _check(test(measure(instance), value)) if kind(instance) else VALID

    return rule


def _multiple_of(_: _Checker, instance: Any, value: Any, __: Mapping[str, Any]) -> str:
    if not _is_number(instance):
        return VALID
    if not isinstance(value, int) or isinstance(value, bool) or not isinstance(instance, int):
        return UNSURE  # jsonschema's float arithmetic is not worth copying: let it decide
    return _check(instance % value == 0)


def _unique(_: _Checker, instance: Any, value: Any, __: Mapping[str, Any]) -> str:
    if not isinstance(instance, list) or value is not True:
        return VALID if value is False or not isinstance(instance, list) else UNSURE
    if not all(isinstance(item, str) for item in instance):
        return UNSURE
    return _check(len(set(instance)) == len(instance))


def _is_str(v: Any) -> bool:
    return isinstance(v, str)


def _is_list(v: Any) -> bool:
    return isinstance(v, list)


def _is_dict(v: Any) -> bool:
    return isinstance(v, dict)


def _required(_: _Checker, instance: Any, value: Any, __: Mapping[str, Any]) -> str:
    return _check(all(key in instance for key in value)) if isinstance(instance, dict) else VALID


def _enum(_: _Checker, instance: Any, value: Any, __: Mapping[str, Any]) -> str:
    return _check(any(_equal(instance, option) for option in value))


def _const(_: _Checker, instance: Any, value: Any, __: Mapping[str, Any]) -> str:
    return _check(_equal(instance, value))


def _matches(_: _Checker, instance: Any, value: Any, __: Mapping[str, Any]) -> str:
    return _check(ecma_regex(value).search(instance) is not None) if isinstance(instance, str) else VALID


_Rule = Callable[[_Checker, Any, Any, Mapping[str, Any]], str]
_RULES: dict[str, _Rule] = {
    "type": _type,
    "$ref": _Checker.ref,
    "properties": _Checker.properties,
    "additionalProperties": _Checker.additional,
    "items": _Checker.items,
    "propertyNames": _Checker.names,
    "anyOf": _Checker.any_of,
    "oneOf": _Checker.one_of,
    "if": _Checker.if_then,
    "required": _required,
    "enum": _enum,
    "const": _const,
    "pattern": _matches,
    "multipleOf": _multiple_of,
    "uniqueItems": _unique,
    "minLength": _bounded(_is_str, len, lambda n, v: n >= v),
    "maxLength": _bounded(_is_str, len, lambda n, v: n <= v),
    "minItems": _bounded(_is_list, len, lambda n, v: n >= v),
    "maxItems": _bounded(_is_list, len, lambda n, v: n <= v),
    "minProperties": _bounded(_is_dict, len, lambda n, v: n >= v),
    "maxProperties": _bounded(_is_dict, len, lambda n, v: n <= v),
    "minimum": _bounded(_is_number, lambda x: x, lambda x, v: x >= v),
    "maximum": _bounded(_is_number, lambda x: x, lambda x, v: x <= v),
    "exclusiveMinimum": _bounded(_is_number, lambda x: x, lambda x, v: x > v),
    "exclusiveMaximum": _bounded(_is_number, lambda x: x, lambda x, v: x < v),
}
