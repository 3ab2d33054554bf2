"""Compare only what the user set: desired configuration against what ``GetFunction`` returns.

A real cloud answers with more than it was sent: ``CfsInsInfo`` gains ``IpAddress``/``MountVpcId``/
``MountSubnetId``, ``DeadLetterConfig`` an empty ``FilterType``, each layer its ``AddTime``/``Status``/
``CompatibleRuntimes``, ``EipConfig`` its ``EipAddress`` list, and unset objects come back as empty
objects (``{"VpcId": "", "SubnetId": ""}``, ``{"CfsInsList": []}``). Comparing with ``==`` would make
every redeploy write. The rule here, applied to every configuration object:

* a mapping matches when every key the user set matches (keys only the cloud has are ignored);
* a list of entries matches as a multiset, each remote entry seen only through the keys the desired
  entries set (so order and extra fields never count);
* scalars match after normalisation: ``None`` is ``""``, numbers compare with their text
  (``LayerVersion`` ``1`` and ``"1"``), ``TRUE``/``FALSE`` flags without regard to case;
* a few objects have cloud defaults that stand for "unset" (:data:`REMOTE_DEFAULTS`): a missing remote
  object is read as its default, so ``publicAccess: true`` matches a function that never got a
  ``PublicNetConfig``.

Pure functions, no I/O.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# What the cloud holds for an object it was never sent (GetFunction of a fresh function).
REMOTE_DEFAULTS: dict[str, Any] = {
    "PublicNetConfig": {"PublicNetStatus": "ENABLE", "EipConfig": {"EipStatus": "DISABLE"}},
    "VpcConfig": {"VpcId": "", "SubnetId": ""},
    "Environment": {"Variables": []},
    "Layers": [],
    "CfsConfig": {"CfsInsList": []},
    "DeadLetterConfig": {"Type": "", "Name": "", "FilterType": ""},
    "ProtocolParams": {"WSParams": {"IdleTimeOut": 15}},
}


def same_setting(key: str, desired: Any, current: Any) -> bool:
    """True when the remote value ``current`` already holds everything ``desired`` sets."""
    if key in REMOTE_DEFAULTS:
        current = _with_default(REMOTE_DEFAULTS[key], current)
    if key == "Environment":
        return _pairs(desired) == _pairs(current)
    return matches(desired, current)


def matches(desired: Any, current: Any) -> bool:
    if isinstance(desired, Mapping):
        return _mapping_matches(desired, current)
    if isinstance(desired, list | tuple):
        return _list_matches(list(desired), current)
    return _scalar(desired) == _scalar(current)


def _mapping_matches(desired: Mapping[str, Any], current: Any) -> bool:
    if _empty(current):
        current = {}
    if not isinstance(current, Mapping):
        return False
    return all(matches(value, current.get(key)) for key, value in desired.items())


def _list_matches(desired: list[Any], current: Any) -> bool:
    if _empty(current):
        current = []
    if not isinstance(current, list | tuple) or len(current) != len(desired):
        return False
    keys = {key for item in desired if isinstance(item, Mapping) for key in item}
    want = sorted(_canonical(item, keys) for item in desired)
    have = sorted(_canonical(item, keys) for item in current)
    return want == have


def _canonical(item: Any, keys: set[str]) -> str:
    """A sortable text of ``item`` seen only through ``keys`` (for mappings), normalised."""
    if isinstance(item, Mapping):
        return repr(sorted((key, _canonical(item.get(key), set())) for key in keys))
    if isinstance(item, list | tuple):
        return repr(sorted(_canonical(x, set()) for x in item))
    return repr(_scalar(item))


def _scalar(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value)
    return text.upper() if text.upper() in ("TRUE", "FALSE") else text


def _with_default(default: Any, current: Any) -> Any:
    """``current`` with every part the cloud left empty read as ``default``'s (deeply, for mappings)."""
    if _empty(current):
        return default
    if isinstance(default, Mapping) and isinstance(current, Mapping):
        merged = dict(current)
        for key, value in default.items():
            merged[key] = _with_default(value, current.get(key))
        return merged
    return current


def _empty(value: Any) -> bool:
    return value is None or value in ("", {}, [])


def _pairs(value: Any) -> list[tuple[str, str]]:
    variables = (value or {}).get("Variables") or [] if isinstance(value, Mapping) else []
    return sorted((str(v.get("Key")), _scalar(v.get("Value"))) for v in variables if v.get("Key"))
