"""Version pruning (``keepVersions``, ``scf prune``): read the versions and aliases, plan the deletions.

A version goes only when it is older than the newest ``keep`` and no alias routes to it or records it
as its rollback target; the plan holds one ``DeleteVersion`` per doomed version, run by the executor.
"""

from __future__ import annotations

from collections.abc import Iterable

from component.cloud.api import AliasInfo, ScfApi
from component.deploy.instructions import DeleteVersion, Plan
from component.deploy.release_record import parse_record


def referenced_versions(aliases: Iterable[AliasInfo]) -> set[str]:
    """Every version an alias routes to, plus each alias's rollback target: none of these may go."""
    used: set[str] = set()
    for alias in aliases:
        used.add(alias.main_version)
        used.update(w.version for w in alias.weights)
        used.update(m.version for m in alias.matches)
        good = parse_record(alias.description).last_good(excluding=alias.main_version)
        if good:
            used.add(good)
    return used


def plan_prune(api: ScfApi, function: str, keep: int) -> Plan:
    versions = [v.version for v in api.list_versions(function) if v.version.isdigit()]
    used = referenced_versions(api.list_aliases(function))
    kept = set(sorted(versions, key=int)[-keep:]) if keep > 0 else set()
    doomed = [v for v in sorted(versions, key=int) if v not in kept and v not in used]
    return Plan(tuple(DeleteVersion(function, v) for v in doomed))
