"""The Tag API (service ``tag``, version 2018-08-13) as far as SCF functions use it.

A function's tags are its ``Tags`` in ``GetFunction`` (set by ``CreateFunction.Tags`` and by these
actions). Resources are named as the Node toolkit names them: ``ServiceType: scf``, ``ResourcePrefix:
namespace``, ``ResourceIds: ["<namespace>/function/<name>"]``, ``ResourceRegion``. A tag key/value
pair must exist before it is attached (``ResourceNotFound.TagNonExist``): a pair exists once
``CreateTag`` made it or any function carries it. ``CreateTag`` of an existing pair answers
``ResourceInUse.TagDuplicate``.
"""

from __future__ import annotations

from typing import Any

from component.emulator.core.errors import ApiError
from component.emulator.core.params import Params, req_str
from component.emulator.scf.models import Function
from component.emulator.scf.store import ScfStore

TAG_VERSION = "2018-08-13"


class TagStore:
    """The tag pairs ``CreateTag`` made; the resources tagged are the SCF store's functions."""

    def __init__(self, scf: ScfStore) -> None:
        self.scf = scf
        self.lock = scf.lock
        self.created: set[tuple[str, str]] = set()


def create_tag(store: TagStore, region: str, params: Params) -> dict[str, Any]:
    pair = (req_str(params, "TagKey"), req_str(params, "TagValue"))
    with store.lock:
        if pair in _existing(store):
            raise ApiError("ResourceInUse.TagDuplicate", "标签已存在。")
        store.created.add(pair)
    return {}


def attach_resources_tag(store: TagStore, region: str, params: Params) -> dict[str, Any]:
    key, value = req_str(params, "TagKey"), req_str(params, "TagValue")
    with store.lock:
        if (key, value) not in _existing(store):
            raise ApiError("ResourceNotFound.TagNonExist", "标签不存在。")
        for fn in _resources(store, params):
            fn.latest.tags = [t for t in fn.latest.tags if t["Key"] != key] + [{"Key": key, "Value": value}]
    return {}


def modify_resources_tag_value(store: TagStore, region: str, params: Params) -> dict[str, Any]:
    key, value = req_str(params, "TagKey"), req_str(params, "TagValue")
    with store.lock:
        if (key, value) not in _existing(store):
            raise ApiError("ResourceNotFound.TagNonExist", "标签不存在。")
        for fn in _resources(store, params):
            if not any(t["Key"] == key for t in fn.latest.tags):
                raise ApiError("ResourceNotFound.AttachedTagKeyNotFound", "资源关联的标签键不存在。")
            fn.latest.tags = [{"Key": key, "Value": value} if t["Key"] == key else t for t in fn.latest.tags]
    return {}


def detach_resources_tag(store: TagStore, region: str, params: Params) -> dict[str, Any]:
    key = req_str(params, "TagKey")
    with store.lock:
        for fn in _resources(store, params):
            if not any(t["Key"] == key for t in fn.latest.tags):
                raise ApiError("ResourceNotFound.AttachedTagKeyNotFound", "资源关联的标签键不存在。")
            fn.latest.tags = [t for t in fn.latest.tags if t["Key"] != key]
    return {}


def describe_resource_tags_by_resource_ids(store: TagStore, region: str, params: Params) -> dict[str, Any]:
    with store.lock:
        rows = [
            {"TagKey": t["Key"], "TagValue": t["Value"], "ResourceId": f"{fn.namespace}/function/{fn.name}",
             "TagKeyMd5": "", "TagValueMd5": "", "ServiceType": "scf", "Category": "Custom"}
            for fn in _resources(store, params) for t in fn.latest.tags
        ]
    offset, limit = int(params.get("Offset") or 0), int(params.get("Limit") or 15)
    return {"TotalCount": len(rows), "Offset": offset, "Limit": limit, "Tags": rows[offset:offset + limit]}


def _resources(store: TagStore, params: Params) -> list[Function]:
    if params.get("ServiceType") != "scf" or params.get("ResourcePrefix") != "namespace":
        raise ApiError("InvalidParameterValue.ServiceTypeInvalid", "ServiceType或ResourcePrefix不合法。")
    region = req_str(params, "ResourceRegion")
    ids = params.get("ResourceIds")
    if not isinstance(ids, list) or not ids:
        raise ApiError("InvalidParameterValue.ResourceIdInvalid", "资源ID不合法。")
    found: list[Function] = []
    for resource in ids:
        namespace, _, name = str(resource).partition("/function/")
        space = store.scf.region(region).get(namespace)
        fn = space.functions.get(name) if space else None
        if fn is None:
            raise ApiError("InvalidParameterValue.ResourceIdInvalid", f"资源ID不合法。{resource}")
        found.append(fn)
    return found


def _existing(store: TagStore) -> set[tuple[str, str]]:
    pairs = set(store.created)
    for spaces in store.scf.regions.values():
        for space in spaces.values():
            for fn in space.functions.values():
                pairs |= {(t["Key"], t["Value"]) for t in fn.latest.tags}
    return pairs


TAG_ACTIONS = {
    "CreateTag": create_tag,
    "AttachResourcesTag": attach_resources_tag,
    "ModifyResourcesTagValue": modify_resources_tag_value,
    "DetachResourcesTag": detach_resources_tag,
    "DescribeResourceTagsByResourceIds": describe_resource_tags_by_resource_ids,
}
TAG_WRITES = frozenset({"CreateTag", "AttachResourcesTag", "ModifyResourcesTagValue", "DetachResourcesTag"})
