"""The lenses, presets and guides that ship with wat-tui, under the project's ``content/`` folder."""

from __future__ import annotations

from pathlib import Path

_PACKAGED = Path(__file__).resolve().parent.parent / "_content"
#: A built wheel carries content/ inside the package; a checkout (and an editable install) reads it in place.
CONTENT_DIR = _PACKAGED if _PACKAGED.is_dir() else Path(__file__).resolve().parent.parent.parent / "content"
LENS_DIR = CONTENT_DIR / "lenses"
GUIDE_DIR = CONTENT_DIR / "guides"
WORKLOAD_TYPES_FILE = CONTENT_DIR / "workload-types.toml"

#: Built-in lens aliases, in the order a new session offers them. Our Serverless and SaaS lenses have practices
#: and ids of their own, so they have aliases of their own: the AWS Well-Architected Tool's ``serverless`` and
#: ``saas`` are different lenses (``wat_tui/exchange/aws.py`` maps onto those only where the ids agree).
BUILTIN_ALIASES = ("wellarchitected", "wat-serverless", "wat-saas")
#: The aliases our own lenses had before they had their own: sessions and bundles of earlier versions name them.
#: They still resolve to the same content (``content/lenses/<old alias>.json``), so those sessions open, report
#: and merge, and an old command line (``--lens serverless``) still works; new sessions are offered the new ones.
#: They are never the tool's lenses of the same name.
LEGACY_ALIASES = {"serverless": "wat-serverless", "saas": "wat-saas"}


def builtin_lens_path(alias: str) -> Path | None:
    path = LENS_DIR / f"{alias}.json"
    return path if (alias in BUILTIN_ALIASES or alias in LEGACY_ALIASES) and path.exists() else None


def is_our_own(alias: str) -> bool:
    """A lens of wat-tui's own making under this alias (new or legacy), whose ids are not the tool's."""
    return alias in LEGACY_ALIASES or alias in LEGACY_ALIASES.values()


def tool_alias_of_our_own(alias: str) -> str | None:
    """The AWS Well-Architected Tool lens our own lens ``alias`` stands beside (``wat-serverless`` and the legacy
    ``serverless`` both -> ``serverless``); None for any other lens."""
    for old, new in LEGACY_ALIASES.items():
        if alias in (old, new):
            return old
    return None


def guide_paths() -> list[Path]:
    return sorted(GUIDE_DIR.glob("*.md"))
