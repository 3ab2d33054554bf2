"""One flat hierarchy of errors the tool raises on purpose.

Every error a user can cause or fix derives from :class:`ScfError` and carries the exit code the CLI
uses. Only the CLI decides how errors are shown: a ``ScfError`` is one clean line (plus detail lines
where a list of problems was found), anything else is a bug and gets a traceback.

Exit codes (documented in the README):

* 0 success
* 1 unexpected internal error (a bug: traceback printed)
* 2 bad input: serverless.yml, CLI arguments, missing credentials, code package too large
* 3 the cloud refused or failed: API error, function ended in a failed state, wait timed out
* 4 the deployed code failed: a rollout was rolled back, an invoked function raised
* 5 the cloud is done, but a local file (outputs, step summary) could not be written
* 130 interrupted (Ctrl-C)
"""

from __future__ import annotations

from dataclasses import dataclass


class ScfError(Exception):
    """Base of every error the tool raises deliberately."""

    exit_code = 1


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the user's input, located as precisely as we can."""

    path: str  # dotted input path such as ``inputs.traffic``; "" for the document itself
    message: str  # what was expected / what is wrong
    file: str = ""
    line: int | None = None
    hint: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where = f"{where}:{self.line}" if where else f"line {self.line}"
        head = f"{where}: " if where else ""
        field = f"{self.path}: " if self.path else ""
        tail = f" ({self.hint})" if self.hint else ""
        return f"{head}{field}{self.message}{tail}"


class ConfigError(ScfError):
    """serverless.yml or the command line is wrong; nothing was sent to the cloud."""

    exit_code = 2

    def __init__(self, problems: list[Problem] | Problem | str) -> None:
        if isinstance(problems, str):
            problems = [Problem(path="", message=problems)]
        elif isinstance(problems, Problem):
            problems = [problems]
        self.problems: list[Problem] = problems
        super().__init__(self._summary())

    def _summary(self) -> str:
        if len(self.problems) == 1:
            return str(self.problems[0])
        lines = [f"{len(self.problems)} problems in the configuration:"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


class UsageError(ScfError):
    """The command line itself is wrong (unknown flag, missing argument)."""

    exit_code = 2


class CredentialsError(ScfError):
    """No usable credentials were found and ``--local``/``--endpoint`` was not given."""

    exit_code = 2


class PackagingError(ScfError):
    """The code package cannot be built or is too large for the API."""

    exit_code = 2


class CloudError(ScfError):
    """The cloud API answered with an error (or could not be reached)."""

    exit_code = 3

    def __init__(self, action: str, code: str, message: str, request_id: str | None = None) -> None:
        self.action = action
        self.code = code
        self.message = message
        self.request_id = request_id
        rid = f" (RequestId {request_id})" if request_id else ""
        super().__init__(f"{action} failed: {code}: {message}{rid}")

    @property
    def not_found(self) -> bool:
        return self.code.startswith("ResourceNotFound")


class FunctionStateError(ScfError):
    """The function or a version ended in a failed state, or did not become Active in time."""

    exit_code = 3


class RolloutFailed(ScfError):
    """A progressive rollout was rolled back (or aborted); the message carries the reason."""

    exit_code = 4


class RolloutPaused(ScfError):
    """A progressive rollout stopped part-way for a human (too little traffic, or autoRollback off).

    Not a success: the cloud serves the step's split, not the new version. ``scf resume``, ``scf
    promote --full`` or ``scf abort`` finish it.
    """

    exit_code = 6


class InvocationFailed(ScfError):
    """An invoked function raised an error in user code."""

    exit_code = 4


class LocalWriteError(ScfError):
    """The command finished in the cloud, but a local file could not be written (exit 5).

    Raised only after the cloud was changed: the message says what is done there and which file
    (outputs, ``GITHUB_STEP_SUMMARY``) is missing and why, so a re-run is not needed for the cloud.
    """

    exit_code = 5
