"""CLS (2020-10-16): ``SearchLog`` over the logs of the invocations the emulator ran."""
