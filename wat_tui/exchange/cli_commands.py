"""``wat-tui export`` and ``wat-tui merge``: plain-text output, one line per fact.

Names, notes and devices in a bundle were typed on someone else's laptop; everything from a file goes
through :func:`printable` (:func:`wat_tui.termtext.for_terminal` on one line), so a terminal escape prints
as ``\\x1b`` instead of recolouring or clearing the terminal. The output is never run through Rich, so
``[bold]`` is printed as the text it is.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from wat_tui.errors import NotFound, WatError
from wat_tui.exchange.bundle import write_bundle
from wat_tui.exchange.merge import MergeReport, merge_bundles, read_bundles
from wat_tui.review.service import Review
from wat_tui.store.paths import DB_NAME
from wat_tui.termtext import for_terminal, write_stdout


def printable(text: str) -> str:
    """Text safe for one line of a terminal: control, bidi and invisible characters written as escapes."""
    return for_terminal(text, single_line=True)


def _out(text: str = "") -> None:
    write_stdout(text + "\n")


def _open_existing(data: Path) -> Review:
    """The database, without creating one just to say that a session is not there."""
    if not (data / DB_NAME).exists():
        raise NotFound(f"no sessions yet in {data}; 'wat-tui new NAME' creates one")
    return Review.open(data)


def cmd_export(args: argparse.Namespace, data: Path) -> int:
    review = _open_existing(data)
    try:
        sid = review.find_session(args.session)
        doc = write_bundle(review, sid, Path(args.output))
        name = review.state(sid).name
    finally:
        review.close()
    counts = (len(doc["operations"]), len(doc["writers"]), len(doc["lenses"]))
    _out(f'Exported session "{printable(name)}" ({sid[:8]}) to {printable(str(args.output))}: {counts[0]} '
         f"operations by {counts[1]} writer(s), {counts[2]} lens version(s).")
    return 0


def cmd_merge(args: argparse.Namespace, data: Path) -> int:
    bundles = read_bundles(Path(f) for f in args.files)  # every file is checked before the database is opened
    fresh = not (data / DB_NAME).exists()
    review = Review.open(data)
    try:
        report = merge_bundles(review, bundles, args.into, apply=not args.dry_run)
    except WatError:
        review.close()
        if fresh:  # bad input leaves no trace: not even the empty database opened to check it against
            for suffix in ("", "-wal", "-shm"):
                (data / f"{DB_NAME}{suffix}").unlink(missing_ok=True)
        raise
    finally:
        review.close()
    print_report(report)
    return 0


def print_report(report: MergeReport) -> None:
    verb = "Merged" if report.applied else "Would merge"
    where = "new on this laptop" if report.created else "already on this laptop"
    files = len(report.files)
    plural = "s" if files != 1 else ""
    _out(f'{verb} {files} file{plural} into session "{printable(report.session_name)}" '
         f"({report.session_id[:8]}), {where}.")
    if report.writers:
        rows = [["WRITER", "DEVICE", "OPERATIONS", "ANSWERS", "NOTES", "ACTION ITEMS"]]
        rows += [[printable(w.name) or w.writer_id[:8], printable(w.device), str(w.operations),
                  str(w.answers), str(w.notes), str(w.actions)] for w in report.writers]
        widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
        for r in rows:
            _out("  ".join(c.ljust(wd) for c, wd in zip(r, widths, strict=True)).rstrip())
        _out(f"{report.operations} new operation(s); {report.already_here} already here.")
    else:
        _out(f"Nothing new: all {report.already_here} operation(s) were already here.")
    if report.lenses_added:
        _out(f"Lens versions stored: {', '.join(printable(x) for x in report.lenses_added)}.")
    if not report.conflicts:
        _out("No open conflicts.")
    else:
        _out(f"{len(report.conflicts)} open conflict(s), each kept with every value until someone decides:")
        for c in report.conflicts:
            _out(f"  {printable(c.label)}")
            for v in c.values:
                when = v.time.strftime("%Y-%m-%d %H:%M UTC")
                _out(f"    - {printable(v.author)} on {printable(v.device) or 'unknown device'}, {when}, "
                     f"from {printable(v.source)}: {printable(v.summary)}")
        _out("Resolve them on the app's Conflicts screen.")
    if not report.applied:
        _out("Nothing was changed (--dry-run).")
