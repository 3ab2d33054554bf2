"""scf-component: deploy Tencent Cloud SCF functions from serverless.yml.

The package is split by role: ``config`` (load and validate what the user wrote), ``deploy`` (desired
state, plan, execute), ``cloud`` (the single adapter over the official Tencent Cloud SDK) and
``emulator`` (a fake of the cloud API that the tool reaches only over HTTP through that same SDK).
"""

__version__ = "0.1.0"
__all__ = ["__version__"]
