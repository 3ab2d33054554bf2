"""Run a plan: the only deploy code that writes to the cloud.

A small interpreter with an explicit table from instruction type to handler. It keeps two pieces of
state: the version ``PublishVersion`` returned (substituted for ``NEW_VERSION`` in later
instructions) and the last ``GetFunction`` body a wait saw (the base of the outputs, as in the Node
component). :class:`DisplayOnlyExecutor` prints the same plan instead of running it: a dry run is the
same pipeline with this executor plugged in.

Compare-and-set on aliases: when a plan has already written or waited before its alias step, the
snapshot the alias was planned from may be stale (another deploy of the same function may have moved
the alias meanwhile). The alias is then re-read first, and if it no longer is what the plan saw, the
deploy stops with :class:`AliasChanged` (exit 3) instead of silently overwriting the other change.
An alias step that comes first in its plan needs no re-read: its snapshot is one round trip old; nor
does one that creates the alias: ``CreateAlias`` is its own compare-and-set (it fails when the alias
appeared meanwhile, and that failure is reported as :class:`AliasChanged` too).

Fewer calls, same guards (issue #17):

* ``PublishVersion`` right after a wait for ``$LATEST`` is sent at the learned end of the transition
  instead of after a poll: the cloud refuses to publish a function that is not idle
  (``FailedOperation.PublishVersion``, "the current function status does not allow publishing"), so
  the write is its own poll. When refused, the ordinary wait runs and the publication is sent again.
  Only after a code update, and only when the new version's code is checked: a code update that
  *failed* leaves the old code, which the check sees and reports with the cloud's reason
  (``component.deploy.verify``); a failed configuration update would be frozen unseen, so a
  configuration update is always waited for.
* The wait for a new version sends, together with its first poll, the reads the next steps need: the
  version's code hash (the check) and the alias re-read (the compare-and-set). The re-read must be as
  recent as a last read before the alias write: it is used only when that poll found the version
  ``Active`` and no read of the group was answered more than :data:`ALIAS_READ_LAG` after it (a slow
  check would otherwise leave time for another writer's change to be overwritten); else it is sent again
  after them.
"""

from __future__ import annotations

