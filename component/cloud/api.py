"""Typed operations over the cloud transport, without importing the SDK.

:class:`ScfApi` is what the planner, executor and commands use: small, named methods that take and
return plain Python values and hide PascalCase request building. Reads never write; writes are only
called from the executor and the release commands. "Not found" is a value (``None``), not an error,
because both ``ResourceNotFound.Function`` and ``ResourceNotFound.FunctionName`` exist in the wild.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

from component.errors import CloudError
from component.qualifiers import DEFAULT_ALIAS, LATEST


class Transport(Protocol):
    def call(self, service: str, action: str, params: dict[str, Any]) -> dict[str, Any]: ...


@dataclass(frozen=True)
class VersionInfo:
    version: str
    description: str
    status: str
    added: str = ""  # AddTime, "YYYY-MM-DD HH:MM:SS" (Beijing time): when the version froze $LATEST


@dataclass(frozen=True)
class VersionWeight:
    version: str
    weight: float


@dataclass(frozen=True)
class VersionMatch:
    version: str
    key: str
    method: str
    expression: str


@dataclass(frozen=True)
class AliasInfo:
    name: str
    main_version: str
    weights: tuple[VersionWeight, ...] = ()
    matches: tuple[VersionMatch, ...] = ()
    description: str = ""

    def share_of(self, version: str) -> float:
        """Fraction of weighted traffic that reaches ``version`` (rules are not counted)."""
        extra = sum(w.weight for w in self.weights)
        if version == self.main_version:
            return round(1.0 - extra, 12)
        return round(sum(w.weight for w in self.weights if w.version == version), 12)


@dataclass(frozen=True)
class TriggerInfo:
    """One SCF trigger, as CreateTrigger takes it and ListTriggers returns it.

    ``desc`` is ``TriggerDesc`` as sent (timer: the bare cron expression, as the Node toolkit sends it;
    others: JSON). ``raw`` is the row the cloud listed or answered, kept for the outputs only: it takes
    no part in comparisons.
    """

    type: str
    name: str
    desc: str
    qualifier: str = DEFAULT_ALIAS
    enable: bool = True
    argument: str = ""  # CustomArgument (timer triggers only)
    raw: Mapping[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class AsyncRetry:
    """``AsyncTriggerConfig``: how long an async event is kept and how often it is retried."""

    msg_ttl: int
    retry_num: int

    def body(self) -> dict[str, Any]:
        return {"RetryConfig": [{"RetryNum": self.retry_num}], "MsgTTL": self.msg_ttl}


def async_retry_from_body(body: Mapping[str, Any] | None) -> AsyncRetry | None:
    if not body:
        return None
    retries = body.get("RetryConfig") or [{}]
    return AsyncRetry(int(body.get("MsgTTL") or 0), int(retries[0].get("RetryNum") or 0))


class ScfApi:
    """SCF + Monitor actions for one function namespace in one region."""

    def __init__(self, transport: Transport, namespace: str = "default") -> None:
        self._transport = transport
        self.namespace = namespace

    def scf(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        return self._transport.call("scf", action, params)

    def monitor(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        return self._transport.call("monitor", action, params)

    def cam(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        """CAM (account-wide roles), for ``enableRoleAuth``."""
        return self._transport.call("cam", action, params)

    def apigw(self, action: str, params: dict[str, Any]) -> dict[str, Any]:
        """An API Gateway (2018-08-08) action in the same region; see ``component.deploy.apigw``."""
        return self._transport.call("apigateway", action, params)

    def _optional(self, action: str, params: dict[str, Any]) -> dict[str, Any] | None:
        """Call a read; "not found" (either spelling of ResourceNotFound.*) is ``None``."""
        try:
            return self.scf(action, params)
        except CloudError as exc:
            if exc.not_found:
                return None
            raise

    def _fn(self, name: str, **extra: Any) -> dict[str, Any]:
        params: dict[str, Any] = {"FunctionName": name, "Namespace": self.namespace}
        params.update({k: v for k, v in extra.items() if v is not None})
        return params

    # -- reads -------------------------------------------------------------------------------
    def get_function(self, name: str, qualifier: str = LATEST) -> dict[str, Any] | None:
        return self._optional("GetFunction", self._fn(name, Qualifier=qualifier, ShowCode="FALSE"))

    def code_sha256(self, name: str, qualifier: str = LATEST) -> str | None:
        body = self._optional("GetFunctionAddress", self._fn(name, Qualifier=qualifier))
        value = body.get("CodeSha256") if body else None
        return str(value).lower() if value else None

    def list_versions(self, name: str) -> list[VersionInfo]:
        found: list[VersionInfo] = []
        offset = 0
        while True:
            body = self.scf(
                "ListVersionByFunction", self._fn(name, Offset=offset, Limit=100, Order="ASC", OrderBy="AddTime")
            )
            page = body.get("Versions") or []
            found += [
                VersionInfo(str(v.get("Version")), str(v.get("Description") or ""), str(v.get("Status") or ""),
                            str(v.get("AddTime") or ""))
                for v in page
            ]
            offset += len(page)
            if not page or offset >= int(body.get("TotalCount") or 0):
                return [v for v in found if v.version != LATEST]

    def get_alias(self, name: str, alias: str) -> AliasInfo | None:
        body = self._optional("GetAlias", self._fn(name, Name=alias))
        return alias_from_body(body) if body is not None else None

    def list_aliases(self, name: str) -> list[AliasInfo]:
        body = self.scf("ListAliases", self._fn(name, Offset="0", Limit="100"))
        return [alias_from_body(a) for a in body.get("Aliases") or []]

    def list_triggers(self, name: str) -> list[TriggerInfo]:
        """Every trigger of the function (all qualifiers), ListTriggers paged by 100."""
        found: list[TriggerInfo] = []
        while True:
            body = self.scf(
                "ListTriggers", self._fn(name, Offset=len(found), Limit=100, OrderBy="add_time", Order="ASC")
            )
            page = body.get("Triggers") or []
            found += [trigger_from_row(row) for row in page]
            if not page or len(found) >= int(body.get("TotalCount") or 0):
                return found

    def async_retry(self, name: str) -> AsyncRetry | None:
        body = self._optional("GetFunctionEventInvokeConfig", self._fn(name))
        return async_retry_from_body((body or {}).get("AsyncTriggerConfig"))

    def provisioned(self, name: str) -> dict[str, int]:
        """Provisioned concurrency set per version: ``{qualifier: VersionProvisionedConcurrencyNum}``."""
        body = self._optional("GetProvisionedConcurrencyConfig", self._fn(name)) or {}
        return {
            str(row.get("Qualifier")): int(row.get("AllocatedProvisionedConcurrencyNum") or 0)
            for row in body.get("Allocated") or []
        }

    # -- writes ------------------------------------------------------------------------------
    def update_async_retry(self, name: str, retry: AsyncRetry) -> None:
        self.scf("UpdateFunctionEventInvokeConfig", self._fn(name, AsyncTriggerConfig=retry.body()))

    def put_provisioned(self, name: str, qualifier: str, count: int) -> None:
        params = self._fn(name, Qualifier=qualifier, VersionProvisionedConcurrencyNum=count)
        self.scf("PutProvisionedConcurrencyConfig", params)

    def create_function(self, params: dict[str, Any]) -> None:
        self.scf("CreateFunction", {**params, "Namespace": self.namespace})

    def update_code(self, name: str, params: dict[str, Any]) -> None:
        self.scf("UpdateFunctionCode", self._fn(name, **params))

    def update_configuration(self, name: str, params: dict[str, Any]) -> None:
        self.scf("UpdateFunctionConfiguration", self._fn(name, **params))

    def delete_function(self, name: str) -> None:
        self.scf("DeleteFunction", self._fn(name))

    def publish_version(self, name: str, description: str) -> str:
        body = self.scf("PublishVersion", self._fn(name, Description=description))
        return str(body["FunctionVersion"])

    def delete_version(self, name: str, version: str) -> None:
        self.scf("DeleteFunctionVersion", self._fn(name, Qualifier=version))

    def put_alias(self, name: str, alias: AliasInfo, *, create: bool) -> None:
        params = self._fn(
            name,
            Name=alias.name,
            FunctionVersion=alias.main_version,
            RoutingConfig=routing_body(alias),
            Description=alias.description,
        )
        self.scf("CreateAlias" if create else "UpdateAlias", params)

    def create_trigger(self, name: str, trigger: TriggerInfo) -> dict[str, Any]:
        """CreateTrigger; returns the ``TriggerInfo`` the cloud answered."""
        params = self._fn(
            name,
            TriggerName=trigger.name,
            Type=trigger.type,
            TriggerDesc=trigger.desc,
            Qualifier=trigger.qualifier,
            Enable="OPEN" if trigger.enable else "CLOSE",
            CustomArgument=trigger.argument or None,
        )
        info: dict[str, Any] = self.scf("CreateTrigger", params).get("TriggerInfo") or {}
        return info

    def delete_trigger(self, name: str, trigger: TriggerInfo) -> None:
        params = self._fn(name, TriggerName=trigger.name, Type=trigger.type, Qualifier=trigger.qualifier)
        if trigger.type == "cos":  # the API needs the COS event to tell triggers on one bucket apart
            params["TriggerDesc"] = trigger.desc
        self.scf("DeleteTrigger", params)

    def set_tags(self, name: str, region: str, tags: Mapping[str, str], before: Mapping[str, str]) -> None:
        """Make the function's tags ``tags`` (Tag API 2018-08-13, resources named as the Node toolkit
        names them); a pair the Tag service does not know yet is created first."""
        resource = {
            "ServiceType": "scf",
            "ResourcePrefix": "namespace",
            "ResourceIds": [f"{self.namespace}/function/{name}"],
            "ResourceRegion": region,
        }
        for key in sorted(before.keys() - tags.keys()):
            self._transport.call("tag", "DetachResourcesTag", {**resource, "TagKey": key})
        for key, value in sorted(tags.items()):
            if before.get(key) == value:
                continue
            action = "ModifyResourcesTagValue" if key in before else "AttachResourcesTag"
            params = {**resource, "TagKey": key, "TagValue": value}
            try:
                self._transport.call("tag", action, params)
            except CloudError as exc:
                if exc.code != "ResourceNotFound.TagNonExist":
                    raise
                self._transport.call("tag", "CreateTag", {"TagKey": key, "TagValue": value})
                self._transport.call("tag", action, params)

    def invoke(self, name: str, params: dict[str, Any]) -> dict[str, Any]:
        body = self.scf("Invoke", self._fn(name, **params))
        result: dict[str, Any] = body.get("Result") or {}
        return result


def alias_from_body(body: dict[str, Any]) -> AliasInfo:
    routing = body.get("RoutingConfig") or {}
    weights = tuple(
        VersionWeight(str(w["Version"]), float(w["Weight"])) for w in routing.get("AdditionalVersionWeights") or []
    )
    matches = tuple(
        VersionMatch(str(m["Version"]), str(m["Key"]), str(m["Method"]), str(m["Expression"]))
        for m in routing.get("AddtionVersionMatchs") or []
    )
    return AliasInfo(
        name=str(body.get("Name")),
        main_version=str(body.get("FunctionVersion")),
        weights=weights,
        matches=matches,
        description=str(body.get("Description") or ""),
    )


def trigger_from_row(row: Mapping[str, Any]) -> TriggerInfo:
    """A ListTriggers / GetFunction ``Triggers`` row (``Enable`` is 1/0 there, OPEN/CLOSE on input)."""
    enable = row.get("Enable")
    return TriggerInfo(
        type=str(row.get("Type") or ""),
        name=str(row.get("TriggerName") or ""),
        desc=str(row.get("TriggerDesc") or ""),
        qualifier=str(row.get("Qualifier") or LATEST),
        enable=enable in (1, "1", "OPEN", True),
        argument=str(row.get("CustomArgument") or ""),
        raw=dict(row),
    )


def routing_body(alias: AliasInfo) -> dict[str, Any]:
    return {
        "AdditionalVersionWeights": [{"Version": w.version, "Weight": w.weight} for w in alias.weights],
        "AddtionVersionMatchs": [
            {"Version": m.version, "Key": m.key, "Method": m.method, "Expression": m.expression} for m in alias.matches
        ],
    }
