"""Benchmark: build_package vs ``zip -qr`` on a 10,000-file / ~100 MB tree.

Usage: ``python benchmarks/packaging.py [--files N] [--megabytes M] [--runs R] [--out PATH]``

The tree mixes compressible text (about 70 % of the bytes, words from a small vocabulary) and
random bytes (incompressible, like images or compiled modules), spread over nested directories,
with some executables. Both tools read the same tree from a warm page cache; ``zip`` writes its
archive to a file in the same temporary directory, build_package keeps it in memory (what the
deployer does). Each tool is timed best of R runs. Two build_package runs must be byte-identical.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from collections.abc import Callable
from pathlib import Path

from figures import record

from component.deploy.packager import CodePackage, build_package

WORDS = [
    "function",
    "handler",
    "event",
    "context",
    "request",
    "response",
    "return",
    "const",
    "let",
    "var",
    "async",
    "await",
    "import",
    "export",
    "default",
    "module",
    "require",
    "self",
    "def",
    "class",
    "value",
    "error",
    "status",
    "code",
    "body",
    "headers",
    "json",
]


def generate_tree(root: Path, files: int, total_bytes: int, seed: int = 1234) -> int:
    """Write ``files`` files totalling about ``total_bytes``; returns the exact byte count."""
    rng = random.Random(seed)
    mean = total_bytes // files
    written = 0
    text_pool = " ".join(rng.choice(WORDS) for _ in range(400_000)).encode()
    for i in range(files):
        directory = root / f"pkg{i % 40:02d}" / f"mod{(i // 40) % 25:02d}"
        if i % 7 == 0:
            directory = directory / "deep" / f"level{i % 3}"
        directory.mkdir(parents=True, exist_ok=True)
        size = max(16, int(rng.expovariate(1 / mean)))
        size = min(size, 40 * mean)
        if i % 10 < 3:  # 30 % of the files: random bytes
            data = rng.randbytes(size)
            path = directory / f"blob{i:05d}.bin"
        else:
            start = rng.randrange(0, len(text_pool) - size) if size < len(text_pool) else 0
            data = text_pool[start : start + size]
            path = directory / f"file{i:05d}.js"
        path.write_bytes(data)
        if i % 50 == 0:
            path.chmod(0o755)
        written += len(data)
    return written


def best_of(runs: int, fn: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=10_000)
    parser.add_argument("--megabytes", type=int, default=100)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--out", type=Path, default=Path(__file__).parent / "results" / "packaging.md")
    args = parser.parse_args(argv)

    command = "python " + " ".join([Path(sys.argv[0]).as_posix(), *(argv or sys.argv[1:])])
    with tempfile.TemporaryDirectory(prefix="scf-pkg-bench-") as tmp:
        tree = Path(tmp) / "tree"
        tree.mkdir()
        t0 = time.perf_counter()
        total = generate_tree(tree, args.files, args.megabytes * 1_000_000)
        gen_s = time.perf_counter() - t0

        first: CodePackage = build_package(tree)  # also warms the page cache
        ours = best_of(args.runs, lambda: build_package(tree))
        second = build_package(tree)
        identical = first.zip_bytes == second.zip_bytes

        zip_bin = shutil.which("zip")
        zip_s: float | None = None
        zip_size: int | None = None
        if zip_bin:
            out = Path(tmp) / "out.zip"

            def run_zip() -> None:
                out.unlink(missing_ok=True)
                subprocess.run([zip_bin, "-qr", str(out), "."], cwd=tree, check=True)

            zip_s = best_of(args.runs, run_zip)
            zip_size = out.stat().st_size

    lines = [
        "# Packaging benchmark: build_package vs zip -qr",
        "",
        f"- Command: `{command}`",
        f"- Date: {dt.datetime.now(dt.timezone.utc).strftime('%Y-%m-%d %H:%M UTC')}",
        f"- Machine: {platform.platform()}, {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, zlib {zlib.ZLIB_RUNTIME_VERSION}",
        f"- Tree: {args.files} files, {total / 1e6:.1f} MB "
        f"(~70 % compressible text, ~30 % random bytes; generated in {gen_s:.1f} s)",
        f"- Timing: best of {args.runs}, warm page cache",
        "",
        "| Tool | Time (s) | Zip size (MB) | Ratio to zip |",
        "| --- | ---: | ---: | ---: |",
    ]
    if zip_s is not None and zip_size is not None:
        lines.append(f"| `zip -qr` (level 6, to a file) | {zip_s:.2f} | {zip_size / 1e6:.1f} | 1.00 |")
        lines.append(
            f"| `build_package` (level 6, in memory) | {ours:.2f} | {first.size / 1e6:.1f} | {ours / zip_s:.2f} |"
        )
    else:
        lines.append(f"| `build_package` (level 6, in memory) | {ours:.2f} | {first.size / 1e6:.1f} | n/a |")
        lines.append("")
        lines.append("`zip` is not installed (`apt-get install -y zip`); no comparison made.")
    lines += [
        "",
        f"- Two build_package runs byte-identical: {'yes' if identical else 'NO'} (sha256 {first.sha256})",
        "- Goal: build_package ≤ 1.2× zip: "
        + ("n/a" if zip_s is None else ("met" if ours <= 1.2 * zip_s else "NOT met")),
    ]
    report = "\n".join(lines) + "\n"
    print(report)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(report)
    ratio = "n/a (zip not installed)" if zip_s is None else f"{ours / zip_s:.2f}×"
    record("packaging", [
        {"what": f"packaging {args.files:,} files / {args.megabytes} MB vs `zip -qr`",
         "figure": f"{ratio}, byte-identical on two runs: {'yes' if identical else 'no'}",
         "goal": "≤ 1.2×", "met": zip_s is not None and ours <= 1.2 * zip_s and identical},
    ], args.out.parent)
    return 0 if identical else 1


if __name__ == "__main__":
    raise SystemExit(main())
