"""Tencent Cloud API errors as the emulator reports them.

Every failure the backend can produce is an :class:`ApiError` carrying one of Tencent's
real error codes.  Default messages are the descriptions Tencent ships in the SDK's
``errorcodes.py`` so that tests can assert exact text and clients that match on codes
behave as against the real service.  The server turns an ``ApiError`` into the
``{"Response": {"Error": {...}, "RequestId"}}`` envelope in exactly one place.
"""

from __future__ import annotations

from .messages_en import MESSAGES_EN

MESSAGES: dict[str, str] = {
    "AuthFailure.SignatureFailure": "The provided credentials could not be validated. "
    "Please check your signature is correct.",
    "AuthFailure.SecretIdNotFound": "The SecretId is not found, please ensure that your SecretId is correct.",
    "AuthFailure.SignatureExpire": "Signature expired. Timestamp differs from server time by more than 300s.",
    "AuthFailure.InvalidAuthorization": "Authorization header is invalid.",
    "InvalidAction": "The action is not supported for this service.",
    "NoSuchVersion": "The API version does not exist.",
    "NoSuchProduct": "The product does not exist.",
    "UnsupportedProtocol": "Only GET and POST are supported.",
    "RequestLimitExceeded": "Your current request times equals to `20` in a second, "
    "which exceeds the frequency limit `20` for a second. Please reduce the frequency of calls.",
    "InternalError": "An internal error has occurred. Retry your request.",
    "InvalidParameter": "参数错误。",
    "MissingParameter": "缺少参数错误。",
    "FailedOperation.CreateFunction": "操作失败。",
    "FailedOperation.DeleteFunction": "当前函数状态无法进行此操作，请在函数状态正常时重试。",
    "FailedOperation.FunctionStatusError": "函数在部署中,无法做此操作。",
    "FailedOperation.FunctionVersionStatusNotActive": "当前函数版本状态无法进行此操作，请在版本状态为正常时重试。",
    "FailedOperation.Namespace": "命名空间已存在，请勿重复创建。",
    "FailedOperation.PublishVersion": "当前函数状态无法发布版本，请在状态为正常时发布。",
    "FailedOperation.UpdateFunctionCode": "当前函数状态无法更新代码，请在状态为正常时更新。",
    "FailedOperation.UpdateFunctionConfiguration": "当前函数状态无法进行此操作，请在函数状态正常时重试。",
    "FailedOperation.UpdateAlias": "更新别名失败。",
    "FailedOperation.CreateTrigger": "当前函数状态无法进行此操作。",
    "InvalidParameter.FunctionName": "FunctionName取值与规范不符，请修正后再试。",
    "InvalidParameter.Payload": "请求参数不合法。",
    "InvalidParameter.RoutingConfig": "RoutingConfig参数传入错误。",
    "InvalidParameterValue": "参数取值错误。",
    "InvalidParameterValue.AdditionalVersionWeights": "AdditionalVersionWeights参数传入错误。",
    "InvalidParameterValue.Alias": "不支持删除默认别名，请修正后重试。",
    "InvalidParameterValue.Code": "Code传入错误。",
    "InvalidParameterValue.CosBucketName": "CosBucketName不符合规范。",
    "InvalidParameterValue.CosObjectName": "CosObjectName不符合规范。",
    "InvalidParameterValue.Description": "Description传入错误。",
    "InvalidParameterValue.Environment": "Environment传入错误。",
    "InvalidParameterValue.EnvironmentExceededLimit": "环境变量大小超限，请保持在 4KB 以内。",
    "InvalidParameterValue.FunctionName": "函数不存在。",
    "InvalidParameterValue.Handler": "Handler传入错误。",
    "InvalidParameterValue.Limit": "Limit传入错误。",
    "InvalidParameterValue.MemorySize": "MemorySize错误。",
    "InvalidParameterValue.Name": "Name参数传入错误。",
    "InvalidParameterValue.Namespace": "Namespace参数传入错误。",
    "InvalidParameterValue.Offset": "偏移量不合法。",
    "InvalidParameterValue.Order": "Order传入错误。",
    "InvalidParameterValue.Param": "入参不是标准的json。",
    "InvalidParameterValue.Qualifier": "不支持的函数版本。",
    "InvalidParameterValue.RoutingConfig": "RoutingConfig取值与规范不符，请修正后再试。"
    "可参考：https://cloud.tencent.com/document/product/583/17244#RoutingConfig。",
    "InvalidParameterValue.Runtime": "Runtime传入错误。",
    "InvalidParameterValue.TriggerDesc": "TriggerDesc传入参数错误。",
    "InvalidParameterValue.Type": "Type传入错误。",
    "InvalidParameterValue.ZipFile": "检测到不是标准的zip文件，请重新压缩后再试。",
    "InvalidParameterValue.ZipFileBase64BinasciiError": "base64解码失败: Incorrect padding",
    "LimitExceeded.Alias": "别名个数超过最大限制。",
    "LimitExceeded.Function": "函数数量超出最大限制 ，可通过[提交工单]"
    "(https://cloud.tencent.com/act/event/Online_service?from=scf%7Cindex)申请提升限制。",
    "LimitExceeded.FunctionVersions": "函数版本超限",
    "LimitExceeded.Namespace": "命名空间数量超过最大限制，可通过[提交工单]"
    "(https://cloud.tencent.com/act/event/Online_service?from=scf%7Cindex)申请提升限制。",
    "LimitExceeded.Timeout": "Timeout超出最大限制。",
    "LimitExceeded.Trigger": "触发器数量超出最大限制，可通过[提交工单]"
    "(https://cloud.tencent.com/act/event/Online_service?from=scf%7Cindex)申请提升限制。",
    "MissingParameter.Code": "Code没有传入。",
    "MissingParameter.Runtime": "缺失 Runtime 字段。",
    "ResourceInUse.Alias": "Alias已被占用。",
    "ResourceInUse.Function": "函数已存在。",
    "ResourceInUse.Namespace": "Namespace已存在。",
    "ResourceInUse.Trigger": "TriggerName已存在。",
    "ResourceNotFound.Alias": "别名不存在。",
    "ResourceNotFound.CosObject": "Cos对象不存在",
    "ResourceNotFound.Function": "函数不存在。",
    "ResourceNotFound.FunctionName": "函数不存在。",
    "ResourceNotFound.FunctionVersion": "函数版本不存在。",
    "ResourceNotFound.Namespace": "Namespace不存在。",
    "ResourceNotFound.Qualifier": "版本不存在。",
    "ResourceNotFound.Trigger": "触发器不存在。",
    "ResourceNotFound.Version": "版本不存在。",
    "UnsupportedOperation.AliasBind": "资源还有别名绑定，不支持当前操作，请解绑别名后重试。",
}


