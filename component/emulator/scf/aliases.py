"""Aliases: CreateAlias, UpdateAlias, GetAlias, ListAliases, DeleteAlias.

``$DEFAULT`` exists on every function (created with it, pointing at ``$LATEST``) and
cannot be deleted; routing on it may still be configured.  ``UpdateAlias`` replaces
the RoutingConfig as a whole; an omitted Description keeps the stored one (the deploy
tool keeps a small JSON record there).
"""

from __future__ import annotations

import re
from typing import Any

from component.emulator.core.errors import ApiError
from component.emulator.core.params import Params, opt_str, page, req_str

from .models import DEFAULT_ALIAS, LATEST, Alias, Function
from .routing import parse_routing
from .store import ScfStore
from .views import alias_view

ALIAS_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,63}$")
MAX_DESCRIPTION = 1000


def _known_versions(fn: Function) -> set[str]:
    return {LATEST, *fn.versions}


def _description(params: Params, default: str) -> str:
    description = opt_str(params, "Description", default)
    if len(description) > MAX_DESCRIPTION:
        raise ApiError("InvalidParameterValue.Description")
    return description


def _main_version(store: ScfStore, fn: Function, params: Params) -> str:
    version = req_str(params, "FunctionVersion")
    if version not in _known_versions(fn):
        raise ApiError("ResourceNotFound.FunctionVersion")
    return version


def _alias(store: ScfStore, fn: Function, params: Params) -> Alias:
    alias = fn.aliases.get(req_str(params, "Name"))
    if alias is None:
        raise ApiError("ResourceNotFound.Alias")
    return alias


def create_alias(store: ScfStore, region: str, params: Params) -> dict[str, Any]:
    with store.lock:
        fn = store.function(region, params)
        name = req_str(params, "Name")
        if not ALIAS_NAME.match(name):
            raise ApiError("InvalidParameterValue.Name")
        if name in fn.aliases:
            raise ApiError("ResourceInUse.Alias")
        if len(fn.aliases) - 1 >= store.config.limits.aliases_per_function:
            raise ApiError("LimitExceeded.Alias")
        main = _main_version(store, fn, params)
        weights, matchs = parse_routing(params.get("RoutingConfig"), main, _known_versions(fn))
        stamp = store.wall()
        fn.aliases[name] = Alias(name, main, _description(params, ""), stamp, stamp, weights, matchs)
    return {}


def update_alias(store: ScfStore, region: str, params: Params) -> dict[str, Any]:
    with store.lock:
        fn = store.function(region, params)
        alias = _alias(store, fn, params)
        main = _main_version(store, fn, params)
        weights, matchs = parse_routing(params.get("RoutingConfig"), main, _known_versions(fn))
        alias.description = _description(params, alias.description)
        alias.function_version, alias.weights, alias.matchs = main, weights, matchs
        alias.mod_time = store.wall()
    return {}


def get_alias(store: ScfStore, region: str, params: Params) -> dict[str, Any]:
    with store.lock:
        fn = store.function(region, params)
        return alias_view(_alias(store, fn, params))


def list_aliases(store: ScfStore, region: str, params: Params) -> dict[str, Any]:
    offset, limit = page(params)
    with store.lock:
        fn = store.function(region, params)
        wanted = opt_str(params, "FunctionVersion", "")
        aliases = [a for a in fn.aliases.values() if not wanted or wanted in a.versions()]
        return {"Aliases": [alias_view(a) for a in aliases[offset:offset + limit]], "TotalCount": len(aliases)}


def delete_alias(store: ScfStore, region: str, params: Params) -> dict[str, Any]:
    with store.lock:
        fn = store.function(region, params)
        if req_str(params, "Name") == DEFAULT_ALIAS:
            raise ApiError("InvalidParameterValue.Alias")
        del fn.aliases[_alias(store, fn, params).name]
    return {}
