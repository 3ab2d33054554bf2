"""Signature verification: TC3-HMAC-SHA256 and the legacy HmacSHA1/HmacSHA256 forms.

The verifier recomputes the signature from the raw header values and raw query exactly
as ``tencentcloud.common`` builds it (reference §1.3/§1.4), so a request the SDK signs
with the configured key pair verifies and anything else fails with Tencent's codes:
unknown SecretId → ``AuthFailure.SecretIdNotFound``, mismatch →
``AuthFailure.SignatureFailure``, clock skew over 300 s → ``AuthFailure.SignatureExpire``.
The TC3 credential scope also names the service, which lets one port serve SCF and
Monitor.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from .errors import ApiError
from .wire import ApiCall, WireRequest, form_pairs, is_legacy, legacy_call, tc3_call

MAX_SKEW_SECONDS = 300
_TC3 = re.compile(
    r"^TC3-HMAC-SHA256 Credential=(?P<id>[^/]+)/(?P<date>\d{4}-\d{2}-\d{2})/(?P<service>[^/]+)/tc3_request, "
    r"SignedHeaders=(?P<signed>[a-z0-9;-]+), Signature=(?P<sig>[0-9a-f]{64})$"
)
_LEGACY_DIGESTS = {"HmacSHA256": hashlib.sha256, "HmacSHA1": hashlib.sha1}


@dataclass(frozen=True)
class Verifier:
    secret_id: str
    secret_key: str
    clock: Callable[[], float]

    def authenticate(self, req: WireRequest) -> ApiCall:
        """Verify the request's signature and return the decoded call."""
        if is_legacy(req):
            return self._legacy(req)
        return self._tc3(req)

    def _check_time(self, raw: str) -> None:
        try:
            stamp = int(raw)
        except ValueError as exc:
            raise ApiError("AuthFailure.InvalidAuthorization", "Timestamp is invalid.") from exc
        if abs(self.clock() - stamp) > MAX_SKEW_SECONDS:
            raise ApiError("AuthFailure.SignatureExpire")

    def _check_id(self, secret_id: str) -> None:
        if not hmac.compare_digest(secret_id, self.secret_id):
            raise ApiError("AuthFailure.SecretIdNotFound")

    def _tc3(self, req: WireRequest) -> ApiCall:
        match = _TC3.match(req.header("Authorization"))
        if match is None:
            raise ApiError("AuthFailure.InvalidAuthorization")
        self._check_id(match["id"])
        timestamp = req.header("X-TC-Timestamp")
        self._check_time(timestamp)
        expected = tc3_signature(req, self.secret_key, match["date"], match["service"], match["signed"])
        if not hmac.compare_digest(expected, match["sig"]):
            raise ApiError("AuthFailure.SignatureFailure")
        return tc3_call(req, match["service"])

    def _legacy(self, req: WireRequest) -> ApiCall:
        fields = dict(form_pairs(req))
        if "Signature" not in fields or "SecretId" not in fields:
            raise ApiError("AuthFailure.InvalidAuthorization", "Missing Authorization or Signature.")
        self._check_id(fields["SecretId"])
        self._check_time(fields.get("Timestamp", ""))
        digest = _LEGACY_DIGESTS.get(fields.get("SignatureMethod", "HmacSHA1"))
        if digest is None:
            raise ApiError("AuthFailure.SignatureFailure")
        text = legacy_string_to_sign(req.method, req.header("Host"), fields)
        mac = hmac.new(self.secret_key.encode(), text.encode(), digest).digest()
        if not hmac.compare_digest(base64.b64encode(mac).decode(), fields["Signature"]):
            raise ApiError("AuthFailure.SignatureFailure")
        return legacy_call(req)


def _sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _hmac(key: bytes, msg: str) -> bytes:
    return hmac.new(key, msg.encode(), hashlib.sha256).digest()


def tc3_signature(req: WireRequest, secret_key: str, date: str, service: str, signed: str) -> str:
    """Hex TC3 signature of ``req`` as the SDK computes it."""
    header_lines = "".join(f"{name}:{req.header(name)}\n" for name in signed.split(";"))
    if req.header("X-TC-Content-SHA256") == "UNSIGNED-PAYLOAD":
        payload_hash = _sha256_hex(b"UNSIGNED-PAYLOAD")
    else:
        payload_hash = _sha256_hex(req.body if req.method != "GET" else b"")
    query = req.query if req.method == "GET" else ""
    canonical = f"{req.method}\n/\n{query}\n{header_lines}\n{signed}\n{payload_hash}"
    scope = f"{date}/{service}/tc3_request"
    timestamp = req.header("X-TC-Timestamp")
    to_sign = f"TC3-HMAC-SHA256\n{timestamp}\n{scope}\n{_sha256_hex(canonical.encode())}"
    key = _hmac(_hmac(_hmac(("TC3" + secret_key).encode(), date), service), "tc3_request")
    return hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest()


def legacy_string_to_sign(method: str, host: str, fields: dict[str, str]) -> str:
    items = {k.replace("_", "."): v for k, v in fields.items() if k != "Signature"}
    return f"{method}{host}/?" + "&".join(f"{k}={items[k]}" for k in sorted(items))


def utc_date(timestamp: float) -> str:
    return datetime.fromtimestamp(timestamp, tz=timezone.utc).strftime("%Y-%m-%d")
