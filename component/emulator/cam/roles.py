"""CAM roles (service ``cam``, version 2019-01-16), as far as ``enableRoleAuth`` uses them.

``GetRole`` answers ``InvalidParameter.RoleNotExist`` for an unknown name; ``CreateRole`` of an
existing name answers ``InvalidParameter.RoleNameInUse``; ``AttachRolePolicy`` needs the role and
records the policy id. Roles are account-wide (no region) and saved with the emulator's state
(:func:`dump_roles` / :func:`load_roles`), so a ``--local`` redeploy finds the role it created.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from typing import Any

from component.emulator.core.errors import ApiError
from component.emulator.core.params import Params, req_str

CAM_VERSION = "2019-01-16"


class CamStore:
    """The account's roles by name (CAM is account-wide: no region)."""

    def __init__(self, lock: threading.RLock, wall: Callable[[], float]) -> None:
        self.lock = lock
        self.wall = wall
        self.roles: dict[str, dict[str, Any]] = {}


def _roles(store: CamStore) -> dict[str, dict[str, Any]]:
    return store.roles


def _find(store: CamStore, params: Params, key: str = "RoleName") -> dict[str, Any]:
    name = req_str(params, key)
    role = _roles(store).get(name)
    if role is None:
        raise ApiError("InvalidParameter.RoleNotExist", "角色不存在。")
    return role


def get_role(store: CamStore, region: str, params: Params) -> dict[str, Any]:
    with store.lock:
        role = _find(store, params)
        info = {k: v for k, v in role.items() if k != "Policies"}
        return {"RoleInfo": info}


def create_role(store: CamStore, region: str, params: Params) -> dict[str, Any]:
    name, document = req_str(params, "RoleName"), req_str(params, "PolicyDocument")
    try:
        json.loads(document)
    except ValueError as exc:
        raise ApiError("InvalidParameter.PolicyDocumentError", "PolicyDocument字段不合法。") from exc
    with store.lock:
        roles = _roles(store)
        if name in roles:
            raise ApiError("InvalidParameter.RoleNameInUse", "角色名已存在。")
        role_id = str(4611686018427000000 + len(roles) + 1)
        stamp = store.wall()
        roles[name] = {
            "RoleId": role_id,
            "RoleName": name,
            "PolicyDocument": document,
            "Description": str(params.get("Description") or ""),
            "AddTime": str(stamp),
            "UpdateTime": str(stamp),
            "ConsoleLogin": 0,
            "RoleType": "user",
            "Policies": [],
        }
        return {"RoleId": role_id}


def attach_role_policy(store: CamStore, region: str, params: Params) -> dict[str, Any]:
    with store.lock:
        role = _find(store, params, "AttachRoleName")
        policy = params.get("PolicyId")
        if not isinstance(policy, int) or isinstance(policy, bool):
            raise ApiError("InvalidParameter.PolicyIdError", "PolicyId字段不合法。")
        if policy not in role["Policies"]:
            role["Policies"].append(policy)
        return {}


def dump_roles(store: CamStore) -> list[dict[str, Any]]:
    return [dict(role) for role in _roles(store).values()]


def load_roles(store: CamStore, rows: list[dict[str, Any]]) -> None:
    store.roles = {str(row["RoleName"]): dict(row) for row in rows}


CAM_ACTIONS = {"GetRole": get_role, "CreateRole": create_role, "AttachRolePolicy": attach_role_policy}
CAM_WRITES = frozenset({"CreateRole", "AttachRolePolicy"})
