"""Bad input never reaches the cloud: the real CLI against the emulator, one row per mistake.

Every row is a deploy (or another command) that must fail with exit code 2 and an error that names
where the mistake is (the serverless.yml file, ``--inputs`` or the flag), the exact input path and
what was expected, as one line or as a list of problems. The emulator's request log must stay empty:
not even a read is sent before the input is known to be good.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import Cloud
from tests.reliability.conftest import HEAD, make_project, run_exact

YML = "serverless.yml"  # "the project's serverless.yml" (the absolute path is checked)
RULE = "aliasName: prepub\nrules:\n  - {key: invoke.headers.User, method: exact, expression: Bob}\n"
MEMORY = "must be 64 or a multiple of 128 between 128 and 3072"
FUNCTION_NAME = "must be 2-60 characters: a letter first"


@dataclass(frozen=True)
class Bad:
    """One bad input: what is written or typed, and what the error must say."""

    inputs: str = ""  # written under ``inputs:`` after ``src: ./src``
    path: str = ""  # the input path the message must name
    expect: str = ""  # the expectation the message must state
    where: str = YML  # the file or flag the message must name
    argv: tuple[str, ...] = ()  # extra command-line arguments
    command: str = "deploy"
    document: str | None = None  # a whole serverless.yml instead of HEAD + inputs
    setup: Callable[[Path], None] | None = None  # extra files in the project


def big_random_file(mib: int) -> Callable[[Path], None]:
    def write(root: Path) -> None:
        (root / "src" / "blob.bin").write_bytes(os.urandom(mib * 2**20))

    return write


def no_serverless_yml(root: Path) -> None:
    (root / "serverless.yml").unlink()


CORPUS: dict[str, Bad] = {
    # --- types and ranges ----------------------------------------------------------------------
    "traffic above 1": Bad("traffic: 1.5\n", "inputs.traffic", "must be a number between 0 and 1, got 1.5"),
    "traffic below 0": Bad("traffic: -0.1\n", "inputs.traffic", "must be a number between 0 and 1, got -0.1"),
    "traffic as a word": Bad("traffic: high\n", "inputs.traffic", "must be a number, got 'high'"),
    "memory not a step": Bad("memorySize: 100\n", "inputs.memorySize", f"{MEMORY}, got 100"),
    "memory too big": Bad("memorySize: 4096\n", "inputs.memorySize", f"{MEMORY}, got 4096"),
    "memory with a unit": Bad("memorySize: 512MB\n", "inputs.memorySize", "must be an integer, got '512MB'"),
    "timeout zero": Bad("timeout: 0\n", "inputs.timeout", "must be an integer between 1 and 86400, got 0"),
    "timeout too long": Bad("timeout: 901\n", "inputs.timeout", "must be at most 900 unless asyncRunEnable is true"),
    "init timeout too short": Bad("initTimeout: 1\n", "inputs.initTimeout", "between 3 and 300, got 1"),
    "description too long": Bad("description: " + "x" * 1001 + "\n", "inputs.description",
                                "must be at most 1000 characters long"),
    "eip as a string": Bad("eip: 'yes'\n", "inputs.eip", "must be a boolean, got 'yes'"),
    "publish as a number": Bad("publish: 1\n", "inputs.publish", "must be a boolean, got 1"),
    "msgTTL too short": Bad("msgTTL: 10\n", "inputs.msgTTL", "must be an integer between 60 and 21600, got 10"),
    "unknown runtime": Bad("runtime: Python3.8\n", "inputs.runtime", "must be one of Python2.7, Python3.6"),
    "unknown type": Bad("type: http\n", "inputs.type", "must be one of event, web (got 'http')"),
    "region not an id": Bad("region: Guangzhou\n", "inputs.region", "must be a region id like 'ap-guangzhou'"),
    "env value a list": Bad("environment:\n  variables:\n    A: [1]\n", "inputs.environment.variables.A",
                            "must be a string, number or boolean, got a list"),
    "env name with a digit first": Bad("environment:\n  variables:\n    1X: a\n",
                                       "inputs.environment.variables.1X", "must be a variable name"),
    "keepVersions zero": Bad("keepVersions: 0\n", "inputs.keepVersions", "must be at least 1, got 0"),
    "keepVersions fractional": Bad("keepVersions: 2.5\n", "inputs.keepVersions", "must be an integer, got 2.5"),
    "protocolType": Bad("protocolType: HTTP\n", "inputs.protocolType", "must be WS (got 'HTTP')"),
    # --- unknown keys --------------------------------------------------------------------------
    "misspelt input": Bad("trafic: 0.1\n", "inputs.trafic", "unknown input 'trafic'"),
    "unknown hook": Bad("rollout:\n  steps: [0.1]\n  hooks:\n    onStep: []\n", "inputs.rollout.hooks.onStep",
                        "unknown key 'onStep'"),
    "unknown top-level key": Bad(document="component: scf\nname: a\nprovider: tencent\ninputs: {src: ./src}\n",
                                 path="provider", expect="unknown top-level key"),
    "input instead of inputs": Bad(document="component: scf\nname: a\ninput:\n  src: ./src\n", path="input",
                                   expect="unknown top-level key 'input'"),
    # --- names ---------------------------------------------------------------------------------
    "name starts with a digit": Bad("name: 1abc\n", "inputs.name", FUNCTION_NAME),
    "name too short": Bad("name: a\n", "inputs.name", FUNCTION_NAME),
    "name ends with a dash": Bad("name: abc-\n", "inputs.name", FUNCTION_NAME),
    "name too long": Bad(f"name: a{'b' * 60}\n", "inputs.name", FUNCTION_NAME),
    "alias with a space": Bad("aliasName: 'pre pub'\n", "inputs.aliasName", "must be '$DEFAULT' or a name"),
    "alias starts with a digit": Bad("aliasName: 1st\n", "inputs.aliasName", "must be '$DEFAULT' or a name"),
    "component is not scf": Bad(document="component: express\nname: a\ninputs: {src: ./src}\n", path="component",
                                expect="deploys the scf component only"),
    "instance name missing": Bad(document="component: scf\ninputs: {src: ./src}\n", path="name",
                                 expect="is required"),
    "instance name a list": Bad(document="component: scf\nname: [a]\ninputs: {src: ./src}\n", path="name",
                                expect="must be a non-empty string, got list"),
    # --- weights and rules ---------------------------------------------------------------------
    "traffic and rules together": Bad("traffic: 0.1\n" + RULE, "inputs.rules", "traffic"),
    "rules on $DEFAULT": Bad(RULE.replace("aliasName: prepub\n", ""), "inputs.rules", "rules need a named alias"),
    "rules empty": Bad("aliasName: prepub\nrules: []\n", "inputs.rules", "must have at least 1 item"),
    "rule key not a header": Bad(RULE.replace("invoke.headers.User", "headers.User"), "inputs.rules[0].key",
                                 "must look like 'invoke.headers.<Name>'"),
    "rule method unknown": Bad(RULE.replace("exact", "regex"), "inputs.rules[0].method",
                               "must be one of exact, range (got 'regex')"),
    "rule range malformed": Bad(RULE.replace("exact, expression: Bob", "range, expression: 1-100"),
                                "inputs.rules[0].expression", "must be an interval of integers"),
    "rule without expression": Bad(RULE.replace(", expression: Bob", ""), "inputs.rules[0].expression",
                                   "is required"),
    "rollout with rules": Bad(RULE + "rollout:\n  steps: [0.1]\n", "inputs.rollout", "cannot be combined with rules"),
    "rollout steps empty": Bad("rollout:\n  steps: []\n", "inputs.rollout.steps", "must have at least 1 item"),
    "rollout step above 1": Bad("rollout:\n  steps: [0.1, 1.5]\n", "inputs.rollout.steps[1]",
                                "must be a number greater than 0 and at most 1, got 1.5"),
    "rollout steps decreasing": Bad("rollout:\n  steps: [0.5, 0.2]\n", "inputs.rollout.steps[1]",
                                    "must be greater than the previous step (0.5)"),
    "rollout interval": Bad("rollout:\n  steps: [0.1]\n  interval: soon\n", "inputs.rollout.interval",
                            "must be a duration"),
    "error rate above 1": Bad("rollout:\n  steps: [0.1]\n  analysis:\n    maxErrorRate: 5\n",
                              "inputs.rollout.analysis.maxErrorRate", "must be a number between 0 and 1, got 5"),
    # --- bad YAML ------------------------------------------------------------------------------
    "unclosed bracket": Bad(document=HEAD + "  traffic: [0.1\n", expect="not valid YAML"),
    "tab indentation": Bad(document="component: scf\nname: a\ninputs:\n\tsrc: ./src\n", expect="not valid YAML"),
    "bad indentation": Bad(document="component: scf\nname: a\ninputs:\n  src: ./src\n   bad: 1\n",
                           expect="not valid YAML"),
    "duplicate key": Bad(document=HEAD + "  src: ./other\n", path="inputs.src", expect="duplicate key 'src'"),
    "document is a list": Bad(document="- component: scf\n", expect="must be a mapping with component"),
    "inputs is a list": Bad(document="component: scf\nname: a\ninputs: [src]\n", path="inputs",
                            expect="must be a mapping of input names to values"),
    "no inputs": Bad(document="component: scf\nname: a\n", path="inputs", expect="needs 'src'"),
    "no serverless.yml": Bad(setup=no_serverless_yml, where="", expect="no serverless.yml found in"),
    # --- bad variables -------------------------------------------------------------------------
    "unset env variable": Bad("description: ${env:SCF_RELIABILITY_UNSET}\n", "inputs.description",
                              "environment variable 'SCF_RELIABILITY_UNSET' used in"),
    "self variable": Bad("description: ${self:custom.x}\n", "inputs.description",
                         "variable source 'self' is not supported"),
    "opt variable": Bad("description: ${opt:stage}\n", "inputs.description", "variable source 'opt' is not supported"),
    "file variable": Bad("description: ${file(./x.yml)}\n", "inputs.description",
                         "variable source 'file' is not supported"),
    "unknown variable": Bad("description: ${region}\n", "inputs.description", "unknown variable 'region'"),
    "unset variable in stage": Bad(document="component: scf\nname: a\ninputs: {src: ./src}\n"
                                   "stage: ${env:SCF_RELIABILITY_UNSET}\n", path="stage",
                                   expect="'SCF_RELIABILITY_UNSET'"),
    # --- several problems at once --------------------------------------------------------------
    "three problems": Bad("timeout: 0\ntrafic: 2\nmemorySize: 1\n", "inputs.memorySize", f"{MEMORY}, got 1"),
    # --- command-line overrides ----------------------------------------------------------------
    "override out of range": Bad(argv=("--inputs.traffic=2",), where="--inputs", path="inputs.traffic",
                                 expect="must be a number between 0 and 1, got 2"),
    "override misspelt": Bad(argv=("--inputs.trafic=0.1",), where="--inputs", path="inputs.trafic",
                             expect="unknown input 'trafic'"),
    "override wrong type": Bad(argv=("--inputs.memorySize=big",), where="--inputs", path="inputs.memorySize",
                               expect="must be an integer"),
    "override on info": Bad(command="info", argv=("--inputs.traffic=1",), where="--inputs",
                            expect="only accepted by deploy"),
    # --- command-line flags --------------------------------------------------------------------
    "endpoint with a scheme": Bad(argv=("--endpoint", "http://x"), where="--endpoint",
                                  expect="must be HOST:PORT without a scheme"),
    "endpoint without a port": Bad(argv=("--endpoint", "localhost"), where="--endpoint", expect="HOST:PORT"),
    "endpoint off loopback": Bad(argv=("--endpoint", "10.1.2.3:9000"), where="--endpoint",
                                 expect="must be on loopback"),
    "local and endpoint": Bad(argv=("--local", "--endpoint", "127.0.0.1:9"), where="--local",
                              expect="exclude each other"),
    "unknown flag": Bad(argv=("--bogus",), where="--bogus", expect="unrecognized arguments"),
    "unknown command": Bad(command="deplyo", where="deplyo", expect="invalid choice"),
    "prune keep not a number": Bad(command="prune", argv=("--keep", "many"), where="--keep",
                                   expect="invalid int value"),
    # --- code ----------------------------------------------------------------------------------
    "src folder missing": Bad(document="component: scf\nname: a\ninputs:\n  src: ./nowhere\n", where="nowhere",
                              path="inputs.src", expect="does not exist"),
    "code over the inline request limit": Bad(setup=big_random_file(8), where="app/src", path="inputs.src",
                                              expect="10 MiB request limit"),
}


def error_block(stderr: str) -> str:
    """The error as printed: from the ``error:`` line to the end (progress lines may come before it)."""
    lines = stderr.strip().splitlines()
    starts = [i for i, line in enumerate(lines) if line.startswith("error: ")]
    return "\n".join(lines[starts[0]:]) if starts else ""


def is_one_line_or_a_list(block: str) -> bool:
    lines = block.splitlines()
    if len(lines) == 1:
        return True
    return lines[0].endswith("problems in the configuration:") and all(x.startswith("  - ") for x in lines[1:])


@pytest.mark.parametrize("case", CORPUS.values(), ids=CORPUS.keys())
def test_bad_input_exits_2_with_where_what_and_no_api_call(cloud: Cloud, tmp_path: Path, case: Bad) -> None:
    root = make_project(tmp_path / "app", case.inputs, document=case.document)
    if case.setup is not None:
        case.setup(root)
    argv = [case.command, "--target", str(root), *case.argv]
    if "--endpoint" not in argv:
        argv += ["--endpoint", cloud.endpoint]
    run = run_exact(cloud, *argv)
    assert run.exit_code == 2, (run.exit_code, run.stderr)
    block = error_block(run.stderr)
    assert block and is_one_line_or_a_list(block), run.stderr
    where = str(root / YML) if case.where == YML else case.where
    assert where in block, block
    assert case.path in block, block
    assert case.expect in block, block
    assert cloud.calls() == [], "bad input must not reach the cloud"


def test_the_corpus_is_large_enough() -> None:
    assert len(CORPUS) >= 60
