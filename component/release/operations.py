"""Rollback and promote, each planned as data and run by the same executor.

Both read the alias from the cloud, decide a single target, and produce a :class:`Plan` of one
``PutAlias``, so ``--dry-run`` works the same way as for deploy and the only code that writes is
still the executor. Version pruning is a deploy stage too: ``component.deploy.prune``.
"""

from __future__ import annotations

from component.cloud.api import AliasInfo, ScfApi, VersionWeight
from component.deploy.instructions import Plan, PutAlias
from component.deploy.planner import DEFAULT_ALIAS_DESCRIPTION
from component.deploy.release_record import parse_record
from component.errors import ConfigError, Problem, ScfError
from component.qualifiers import DEFAULT_ALIAS, LATEST


class NothingToRollBackTo(ScfError):
    """The alias has no earlier fully promoted version that was not itself rolled back.

    Not a cloud failure (exit 3): the request cannot be met from what the alias records, nothing is
    changed, and the message says how to choose a version (exit 2, like other impossible requests).
    """

    exit_code = 2


def candidate_of(alias: AliasInfo) -> str:
    """The version an alias is trying out (weighted or by rule), else the one it serves."""
    for version in [w.version for w in alias.weights] + [m.version for m in alias.matches]:
        return version
    return alias.main_version


def missing_alias(api: ScfApi, function: str, name: str) -> ConfigError:
    """The error for an alias that is not there, which may be because the function itself is not."""
    if api.get_function(function) is None:  # never deployed, removed, or another --stage/region
        hint = "deploy it first with scf deploy; check --target, --stage and inputs.region/namespace"
        message = f"function {function} does not exist in namespace {api.namespace}"
        return ConfigError(Problem(path="--target", message=message, hint=hint))
    known = ", ".join(a.name for a in api.list_aliases(function)) or "none"
    message = f"alias {name} does not exist on function {function} (aliases: {known})"
    return ConfigError(Problem(path="--alias", message=message, hint="deploy with aliasName to create it"))


def _require_alias(api: ScfApi, function: str, name: str) -> AliasInfo:
    alias = api.get_alias(function, name)
    if alias is None:
        raise missing_alias(api, function, name)
    return alias


def plan_rollback(api: ScfApi, function: str, alias_name: str) -> Plan:
    alias = _require_alias(api, function, alias_name)
    if alias_name == DEFAULT_ALIAS:
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
    stable = [w.version for w in alias.weights if w.version != LATEST]
    if alias.main_version != LATEST or not stable:
        msg = "$DEFAULT has no published version beside $LATEST to roll back to (deploy with publish=true first)"
        raise NothingToRollBackTo(msg)
    desired = AliasInfo(DEFAULT_ALIAS, LATEST, (VersionWeight(stable[0], 1.0),), description=alias.description)
    warning = f"rolling back $DEFAULT: all traffic to version {stable[0]}, none to $LATEST"
    return Plan((PutAlias(function, desired, before=alias),), (warning,), stable[0])


def plan_promote(
    api: ScfApi, function: str, alias_name: str, *, to: str | None = None, source: str | None = None
) -> Plan:
    current = api.get_alias(function, alias_name)
    if current is None:  # promote moves an alias; a typo must not create one (SECURITY.md)
        raise missing_alias(api, function, alias_name)
    versions = [v.version for v in api.list_versions(function)]
    if to is None and source is not None:
        to = candidate_of(_require_alias(api, function, source))
    if to is None:
        to = candidate_of(current) if current and (current.weights or current.matches) else None
    if to is None:
        to = versions[-1] if versions else None
    if to == LATEST and alias_name != DEFAULT_ALIAS:
        message = f"a named alias ({alias_name}) must serve a published version, not the mutable $LATEST"
        raise ConfigError(Problem(path="--to", message=message, hint="publish a version first, then promote it"))
    if to is None or (to != LATEST and to not in versions):
        known = ", ".join(versions) or "none"
        raise ConfigError(Problem(path="--to", message=f"version {to} does not exist (published versions: {known})"))
    record = parse_record(current.description if current else "")
    if not record.text:
        record = type(record)(record.promoted, record.rolled_back, DEFAULT_ALIAS_DESCRIPTION)
    desired = AliasInfo(alias_name, to, description=record.promote(to).describe())
    unchanged = current is not None and (current.main_version, current.weights, current.matches) == (to, (), ())
    if unchanged and current is not None and current.description == desired.description:
        return Plan((), (f"alias {alias_name} already sends all traffic to version {to}",), to)
    return Plan((PutAlias(function, desired, before=current, create=current is None),), (), to)
