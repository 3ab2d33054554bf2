"""``aliasFunctionVersion`` / ``additionalVersionWeights``: an alias routed exactly as written.

The Node toolkit (2.27.1+, ``scf/index.ts``) writes the alias ``aliasName`` with ``FunctionVersion:
aliasFunctionVersion || $LATEST`` and ``AdditionalVersionWeights`` as given (each weight is that version's
share); with ``publish: true`` the version the deploy publishes replaces ``aliasFunctionVersion``;
``traffic`` is then ignored (here: with a warning). Like every alias write here, the alias is written
only when its routing differs, so an unchanged redeploy writes nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from component.cloud.api import AliasInfo, VersionWeight
from component.qualifiers import LATEST


@dataclass(frozen=True)
class ExplicitRouting:
    main_version: str | None  # aliasFunctionVersion
    weights: tuple[tuple[str, float], ...]  # additionalVersionWeights


def explicit_routing(inputs: Mapping[str, Any]) -> ExplicitRouting | None:
    main = inputs.get("aliasFunctionVersion")
    weights = inputs.get("additionalVersionWeights")
    if main in (None, "") and weights is None:
        return None
    pairs = tuple((str(w["version"]), float(w["weight"])) for w in weights or ())
    return ExplicitRouting(None if main in (None, "") else str(main), pairs)


def explicit_target(
    alias: str, routing: ExplicitRouting, publish: bool, candidate: str | None, description: str, traffic: Any
) -> tuple[AliasInfo, list[str]]:
    main = candidate if publish and candidate else routing.main_version or LATEST
    weights = tuple(VersionWeight(version, weight) for version, weight in routing.weights)
    warnings = []
    if traffic is not None:
        warnings.append("traffic is ignored: aliasFunctionVersion/additionalVersionWeights set the alias routing")
    return AliasInfo(alias, main, weights=weights, description=description), warnings
