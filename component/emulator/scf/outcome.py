"""What one execution of user code produced, and SCF's JSON answer for a failed one."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class RunOutcome:
    ret_msg: str
    err_msg: str
    output: str
    invoke_result: int
    status_code: int
    duration_ms: float


def ret_text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def error_text(status: int, message: str, kind: str, trace: str) -> str:
    return json.dumps({"errorCode": 1, "errorMessage": message, "errorType": kind,
                       "stackTrace": trace, "statusCode": status})


def failed(status: int, message: str, kind: str, output: str, duration_ms: float, trace: str = "") -> RunOutcome:
    """A function error (``InvokeResult`` 1) with SCF's status code: 430 user code, 433 timeout, 405 start."""
    return RunOutcome(error_text(status, message, kind, trace), message, output, 1, status, duration_ms)
