"""Rollback, promote and version pruning, each planned as data and run by the same executor.

All three read the alias from the cloud, decide a single target, and produce a :class:`Plan` of one
``PutAlias`` (or a few ``DeleteVersion``), so ``--dry-run`` works the same way as for deploy and the
only code that writes is still the executor.
"""

from __future__ import annotations

from collections.abc import Iterable

from component.cloud.api import AliasInfo, ScfApi, VersionWeight
from component.deploy.instructions import DeleteVersion, Plan, PutAlias
from component.errors import ConfigError, Problem, ScfError
from component.release.record import parse_record


class NothingToRollBackTo(ScfError):
    """The alias has no earlier fully promoted version that was not itself rolled back."""

    exit_code = 3


def candidate_of(alias: AliasInfo) -> str:
    """The version an alias is trying out (weighted or by rule), else the one it serves."""
    for version in [w.version for w in alias.weights] + [m.version for m in alias.matches]:
        return version
    return alias.main_version


def _require_alias(api: ScfApi, function: str, name: str) -> AliasInfo:
    alias = api.get_alias(function, name)
    if alias is None:
        raise ConfigError(Problem(path="--alias", message=f"alias {name} does not exist on function {function}"))
    return alias


def plan_rollback(api: ScfApi, function: str, alias_name: str) -> Plan:
    alias = _require_alias(api, function, alias_name)
    if alias_name == "$DEFAULT":
        return _rollback_default(function, alias)
    record = parse_record(alias.description)
    if alias.weights or alias.matches:
        bad, target = candidate_of(alias), alias.main_version
    else:
        bad = alias.main_version
        existing = {v.version for v in api.list_versions(function)}  # a version deleted in the console is no target
        found = record.last_good(excluding=bad, among=existing)
        if found is None:
            msg = (
                f"alias {alias_name} serves version {bad} only and no earlier fully promoted version is recorded "
                f"on it (among the versions that still exist); use `scf promote --alias {alias_name} --to N` "
                "to choose one"
            )
            raise NothingToRollBackTo(msg)
        target = found
    new_record = record.roll_back(bad)
    if target not in new_record.promoted:
        new_record = new_record.promote(target)
    desired = AliasInfo(alias_name, target, description=new_record.describe())
    warning = f"rolling back alias {alias_name}: version {bad} → all traffic to version {target}"
    return Plan((PutAlias(function, desired, before=alias),), (warning,), target)


def _rollback_default(function: str, alias: AliasInfo) -> Plan:
    """On ``$DEFAULT`` the new code is ``$LATEST`` and the stable one the extra version: traffic=0."""
    stable = [w.version for w in alias.weights if w.version != "$LATEST"]
    if alias.main_version != "$LATEST" or not stable:
        msg = "$DEFAULT has no published version beside $LATEST to roll back to (deploy with publish=true first)"
        raise NothingToRollBackTo(msg)
    desired = AliasInfo("$DEFAULT", "$LATEST", (VersionWeight(stable[0], 1.0),), description=alias.description)
    warning = f"rolling back $DEFAULT: all traffic to version {stable[0]}, none to $LATEST"
    return Plan((PutAlias(function, desired, before=alias),), (warning,), stable[0])


def plan_promote(
    api: ScfApi, function: str, alias_name: str, *, to: str | None = None, source: str | None = None
) -> Plan:
    current = api.get_alias(function, alias_name)
    versions = [v.version for v in api.list_versions(function)]
    if to is None and source is not None:
        to = candidate_of(_require_alias(api, function, source))
    if to is None:
        to = candidate_of(current) if current and (current.weights or current.matches) else None
    if to is None:
        to = versions[-1] if versions else None
    if to is None or (to != "$LATEST" and to not in versions):
        known = ", ".join(versions) or "none"
        raise ConfigError(Problem(path="--to", message=f"version {to} does not exist (published versions: {known})"))
    record = parse_record(current.description if current else "")
    if not record.text:
        record = type(record)(record.promoted, record.rolled_back, "Configured by scf-component")
    desired = AliasInfo(alias_name, to, description=record.promote(to).describe())
    unchanged = current is not None and (current.main_version, current.weights, current.matches) == (to, (), ())
    if unchanged and current is not None and current.description == desired.description:
        return Plan((), (f"alias {alias_name} already sends all traffic to version {to}",), to)
    return Plan((PutAlias(function, desired, before=current, create=current is None),), (), to)


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