import base64
import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from component.cloud.api import AliasInfo, ScfApi
from component.cloud.fanout import Read
from component.deploy.apigw_handlers import gateway_handlers
from component.deploy.describe import plan_context
from component.deploy.extras import extras_handlers
from component.deploy.instructions import (
    NEW_VERSION,
    CodeRef,
    CreateFunction,
    CreateTrigger,
    DeleteFunction,
    DeleteTrigger,
    DeleteVersion,
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
from component.deploy.latest_code import SIZE_IS_ZIP, size_evidence
from component.deploy.markers import marker_of
from component.deploy.roles import role_handlers
from component.deploy.routing import resolve_alias, routing_text, same_routing
from component.deploy.triggers import describe_trigger
from component.deploy.verify import verify_handlers
from component.deploy.waiter import Waiter
from component.errors import CloudError, ScfError
from component.progress import Progress
from component.qualifiers import LATEST

# Writes after which SCF keeps the function busy for a while: the waiter learns how long.
TRANSITIONS: dict[type, str] = {
    CreateFunction: "CreateFunction",
    UpdateFunctionCode: "UpdateFunctionCode",
    UpdateFunctionConfiguration: "UpdateFunctionConfiguration",
    PublishVersion: "PublishVersion",
    DeleteFunction: "DeleteFunction",
}


# What the cloud answers a write sent while the function is still busy: nothing was done, send it again.
REFUSED_WHILE_BUSY = frozenset({"FailedOperation.PublishVersion", "FailedOperation.FunctionStatusError"})
# How much later than the alias re-read another read of its group may be answered for the re-read to count
# as the last read before the alias write (it then lags one round trip plus this, instead of one).
ALIAS_READ_LAG = 0.01
# False in the history's facts after an unpolled publication froze other code: the next deploy polls.
PUBLISH_UNPOLLED = "publishWithoutPoll"


class AliasChanged(ScfError):
    """The alias changed between reading the cloud and writing it: another deploy ran at the same time."""

    exit_code = 3


@dataclass
class ExecutionResult:
    published_version: str | None = None
    last_function: dict[str, Any] | None = None
    alias: AliasInfo | None = None
    gateway_ids: dict[str, str] = field(default_factory=dict)  # API Gateway placeholders → ids
    triggers: dict[tuple[str, str], dict[str, Any]] = field(default_factory=dict)  # created: (type, name) → row


class Executor:
    def __init__(self, api: ScfApi, waiter: Waiter, reporter: Progress, zips: Mapping[str, bytes]) -> None:
        self._api = api
        self._waiter = waiter
        self._reporter = reporter
        self._zips = zips
        self.result = ExecutionResult()
        self._fresh = True  # nothing ran yet in this plan: the snapshot it was made from is current
        self._published: PublishVersion | None = None  # a publication that got an unexpected number
        self._upcoming: tuple[Instruction, ...] = ()  # the instructions after the running one
        self._deferred: WaitUntilActive | None = None  # a $LATEST wait the next PublishVersion stands in for
        self._prefetched: dict[str, Any] = {}  # reads sent with a wait's first poll, by the step they serve
        self._uploaded: CodeRef | None = None  # the zip the last create or code update sent
        self._handler_sent = False  # the last code update changes the handler: its failure would go unseen
        self._published_unpolled = False  # the publication went out without a poll after the code update
        self._handlers: dict[type, Callable[[Any], None]] = {
            DeleteFunction: self._delete_function,
            WaitUntilGone: self._wait_gone,
            CreateFunction: self._create_function,
            UpdateFunctionCode: self._update_code,
            UpdateFunctionConfiguration: self._update_configuration,
            WaitUntilActive: self._wait_active,
            PublishVersion: self._publish,
            PutAlias: self._put_alias,
            DeleteVersion: self._delete_version,
            CreateTrigger: self._create_trigger,
            DeleteTrigger: self._delete_trigger,
        }
        self._handlers.update(gateway_handlers(api, reporter, self.result.gateway_ids))
        self._handlers.update(extras_handlers(api, reporter, self._resolve))
        self._handlers.update(verify_handlers(api, reporter, self._resolve, self._take, self._unpolled))
        self._handlers.update(role_handlers(api, reporter))

    def execute(self, plan: Plan) -> ExecutionResult:
        for index, instruction in enumerate(plan.instructions):
            self._fresh = index == 0
            self._upcoming = plan.instructions[index + 1 :]
            self._handlers[type(instruction)](instruction)
            action = TRANSITIONS.get(type(instruction))
            if action is not None:
                self._waiter.written(getattr(instruction, "function", ""), action)
        return self.result

    def override(self, handlers: Mapping[type, Callable[[Any], None]]) -> None:
        """Perform some instruction types differently (the rollout's step walker takes over ``PutAlias``)."""
        self._handlers.update(handlers)

    def resolve(self, version: str) -> str:
        """``version``, or the number ``PublishVersion`` returned when it is :data:`NEW_VERSION`."""
        return self._resolve(version)

    def put_alias(self, step: PutAlias) -> None:
        """The plain alias write (what an override falls back to)."""
        self._put_alias(step)

    def _resolve(self, version: str) -> str:
        if version == NEW_VERSION:
            if self.result.published_version is None:
                msg = "plan refers to a new version before PublishVersion ran"
                raise RuntimeError(msg)
            return self.result.published_version
        return version

    def _code_params(self, code: CodeRef) -> dict[str, Any]:
        if code.image:
            return {"ImageConfig": code.image_config}
        if code.cos_object:
            return {"CosBucketName": code.cos_bucket, "CosObjectName": code.cos_object}
        return {"ZipFile": base64.b64encode(self._zips[str(code.sha256)]).decode("ascii")}

    def _delete_function(self, step: DeleteFunction) -> None:
        self._reporter.step(f"deleting function {step.function} ({step.reason})")
        self._api.delete_function(step.function)

    def _wait_gone(self, step: WaitUntilGone) -> None:
        self._waiter.until_gone(step.function)

    def _create_function(self, step: CreateFunction) -> None:
        self._reporter.step(f"creating function {step.function} ({step.code.describe()})")
        self._api.create_function({**step.params, "Code": self._code_params(step.code)})
        self._uploaded = step.code

    def _update_code(self, step: UpdateFunctionCode) -> None:
        self._reporter.step(f"updating code of {step.function} ({step.code.describe()})")
        params = self._code_params(step.code)
        if step.code.image:  # UpdateFunctionCode takes an image only inside Code
            params = {"Code": params}
        if step.handler:
            params["Handler"] = step.handler
        self._api.update_code(step.function, params)
        self._uploaded = step.code
        self._handler_sent = step.handler_changed

    def _update_configuration(self, step: UpdateFunctionConfiguration) -> None:
        self._reporter.step(f"updating configuration of {step.function}: {', '.join(sorted(step.changes))}")
        self._api.update_configuration(step.function, dict(step.changes))

    def _wait_active(self, step: WaitUntilActive) -> None:
        if self._publication_polls(step):
            self._waiter.until_expected(step.function)  # the publication is the poll (see the module doc)
            self._deferred = step
            return
        qualifier = self._resolve(step.qualifier)
        if qualifier == LATEST and self._waiter.last_write(step.function) == "UpdateFunctionCode":
            self._waiter.history.facts.pop(PUBLISH_UNPOLLED, None)  # polled, and it did not fail: unpolled again
        keys, reads = self._reads_after(step)
        body = self._waiter.until_active(step.function, qualifier, reads)
        # Read before the last poll, a failure may be the version still publishing: read again when
        # needed. Otherwise a failure is the step's own.
        fresh = self._waiter.alongside_fresh
        self._prefetched = {
            key: value for key, value in zip(keys, self._waiter.alongside, strict=True)
            if fresh or (key != "alias" and not isinstance(value, Exception))
        }
        lag = dict(zip(keys, self._waiter.alongside_lag, strict=True))
        if lag.get("alias", 0.0) > ALIAS_READ_LAG:  # answered well before the slowest read: read it again
            self._prefetched.pop("alias", None)
        if qualifier == LATEST or self.result.last_function is None:
            self.result.last_function = body  # a new version's body is $LATEST's as it was published
        self._learn_size(body)
        if step.qualifier == NEW_VERSION and self._published is not None:
            self._drop_duplicate(self._published)

    def _learn_size(self, body: dict[str, Any]) -> None:
        """The first body after an upload shows whether this cloud's CodeSize is the zip's size."""
        uploaded, self._uploaded = self._uploaded, None
        evidence = size_evidence(body, uploaded.size) if uploaded is not None and uploaded.sha256 else None
        if evidence is not None:
            self._waiter.history.facts[SIZE_IS_ZIP] = evidence

    def _publication_polls(self, step: WaitUntilActive) -> bool:
        """Whether the ``PublishVersion`` right after this wait can stand in for it: only after a code update,
        whose failure the version check then catches (a failed configuration update would go unseen, and so
        would a failed handler change: the code it leaves is the same)."""
        nxt = self._upcoming[0] if self._upcoming else None
        if step.qualifier != LATEST or not isinstance(nxt, PublishVersion) or nxt.function != step.function:
            return False
        if self._handler_sent:
            return False
        checked = any(isinstance(i, VerifyVersionCode) and i.version == NEW_VERSION for i in self._upcoming)
        allowed = self._waiter.history.facts.get(PUBLISH_UNPOLLED, True)
        return allowed and checked and self._waiter.last_write(step.function) == "UpdateFunctionCode"

    def _unpolled(self) -> bool:
        """For the version check: the publication was unpolled, and the next deploy must poll instead."""
        if self._published_unpolled:
            self._waiter.history.facts[PUBLISH_UNPOLLED] = False
        return self._published_unpolled

    def _reads_after(self, step: WaitUntilActive) -> tuple[list[str], tuple[Read, ...]]:
        """The reads the steps right after a wait for a new version need, to send with its first poll."""
        keys: list[str] = []
        reads: list[Read] = []
        for nxt in self._upcoming if step.qualifier == NEW_VERSION else ():
            if isinstance(nxt, VerifyVersionCode) and nxt.function == step.function and "verify" not in keys:
                keys.append("verify")
                reads.append(functools.partial(self._api.code_sha256, nxt.function, self._resolve(nxt.version)))
                continue
            if isinstance(nxt, PutAlias) and nxt.function == step.function and nxt.before and not nxt.create:
                keys.append("alias")
                reads.append(functools.partial(self._api.get_alias, nxt.function, nxt.target.name))
            break
        return keys, tuple(reads)

    def _take(self, key: str) -> Any:
        """A prefetched result for the step named ``key``, once (None when absent); its failure is raised."""
        value = self._prefetched.pop(key, None)
        if isinstance(value, Exception):
            raise value
        return value

    def _publish(self, step: PublishVersion) -> None:
        self._reporter.step(f"publishing $LATEST of {step.function} as a new version")
        version = self._publish_when_idle(step)
        self.result.published_version = version
        # Another number than the plan expected: someone published meanwhile, maybe the same snapshot.
        self._published = step if step.expected and version != step.expected else None
        self._reporter.step(f"published version {version}")

    def _publish_when_idle(self, step: PublishVersion) -> str:
        deferred, self._deferred = self._deferred, None
        try:
            version = self._api.publish_version(step.function, step.description)
        except CloudError as exc:
            if deferred is None or exc.code not in REFUSED_WHILE_BUSY:
                raise
            self._waiter.refused(step.function)  # a lower bound of the transition, for the history
            self.result.last_function = self._waiter.until_active(step.function)  # the wait it stood in for
            return self._api.publish_version(step.function, step.description)
        if deferred is not None:
            self._waiter.settled(step.function)
            self._published_unpolled = True
        return version

    def _drop_duplicate(self, step: PublishVersion) -> None:
        """A concurrent deploy of the same snapshot published it first: use theirs, delete ours.

        Only the later of two such versions is deleted (the lower number wins), so two deploys racing
        this way end with one version of the snapshot whichever checks first.
        """
        self._published = None
        ours = str(self.result.published_version)
        marker = marker_of(step.description)
        same = [
            v.version
            for v in self._api.list_versions(step.function)
            if v.version.isdigit() and int(v.version) < int(ours) and v.status == "Active"
            and marker is not None and marker_of(v.description) == marker
        ]
        if same:
            self._reporter.step(f"version {same[0]} already holds this snapshot (a concurrent deploy): using it")
            self._api.delete_version(step.function, ours)
            self.result.published_version = same[0]
            self._prefetched.pop("verify", None)  # read for ours: theirs must be checked on its own

    def _put_alias(self, step: PutAlias) -> None:
        target = resolve_alias(step.target, self._resolve)
        if not self._fresh and not step.create:
            self._check_alias_unchanged(step)
        verb = "creating" if step.create else "updating"
        self._reporter.step(f"{verb} alias {target.name}: {routing_text(target)}")
        try:
            self._api.put_alias(step.function, target, create=step.create)
        except CloudError as exc:
            # CreateAlias is its own compare-and-set: it fails when the alias appeared meanwhile.
            if step.create and exc.code.startswith("ResourceInUse"):
                current = self._api.get_alias(step.function, target.name)
                raise AliasChanged(_changed_message(step, None, current)) from exc
            raise
        self.result.alias = target

    def _check_alias_unchanged(self, step: PutAlias) -> None:
        before = step.before
        if before is None:
            return  # $DEFAULT of a function this plan created: there is no earlier reading to compare
        prefetched = "alias" in self._prefetched  # sent with the last reads, none answered much later
        current = self._take("alias") if prefetched else self._api.get_alias(step.function, step.target.name)
        if current is None or not same_routing(current, before):
            raise AliasChanged(_changed_message(step, before, current))

    def _delete_version(self, step: DeleteVersion) -> None:
        self._reporter.step(f"deleting version {step.version} of {step.function}")
        self._api.delete_version(step.function, step.version)

    def _create_trigger(self, step: CreateTrigger) -> None:
        self._reporter.step(f"creating trigger {describe_trigger(step.trigger)} [{step.reason}]")
        info = self._api.create_trigger(step.function, step.trigger)
        self.result.triggers[(step.trigger.type, step.trigger.name)] = info

    def _delete_trigger(self, step: DeleteTrigger) -> None:
        self._reporter.step(f"deleting trigger {step.trigger.type} {step.trigger.name} [{step.reason}]")
        self._api.delete_trigger(step.function, step.trigger)


def _changed_message(step: PutAlias, before: AliasInfo | None, current: AliasInfo | None) -> str:
    seen = routing_text(before) if before else "no alias"
    now = routing_text(current) if current else "no alias"
    return (
        f"alias {step.target.name} of {step.function} changed while this deploy ran (read {seen}, now {now}): "
        "another deploy or a person changed it; it was left as it is. Check it with `scf info`, then re-run"
    )


class DisplayOnlyExecutor:
    """Prints what :class:`Executor` would do and changes nothing."""

    def __init__(self, reporter: Progress, **header: Any) -> None:
        self._reporter = reporter
        self._header = header

    def execute(self, plan: Plan) -> ExecutionResult:
        self._reporter.plan({**self._header, **plan_context(plan)})
        return ExecutionResult()


__all__ = ["AliasChanged", "DisplayOnlyExecutor", "ExecutionResult", "Executor"]
