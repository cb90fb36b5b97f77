"""What each ``wat-tui`` command does once its arguments are parsed; output is plain text.

Names and lens text come from files and people: every piece of it is printed through :func:`_t`
(:func:`wat_tui.termtext.for_terminal` on one line), so an escape sequence prints as ``\\x1b`` instead of
clearing the screen or setting the clipboard, and a newline cannot add a row to a table.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wat_tui.errors import NotFound, WatError
from wat_tui.lens.builtin import BUILTIN_ALIASES, builtin_lens_path
from wat_tui.lens.loader import LensError, load_lens
from wat_tui.lens.risk import Risk
from wat_tui.review.durations import format_duration, parse_duration
from wat_tui.review.service import Review
from wat_tui.store.paths import DB_NAME
from wat_tui.termtext import for_terminal, write_stdout


def _t(text: object) -> str:
    """Text from a file or a person, for one line of terminal output."""
    return for_terminal(str(text), single_line=True)


def _out(text: str = "") -> None:
    write_stdout(text + "\n")


def _table(rows: list[list[str]]) -> None:
    """Columns padded to their widest cell; every cell is cleaned, so each row stays one line."""
    rows = [[_t(c) for c in r] for r in rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    for r in rows:
        _out("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())


def cmd_new(args: argparse.Namespace, data: Path) -> int:
    from wat_tui.review.workload_types import presets

    minutes = parse_duration(args.duration)
    presets().workload_type(args.workload_type)
    participants = []
    for item in args.participant:
        name, _, role = item.partition(":")
        if not name.strip():
            raise WatError(f"participant {item!r}: expected NAME:ROLE")
        participants.append((name.strip(), role.strip() or "Other"))
    if not args.name.strip():
        raise WatError("a session needs a name")
    lenses = args.lenses or ["wellarchitected"]
    if not (data / DB_NAME).exists():
        # Bad input must not leave a new database behind: without one, only built-in lenses can exist.
        for alias in lenses:
            if builtin_lens_path(alias) is None:
                raise NotFound(f"no lens with alias {alias!r}; known lenses: {', '.join(BUILTIN_ALIASES)}")
    review = Review.open(data)
    sid = review.create_session(
        args.name, workload=args.workload, workload_type=args.workload_type, planned_minutes=minutes,
        lenses=lenses, participants=participants,
    )
    _out(sid)
    return 0


def cmd_list(args: argparse.Namespace, data: Path) -> int:
    review = Review.open(data)
    sessions = review.list_sessions()
    if not sessions:
        _out("No sessions yet. Create one with 'wat-tui new NAME' or try 'wat-tui demo'.")
        return 0
    rows = [["ID", "NAME", "WORKLOAD TYPE", "CREATED", "ANSWERED", "HIGH", "MEDIUM"]]
    for s in sessions:
        rows.append([s.id[:8], s.name, s.workload_type, s.created_at[:16].replace("T", " "),
                     f"{s.answered}/{s.total}", str(s.high), str(s.medium)])
    _table(rows)
    return 0


def lens(args: argparse.Namespace, data: Path) -> int:
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
    if parsed.alias in BUILTIN_ALIASES:
        raise WatError(f"{args.file}: alias {parsed.alias!r} belongs to a built-in lens; choose another with --alias")
    review = Review.open(data)
    stored, new = review.import_lens(args.file, parsed.alias)
    for w in parsed.warnings:
        print(f"wat-tui: warning: {_t(args.file)}: {_t(w)}", file=sys.stderr)
    state = "stored" if new else "already stored, unchanged"
    _out(f"{_t(stored.alias)} revision {stored.revision} (version {_t(stored.version)}): {state}; "
         f"{stored.pillar_count} pillars, {stored.question_count} questions; sha256 {stored.content_hash[:12]}")
    return 0


def lens_list(data: Path) -> int:
    review = Review.open(data)
    rows = [["ALIAS", "NAME", "VERSION", "PILLARS", "QUESTIONS", "ORIGIN"]]
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
    _table(rows)
    return 0


def lens_show(args: argparse.Namespace, data: Path) -> int:
    if not (data / DB_NAME).exists() and builtin_lens_path(args.alias) is None:
        # Bad input must not leave a new database behind: without one, only built-in lenses can exist.
        raise NotFound(f"no lens with alias {args.alias!r}; known lenses: {', '.join(BUILTIN_ALIASES)}")
    review = Review.open(data)
    stored = review.lens_for_alias(args.alias)
    lens_ = review.lenses.load(stored.content_hash)
    _out(f"{_t(lens_.name)} ({_t(lens_.alias)}, version {_t(lens_.version)})")
    for pillar in lens_.pillars:
        _out(f"  {_t(pillar.name)} [{_t(pillar.id)}]: {len(pillar.questions)} questions")
        for q in pillar.questions:
            _out(f"    {_t(q.label):<10} {_t(q.title)}")
            practices = [c for c in q.choices if not c.is_none_choice]
            _out(f"               {len(practices)} practices" + (" + None of these" if q.none_choice else ""))
    return 0


def demo_session(data: Path) -> tuple[Review, str]:
    from wat_tui.review.demo import ensure_demo

    review = Review.open(data)
    return review, ensure_demo(review)


def cmd_demo(args: argparse.Namespace, data: Path) -> int:
    review, sid = demo_session(data)
    if args.print_only:
        print_summary(review, sid)
        return 0
    review.close()
    return _run_app(data, sid)


def print_summary(review: Review, sid: str) -> None:
    st = review.state(sid)
    counts = st.counts()
    _out(f"{_t(st.name)}: {_t(st.workload)} ({_t(st.workload_type)}, "
         f"planned {format_duration(st.planned_minutes)})")
    _out(f"Lenses: {', '.join(f'{_t(lens_.name)} {_t(lens_.version)}' for lens_ in st.lenses)}")
    _out(f"Answered {st.answered}/{st.total_questions}: {counts[Risk.HIGH]} high, "
         f"{counts[Risk.MEDIUM]} medium, {counts[Risk.NONE]} no risk, "
         f"{counts[Risk.NOT_APPLICABLE]} not applicable")
    _out(f"Participants: {', '.join(f'{_t(p.name)} ({_t(p.role)})' for p in st.participants)}")
    _out(f"Notes: {len(st.notes)}; action items: {len(st.actions)}")


def cmd_open(args: argparse.Namespace, data: Path) -> int:
    sid = None
    if args.session:
        if not (data / DB_NAME).exists():  # a mistyped command must not create a database
            raise NotFound(f"no session matches {args.session!r}; 'wat-tui list' shows them")
        review = Review.open(data)
        sid = review.find_session(args.session)
        review.close()
    return _run_app(data, sid)


def _run_app(data: Path, sid: str | None) -> int:
    from wat_tui.ui.app import run_app

    return run_app(data, sid)


__all__ = ["cmd_demo", "cmd_list", "cmd_new", "cmd_open", "lens"]
