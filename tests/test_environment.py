"""The environment the tests run in is the pinned one: snapshots depend on Textual's exact output."""

from __future__ import annotations

import re
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def pins() -> dict[str, str]:
    out = {}
    for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines():
        m = re.fullmatch(r"([A-Za-z0-9_.-]+)==([^\s;]+)", line.strip())
        if m:
            out[m.group(1).lower().replace("_", "-")] = m.group(2)
    return out


def test_every_dependency_is_pinned_and_installed_at_its_pin() -> None:
    pinned = pins()
    wanted = ["textual", "rich", "sqlmodel", "sqlalchemy", "alembic", "platformdirs", "markdown-it-py",
              "pytest", "pytest-textual-snapshot", "hypothesis", "ruff", "mypy"]
    for name in wanted:
        assert name in pinned, f"constraints.txt does not pin {name}"
        assert metadata.version(name) == pinned[name], (
            f"{name} {metadata.version(name)} is installed but constraints.txt pins {pinned[name]}: run 'make test' "
            "(it reinstalls from constraints.txt) or 'make lock' to move the pins")
