"""Load what the user wrote: ``serverless.yml`` + ``.env`` files + ``--inputs``, variables resolved,
validated against ``schemas/``; every problem located by file, line and field path (``project``)."""
