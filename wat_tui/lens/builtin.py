"""The lenses, presets and guides that ship with wat-tui, under the project's ``content/`` folder."""

from __future__ import annotations

from pathlib import Path

_PACKAGED = Path(__file__).resolve().parent.parent / "_content"
#: A built wheel carries content/ inside the package; a checkout (and an editable install) reads it in place.
CONTENT_DIR = _PACKAGED if _PACKAGED.is_dir() else Path(__file__).resolve().parent.parent.parent / "content"
LENS_DIR = CONTENT_DIR / "lenses"
GUIDE_DIR = CONTENT_DIR / "guides"
WORKLOAD_TYPES_FILE = CONTENT_DIR / "workload-types.toml"

#: Built-in lens aliases, in the order a new session offers them.
BUILTIN_ALIASES = ("wellarchitected", "serverless", "saas")


def builtin_lens_path(alias: str) -> Path | None:
    path = LENS_DIR / f"{alias}.json"
    return path if alias in BUILTIN_ALIASES and path.exists() else None


def guide_paths() -> list[Path]:
    return sorted(GUIDE_DIR.glob("*.md"))
