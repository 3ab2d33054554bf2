"""``enableRoleAuth``: make sure the SCF service role exists, as the Node component did.

The toolkit up to 2.0.6 (``scf/index.ts``, reference node-inputs-and-apis.md §8) did this before every
deploy with a truthy ``enableRoleAuth``: CAM ``CreateRole`` of ``SCF_QcsRole`` with a trust policy for
the service ``scf.qcloud.com`` (``sts:AssumeRole``), then ``AttachRolePolicy`` with policy 28341895,
swallowing any error. It is the account's service role through which SCF reaches COS, API Gateway,
CLS… for triggers and logs; the function's own execution role stays ``role``.

Here the role is read first (``GetRole``) and created only when it is missing, so a redeploy writes
nothing; the creation is a planned step (``--dry-run`` shows it). As in the Node component a failure
does not stop the deploy (the role usually exists already, or a sub-account may not manage CAM): it
becomes a warning naming the reason. Without ``enableRoleAuth: true`` nothing is read or written.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any

from component.deploy.instructions import CreateServiceRole
from component.errors import CloudError

if TYPE_CHECKING:  # the context imports the executor, which imports this module
    from component.cloud.api import ScfApi
    from component.deploy.context import Context
    from component.progress import Progress

SCF_SERVICE_ROLE = "SCF_QcsRole"
SCF_ROLE_POLICY_ID = 28341895
MISSING = "InvalidParameter.RoleNotExist"
TRUST_POLICY = {
    "version": "2.0",
    "statement": [{"action": "name/sts:AssumeRole", "effect": "allow", "principal": {"service": "scf.qcloud.com"}}],
}


def plan_role_stage(ctx: Context) -> None:
    """Read the service role when ``enableRoleAuth`` is true; plan its creation when it is missing."""
    if ctx.project.inputs.get("enableRoleAuth") is not True:
        return
    try:
        ctx.api.cam("GetRole", {"RoleName": SCF_SERVICE_ROLE})
        return
    except CloudError as exc:
        if exc.code != MISSING:
            ctx.warnings.append(f"enableRoleAuth: could not read the {SCF_SERVICE_ROLE} role ({exc.code}); left as is")
            return
    ctx.function_steps.insert(0, CreateServiceRole(SCF_SERVICE_ROLE, SCF_ROLE_POLICY_ID))


def role_handlers(api: ScfApi, reporter: Progress) -> Mapping[type, Callable[[Any], None]]:
    def create(step: CreateServiceRole) -> None:
        reporter.step(f"creating the {step.name} service role (enableRoleAuth)")
        try:
            params = {"RoleName": step.name, "PolicyDocument": json.dumps(TRUST_POLICY, separators=(",", ":"))}
            api.cam("CreateRole", {**params, "Description": "SCF service role (created for enableRoleAuth)"})
            api.cam("AttachRolePolicy", {"PolicyId": step.policy_id, "AttachRoleName": step.name})
        except CloudError as exc:
            reporter.warn(f"enableRoleAuth: the {step.name} role could not be set up: {exc.code} {exc.message}")

    return {CreateServiceRole: create}


def describe_role(step: CreateServiceRole) -> str:
    return f"CreateRole {step.name} (trusted by scf.qcloud.com) + AttachRolePolicy {step.policy_id} [enableRoleAuth]"
