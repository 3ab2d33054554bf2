"""Compare desired state with a remote snapshot and produce a :class:`Plan`.

Pure: no I/O, no clock. The rules, in the order the plan applies them:

1. Function: create when missing; delete and recreate when it is ``CreateFailed``; otherwise update
   the code only when its sha256 (or handler) differs from ``$LATEST``'s and the configuration only for
   the fields that differ, each followed by a wait for ``Active``. The runtime cannot be changed.
2. Version: a published version carries a fingerprint of the code + configuration it froze in its
   description (``[scf:<16 hex>]``). A new version is published only when the newest version's
   fingerprint differs from the desired one, so a re-run after any interruption never publishes twice.
   On ``$DEFAULT`` that happens only with ``publish: true`` (the Node component's rule); on a named alias
   whenever the code or configuration changed.
3. Alias: ``$DEFAULT`` follows the Node component's ``traffic`` rule (``$LATEST`` gets ``traffic``,
   the last published version ``1 - traffic``); a named alias shifts from the version it serves to the
   candidate by ``traffic`` or by ``rules``. The alias is written only when its routing differs.
4. Triggers (unless ``ignoreTriggers``): after the alias, so a trigger bound to a new alias finds it;
   only the triggers that are new, changed or removed are written (``component.deploy.triggers``).
"""

from __future__ import annotations

from typing import Any

from component.cloud.api import AliasInfo, VersionMatch, VersionWeight
from component.deploy.compare import matches, same_setting
from component.deploy.explicit_alias import explicit_target
from component.deploy.extras import plan_extras
from component.deploy.instructions import (
    NEW_VERSION,
    CodeRef,
    CreateFunction,
    DeleteFunction,
    Instruction,
    Plan,
    PublishVersion,
    PutAlias,
    UpdateFunctionCode,
    UpdateFunctionConfiguration,
    VerifyVersionCode,
    WaitUntilActive,
    WaitUntilGone,
)
from component.deploy.markers import marker_of, version_marker
from component.deploy.release_record import ReleaseRecord, parse_record
from component.deploy.remote import RemoteSnapshot
from component.deploy.routing import same_routing
from component.deploy.spec import DeploySpec, FunctionSpec, ReleaseSpec
from component.deploy.triggers import plan_triggers
from component.errors import ConfigError, Problem
from component.qualifiers import LATEST

DEFAULT_ALIAS_DESCRIPTION = "Configured by scf-component"


def plan_deploy(spec: DeploySpec, remote: RemoteSnapshot, code: CodeRef) -> Plan:
    """The SCF part of a deploy plan in one call (the pipeline runs the same planners as stages)."""
    function_steps, candidate = plan_function(spec, remote, code)
    alias_steps, warnings = plan_alias(spec, remote, candidate)
    function_steps = without_idle_checks(function_steps, alias_steps)
    setting_steps, setting_warnings = plan_settings(spec, remote, candidate)
    steps = function_steps + alias_steps + setting_steps + plan_spec_triggers(spec, remote)
    return Plan(tuple(steps), tuple(warnings + setting_warnings), candidate)


def plan_function(spec: DeploySpec, remote: RemoteSnapshot, code: CodeRef) -> tuple[list[Instruction], str | None]:
    """Rules 1 and 2: the function's writes and waits, then the version to publish; and the candidate."""
    fn = spec.function
    instructions = _function_steps(fn, remote, code)
    fingerprint = fn.fingerprint(code.identity)
    publish, candidate = _plan_version(spec.release, remote, fingerprint)
    if publish:
        description = f"{spec.release.publish_description} {version_marker(fingerprint)}"
        instructions += [
            PublishVersion(fn.name, description, expected=remote.next_version()),
            WaitUntilActive(fn.name, NEW_VERSION),  # $LATEST's Publishing ends with the version's
        ]
    trusted = not publish and not spec.release.is_default and _moves_to(remote, candidate, fingerprint)
    if code.sha256 and candidate is not None and (publish or trusted):
        # never trust a fingerprint the code does not match (component.deploy.verify)
        instructions.append(VerifyVersionCode(fn.name, candidate, code.sha256, published=publish))
    return instructions, candidate


