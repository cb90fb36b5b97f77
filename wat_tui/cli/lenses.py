"""``wat-tui lens import|list|show``: custom lenses, checked and stored; the stored and built-in ones listed."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wat_tui.cli.output import out, printable, table
from wat_tui.errors import NotFound, WatError
from wat_tui.lens.builtin import BUILTIN_ALIASES, LEGACY_ALIASES, builtin_lens_path
from wat_tui.lens.loader import LensError, load_lens
from wat_tui.review.service import Review
from wat_tui.store.paths import DB_NAME


def cmd_lens(args: argparse.Namespace, data: Path) -> int:
    if args.lens_command == "import":
        return lens_import(args, data)
    if args.lens_command == "list":
        return lens_list(data)
    return lens_show(args, data)


def lens_import(args: argparse.Namespace, data: Path) -> int:
    try:
        parsed = load_lens(args.file, args.alias)
    except LensError as exc:
        raise WatError(str(exc)) from exc
    if parsed.alias in BUILTIN_ALIASES or parsed.alias in LEGACY_ALIASES:
        raise WatError(f"{args.file}: alias {parsed.alias!r} belongs to a built-in lens; choose another with --alias")
    with Review.open(data) as review:
        stored, new = review.import_lens(args.file, parsed.alias)
    for w in parsed.warnings:
        print(f"wat-tui: warning: {printable(args.file)}: {printable(w)}", file=sys.stderr)
    state = "stored" if new else "already stored, unchanged"
    out(f"{printable(stored.alias)} revision {stored.revision} (version {printable(stored.version)}): {state}; "
        f"{stored.pillar_count} pillars, {stored.question_count} questions; sha256 {stored.content_hash[:12]}")
    return 0


def lens_list(data: Path) -> int:
    rows = [["ALIAS", "NAME", "VERSION", "PILLARS", "QUESTIONS", "ORIGIN"]]
    with Review.open(data) as review:
        stored = {s.alias: s for s in review.lenses.all_latest()}
    for alias in BUILTIN_ALIASES:
        if alias not in stored:
            path = builtin_lens_path(alias)
            if path is None:
                continue
            lens_ = load_lens(path, alias)
            rows.append([alias, lens_.name, lens_.version, str(len(lens_.pillars)), str(len(lens_.questions)),
                         "built-in"])
    for s in stored.values():
        rows.append([s.alias, s.name, f"{s.version} (rev {s.revision})", str(s.pillar_count),
                     str(s.question_count), "built-in" if s.origin == "builtin" else "imported"])
    table(rows)
    return 0


def lens_show(args: argparse.Namespace, data: Path) -> int:
    if not (data / DB_NAME).exists() and builtin_lens_path(args.alias) is None:
        # Bad input must not leave a new database behind: without one, only built-in lenses can exist.
        raise NotFound(f"no lens with alias {args.alias!r}; known lenses: {', '.join(BUILTIN_ALIASES)}")
    with Review.open(data) as review:
        stored = review.lens_for_alias(args.alias)
        lens_ = review.lenses.load(stored.content_hash)
    out(f"{printable(lens_.name)} ({printable(lens_.alias)}, version {printable(lens_.version)})")
    for pillar in lens_.pillars:
        out(f"  {printable(pillar.name)} [{printable(pillar.id)}]: {len(pillar.questions)} questions")
        for q in pillar.questions:
            out(f"    {printable(q.label):<10} {printable(q.title)}")
            practices = [c for c in q.choices if not c.is_none_choice]
            out(f"               {len(practices)} practices" + (" + None of these" if q.none_choice else ""))
    return 0
