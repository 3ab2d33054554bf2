"""Validation of function settings and code, with Tencent's limits and error codes.

Kept apart from the backend so the rules (name regex, memory steps, 4 KB environment,
zip size caps) read as one table of checks rather than being scattered across actions.
"""

from __future__ import annotations

import base64
import binascii
import io
import re
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from component.emulator.core.errors import ApiError
from component.emulator.core.guard import UNPACKED_LIMIT
from component.emulator.core.params import Params, opt_dict, opt_int, opt_str

from .models import FunctionConfig

FUNCTION_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9_-]{0,58}[A-Za-z0-9]$")
NAMESPACE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,29}$")
HANDLER = re.compile(r"^[\w./-]+\.[A-Za-z_][\w-]*$")
DOTTED_RUNTIMES = ("python", "nodejs", "php")
ENV_LIMIT_BYTES = 4096
MB = 1024 * 1024


@dataclass(frozen=True)
class CodeInput:
    data: bytes | None  # zip bytes, or None for an unresolved COS reference
    cos_ref: str


def check_function_name(name: str) -> None:
    if not FUNCTION_NAME.match(name):
        raise ApiError("InvalidParameterValue.FunctionName", "FunctionName取值与规范不符，请修正后再试。")


def check_namespace_name(name: str) -> None:
    if not NAMESPACE_NAME.match(name) or name.lower() == "default":
        raise ApiError("InvalidParameterValue.Namespace")


def check_memory(value: int) -> None:
    if value != 64 and not (128 <= value <= 3072 and value % 128 == 0):
        raise ApiError("InvalidParameterValue.MemorySize")


def check_timeout(value: int, *, async_run: bool = False) -> None:
    """1–900 s; async-run functions up to 86400 s (SCF async execution, up to 24 h)."""
    if not 1 <= value <= (86400 if async_run else 900):
        raise ApiError("LimitExceeded.Timeout")


def check_handler(handler: str, runtime: str) -> None:
    dotted = runtime.lower().startswith(DOTTED_RUNTIMES)
    if not handler or (dotted and not HANDLER.match(handler)):
        raise ApiError("InvalidParameterValue.Handler")


def _blank(item: Any, *keys: str) -> bool:
    """An entry whose fields are all empty: how a form POST says "empty list" (``Variables.0.Key=``)."""
    return isinstance(item, dict) and all(item.get(key) in (None, "", 0) for key in keys)


def parse_environment(params: Params) -> list[dict[str, str]] | None:
    if "Environment" not in params:
        return None
    env = opt_dict(params, "Environment", "InvalidParameterValue.Environment")
    variables = env.get("Variables") or []
    if not isinstance(variables, list):
        raise ApiError("InvalidParameterValue.Environment")
    out: list[dict[str, str]] = []
    for item in variables:
        if _blank(item, "Key", "Value"):  # the form-POST "clear all variables" marker (Node toolkit)
            continue
        if not isinstance(item, dict) or not isinstance(item.get("Key"), str) or not item["Key"]:
            raise ApiError("InvalidParameterValue.Environment")
        out.append({"Key": item["Key"], "Value": str(item.get("Value", ""))})
    size = sum(len(e["Key"].encode()) + len(e["Value"].encode()) for e in out)
    if size > ENV_LIMIT_BYTES:
        raise ApiError("InvalidParameterValue.EnvironmentExceededLimit")
    return out


# Settings the emulator stores and returns as sent, without modelling their behaviour.
PASS_THROUGH = (
    "ClsLogsetId",
    "ClsTopicId",
    "L5Enable",
    "TraceEnable",
    "InstallDependency",
    "AsyncRunEnable",
    "DeadLetterConfig",
    "CfsConfig",
    "DnsCache",
    "IntranetConfig",
)


