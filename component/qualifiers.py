"""The two qualifiers SCF gives every function: the default alias and the editable version."""

DEFAULT_ALIAS = "$DEFAULT"  # the alias un-aliased triggers and invocations use
LATEST = "$LATEST"  # the editable, unpublished version
