"""``python -m component.emulator [flags]``: same as ``scf emulator``."""

from component.emulator.cli import run_emulator_cli

raise SystemExit(run_emulator_cli())
