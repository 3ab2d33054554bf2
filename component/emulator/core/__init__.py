"""The emulator's core, shared by every service: HTTP server, request decoding, signatures, the request
pipeline, the ``{"Response": ...}`` envelope, errors, faults, request log, state persistence, configuration
and the published-API contract."""
