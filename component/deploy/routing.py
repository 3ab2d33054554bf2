"""Alias routing as data: compare two routings, show one as text, substitute the published version.

Shared by the planner (is a write needed?), the executor (compare-and-set, progress lines), the plan
description and the outputs, so none of them imports another for it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

from component.cloud.api import AliasInfo, VersionWeight
from component.deploy.instructions import NEW_VERSION


def same_routing(a: AliasInfo, b: AliasInfo) -> bool:
    def norm_w(alias: AliasInfo) -> list[tuple[str, float]]:
        return sorted((w.version, round(w.weight, 6)) for w in alias.weights)

    return (
        a.main_version == b.main_version
        and norm_w(a) == norm_w(b)
        and sorted(a.matches, key=repr) == sorted(b.matches, key=repr)
        and a.description == b.description
    )


def routing_text(alias: AliasInfo) -> str:
    """``{1: 90%, 2: 10%}`` or ``{1: default, 2: invoke.headers.User exact Bob}``."""
    if alias.matches:
        rules = ", ".join(f"{m.version}: {m.key} {m.method} {m.expression}" for m in alias.matches)
        return f"{{{alias.main_version}: default, {rules}}}"
    parts = [f"{alias.main_version}: {_pct(alias.share_of(alias.main_version))}"]
    parts += [f"{w.version}: {_pct(w.weight)}" for w in alias.weights]
    return "{" + ", ".join(parts) + "}"


def _pct(weight: float) -> str:
    return f"{weight * 100:g}%"


def resolve_alias(alias: AliasInfo, resolve: Callable[[str], str]) -> AliasInfo:
    """``alias`` with :data:`NEW_VERSION` replaced by the version ``PublishVersion`` returned."""
    description = alias.description
    if f'"{NEW_VERSION}"' in description:
        description = description.replace(f'"{NEW_VERSION}"', f'"{resolve(NEW_VERSION)}"')
    return replace(
        alias,
        description=description,
        main_version=resolve(alias.main_version),
        weights=tuple(VersionWeight(resolve(w.version), w.weight) for w in alias.weights),
        matches=tuple(replace(m, version=resolve(m.version)) for m in alias.matches),
    )
