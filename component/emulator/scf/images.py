"""Container-image code (``Code.ImageConfig``): validated and stored like the real API.

``CreateFunction``/``UpdateFunctionCode`` accept ``Code: {ImageConfig}`` in place of a zip or a COS
object. The image is not pulled or run: the function's ``ImageConfig`` is stored with every field of
the SDK's ``ImageConfig`` model filled (defaults for those not sent) and returned by ``GetFunction``.
Errors are the SDK's: ``InvalidParameterValue.ImageType`` (not ``personal``/``enterprise``),
``InvalidParameterValue.ImageUri`` (empty), ``InvalidParameterValue.RegistryId`` (an enterprise image
without its TCR instance id).
"""

from __future__ import annotations

import hashlib
from typing import Any

from component.emulator.core.errors import ApiError

from .models import FunctionConfig

IMAGE_TYPES = frozenset({"personal", "enterprise"})
WEB_SERVER_PORT = 9000  # SDK ImageConfig.ImagePort: 9000 = web-server image (the default), -1 = job image
# What an image function's Runtime reads when none was sent (an assumption: the SDK does not say).
IMAGE_RUNTIME = "CustomRuntime"


def image_config(code: dict[str, Any]) -> dict[str, Any] | None:
    """The ``ImageConfig`` of a ``Code`` dict as GetFunction returns it, or None for zip/COS code."""
    raw = code.get("ImageConfig")
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise ApiError("InvalidParameterValue.Code")
    kind = raw.get("ImageType")
    if kind not in IMAGE_TYPES:
        raise ApiError("InvalidParameterValue.ImageType", "ImageType 参数值有误。")
    uri = raw.get("ImageUri")
    if not isinstance(uri, str) or not uri.strip():
        raise ApiError("InvalidParameterValue.ImageUri", "imageUri 传入有误。")
    if kind == "enterprise" and not raw.get("RegistryId"):
        raise ApiError("InvalidParameterValue.RegistryId", "企业版镜像实例ID[RegistryId]传值错误。")
    return {
        "ImageType": kind,
        "ImageUri": uri,
        "RegistryId": str(raw.get("RegistryId") or ""),
        "EntryPoint": str(raw.get("EntryPoint") or ""),
        "Command": str(raw.get("Command") or ""),
        "Args": str(raw.get("Args") or ""),
        "ContainerImageAccelerate": bool(raw.get("ContainerImageAccelerate", False)),
        "ImagePort": int(raw.get("ImagePort") or WEB_SERVER_PORT),
    }


def image_ref(image: dict[str, Any]) -> str:
    """The code reference an image function keeps (its code hash is derived from it)."""
    return f"image://{image['ImageUri']}"


def default_runtime(params: dict[str, Any]) -> str:
    """The runtime a CreateFunction without ``Runtime`` gets: the image one for image code."""
    code = params.get("Code")
    return IMAGE_RUNTIME if isinstance(code, dict) and code.get("ImageConfig") is not None else "Python2.7"


def store_image(config: FunctionConfig, code: dict[str, Any]) -> bool:
    """Keep ``code``'s image on ``config`` and return True; for zip/COS code forget any image, return False."""
    image = image_config(code)
    if image is None:
        config.extra.pop("ImageConfig", None)
        return False
    config.extra["ImageConfig"] = image
    config.cos_ref = image_ref(image)
    config.code_sha256 = hashlib.sha256(config.cos_ref.encode()).hexdigest()
    config.code_size = 0
    return True
