"""The README's measured figures are exactly what the benchmarks wrote (``benchmarks/figures.py``)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent


def load_figures() -> ModuleType:
    spec = importlib.util.spec_from_file_location("figures", ROOT / "benchmarks" / "figures.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_readme_table_is_generated_from_the_result_files() -> None:
    figures = load_figures()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert figures.render(readme) == readme, "run: python benchmarks/figures.py"


def test_every_result_file_contributes_rows() -> None:
    figures = load_figures()
    for name in figures.ORDER:
        assert (ROOT / "benchmarks" / "results" / f"{name}.figures.json").exists(), name


def test_a_row_renders_met_or_missed_and_names_its_file(tmp_path: Path) -> None:
    figures = load_figures()
    figures.record("polling", [{"what": "w", "figure": "1", "goal": "≤ 2", "met": True}], tmp_path)
    figures.record("startup", [{"what": "s", "figure": "0.3 s", "goal": "≤ 0.15 s", "met": False}], tmp_path)
    assert figures.table(tmp_path).splitlines()[2:] == [
        "| w | 1 | ≤ 2 | met | `polling.md` |",
        "| s | 0.3 s | ≤ 0.15 s | **missed** | `startup.md` |",
    ]
    with pytest.raises(ValueError, match="lacks"):
        figures.record("x", [{"what": "no figure"}], tmp_path)
