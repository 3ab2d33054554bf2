"""``scf info``: the function, the versions that exist and every alias as a routing table."""

from __future__ import annotations

from typing import Any

from component.cloud.api import AliasInfo, ScfApi
from component.deploy.release_record import parse_record
from component.deploy.routing import routing_text


def collect_info(api: ScfApi, name: str) -> dict[str, Any]:
    function = api.get_function(name)
    if function is None:
        return {"functionName": name, "exists": False}
    versions = api.list_versions(name)
    aliases = api.list_aliases(name)
    return {
        "functionName": name,
        "exists": True,
        "status": function.get("Status"),
        "runtime": function.get("Runtime"),
        "namespace": function.get("Namespace"),
        "modTime": function.get("ModTime"),
        "versions": [{"version": v.version, "status": v.status, "description": v.description} for v in versions],
        "aliases": [_alias_row(a) for a in aliases],
    }


def _alias_row(alias: AliasInfo) -> dict[str, Any]:
    record = parse_record(alias.description)
    routes: list[dict[str, Any]] = [{"version": alias.main_version, "weight": alias.share_of(alias.main_version)}]
    routes += [{"version": w.version, "weight": w.weight} for w in alias.weights]
    routes += [{"version": m.version, "rule": f"{m.key} {m.method} {m.expression}"} for m in alias.matches]
    return {
        "name": alias.name,
        "routing": routes,
        "summary": routing_text(alias),
        "description": record.text,
        "promoted": list(record.promoted),
        "rolledBack": list(record.rolled_back),
    }


def render_info(info: dict[str, Any]) -> str:
    if not info.get("exists"):
        return f"function {info['functionName']} does not exist"
    lines = [
        f"function  {info['functionName']}  ({info['status']}, {info['runtime']}, namespace {info['namespace']})",
        "versions  " + (", ".join(v["version"] for v in info["versions"]) or "(none published)"),
        "aliases",
    ]
    for alias in info["aliases"]:
        lines.append(f"  {alias['name']}")
        for route in alias["routing"]:
            target = route.get("rule") or f"{route['weight'] * 100:g}%"
            lines.append(f"    version {route['version']:<8} {target}")
        if alias["promoted"] or alias["rolledBack"]:
            promoted = ", ".join(alias["promoted"]) or "-"
            rolled = ", ".join(alias["rolledBack"]) or "-"
            lines.append(f"    promoted: {promoted}   rolled back: {rolled}")
    return "\n".join(lines)
