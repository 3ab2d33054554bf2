"""Trust a version's fingerprint only when its code is this deploy's code (issue #19 item 1).

``PublishVersion`` freezes whatever ``$LATEST`` holds at that moment. If another writer (a second CI
job, the console) updates the code between this deploy's ``UpdateFunctionCode`` and its
``PublishVersion``, the new version carries this deploy's fingerprint in its description and the other
writer's code. Before an alias moves to a version chosen by fingerprint, :class:`VerifyVersionCode`
reads the version's ``CodeSha256`` (``GetFunctionAddress`` with the version as qualifier) and compares
it with the package's sha256. On a mismatch the deploy stops (exit 3) before the alias step, so the
alias is untouched; the version whose fingerprint lies is deleted when no alias routes to it, so a
re-run publishes a fresh, true one instead of trusting it again.

Only zip packages can be checked (their sha256 is known locally); COS objects and images are not.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from component.cloud.api import ScfApi
from component.deploy.instructions import VerifyVersionCode
from component.deploy.waiter import failure_message
from component.errors import CloudError, FunctionStateError, ScfError
from component.progress import Progress
from component.qualifiers import LATEST


class VersionCodeMismatch(ScfError):
    """A version carries this deploy's fingerprint but holds other code: another writer raced us."""

    exit_code = 3


def verify_handlers(
    api: ScfApi,
    reporter: Progress,
    resolve: Callable[[str], str],
    prefetched: Callable[[str], Any],
    unpolled: Callable[[], bool],
) -> dict[type, Callable[[Any], None]]:
    """``prefetched("verify")``: the hash the wait before read together with its poll, else None.
    ``unpolled()``: whether this deploy's publication went out without a poll after its code update
    (``component.deploy.executor``); then a failed update looks the same as another writer."""

    def verify(step: VerifyVersionCode) -> None:
        version = resolve(step.version)
        found = prefetched("verify") or api.code_sha256(step.function, version)
        if found == step.sha256:
            return
        fate = _discard(api, step.function, version)
        _raise_if_update_failed(api, step.function, version, fate)
        origin = "was published by this deploy" if step.published else "carries this deploy's fingerprint"
        cause = UNPOLLED_CAUSE if step.published and unpolled() else RACE_CAUSE
        msg = (
            f"version {version} of {step.function} {origin} but holds other code (sha256 {found or 'unknown'}, "
            f"this deploy's is {step.sha256}): {cause}. The alias was not moved; {fate}. Check `scf info`, "
            "then re-run"
        )
        raise VersionCodeMismatch(msg)

    return {VerifyVersionCode: verify}


RACE_CAUSE = "another writer changed $LATEST between this deploy's code update and the publication"
UNPOLLED_CAUSE = (
    "$LATEST did not hold this deploy's code when it was published: the code update failed, or another writer "
    "replaced it (the publication was sent without a poll after the update, so a failure's reason was not seen; "
    "the next deploy waits for its update and shows the cloud's reason if it fails again)"
)


def _raise_if_update_failed(api: ScfApi, function: str, version: str, fate: str) -> None:
    """A failed code update leaves ``$LATEST`` with its old code, which a publication sent without a poll
    then froze: when the cloud still shows the failure, say so with its reason rather than blame a writer."""
    latest = api.get_function(function) or {}
    if str(latest.get("Status", "")).endswith("Failed"):
        msg = f"{failure_message(function, LATEST, latest)}; version {version} froze the code before it ({fate})"
        raise FunctionStateError(msg)


def _discard(api: ScfApi, function: str, version: str) -> str:
    """Delete the version whose fingerprint lies, unless an alias routes to it; say what happened."""
    from component.deploy.prune import referenced_versions

    try:
        if version in referenced_versions(api.list_aliases(function)):
            return f"version {version} is left in place because an alias routes to it"
        api.delete_version(function, version)
    except CloudError as exc:
        return f"version {version} could not be deleted ({exc.code}): delete it before re-running"
    return f"version {version} was deleted so that a re-run publishes a true one"
