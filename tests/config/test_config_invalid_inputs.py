"""Invalid inputs: every problem is reported with its exact path, a plain-words message and its line.

Each row is a specification: the snippet is written under ``inputs:`` (after ``src: ./src`` on line 4,
so the snippet's first line is line 5) — or, for rows starting with ``--inputs``, given on the
command line, where there is no line to point at.
"""

from __future__ import annotations

import shlex
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from component.config.overrides import extract_input_overrides
from component.config.project import load_project
from component.config.validate import TRAFFIC_AND_RULES
from component.errors import ConfigError, Problem

MakeProject = Callable[..., Path]


@dataclass(frozen=True)
class Contains:
    """Expect a message containing this text (for messages that list long enumerations)."""

    text: str


Expected = tuple[str, "str | Contains", "int | None"]
LOOKS_LIKE_DURATION = "must be a duration: seconds as a number, or a string like '500ms', '30s', '5m', '1h'"
FUNCTION_NAME = "must be 2-60 characters: a letter first, then letters, digits, _ or -, not ending in _ or -"
ALIAS_NAME = "must be '$DEFAULT' or a name of 1-64 letters, digits, _ or -, starting with a letter"
NAMED_ALIAS = "rules need a named alias: set aliasName (e.g. prepub), not $DEFAULT"
MEMORY = "must be 64 or a multiple of 128 between 128 and 3072"
SYNC_TIMEOUT = "must be at most 900 unless asyncRunEnable is true (then up to 86400)"
RULE = "aliasName: prepub\nrules:\n  - {key: invoke.headers.User, method: exact, expression: Bob}\n"

