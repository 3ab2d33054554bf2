"""The plan: typed, frozen instructions, comparable with ``==``.

A plan is data. The planner produces it from reads only; the executor is the only code that turns it
into writes; the dry run prints it. Code bytes are not part of an instruction (only their sha256 and
size), so plans stay small and two plans for the same tree compare equal.

``NEW_VERSION`` stands for the version number that ``PublishVersion`` will return; the executor
substitutes it once the call has answered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from component.cloud.api import AliasInfo, AsyncRetry, TriggerInfo
from component.qualifiers import LATEST
from component.records import Frozen

NEW_VERSION = "<new>"


@dataclass(frozen=True, eq=False, repr=False)
class CodeRef(Frozen):
    """Which code to send: a zip held by the executor (by sha256), a COS object or a container image."""

    sha256: str | None = None
    size: int = 0
    cos_bucket: str | None = None
    cos_object: str | None = None
    image: tuple[tuple[str, str], ...] = ()  # Code.ImageConfig as (key, value) pairs

    @property
    def image_config(self) -> dict[str, str]:
        return dict(self.image)

    @property
    def identity(self) -> str:
        """What the code is, for the version fingerprint."""
        if self.image:
            return "image:" + "|".join(f"{k}={v}" for k, v in sorted(self.image))
        return self.sha256 or f"{self.cos_bucket}/{self.cos_object}"

    def describe(self) -> str:
        if self.image:
            return f"image {self.image_config.get('ImageUri', '')}"
        if self.cos_object:
            return f"cos://{self.cos_bucket}{'' if self.cos_object.startswith('/') else '/'}{self.cos_object}"
        return f"zip {self.size:,} bytes sha256 {str(self.sha256)[:12]}"


@dataclass(frozen=True, eq=False, repr=False)
class DeleteFunction(Frozen):
    function: str
    reason: str = ""


@dataclass(frozen=True, eq=False, repr=False)
class WaitUntilGone(Frozen):
    function: str


@dataclass(frozen=True, eq=False, repr=False)
class CreateFunction(Frozen):
    function: str
    code: CodeRef
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, eq=False, repr=False)
class UpdateFunctionCode(Frozen):
    function: str
    code: CodeRef
    handler: str | None
    handler_changed: bool = False  # a failure then leaves the same code: the version check cannot see it


@dataclass(frozen=True, eq=False, repr=False)
class UpdateFunctionConfiguration(Frozen):
    function: str
    changes: dict[str, Any]
    before: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, eq=False, repr=False)
class WaitUntilActive(Frozen):
    function: str
    qualifier: str = LATEST


@dataclass(frozen=True, eq=False, repr=False)
class PublishVersion(Frozen):
    function: str
    description: str
    expected: str = ""  # the number we expect the cloud to assign (display only)


@dataclass(frozen=True, eq=False, repr=False)
class VerifyVersionCode(Frozen):
    """Read ``version``'s code hash and stop unless it is ``sha256`` (a read: not shown in the plan).

    Before an alias moves to a version chosen by its fingerprint (``component.deploy.verify``)."""

    function: str
    version: str  # a number, or NEW_VERSION (resolved by the executor)
    sha256: str
    published: bool = False  # True: published by this deploy just now


@dataclass(frozen=True, eq=False, repr=False)
class PutAlias(Frozen):
    """CreateAlias (``create``) or UpdateAlias to exactly ``target``."""

    function: str
    target: AliasInfo
    before: AliasInfo | None = None
    create: bool = False


@dataclass(frozen=True, eq=False, repr=False)
class DeleteVersion(Frozen):
    function: str
    version: str


@dataclass(frozen=True, eq=False, repr=False)
class CreateTrigger(Frozen):
    """CreateTrigger (``reason``: "new" or which fields changed; a changed trigger is deleted first)."""

    function: str
    trigger: TriggerInfo
    reason: str = "new"


@dataclass(frozen=True, eq=False, repr=False)
class DeleteTrigger(Frozen):
    function: str
    trigger: TriggerInfo
    reason: str = "removed from events"


@dataclass(frozen=True, eq=False, repr=False)
class UpdateAsyncRetry(Frozen):
    """UpdateFunctionEventInvokeConfig: async event retention and retries (``msgTTL``/``retryNum``)."""

    function: str
    target: AsyncRetry
    before: AsyncRetry | None = None


@dataclass(frozen=True, eq=False, repr=False)
class PutProvisionedConcurrency(Frozen):
    """PutProvisionedConcurrencyConfig on a published version (``provisionedNum``)."""

    function: str
    qualifier: str  # a version number or NEW_VERSION
    count: int
    before: int | None = None


@dataclass(frozen=True, eq=False, repr=False)
class UpdateTags(Frozen):
    """The function's tags through the Tag API: detach removed keys, attach new ones, modify changed values."""

    function: str
    region: str
    target: tuple[tuple[str, str], ...]
    before: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, eq=False, repr=False)