def without_idle_checks(function_steps: list[Instruction], alias_steps: list[Instruction]) -> list[Instruction]:
    """The check of an existing version is only needed when an alias is written to it."""
    if alias_steps:
        return function_steps
    return [s for s in function_steps if not (isinstance(s, VerifyVersionCode) and not s.published)]


def _moves_to(remote: RemoteSnapshot, candidate: str | None, fingerprint: str) -> bool:
    """Whether a named alias would move towards ``candidate``, an existing version chosen by its fingerprint."""
    version = next((v for v in remote.versions if v.version == candidate), None)
    if version is None or marker_of(version.description) != fingerprint:
        return False
    alias = remote.alias
    return not (alias and alias.main_version == candidate and not alias.weights and not alias.matches)


def plan_settings(
    spec: DeploySpec, remote: RemoteSnapshot, candidate: str | None
) -> tuple[list[Instruction], list[str]]:
    """The settings applied through their own actions (async retry, provisioned concurrency), after the alias."""
    fn = spec.function
    return plan_extras(fn.name, fn.region, spec.extras, remote.extras, candidate)


def plan_spec_triggers(spec: DeploySpec, remote: RemoteSnapshot) -> list[Instruction]:
    """Rule 4: the SCF triggers (none under ``ignoreTriggers``)."""
    return [] if spec.ignore_triggers else plan_triggers(spec.function.name, spec.triggers, remote.triggers)


def _function_steps(fn: FunctionSpec, remote: RemoteSnapshot, code: CodeRef) -> list[Instruction]:
    current = remote.function
    steps: list[Instruction] = []
    if current is not None and current.get("Status") == "CreateFailed":
        steps += [DeleteFunction(fn.name, reason="previous creation failed"), WaitUntilGone(fn.name)]
        current = None
    if current is None:
        return [*steps, CreateFunction(fn.name, code, create_params(fn)), WaitUntilActive(fn.name)]
    _check_runtime(fn, current)
    handler_changed = _handler_changed(fn, current)
    if _code_changed(code, remote, current) or handler_changed:
        steps += [UpdateFunctionCode(fn.name, code, fn.handler, handler_changed), WaitUntilActive(fn.name)]
    changes = config_changes(fn.config, current)
    if changes:
        before = {k: current.get(k) for k in changes}
        steps += [UpdateFunctionConfiguration(fn.name, changes, before), WaitUntilActive(fn.name)]
    return steps


def create_params(fn: FunctionSpec) -> dict[str, Any]:
    params: dict[str, Any] = {"FunctionName": fn.name, "Type": fn.api_type, **fn.create_only, **fn.config}
    if fn.runtime:  # an image function without a runtime input sends none, as the Node component does
        params["Runtime"] = fn.runtime
    if fn.handler:
        params["Handler"] = fn.handler
    if fn.tags:
        params["Tags"] = [{"Key": k, "Value": v} for k, v in sorted(fn.tags.items())]
    return params


def _check_runtime(fn: FunctionSpec, current: dict[str, Any]) -> None:
    runtime = current.get("Runtime")
    if runtime and fn.runtime and runtime != fn.runtime:
        raise ConfigError(
            Problem(
                path="inputs.runtime",
                message=f"cannot change the runtime of existing function {fn.name} from {runtime} to {fn.runtime}",
                hint="SCF does not allow it: deploy under a new name or remove the function first",
            )
        )


def _code_changed(code: CodeRef, remote: RemoteSnapshot, current: dict[str, Any]) -> bool:
    if code.image:  # an image is compared by the ImageConfig fields the user set
        return not matches(code.image_config, current.get("ImageConfig"))
    return bool(code.cos_object) or code.sha256 != remote.code_sha256