def apply_settings(config: FunctionConfig, params: Params) -> None:
    """Overwrite ``config`` with the settings present in ``params`` and validate them."""
    config.memory_size = opt_int(params, "MemorySize", config.memory_size, "InvalidParameterValue.MemorySize")
    check_memory(config.memory_size)
    config.timeout = opt_int(params, "Timeout", config.timeout, "LimitExceeded.Timeout")
    config.init_timeout = opt_int(params, "InitTimeout", config.init_timeout, "LimitExceeded.InitTimeout")
    config.description = opt_str(params, "Description", config.description)
    if len(config.description) > 1000:
        raise ApiError("InvalidParameterValue.Description")
    env = parse_environment(params)
    if env is not None:
        config.environment = env
    config.role = opt_str(params, "Role", config.role)
    config.handler = opt_str(params, "Handler", config.handler)
    layers = params.get("Layers")
    if isinstance(layers, list):
        config.layers = [item for item in layers if not _blank(item, "LayerName", "LayerVersion")]
    tags = params.get("Tags")
    if isinstance(tags, list):
        config.tags = tags
    for key, attr in (("VpcConfig", "vpc_config"), ("PublicNetConfig", "public_net_config")):
        value = params.get(key)
        if isinstance(value, dict):
            setattr(config, attr, value)
    config.extra.update({key: params[key] for key in PASS_THROUGH if params.get(key) is not None})
    check_timeout(config.timeout, async_run=config.extra.get("AsyncRunEnable") == "TRUE")
    check_handler(config.handler, config.runtime)


def _decode_zip(b64: Any, limit_bytes: int) -> bytes:
    if not isinstance(b64, str):
        raise ApiError("InvalidParameterValue.ZipFile")
    try:
        data = base64.b64decode(b64, validate=True)
    except (binascii.Error, ValueError) as exc:
        raise ApiError("InvalidParameterValue.ZipFileBase64BinasciiError") from exc
    if len(data) > limit_bytes:
        raise ApiError("InvalidParameterValue.ZipFile", f"ZipFile超过{limit_bytes // MB}MB限制。")
    check_zip(data)
    return data


def check_zip(data: bytes) -> None:
    """A readable zip whose files unpack to at most SCF's 500 MB (the sizes bound what extraction writes)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise ApiError("InvalidParameterValue.ZipFile") from exc
    if unpacked > UNPACKED_LIMIT:
        raise ApiError("InvalidParameterValue.ZipFile", f"代码解压后超过{UNPACKED_LIMIT // MB}MB限制。",
                       f"The code unpacks to {unpacked // MB} MB, over SCF's {UNPACKED_LIMIT // MB} MB limit.")


def _cos(bucket: Any, obj: Any, cos_dir: Path | None, limit_bytes: int) -> CodeInput:
    if not isinstance(bucket, str) or not bucket:
        raise ApiError("InvalidParameterValue.CosBucketName")
    if not isinstance(obj, str) or not obj:
        raise ApiError("InvalidParameterValue.CosObjectName")
    ref = f"{bucket}/{obj.lstrip('/')}"
    if cos_dir is None:
        return CodeInput(None, ref)
    path = (cos_dir / bucket / obj.lstrip("/")).resolve()
    if cos_dir.resolve() not in path.parents or not path.is_file():
        raise ApiError("ResourceNotFound.CosObject")
    data = path.read_bytes()
    if len(data) > limit_bytes:
        raise ApiError("InvalidParameterValue.ZipFile", f"ZipFile超过{limit_bytes // MB}MB限制。")
    check_zip(data)
    return CodeInput(data, ref)


def parse_code(code: dict[str, Any], cos_dir: Path | None, limit_bytes: int) -> CodeInput:
    """Decode a ``Code``-shaped dict (``ZipFile`` or ``CosBucketName``/``CosObjectName``)."""
    if code.get("ZipFile"):
        return CodeInput(_decode_zip(code["ZipFile"], limit_bytes), "")
    if code.get("CosBucketName") or code.get("CosObjectName"):
        return _cos(code.get("CosBucketName"), code.get("CosObjectName"), cos_dir, limit_bytes)
    raise ApiError("MissingParameter.Code")
