"""How GetFunction fills the configuration objects it was sent, as the real API does (issue #14 item 1).

The cloud never echoes a configuration object as sent: it answers with every field of the model
(``DeadLetterConfig.FilterType``, ``CfsInsList[].IpAddress``/``MountVpcId``/``MountSubnetId``, a layer's
``AddTime``/``CompatibleRuntimes``/``Status``…), and the objects the API reference marks as always present
(``DeadLetterConfig``, ``CfsConfig``, ``AccessInfo``) come back as empty objects when unset, like the
example in the API reference (``{"Type": "", "Name": "", "FilterType": ""}``).  Values the emulator cannot
know (a mount target's IP, an EIP) are filled with documentation addresses (RFC 5737).
"""

from __future__ import annotations

from typing import Any

from .models import FunctionConfig

DOC_NET = "198.51.100"  # RFC 5737 documentation range: never a real address


def dead_letter(raw: Any) -> dict[str, str]:
    value = raw if isinstance(raw, dict) else {}
    return {key: str(value.get(key) or "") for key in ("Type", "Name", "FilterType")}


def cfs(raw: Any, vpc: dict[str, str]) -> dict[str, Any]:
    value = raw if isinstance(raw, dict) else {}
    raw_mounts = value.get("CfsInsList")
    mounts: list[Any] = raw_mounts if isinstance(raw_mounts, list) else []
    filled = []
    for index, item in enumerate(mounts):
        mount = item if isinstance(item, dict) else {}
        filled.append({
            "UserId": str(mount.get("UserId", "10000")), "UserGroupId": str(mount.get("UserGroupId", "10000")),
            "CfsId": str(mount.get("CfsId", "")), "MountInsId": str(mount.get("MountInsId", "")),
            "LocalMountDir": str(mount.get("LocalMountDir", "")),
            "RemoteMountDir": str(mount.get("RemoteMountDir", "")),
            "IpAddress": f"{DOC_NET}.{10 + index}", "MountVpcId": vpc.get("VpcId", ""),
            "MountSubnetId": vpc.get("SubnetId", ""),
        })
    return {"CfsInsList": filled}


def layer(raw: dict[str, Any], known: dict[str, Any] | None, runtime: str, add_time: str) -> dict[str, Any]:
    """A ``LayerVersionInfo``; ``known`` is the published layer version when the emulator holds it."""
    info = known or {}
    return {
        "LayerName": str(raw.get("LayerName", "")), "LayerVersion": int(raw.get("LayerVersion") or 0),
        "CompatibleRuntimes": list(info.get("CompatibleRuntimes") or [runtime]),
        "AddTime": str(info.get("AddTime") or add_time), "Description": str(info.get("Description") or ""),
        "LicenseInfo": str(info.get("LicenseInfo") or ""), "Status": "Active",
        "Stamp": str(info.get("Stamp") or ""),
    }


def public_net(raw: dict[str, Any]) -> dict[str, Any]:
    raw_eip = raw.get("EipConfig")
    eip: dict[str, Any] = raw_eip if isinstance(raw_eip, dict) else {}
    status = str(eip.get("EipStatus") or "DISABLE")
    return {
        "PublicNetStatus": str(raw.get("PublicNetStatus") or "ENABLE"),
        "EipConfig": {"EipStatus": status, "EipAddress": [f"{DOC_NET}.1"] if status == "ENABLE" else []},
    }


def intranet(raw: Any) -> dict[str, Any]:
    value = raw if isinstance(raw, dict) else {}
    fixed = str(value.get("IpFixed") or "DISABLE")
    return {"IpFixed": fixed, "IpAddress": [f"{DOC_NET}.2"] if fixed == "ENABLE" else []}


def configuration_objects(config: FunctionConfig, add_time: str, layers: dict[tuple[str, int], Any]) -> dict[str, Any]:
    """The filled objects of a GetFunction answer."""
    extra = config.extra
    return {
        "DeadLetterConfig": dead_letter(extra.get("DeadLetterConfig")),
        "CfsConfig": cfs(extra.get("CfsConfig"), config.vpc_config),
        "AccessInfo": {"Host": "", "Vip": ""},
        "Layers": [
            layer(item, layers.get((str(item.get("LayerName")), int(item.get("LayerVersion") or 0))),
                  config.runtime, add_time)
            for item in config.layers
        ],
        "PublicNetConfig": public_net(config.public_net_config),
        "IntranetConfig": intranet(extra.get("IntranetConfig")),
    }