class ApiBinding(Frozen):
    """One API Gateway API as scf-component manages it: path + method bound to a function qualifier."""

    path: str
    method: str
    name: str
    function: str
    namespace: str
    qualifier: str
    integrated: bool = False
    timeout: int = 15
    enable_cors: bool = False
    auth_type: str = "NONE"
    protocol: str = "HTTP"
    base64: bool = False
    # ServiceScfFunctionType (HTTP for a web function): sent on create/modify, not compared, as
    # DescribeApi's ApiInfo does not return it
    function_type: str = field(default="EVENT", compare=False)


@dataclass(frozen=True, eq=False, repr=False)
class CreateApiService(Frozen):
    """CreateService; ``ref`` stands for its id in later instructions until the call answers."""

    ref: str
    name: str
    protocol: str
    description: str
    net_types: tuple[str, ...] = ("OUTER",)


@dataclass(frozen=True, eq=False, repr=False)
class CreateApi(Frozen):
    service: str  # a service id or a CreateApiService.ref
    binding: ApiBinding


@dataclass(frozen=True, eq=False, repr=False)
class ModifyApi(Frozen):
    service: str
    api_id: str  # "" = the API this plan creates for binding.path + binding.method
    binding: ApiBinding
    before: ApiBinding | None
    description: str = ""


@dataclass(frozen=True, eq=False, repr=False)
class ReleaseService(Frozen):
    service: str
    environment: str
    description: str


@dataclass(frozen=True, eq=False, repr=False)
class UnReleaseService(Frozen):
    service: str
    environment: str


@dataclass(frozen=True, eq=False, repr=False)
class DeleteApi(Frozen):
    service: str
    api_id: str
    path: str
    method: str


@dataclass(frozen=True, eq=False, repr=False)
class DeleteApiService(Frozen):
    service: str
    name: str


@dataclass(frozen=True, eq=False, repr=False)
class CreateServiceRole(Frozen):
    """CAM CreateRole + AttachRolePolicy for the SCF service role (``enableRoleAuth``)."""

    name: str
    policy_id: int


Instruction = (
    CreateServiceRole
    | DeleteFunction
    | WaitUntilGone
    | CreateFunction
    | UpdateFunctionCode
    | UpdateFunctionConfiguration
    | WaitUntilActive
    | PublishVersion
    | VerifyVersionCode
    | PutAlias
    | DeleteVersion
    | CreateTrigger
    | DeleteTrigger
    | CreateApiService
    | CreateApi
    | ModifyApi
    | ReleaseService
    | UnReleaseService
    | DeleteApi
    | DeleteApiService
    | UpdateAsyncRetry
    | PutProvisionedConcurrency
    | UpdateTags
)

# Every instruction writes except these (waits and checks only read), so a new instruction type counts as a
# write until it is listed here.
READS_ONLY: tuple[type, ...] = (WaitUntilGone, WaitUntilActive, VerifyVersionCode)


@dataclass(frozen=True, eq=False, repr=False)
class Plan(Frozen):
    instructions: tuple[Instruction, ...]
    warnings: tuple[str, ...] = ()
    candidate: str | None = None  # version the alias shifts to: a number, NEW_VERSION, or None

    @property
    def writes(self) -> tuple[Instruction, ...]:
        return tuple(i for i in self.instructions if not isinstance(i, READS_ONLY))