CASES: list[tuple[str, list[Expected]]] = [
    # --- basics ------------------------------------------------------------------------------------
    ("trafic: 0.1", [("inputs.trafic", "unknown input 'trafic'", 5)]),
    ("traffic: 1.5", [("inputs.traffic", "must be a number between 0 and 1, got 1.5", 5)]),
    ("traffic: -0.1", [("inputs.traffic", "must be a number between 0 and 1, got -0.1", 5)]),
    ("traffic: high", [("inputs.traffic", "must be a number, got 'high'", 5)]),
    ("runtime: Python3.8", [("inputs.runtime", Contains("must be one of Python2.7, Python3.6"), 5)]),
    ("runtime: Golang1", [("inputs.runtime", Contains("(got 'Golang1')"), 5)]),
    ("type: http", [("inputs.type", "must be one of event, web (got 'http')", 5)]),
    ("name: 1abc", [("inputs.name", f"{FUNCTION_NAME}, got '1abc'", 5)]),
    ("name: a", [("inputs.name", f"{FUNCTION_NAME}, got 'a'", 5)]),
    ("name: abc-", [("inputs.name", f"{FUNCTION_NAME}, got 'abc-'", 5)]),
    ("region: Guangzhou", [("inputs.region", "must be a region id like 'ap-guangzhou', got 'Guangzhou'", 5)]),
    ("memorySize: 100", [("inputs.memorySize", f"{MEMORY}, got 100", 5)]),
    ("memorySize: 4096", [("inputs.memorySize", f"{MEMORY}, got 4096", 5)]),
    ("memorySize: 512MB", [("inputs.memorySize", "must be an integer, got '512MB'", 5)]),
    ("timeout: 0", [("inputs.timeout", "must be an integer between 1 and 86400, got 0", 5)]),
    ("timeout: 901", [("inputs.timeout", f"{SYNC_TIMEOUT}, got 901", 5)]),
    ("timeout: 901\nasyncRunEnable: false", [("inputs.timeout", f"{SYNC_TIMEOUT}, got 901", 5)]),
    (
        "timeout: 86401\nasyncRunEnable: true",
        [("inputs.timeout", "must be an integer between 1 and 86400, got 86401", 5)],
    ),
    ("initTimeout: 1", [("inputs.initTimeout", "must be an integer between 3 and 300, got 1", 5)]),
    ("description: " + "x" * 1001, [("inputs.description", "must be at most 1000 characters long", 5)]),
    ("eip: 'yes'", [("inputs.eip", "must be a boolean, got 'yes'", 5)]),
    ("publish: 1", [("inputs.publish", "must be a boolean, got 1", 5)]),
    ("msgTTL: 10", [("inputs.msgTTL", "must be an integer between 60 and 21600, got 10", 5)]),
    ("protocolType: HTTP", [("inputs.protocolType", "must be WS (got 'HTTP')", 5)]),
    # --- nested objects ----------------------------------------------------------------------------
    (
        "environment:\n  variables:\n    A: [1]",
        [("inputs.environment.variables.A", "must be a string, number or boolean, got a list", 7)],
    ),
    (
        "environment:\n  variables:\n    1X: a",
        [
            (
                "inputs.environment.variables.1X",
                "must be a variable name of letters, digits or _, not starting with a digit, got '1X'",
                7,
            )
        ],
    ),
    ("environment:\n  variabels: {}", [("inputs.environment.variabels", "unknown key 'variabels'", 6)]),
    ("vpcConfig:\n  vpcId: vpc-1", [("inputs.vpcConfig.subnetId", "is required", 5)]),
    ("layers:\n  - name: deps", [("inputs.layers[0].version", "is required", 6)]),
    ("layers:\n  - name: deps\n    version: 0", [("inputs.layers[0].version", "must be at least 1, got 0", 7)]),
    ("tags: {team: [a]}", [("inputs.tags.team", "must be a string, number or boolean, got a list", 5)]),
    (
        "cfs:\n  - cfsId: cfs-1",
        [
            ("inputs.cfs[0].localMountDir", "is required", 6),
            ("inputs.cfs[0].mountInsId", "is required", 6),
            ("inputs.cfs[0].remoteMountDir", "is required", 6),
        ],
    ),
    (
        "image: {imageType: public, imageUrl: x}",
        [("inputs.image.imageType", "must be one of personal, enterprise (got 'public')", 5)],
    ),
    # --- aliases and weights -----------------------------------------------------------------------
    ("aliasName: 9release", [("inputs.aliasName", f"{ALIAS_NAME}, got '9release'", 5)]),
    ("aliasName: $LATEST", [("inputs.aliasName", f"{ALIAS_NAME}, got '$LATEST'", 5)]),
    (
        "additionalVersionWeights:\n  - version: 2\n    weight: 1.5",
        [("inputs.additionalVersionWeights[0].weight", "must be a number between 0 and 1, got 1.5", 7)],
    ),
    (
        "additionalVersionWeights:\n  - {version: 2, weight: 0.5}\n  - {version: 3, weight: 0.2}",
        [("inputs.additionalVersionWeights", "must have at most 1 item", 5)],
    ),
    (
        "aliasName: release\ntraffic: 0.5\nadditionalVersionWeights: [{version: 2, weight: 0.5}]",
        [("inputs.additionalVersionWeights", "traffic and additionalVersionWeights cannot be used together", 7)],
    ),
    # --- triggers ----------------------------------------------------------------------------------
    ("events:\n  - sqs: {parameters: {}}", [("inputs.events[0].sqs", "unknown trigger type 'sqs'", 6)]),
    ("events: {timer: {}}", [("inputs.events", "must be a list, got a mapping with timer", 5)]),
    (
        "events:\n  - timer:\n      parameters:\n        name: t",
        [("inputs.events[0].timer.parameters.cronExpression", "is required", 7)],
    ),
    (
        "events:\n  - timer: {parameters: {cronExpression: x}}\n    cos: {parameters: {bucket: b, events: e}}",
        [("inputs.events[0]", "must have at most 1 key, got 2 (cos, timer)", 6)],
    ),
    (
        "events:\n  - timer:\n      paramters: {cronExpression: x}",
        [
            ("inputs.events[0].timer.parameters", "is required", 6),
            ("inputs.events[0].timer.paramters", "unknown key 'paramters'", 7),
        ],
    ),
    (
        "events:\n  - apigw:\n      parameters:\n        endpoints:\n          - path: /\n            method: FETCH",
        [
            (
                "inputs.events[0].apigw.parameters.endpoints[0].method",
                "must be one of GET, POST, PUT, DELETE, HEAD, PATCH, OPTIONS, ANY (got 'FETCH')",
                10,
            )
        ],
    ),
    (
        "events:\n  - apigw:\n      parameters:\n        protocols: [ftp]",
        [("inputs.events[0].apigw.parameters.protocols[0]", "must be one of http, https (got 'ftp')", 8)],
    ),
    (
        "events:\n  - cos:\n      parameters:\n        bucket: b",
        [("inputs.events[0].cos.parameters.events", "is required", 7)],
    ),
    (
        "events:\n  - ckafka:\n      parameters: {name: c, topic: t, maxMsgNum: 0}",
        [("inputs.events[0].ckafka.parameters.maxMsgNum", "must be an integer between 1 and 10000, got 0", 7)],
    ),
    # --- rules -------------------------------------------------------------------------------------
    ("aliasName: prepub\nrules: []", [("inputs.rules", "must have at least 1 item", 6)]),
    (RULE.replace("aliasName: prepub\n", ""), [("inputs.rules", NAMED_ALIAS, 5)]),
    ("traffic: 0.1\n" + RULE, [("inputs.rules", TRAFFIC_AND_RULES, 7)]),
    (
        RULE.replace("invoke.headers.User", "headers.User"),
        [
            (
                "inputs.rules[0].key",
                "must look like 'invoke.headers.<Name>' (letters, digits, _ or -), got 'headers.User'",
                7,
            )
        ],
    ),
    (
        RULE.replace("exact", "regex"),
        [("inputs.rules[0].method", "must be one of exact, range (got 'regex')", 7)],
    ),
    (
        RULE.replace("exact, expression: Bob", "range, expression: 1-100"),
        [
            (
                "inputs.rules[0].expression",
                "must be an interval of integers like '[1,100]' or '(0,50)' for method range, got '1-100'",
                7,
            )
        ],
    ),
    (RULE.replace(", expression: Bob", ""), [("inputs.rules[0].expression", "is required", 7)]),
    # --- keepVersions and rollout ------------------------------------------------------------------
    ("keepVersions: 0", [("inputs.keepVersions", "must be at least 1, got 0", 5)]),
    ("keepVersions: 2.5", [("inputs.keepVersions", "must be an integer, got 2.5", 5)]),
    ("rollout: {}", [("inputs.rollout.steps", "is required", 5)]),
    ("rollout:\n  steps: []", [("inputs.rollout.steps", "must have at least 1 item", 6)]),
    (
        "rollout:\n  steps: [0.1, 1.5]",
        [("inputs.rollout.steps[1]", "must be a number greater than 0 and at most 1, got 1.5", 6)],
    ),
    (
        "rollout:\n  steps: [0]",
        [("inputs.rollout.steps[0]", "must be a number greater than 0 and at most 1, got 0", 6)],
    ),
    (
        "rollout:\n  steps: [0.5, 0.2]",
        [("inputs.rollout.steps[1]", "must be greater than the previous step (0.5)", 6)],
    ),
    (
        "rollout:\n  steps: [0.1]\n  interval: soon",
        [("inputs.rollout.interval", f"{LOOKS_LIKE_DURATION}, got 'soon'", 7)],
    ),
    (
        "rollout:\n  steps:\n    - {traffic: 0.1, pause: 10d}",
        [("inputs.rollout.steps[0].pause", f"{LOOKS_LIKE_DURATION}, got '10d'", 7)],
    ),
    (
        "rollout:\n  steps: [0.1]\n  analysis:\n    maxErrorRate: 5",
        [("inputs.rollout.analysis.maxErrorRate", "must be a number between 0 and 1, got 5", 8)],
    ),
    (
        "rollout:\n  steps: [0.1]\n  analysis:\n    metrics: [Latency]",
        [
            (
                "inputs.rollout.analysis.metrics[0]",
                "must be one of Invocation, Error, Duration (got 'Latency')",
                8,
            )
        ],
    ),
    (
        "rollout:\n  steps: [0.1]\n  analysis:\n    failureLimit: 0",
        [("inputs.rollout.analysis.failureLimit", "must be at least 1, got 0", 8)],
    ),
    (
        "rollout:\n  steps: [0.1]\n  hooks:\n    preStep:\n      - {command: ./check.sh, url: 'https://x'}",
        [
            (
                "inputs.rollout.hooks.preStep[0]",
                "must have exactly one of 'command' or 'url', got a mapping with command, url",
                9,
            )
        ],
    ),
    (
        "rollout:\n  steps: [0.1]\n  hooks:\n    postStep:\n      - {url: 'ftp://x'}",
        [("inputs.rollout.hooks.postStep[0].url", "must match the pattern ^https?://, got 'ftp://x'", 9)],
    ),
    (
        "rollout:\n  steps: [0.1]\n  hooks:\n    onStep: []",
        [("inputs.rollout.hooks.onStep", "unknown key 'onStep'", 8)],
    ),
    (
        "rollout:\n  steps: [0.1]\n  autoRollback: sometimes",
        [("inputs.rollout.autoRollback", "must be a boolean, got 'sometimes'", 7)],
    ),
    (
        RULE + "rollout:\n  steps: [0.1]",
        [("inputs.rollout", "rollout shifts traffic by weight and cannot be combined with rules", 8)],
    ),
    # --- several problems at once, in line order ---------------------------------------------------
    (
        "timeout: 0\ntrafic: 2\nmemorySize: 1",
        [
            ("inputs.timeout", "must be an integer between 1 and 86400, got 0", 5),
            ("inputs.trafic", "unknown input 'trafic'", 6),
            ("inputs.memorySize", f"{MEMORY}, got 1", 7),
        ],
    ),
    # --- command-line overrides: no line, the file is "--inputs" ----------------------------------
    ("--inputs traffic=2", [("inputs.traffic", "must be a number between 0 and 1, got 2", None)]),
    ("--inputs.trafic=0.1", [("inputs.trafic", "unknown input 'trafic'", None)]),
    ("--inputs publish=yes", [("inputs.publish", "must be a boolean, got 'yes'", None)]),
    ("--inputs memorySize=100", [("inputs.memorySize", f"{MEMORY}, got 100", None)]),
    (
        "--inputs.rollout.steps=0.5,0.2",
        [("inputs.rollout.steps[1]", "must be greater than the previous step (0.5)", None)],
    ),
]


