"""Fuzz targets (Hypothesis) for the two parsers that read untrusted bytes: the project loader and the
emulator's request parser. Deterministic (``derandomize``, no example database) and small
(``max_examples``) so that CI runs them in a few seconds on every push.

* Loader: whatever bytes ``serverless.yml`` and ``.env`` hold, ``load_project`` returns a project or
  raises a :class:`~component.errors.ScfError` (exit 2 with the file named) — never another
  exception, which the CLI would show as a traceback.
* Emulator: whatever a correctly signed TC3 request carries (action, JSON body, raw bytes, a GET
  query) or an unsigned one, ``RequestPipeline.handle`` answers HTTP 200 with the API envelope
  (``Response.RequestId``, and ``Response.Error.Code`` when it refuses), never raises, and the state
  can still be saved afterwards (no poisoned value).
"""

from __future__ import annotations

import contextlib
import json
import string
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from component.config.project import load_project
from component.emulator import DEFAULT_SECRET_ID, DEFAULT_SECRET_KEY, EmulatorConfig, EmulatorServer
from component.emulator.core.auth import tc3_signature, utc_date
from component.emulator.core.wire import WireRequest
from component.errors import ScfError

BUDGET = settings(
    max_examples=60, derandomize=True, deadline=None, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

# --- the loader -----------------------------------------------------------------------------------

INPUT_KEYS = ["src", "name", "runtime", "handler", "memorySize", "timeout", "traffic", "aliasName", "publish",
              "environment", "events", "exclude", "rollout", "rules", "layers", "tags", "type", "vpcConfig"]
scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20),
                    st.sampled_from(["${env:X}", "${output:a.b}", "${self:x}", "../..", "$LATEST", "!!binary"]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=12)
documents = st.fixed_dictionaries(
    {"component": st.sampled_from(["scf", "tencent-scf", "x"]), "name": st.text(max_size=12)},
    optional={"stage": scalars, "app": scalars, "inputs": st.dictionaries(st.sampled_from(INPUT_KEYS), values)},
)


def _load(yml: bytes, env: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "src").mkdir()
        (root / "serverless.yml").write_bytes(yml)
        (root / ".env").write_bytes(env)
        with contextlib.suppress(ScfError):
            load_project(root, environ={})


@BUDGET
@given(st.binary(max_size=300), st.binary(max_size=60))
def test_the_loader_survives_any_bytes(yml: bytes, env: bytes) -> None:
    _load(yml, env)


@BUDGET
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=300))
def test_the_loader_survives_any_text(text: str) -> None:
    _load(text.encode("utf-8", "surrogatepass"), b"")


@BUDGET
@given(documents, st.text(alphabet=string.printable, max_size=60))
def test_the_loader_survives_any_document_shape(document: dict[str, Any], env: str) -> None:
    _load(yaml.safe_dump(document, allow_unicode=True).encode("utf-8", "surrogatepass"), env.encode())


# --- the emulator's request parser ----------------------------------------------------------------

NOW = 1_780_000_000
ACTIONS = ["CreateFunction", "UpdateFunctionCode", "UpdateFunctionConfiguration", "GetFunction", "DeleteFunction",
           "PublishVersion", "ListVersionByFunction", "CreateAlias", "UpdateAlias", "GetAlias", "ListAliases",
           "DeleteAlias", "GetFunctionAddress", "CreateTrigger", "DeleteTrigger", "ListTriggers", "ListFunctions",
           "CreateNamespace", "GetMonitorData", "Nope"]
PARAM_KEYS = ["FunctionName", "Namespace", "Qualifier", "Name", "FunctionVersion", "Description", "Handler",
              "Runtime", "MemorySize", "Environment", "RoutingConfig", "Code", "ZipFile", "Type", "TriggerName",
              "TriggerDesc", "Enable", "Offset", "Limit", "Variables"]
json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=16)),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=10,
)
params = st.dictionaries(st.sampled_from(PARAM_KEYS) | st.text(max_size=6), json_values, max_size=5)
bodies = st.one_of(params.map(lambda p: json.dumps(p).encode()), st.binary(max_size=200),
                   st.text(max_size=100).map(lambda t: t.encode("utf-8", "surrogatepass")))


def signed(action: str, body: bytes, *, method: str = "POST", query: str = "", service: str = "scf") -> WireRequest:
    headers = {"host": "scf.tencentcloudapi.com", "content-type": "application/json", "x-tc-action": action,
               "x-tc-timestamp": str(NOW), "x-tc-version": "2018-04-16", "x-tc-region": "ap-guangzhou"}
    req = WireRequest(method, query, headers, body)
    date = utc_date(NOW)
    signature = tc3_signature(req, DEFAULT_SECRET_KEY, date, service, "content-type;host")
    headers["authorization"] = (f"TC3-HMAC-SHA256 Credential={DEFAULT_SECRET_ID}/{date}/{service}/tc3_request, "
                                f"SignedHeaders=content-type;host, Signature={signature}")
    return req


@pytest.fixture(scope="module")
def emulator() -> Iterator[EmulatorServer]:
    """One emulator for the module (not started: the request pipeline is driven directly, without sockets)."""
    server = EmulatorServer(EmulatorConfig(auth_clock=lambda: NOW, status_delay=0.0, seed=1))
    yield server
    server.backend.close()


def _answer(server: EmulatorServer, req: WireRequest) -> dict[str, Any]:
    reply = server.pipeline.handle(req)
    assert reply is not None and reply.status == 200
    body = json.loads(reply.body)
    response = body["Response"]
    assert isinstance(response["RequestId"], str)
    if "Error" in response:
        assert isinstance(response["Error"]["Code"], str) and response["Error"]["Code"]
    server.pipeline.save()  # never poisoned: whatever was stored can be written back
    json.dumps(server.request_log())
    return dict(response)


@BUDGET
@given(st.sampled_from(ACTIONS) | st.text(max_size=12), bodies)
@example(action="GetFunction", body=b'{"FunctionName": "\\udcff"}')  # a lone surrogate (#19 item 6)
def test_the_emulator_answers_any_signed_body(emulator: EmulatorServer, action: str, body: bytes) -> None:
    _answer(emulator, signed(action, body))


@BUDGET
@given(st.sampled_from(ACTIONS), st.lists(st.tuples(st.sampled_from([*PARAM_KEYS, "A.0.B", "A.1", "A..B", "0"]),
                                                      st.text(max_size=10)), max_size=5))
@example(action="CreateFunction", pairs=[("0", "")])  # found by this target: a list, not an object
def test_the_emulator_answers_any_signed_query(
    emulator: EmulatorServer, action: str, pairs: list[tuple[str, str]]
) -> None:
    _answer(emulator, signed(action, b"", method="GET", query=urlencode(pairs)))


@BUDGET
@given(st.dictionaries(st.text(max_size=20), st.text(max_size=40), max_size=6), st.binary(max_size=120),
       st.sampled_from(["GET", "POST"]))
@example(headers={}, body=b"\x80", method="POST")  # found by this target: not UTF-8, no signature
def test_the_emulator_refuses_any_unsigned_request(
    emulator: EmulatorServer, headers: dict[str, str], body: bytes, method: str
) -> None:
    lowered = {k.lower(): v for k, v in headers.items()}
    response = _answer(emulator, WireRequest(method, "", lowered, body))
    assert response["Error"]["Code"].startswith(("AuthFailure", "InvalidParameter", "MissingParameter"))
