"""``scf logs``: the function's logs from the log service (CLS ``SearchLog``), newest last.

Where the logs are comes from the function itself (GetFunction's ``ClsLogsetId``/``ClsTopicId``, as
the Node component's ``log`` reads them). The search is ``SCF_FunctionName`` and ``SCF_Namespace``,
plus ``SCF_Qualifier`` (a version) or ``SCF_Alias`` (an alias), ``SCF_RequestId`` and ``SCF_Level`` when
asked, over ``[now - since, now)``, paged with ``Context``. ``--follow`` searches again from the newest entry seen
every ``interval`` seconds (through the injected sleep) until interrupted.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from component.errors import FunctionStateError
from component.toolbox.target import Session
from component.tools import Tools

PAGE = 1000


@dataclass(frozen=True)
class LogQuery:
    qualifier: str | None = None  # a version (digits or $LATEST) or an alias name
    request_id: str | None = None
    since: float = 600.0  # seconds back from now
    level: str | None = None  # e.g. ERROR: "show me the errors of the 10 %"


@dataclass(frozen=True)
class LogEntry:
    time_ms: int
    request_id: str
    version: str
    alias: str
    level: str
    type: str
    message: str
    key: tuple[str, str, str]  # (TopicId, PkgId, PkgLogId): the same record seen twice while following

    def as_dict(self) -> dict[str, Any]:
        return {
            "time": stamp(self.time_ms), "timestamp": self.time_ms, "requestId": self.request_id,
            "version": self.version, "alias": self.alias, "level": self.level, "type": self.type,
            "message": self.message,
        }

    def line(self) -> str:
        return f"{stamp(self.time_ms)}  {self.request_id}  {self.version:>7}  {self.level:<5}  {self.message}"


def stamp(time_ms: int) -> str:
    moment = datetime.fromtimestamp(time_ms / 1000, tz=timezone.utc)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{time_ms % 1000:03d}Z"


def _is_version(qualifier: str) -> bool:
    return qualifier.isdigit() or qualifier == "$LATEST"


def _quoted(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


def query_text(session: Session, query: LogQuery) -> str:
    terms = [f"SCF_FunctionName:{_quoted(session.target.function)}",
             f"SCF_Namespace:{_quoted(session.target.namespace)}"]
    if query.qualifier:
        key = "SCF_Qualifier" if _is_version(query.qualifier) else "SCF_Alias"
        terms.append(f"{key}:{_quoted(query.qualifier)}")
    if query.request_id:
        terms.append(f"SCF_RequestId:{_quoted(query.request_id)}")
    if query.level:
        terms.append(f"SCF_Level:{_quoted(query.level)}")
    return " AND ".join(terms)


def topic_id(session: Session) -> str:
    body = session.api.get_function(session.target.function)
    if body is None:
        msg = f"function {session.target.function} (namespace {session.target.namespace}) does not exist"
        raise FunctionStateError(msg)
    topic = str(body.get("ClsTopicId") or "")
    if not topic:
        msg = f"function {session.target.function} ships no logs to CLS (GetFunction has no ClsTopicId)"
        raise FunctionStateError(msg)
    return topic


def _entry(row: dict[str, Any]) -> LogEntry:
    try:
        fields = json.loads(row.get("LogJson") or "{}")
    except ValueError:
        fields = {}
    fields = fields if isinstance(fields, dict) else {}
    return LogEntry(
        time_ms=int(row.get("Time") or 0),
        request_id=str(fields.get("SCF_RequestId", "")),
        version=str(fields.get("SCF_Qualifier", "")),
        alias=str(fields.get("SCF_Alias", "")),
        level=str(fields.get("SCF_Level") or "INFO"),
        type=str(fields.get("SCF_Type", "")),
        message=str(fields.get("SCF_Message", row.get("RawLog") or "")),
        key=(str(row.get("TopicId", "")), str(row.get("PkgId", "")), str(row.get("PkgLogId", ""))),
    )


def _pages(session: Session, topic: str, text: str, start_ms: int, end_ms: int) -> Iterator[LogEntry]:
    params: dict[str, Any] = {"TopicId": topic, "From": start_ms, "To": end_ms, "Query": text, "SyntaxRule": 1,
                              "Limit": PAGE, "Sort": "asc"}
    while True:
        body = session.call("cls", "SearchLog", params)
        yield from (_entry(row) for row in body.get("Results") or [])
        context = body.get("Context")
        if body.get("ListOver", True) or not context:
            return
        params = {**params, "Context": context}


def search(session: Session, query: LogQuery, tools: Tools) -> list[LogEntry]:
    """Every matching entry of the last ``query.since`` seconds, oldest first."""
    end = int(tools.wall() * 1000) + 1
    entries = list(_pages(session, topic_id(session), query_text(session, query), end - int(query.since * 1000), end))
    return sorted(entries, key=lambda e: e.time_ms)


class _Seen:
    """Keys of the entries already shown, kept only as long as a search window can return them again."""

    def __init__(self) -> None:
        self._keys: dict[tuple[str, str, str], int] = {}

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def add(self, time_ms: int, key: tuple[str, str, str]) -> None:
        self._keys[key] = time_ms

    def forget_before(self, time_ms: int) -> None:
        self._keys = {k: t for k, t in self._keys.items() if t >= time_ms}


def follow(
    session: Session, query: LogQuery, tools: Tools, emit: Callable[[LogEntry], None], interval: float = 2.0
) -> None:
    """Emit the last ``since`` seconds, then new entries every ``interval`` seconds until interrupted."""
    topic, text = topic_id(session), query_text(session, query)
    start = int(tools.wall() * 1000) - int(query.since * 1000)
    seen = _Seen()
    while True:
        end = int(tools.wall() * 1000) + 1
        fresh = sorted((e for e in _pages(session, topic, text, start, end) if e.key not in seen),
                       key=lambda e: e.time_ms)
        for entry in fresh:
            seen.add(entry.time_ms, entry.key)
            emit(entry)
        start = max([start] + [e.time_ms for e in fresh])  # re-read the last millisecond: late records
        seen.forget_before(start)
        tools.sleep(interval)
