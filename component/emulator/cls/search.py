"""CLS (log service, 2020-10-16) ``SearchLog`` over the logs of the invocations the emulator ran.

Every invocation's log is cut into one CLS record per line, the way SCF ships function logs to CLS:
``LogJson`` carries the ``SCF_*`` fields of SCF's log index (``SCF_FunctionName``, ``SCF_Namespace``,
``SCF_RequestId``, ``SCF_Qualifier`` (the version that ran), ``SCF_Alias``, ``SCF_Level``,
``SCF_Message``, ``SCF_Type`` ``Platform``/``Custom``, ``SCF_StartTime``, ``SCF_LogTime``,
``SCF_Duration``, ``SCF_MemUsage``, ``SCF_StatusCode``, ``SCF_RetryNum``). A function without its own
``ClsTopicId`` logs to its namespace's default topic, which GetFunction reports.

``SearchLog`` answers the SDK's ``SearchLogResponse`` field for field: ``Results`` (``LogInfo``:
``Time`` ms, ``TopicId``, ``TopicName``, ``Source``, ``FileName``, ``PkgId``, ``PkgLogId``,
``HighLights``, ``LogJson``, ``HostName``, ``RawLog``, ``IndexStatus``, ``TimeNanos``), ``Context``, ``ListOver``,
``Analysis``, ``ColNames``, ``AnalysisResults``, ``AnalysisRecords``, ``Columns``, ``SamplingRate``.
The query language is the subset a function-log search needs: ``*``, ``KEY:VALUE`` terms (value
quoted or not, ``*``/``?`` wildcards) and bare words (full text of ``SCF_Message``) joined by ``AND``;
SQL (``|``), ``OR`` and ``NOT`` answer ``FailedOperation.SyntaxError``.
"""

from __future__ import annotations

import fnmatch
import json
import re
import threading
import uuid
from dataclasses import dataclass
from typing import Any

from component.emulator.core.errors import ApiError
from component.emulator.core.params import Params, opt_int, opt_str
from component.emulator.scf.store import DEFAULT_REGION, ScfStore

CLS_VERSION = "2020-10-16"
MAX_RECORDS = 5_000  # the state file is rewritten after every mutating call: keep it small
MAX_LIMIT = 1000
_PLATFORM = re.compile(r"^(START|END|Report|Event|ERROR) RequestId:")
_LEVEL = re.compile(r"^\[?(DEBUG|INFO|WARN|WARNING|ERROR|CRITICAL|FATAL)\]?\b")
_TERM = re.compile(r'^(?P<key>[A-Za-z_][\w.]*):(?P<value>"[^"]*"|\S+)$')


def default_topic(namespace: str) -> tuple[str, str]:
    """(logset id, topic id) of the namespace's default SCF log topic."""
    logset = uuid.uuid5(uuid.NAMESPACE_URL, f"scf-emulator/cls/logset/{namespace}")
    topic = uuid.uuid5(uuid.NAMESPACE_URL, f"scf-emulator/cls/topic/{namespace}")
    return str(logset), str(topic)


@dataclass(frozen=True)
class InvocationLog:
    """What one invocation leaves in CLS (a line per record)."""

    region: str
    topic: str
    namespace: str
    function: str
    version: str
    alias: str | None
    request_id: str
    end_ms: int
    duration_ms: float
    memory_mb: int
    status_code: int
    failed: bool
    text: str
    error: str


def _level(line: str, platform: bool, in_traceback: bool) -> str:
    if platform:
        return "ERROR" if line.startswith("ERROR") else "INFO"
    found = _LEVEL.match(line)
    if found:
        level = found.group(1)
        return {"WARNING": "WARN", "CRITICAL": "ERROR", "FATAL": "ERROR"}.get(level, level)
    return "ERROR" if in_traceback else "INFO"


def _lines(log: InvocationLog) -> list[str]:
    lines = [line for line in log.text.splitlines() if line.strip()]
    if log.failed:
        lines.insert(-2 if len(lines) >= 2 else len(lines), f"ERROR RequestId: {log.request_id} Result: {log.error}")
    return lines


def records_of(log: InvocationLog) -> list[dict[str, Any]]:
    pkg = uuid.uuid4().hex.upper()
    out = []
    in_traceback = False  # a failed invocation's traceback, up to the next platform line, is at level ERROR
    lines = _lines(log)
    for index, line in enumerate(lines):
        stamp = log.end_ms - (len(lines) - 1 - index)  # one ms apart, the last one when the invocation ended
        platform = bool(_PLATFORM.match(line))
        in_traceback = not platform and (in_traceback or (log.failed and line.startswith("Traceback")))
        fields = {
            "SCF_FunctionName": log.function, "SCF_Namespace": log.namespace,
            "SCF_StartTime": log.end_ms - int(log.duration_ms), "SCF_LogTime": stamp, "SCF_RequestId": log.request_id,
            "SCF_Duration": round(log.duration_ms, 3), "SCF_Alias": log.alias or "", "SCF_Qualifier": log.version,
            "SCF_MemUsage": float(log.memory_mb), "SCF_Level": _level(line, platform, in_traceback),
            "SCF_Message": line, "SCF_Type": "Platform" if platform else "Custom",
            "SCF_StatusCode": log.status_code, "SCF_RetryNum": 0,
        }
        out.append({"region": log.region, "topic": log.topic, "time": stamp, "pkg": pkg,
                    "seq": index, "fields": fields})
    return out


