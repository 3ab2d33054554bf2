"""``scf init [TEMPLATE] [DIR]``: start a project from a template shipped in the wheel.

Templates live in ``templates/init/<name>/`` (listed, in order, with a one-line description in
``templates/init/templates.json``). A file ending in ``.j2`` is rendered with jinja2 (``name``, ``app``,
``region``) and written without the suffix; any other file is copied as is. Without arguments the
templates are listed; a non-empty folder is refused (exit 2) unless ``--force``.
"""

from __future__ import annotations

import argparse
import json
import re
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any

from component.errors import UsageError
from component.resources import data_dir

if TYPE_CHECKING:
    from component.tools import Tools

REGION = "ap-guangzhou"


def _root() -> Path:
    return data_dir("templates") / "init"


def catalogue() -> dict[str, str]:
    loaded: dict[str, str] = json.loads((_root() / "templates.json").read_text(encoding="utf-8"))
    return loaded


def template_names() -> list[str]:
    return list(catalogue())


def instance_name(directory: Path) -> str:
    """A valid instance/app name from the folder's name: lower case, letters, digits and dashes."""
    text = re.sub(r"[^a-z0-9-]+", "-", directory.resolve().name.lower()).strip("-")
    if not text or not text[0].isalpha():
        text = f"app-{text}".rstrip("-")
    return text[:20].rstrip("-")


def render_into(template: str, target: Path, context: dict[str, Any]) -> list[Path]:
    import jinja2

    source = _root() / template
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(source)), keep_trailing_newline=True,
                             undefined=jinja2.StrictUndefined, autoescape=False)
    written = []
    for path in sorted(p for p in source.rglob("*") if p.is_file()):
        relative = path.relative_to(source)
        out = target / (relative.with_suffix("") if path.suffix == ".j2" else relative)
        out.parent.mkdir(parents=True, exist_ok=True)
        if path.suffix == ".j2":
            out.write_text(env.get_template(relative.as_posix()).render(**context), encoding="utf-8")
        else:
            shutil.copyfile(path, out)
        out.chmod(path.stat().st_mode & 0o777)
        written.append(out)
    return written


def _listing(tools: Tools) -> int:
    entries = catalogue()
    if tools.reporter.json_mode:
        tools.reporter.write(json.dumps([{"name": k, "description": v} for k, v in entries.items()], indent=2))
        return 0
    width = max(len(name) for name in entries)
    lines = [f"  {name.ljust(width)}  {text}" for name, text in entries.items()]
    tools.reporter.write("\n".join(["templates (scf init TEMPLATE [DIR]):", *lines]))
    return 0


def run_init(args: argparse.Namespace, tools: Tools) -> int:
    if args.template is None:
        return _listing(tools)
    entries = catalogue()
    if args.template not in entries:
        msg = f"unknown template {args.template!r}; choose one of: {', '.join(entries)} (scf init lists them)"
        raise UsageError(msg)
    target = Path(args.directory or args.template).expanduser()
    if target.exists() and not target.is_dir():
        raise UsageError(f"{target} exists and is not a folder")
    if target.is_dir() and any(target.iterdir()) and not args.force:
        raise UsageError(f"{target} is not empty: choose another folder or pass --force to write into it")
    name = instance_name(target)
    written = render_into(args.template, target, {"name": name, "app": name, "region": REGION})
    if tools.reporter.json_mode:
        document = {"template": args.template, "directory": str(target), "files": [str(p) for p in written]}
        tools.reporter.write(json.dumps(document, indent=2))
        return 0
    tools.reporter.write("\n".join([f"created {p}" for p in written] + [
        "", f"next: scf deploy --local --target {target}   (drop --local to deploy to Tencent Cloud)"]))
    return 0