class ApiError(Exception):
    """A Tencent API error: ``code`` such as ``ResourceNotFound.Function`` plus message.

    ``message`` is the default (zh-CN) text; ``english`` what an ``en-US`` request gets: the given
    ``en`` text, else the code's English description, else the code.
    """

    def __init__(self, code: str, message: str | None = None, en: str | None = None) -> None:
        self.code = code
        self.message = message if message is not None else MESSAGES.get(code, code)
        self.english = en if en is not None else _english(code, message)
        super().__init__(f"{self.code}: {self.message}")

    def text(self, language: str) -> str:
        return self.english if language == "en-US" else self.message


def _english(code: str, message: str | None) -> str:
    """The English part of a custom message (``参数错误。The parameter…`` → ``The parameter…``), else the
    code's English description."""
    if message is not None:
        cut = max((i for i, ch in enumerate(message) if not ch.isascii()), default=-1)
        tail = message[cut + 1:].strip()
        if any(ch.isalpha() for ch in tail):
            return tail
    default = MESSAGES.get(code, code)
    return MESSAGES_EN.get(code) or (default if default.isascii() else code)


def missing(name: str) -> ApiError:
    detail = f"The request is missing a required parameter `{name}`."
    return ApiError("MissingParameter", f"缺少参数错误。{detail}", detail)


def invalid(name: str) -> ApiError:
    detail = f"The parameter `{name}` is invalid."
    return ApiError("InvalidParameter", f"参数错误。{detail}", detail)
