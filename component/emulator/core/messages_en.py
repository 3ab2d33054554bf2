"""English error messages, answered when a request asks for ``en-US`` (``X-TC-Language`` / ``Language``).

Taken from the descriptions of Tencent's international SDK (``tencentcloud-sdk-go-intl-en`` ``errors.go``) for the
codes the emulator answers; the gateway-level codes keep the English text of ``errors.MESSAGES``.
"""

from __future__ import annotations

MESSAGES_EN: dict[str, str] = {
    "FailedOperation.CreateFunction": "Operation failed.",
    "FailedOperation.CreateTrigger": "This operation is not supported in the current function state.",
    "FailedOperation.DeleteFunction":
        "This operation cannot be performed in the current function status. Please try again when the "
        "function is in normal status.",
    "FailedOperation.FunctionStatusError": "Operation failed. The function is deploying.",
    "FailedOperation.FunctionVersionStatusNotActive":
        "This operation cannot be performed in the current function version status. Please try again when the "
        "version is in normal status.",
    "FailedOperation.Namespace": "The namespace already exists.",
    "FailedOperation.PublishVersion":
        "You cannot publish a version in the current function state. Please try again when the state is normal.",
    "FailedOperation.ServiceError": "Service error.",
    "FailedOperation.UpdateAlias": "Failed to update the alias.",
    "FailedOperation.UpdateFunctionCode":
        "You cannot update code in the current function state. Please try again when the state is normal.",
    "FailedOperation.UpdateFunctionConfiguration": "The `UpdateFunctionConfiguration` operation failed.",
    "InternalError": "Internal error.",
    "InvalidParameter": "Incorrect parameter.",
    "InvalidParameter.FormatError": "Incorrect parameter format.",
    "InvalidParameter.FunctionName":
        "The value of `FunctionName` does not conform to the specification. Please fix it and try again. For "
        "more information, please visit https://tencentcs.com/5jXKFnBW.",
    "InvalidParameter.Payload": "Invalid request parameter.",
    "InvalidParameter.RoutingConfig": "Incorrect `RoutingConfig` parameter.",
    "InvalidParameterValue": "Incorrect parameter value.",
    "InvalidParameterValue.AdditionalVersionWeights": "Incorrect `AdditionalVersionWeights` parameter.",
    "InvalidParameterValue.Alias": "The default alias cannot be deleted. Please check and try again.",
    "InvalidParameterValue.Code": "Code error.",
    "InvalidParameterValue.CosBucketName": "Invalid CosBucketName.",
    "InvalidParameterValue.CosObjectName": "Invalid CosObjectName.",
    "InvalidParameterValue.Description": "Description error.",
    "InvalidParameterValue.Enable":
        "The value of `Enable` does not conform to the specification. Please fix it and try again. For more "
        "information, please visit https://tencentcs.com/5jXKFnBW.",
    "InvalidParameterValue.Environment": "Environment error.",
    "InvalidParameterValue.EnvironmentExceededLimit":
        "The size of the environment variable exceeds the limit. Please keep it within 4 KB.",
    "InvalidParameterValue.FunctionName": "The function does not exist.",
    "InvalidParameterValue.Handler": "Handler error.",
    "InvalidParameterValue.InvalidApiRequestConfig": "Invalid API configuration.",
    "InvalidParameterValue.InvalidScfConfig": "The SCF API parameters are invalid.",
    "InvalidParameterValue.LayerName": "Incorrect `LayerName` parameter.",
    "InvalidParameterValue.Layers": "Layers parameter error.",
    "InvalidParameterValue.Limit": "Limit error.",
    "InvalidParameterValue.MemorySize": "MemorySize error.",
    "InvalidParameterValue.Name": "Incorrect `Name` parameter.",
    "InvalidParameterValue.Namespace": "Namespace error.",
    "InvalidParameterValue.NotInOptions": "The parameter value is incorrect, as it is not an available option.",
    "InvalidParameterValue.Offset": "Invalid offset.",
    "InvalidParameterValue.Order": "Order error.",
    "InvalidParameterValue.OrderBy":
        "The value of `OrderBy` does not conform to the specification. Please fix it and try again. For more "
        "information, please visit https://tencentcs.com/5jXKFnBW.",
    "InvalidParameterValue.Param": "The input parameter is not in the standard JSON format.",
    "InvalidParameterValue.Qualifier": "Unsupported function version.",
    "InvalidParameterValue.RoutingConfig":
        "The value of `RoutingConfig` does not conform to the specification. Please fix it and try again. For "
        "more information, please visit https://tencentcs.com/5jXKFnBW.",
    "InvalidParameterValue.Runtime": "Runtime error.",
    "InvalidParameterValue.TriggerDesc": "TriggerDesc error.",
    "InvalidParameterValue.Type": "Type error.",
    "InvalidParameterValue.ZipFile": "A non-standard zip file was detected. Please recompress and try again.",
    "LimitExceeded.Alias": "The number of aliases exceeds the upper limit.",
    "LimitExceeded.Function":
        "If the number of functions exceeds the upper limit, you can apply for an increase by [submitting a "
        "ticket](https://console.intl.cloud.tencent.com/workorder/category).",
    "LimitExceeded.FunctionVersions": "The number of function versions exceeds the upper limit.",
    "LimitExceeded.Namespace":
        "If the number of namespaces exceeds the upper limit, you can apply for an increase by [submitting a "
        "ticket]( https://console.intl.cloud.tencent.com/workorder/category).",
    "LimitExceeded.Timeout": "Timeout exceeds the upper limit.",
    "LimitExceeded.Trigger":
        "If the number of triggers exceeds the upper limit, you can apply for an increase by [submitting a "
        "ticket](https://console.intl.cloud.tencent.com/workorder/category).",
    "MissingParameter": "Missing parameter.",
    "MissingParameter.Code": "Code is not specified.",
    "MissingParameter.Runtime": "The Runtime field is missing.",
    "RequestLimitExceeded": "The number of requests exceeds the frequency limit.",
    "ResourceInUse.Alias": "The alias is in use.",
    "ResourceInUse.Function": "The function already exists.",
    "ResourceInUse.Namespace": "This Namespace already exists.",
    "ResourceInUse.Trigger": "This TriggerName already exists.",
    "ResourceNotFound.Alias": "The alias does not exist.",
    "ResourceNotFound.CosObject": "The COS object does not exist.",
    "ResourceNotFound.Function": "The function does not exist.",
    "ResourceNotFound.FunctionName": "The function does not exist.",
    "ResourceNotFound.FunctionVersion": "The function version does not exist.",
    "ResourceNotFound.InvalidApi": "Incorrect `ApiId`.",
    "ResourceNotFound.InvalidService": "The corresponding service is invisible.",
    "ResourceNotFound.Layer": "The layer does not exist.",
    "ResourceNotFound.LayerVersion": "The layer version does not exist.",
    "ResourceNotFound.Namespace": "Namespace does not exist.",
    "ResourceNotFound.Qualifier": "The version does not exist.",
    "ResourceNotFound.Trigger": "The trigger does not exist.",
    "ResourceNotFound.Version": "The version does not exist.",
    "UnsupportedOperation.AliasBind":
        "The resource is bound to an alias, and the current operation cannot be performed. Please unbind the "
        "alias and try again.",
    "UnsupportedOperation.UnsupportedDeleteService": "This service is being used and cannot be deleted.",
}
