"""The emulator's default key pair, in a module that imports nothing.

The tool signs ``--endpoint`` requests with it (``component.connect``) and must not load the emulator
for that (#17 start-up: the tool imports nothing from the emulator except to start it).
"""

DEFAULT_SECRET_ID = "AKID-scf-emulator-local-key-pair"  # visibly fake: never a real key
DEFAULT_SECRET_KEY = "scfemulatorsecretkey00000000000000"