def _handler_changed(fn: FunctionSpec, current: dict[str, Any]) -> bool:
    return fn.handler is not None and current.get("Handler") != fn.handler


def config_changes(desired: dict[str, Any] | Any, current: dict[str, Any]) -> dict[str, Any]:
    """The desired configuration fields whose value differs from the function's."""
    return {key: value for key, value in desired.items() if not same_setting(key, value, current.get(key))}


def _plan_version(release: ReleaseSpec, remote: RemoteSnapshot, fingerprint: str) -> tuple[bool, str | None]:
    # A version whose publication failed (PublishFailed) can never serve traffic: it is neither
    # "up to date" nor a candidate, so a re-run publishes the same snapshot again.
    usable = [v for v in remote.versions if v.version.isdigit() and not v.status.endswith("Failed")]
    newest = max(usable, key=lambda v: int(v.version)) if usable else None
    up_to_date = newest is not None and marker_of(newest.description) == fingerprint
    wants_version = release.publish or (not release.is_default and release.explicit is None)
    if wants_version and not up_to_date:
        return True, NEW_VERSION
    return False, newest.version if newest else None


def plan_alias(
    spec: DeploySpec, remote: RemoteSnapshot, candidate: str | None
) -> tuple[list[Instruction], list[str]]:
    """Rule 3: the one alias write (or none) that gives the alias its routing; and the warnings."""
    function, release = spec.function.name, spec.release
    if release.explicit is not None:
        target, warnings = _explicit(release, remote, candidate)
    elif release.is_default:
        target, warnings = _default_target(release, remote, candidate)
    else:
        target, warnings = _named_target(release, remote, candidate)
    current = remote.alias
    if target is None or (current is not None and same_routing(current, target)):
        return [], warnings
    # $DEFAULT always exists, even on a function this plan creates: it is updated, never created.
    create = current is None and not release.is_default
    return [PutAlias(function, target, before=current, create=create)], warnings


def _explicit(
    release: ReleaseSpec, remote: RemoteSnapshot, candidate: str | None
) -> tuple[AliasInfo | None, list[str]]:
    assert release.explicit is not None
    current = remote.alias.description if remote.alias else ""
    description = release.alias_description or current or DEFAULT_ALIAS_DESCRIPTION
    return explicit_target(release.alias, release.explicit, release.publish, candidate, description, release.traffic)


def _default_target(
    release: ReleaseSpec, remote: RemoteSnapshot, candidate: str | None
) -> tuple[AliasInfo | None, list[str]]:
    if release.traffic is None:
        return None, []
    if candidate is None:
        return None, [
            "traffic is ignored: the function has no published version yet, so $DEFAULT keeps all traffic on "
            "$LATEST (publish one with --inputs.publish=true)"
        ]
    current = remote.alias
    description = current.description if current else DEFAULT_ALIAS_DESCRIPTION
    weights = () if release.traffic >= 1 else (VersionWeight(candidate, round(1 - release.traffic, 12)),)
    return AliasInfo(release.alias, LATEST, weights=weights, description=description), []


def _named_target(
    release: ReleaseSpec, remote: RemoteSnapshot, candidate: str | None
) -> tuple[AliasInfo | None, list[str]]:
    if candidate is None:
        return None, []
    current = remote.alias
    record = parse_record(current.description if current else "")
    text = release.alias_description or record.text or DEFAULT_ALIAS_DESCRIPTION
    record = ReleaseRecord(record.promoted, record.rolled_back, text)
    if current is None or current.main_version == candidate:
        return _new_or_same(release, remote, candidate, record, created=current is None)
    stable = current.main_version
    if release.rules:
        matches = tuple(VersionMatch(candidate, r.key, r.method, r.expression) for r in release.rules)
        return AliasInfo(release.alias, stable, matches=matches, description=record.describe()), []
    traffic = 1.0 if release.traffic is None else release.traffic
    if traffic >= 1:  # the version the alias served until now is what a rollback goes back to
        return full(release.alias, candidate, with_baseline(record, stable)), []
    if traffic <= 0:
        return full(release.alias, stable, record), []
    weights = (VersionWeight(candidate, round(traffic, 12)),)
    return AliasInfo(release.alias, stable, weights=weights, description=record.describe()), []