def problems_for(make_project: MakeProject, snippet: str) -> list[Problem]:
    overrides: dict[str, Any] = {}
    if snippet.startswith("--inputs"):
        _, overrides = extract_input_overrides(shlex.split(snippet))
        snippet = ""
    root = make_project(snippet + "\n")
    with pytest.raises(ConfigError) as caught:
        load_project(root, overrides=overrides, environ={})
    return caught.value.problems


def matches(problem: Problem, expected: Expected) -> bool:
    path, message, line = expected
    text_ok = message.text in problem.message if isinstance(message, Contains) else problem.message == message
    return problem.path == path and text_ok and problem.line == line


@pytest.mark.parametrize(("snippet", "expected"), CASES, ids=[c[0].splitlines()[-1][:40] for c in CASES])
def test_invalid_input_is_reported_at_its_path_and_line(
    make_project: MakeProject, snippet: str, expected: list[Expected]
) -> None:
    problems = problems_for(make_project, snippet)
    shown = [(p.path, p.message, p.line) for p in problems]
    assert len(problems) == len(expected), shown
    for problem, want in zip(problems, expected, strict=True):
        assert matches(problem, want), (shown, want)
    source = "--inputs" if snippet.startswith("--inputs") else "serverless.yml"
    assert all(p.file.endswith(source) for p in problems)


def test_there_are_at_least_45_invalid_cases() -> None:
    assert len(CASES) >= 45


@pytest.mark.parametrize(
    ("snippet", "hint"),
    [
        ("trafic: 0.1", "did you mean 'traffic'?"),
        ("runtime: python3.9", "did you mean 'Python3.9'?"),
        ("runtime: Python3.8", "did you mean 'Python3.9'?"),
        ("enviroment: {}", "did you mean 'environment'?"),
        ("aliasname: release", "did you mean 'aliasName'?"),
        ("rollout:\n  step: [0.1]", "did you mean 'steps'?"),
        ("src2: x", "did you mean 'src'?"),
    ],
)
def test_unknown_keys_and_enum_values_get_a_did_you_mean_hint(
    make_project: MakeProject, snippet: str, hint: str
) -> None:
    problems = problems_for(make_project, snippet)
    assert hint in [p.hint for p in problems]


def test_message_reads_as_one_line_with_file_and_line(make_project: MakeProject) -> None:
    [problem] = problems_for(make_project, "trafic: 0.1")
    assert str(problem).endswith("serverless.yml:5: inputs.trafic: unknown input 'trafic' (did you mean 'traffic'?)")