class ClsStore:
    """Every log record, oldest first, capped at MAX_RECORDS (the oldest are dropped)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._records: list[dict[str, Any]] = []

    def add(self, log: InvocationLog) -> None:
        with self._lock:
            self._records.extend(records_of(log))
            del self._records[:-MAX_RECORDS]

    def select(self, region: str, topic: str, start: int, end: int) -> list[dict[str, Any]]:
        with self._lock:
            return [r for r in self._records
                    if (r["region"], r["topic"]) == (region, topic) and start <= r["time"] < end]

    def topics(self, region: str) -> set[str]:
        with self._lock:
            return {r["topic"] for r in self._records if r["region"] == region}

    def clear(self) -> None:
        with self._lock:
            self._records.clear()

    def dump(self) -> list[dict[str, Any]]:
        with self._lock:
            return list(self._records)

    def load(self, rows: list[dict[str, Any]]) -> None:
        with self._lock:
            self._records = list(rows)[-MAX_RECORDS:]


def _syntax_error(query: str) -> ApiError:
    return ApiError("FailedOperation.SyntaxError",
                    f"syntax error in {query!r}: the emulator accepts *, KEY:VALUE and words joined by AND")


def _matcher(term: str, query: str) -> Any:
    found = _TERM.match(term)
    if found is None:
        if not re.fullmatch(r'"[^"]*"|[^\s:"()]+', term):
            raise _syntax_error(query)
        word = term.strip('"').lower()
        return lambda fields: word in str(fields.get("SCF_Message", "")).lower()
    key, value = found["key"], found["value"].strip('"')
    return lambda fields: key in fields and fnmatch.fnmatchcase(str(fields[key]), value)


def parse_query(query: str) -> list[Any]:
    text = query.strip()
    if text in ("", "*"):
        return []
    if "|" in text or re.search(r"\s(OR|NOT)\s|^NOT\s", text, re.IGNORECASE):
        raise _syntax_error(query)
    return [_matcher(term.strip(), query) for term in re.split(r"\s+AND\s+", text, flags=re.IGNORECASE)]


def _log_info(record: dict[str, Any], topic_name: str) -> dict[str, Any]:
    return {
        "Time": record["time"], "TopicId": record["topic"], "TopicName": topic_name, "Source": "127.0.0.1",
        "FileName": "", "PkgId": record["pkg"], "PkgLogId": str(record["seq"]), "HighLights": [],
        "LogJson": json.dumps(record["fields"], ensure_ascii=False), "HostName": "scf-emulator", "RawLog": "",
        "IndexStatus": "", "TimeNanos": record["time"] * 1_000_000,
    }


def _window(params: Params) -> tuple[int, int]:
    if params.get("From") is None or params.get("To") is None:
        raise ApiError("MissingParameter", "缺少参数错误。From and To are required.")
    start, end = opt_int(params, "From", 0), opt_int(params, "To", 0)
    if start > end:
        raise ApiError("InvalidParameter", "参数错误。From must not be later than To.")
    return start, end


def _offset(params: Params) -> int:
    context = opt_str(params, "Context", "")
    if not context:
        return opt_int(params, "Offset", 0)
    try:
        return int(context.removeprefix("emu-"))
    except ValueError:
        raise ApiError("InvalidParameter", "参数错误。Context is not one this service returned.") from None


def search_records(store: ClsStore, region: str, known_topics: set[str], params: Params) -> dict[str, Any]:
    topic = opt_str(params, "TopicId", "")
    if not topic:
        raise ApiError("MissingParameter", "缺少参数错误。TopicId is required.")
    if topic not in known_topics:
        raise ApiError("ResourceNotFound.TopicNotExist", "日志主题不存在。")
    start, end = _window(params)
    query = opt_str(params, "QueryString", "") or opt_str(params, "Query", "")
    matchers = parse_query(query)
    limit = opt_int(params, "Limit", 100)
    if not 1 <= limit <= MAX_LIMIT:
        raise ApiError("InvalidParameter", f"参数错误。Limit must be 1 to {MAX_LIMIT}.")
    rows = [r for r in store.select(region, topic, start, end) if all(m(r["fields"]) for m in matchers)]
    rows.sort(key=lambda r: (r["time"], r["seq"]), reverse=opt_str(params, "Sort", "desc") != "asc")
    offset = _offset(params)
    page = rows[offset:offset + limit]
    over = offset + limit >= len(rows)
    return {
        "Context": "" if over else f"emu-{offset + limit}", "ListOver": over, "Analysis": False,
        "Results": [_log_info(r, "SCF_logtopic") for r in page], "ColNames": [], "AnalysisResults": [],
        "AnalysisRecords": [], "Columns": [], "SamplingRate": 1.0,
    }


def topic_of(namespace: str, extra: dict[str, Any]) -> str:
    """The topic a function logs to: its own ``ClsTopicId``, else its namespace's default."""
    return str(extra.get("ClsTopicId") or default_topic(namespace)[1])


def cls_view(namespace: str, view: dict[str, Any]) -> dict[str, str]:
    """GetFunction's ``ClsLogsetId``/``ClsTopicId``: the function's own, else the default topic's."""
    if view.get("ClsTopicId"):
        return {}
    logset, topic = default_topic(namespace)
    return {"ClsLogsetId": logset, "ClsTopicId": topic}


def search_log(store: ScfStore, region: str, params: Params) -> dict[str, Any]:
    region = region or DEFAULT_REGION
    with store.lock:
        known = store.cls_logs.topics(region)
        for ns in store.region(region).values():
            known.add(default_topic(ns.name)[1])
            known.update(topic_of(ns.name, fn.latest.extra) for fn in ns.functions.values())
    return search_records(store.cls_logs, region, known, params)