def stable_before(remote: RemoteSnapshot, candidate: str) -> str | None:
    """The newest published version older than ``candidate`` (the one a new alias starts on), if any."""
    limit = int(candidate) if candidate.isdigit() else None  # NEW_VERSION: newer than every existing one
    older = [int(v.version) for v in remote.versions if v.version.isdigit()]
    older = [v for v in older if limit is None or v < limit]
    return str(max(older)) if older else None


def _new_or_same(
    release: ReleaseSpec, remote: RemoteSnapshot, candidate: str, record: ReleaseRecord, *, created: bool
) -> tuple[AliasInfo, list[str]]:
    """The alias is new, or already serves the candidate: all traffic on it, unless a new alias was asked to
    give the candidate only a rule or a share (then it starts on the stable version)."""
    partial = bool(release.rules) or (release.traffic is not None and release.traffic < 1)
    if created and partial:
        return _new_partial_alias(release, remote, candidate, record)
    if not created and release.traffic is not None and release.traffic <= 0:
        return full(release.alias, candidate, record), [
            f"traffic 0 changes nothing: version {candidate} already has all of alias {release.alias}'s traffic, "
            f"so there is no other version on it to shift back to; to go back to the previous version run "
            f"`scf rollback --alias {release.alias}`"
        ]
    return full(release.alias, candidate, record), []


def _new_partial_alias(
    release: ReleaseSpec, remote: RemoteSnapshot, candidate: str, record: ReleaseRecord
) -> tuple[AliasInfo, list[str]]:
    """A new alias asked to give the candidate only a rule or a share: it starts on the stable version.

    The stable version is the newest one before the candidate; with none (the first version ever), the
    alias is created on the candidate, said so, and nothing is recorded as promoted.
    """
    shown = "the new version" if candidate == NEW_VERSION else f"version {candidate}"
    stable = stable_before(remote, candidate)
    if stable is None:
        warning = (
            f"alias {release.alias} did not exist and there is no earlier version to start it on: it is created "
            f"on {shown} with all traffic"
        )
        return full(release.alias, candidate, record), [warning]
    if release.rules:
        matches = tuple(VersionMatch(candidate, r.key, r.method, r.expression) for r in release.rules)
        target = AliasInfo(release.alias, stable, matches=matches, description=record.describe())
        given = "the rule"
    else:
        traffic = release.traffic or 0.0
        weights = (VersionWeight(candidate, round(traffic, 12)),) if traffic > 0 else ()
        target = AliasInfo(release.alias, stable, weights=weights, description=record.describe())
        given = f"{traffic:.0%} of the traffic"
    warning = (
        f"alias {release.alias} did not exist: it is created on version {stable} (the newest before the candidate, "
        f"as the stable version) and {shown} gets {given}"
    )
    return target, [warning]


def with_baseline(record: ReleaseRecord, stable: str) -> ReleaseRecord:
    """``record`` with the alias's main version so far counted as promoted before a candidate replaces it.

    An alias created on the stable version with a share for the candidate never gave the stable one 100 %
    on this alias, yet it is the version everyone else was served: the one to roll back to (as the
    rollout's promotion records it, ``component.rollout.state``).
    """
    if stable in record.promoted or stable in record.rolled_back:
        return record
    return record.promote(stable)


def full(alias: str, version: str, record: ReleaseRecord) -> AliasInfo:
    """The alias with all traffic on ``version``, which the release record then counts as promoted."""
    return AliasInfo(alias, version, description=record.promote(version).describe())
