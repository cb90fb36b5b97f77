"""``wat-tui export`` and ``wat-tui merge``: session bundles out and in, one line per fact.

Names, notes and devices in a bundle were typed on someone else's laptop: everything from a file is printed
through :func:`printable`, so a terminal escape prints as ``\\x1b`` instead of recolouring or clearing the terminal.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from wat_tui.cli.output import out, printable, table
from wat_tui.errors import NotFound, WatError
from wat_tui.exchange.bundle import write_bundle
from wat_tui.exchange.merge import MergeReport, merge_bundles, read_bundles
from wat_tui.review.service import Review
from wat_tui.store.paths import DB_NAME

__all__ = ["cmd_export", "cmd_merge", "print_report", "printable"]


def cmd_export(args: argparse.Namespace, data: Path) -> int:
    if not (data / DB_NAME).exists():  # do not create a database just to say that a session is not there
        raise NotFound(f"no sessions yet in {data}; 'wat-tui new NAME' creates one")
    with Review.open(data) as review:
        sid = review.find_session(args.session)
        doc = write_bundle(review, sid, Path(args.output))
        name = review.state(sid).name
    counts = (len(doc["operations"]), len(doc["writers"]), len(doc["lenses"]))
    out(f'Exported session "{printable(name)}" ({sid[:8]}) to {printable(str(args.output))}: {counts[0]} '
        f"operations by {counts[1]} writer(s), {counts[2]} lens version(s).")
    return 0


def cmd_merge(args: argparse.Namespace, data: Path) -> int:
    bundles = read_bundles(Path(f) for f in args.files)  # every file is checked before the database is opened
    fresh = not (data / DB_NAME).exists()
    try:
        with Review.open(data) as review:
            report = merge_bundles(review, bundles, args.into, apply=not args.dry_run)
    except WatError:
        if fresh:  # bad input leaves no trace: not even the empty database opened to check it against
            for suffix in ("", "-wal", "-shm"):
                (data / f"{DB_NAME}{suffix}").unlink(missing_ok=True)
        raise
    print_report(report)
    return 0


def print_report(report: MergeReport) -> None:
    verb = "Merged" if report.applied else "Would merge"
    where = "new on this laptop" if report.created else "already on this laptop"
    files = len(report.files)
    plural = "s" if files != 1 else ""
    out(f'{verb} {files} file{plural} into session "{printable(report.session_name)}" '
        f"({report.session_id[:8]}), {where}.")
    if report.writers:
        rows = [["WRITER", "DEVICE", "OPERATIONS", "ANSWERS", "NOTES", "ACTION ITEMS"]]
        rows += [[w.name or w.writer_id[:8], w.device, str(w.operations), str(w.answers), str(w.notes),
                  str(w.actions)] for w in report.writers]
        table(rows)
        out(f"{report.operations} new operation(s); {report.already_here} already here.")
    else:
        out(f"Nothing new: all {report.already_here} operation(s) were already here.")
    if report.lenses_added:
        out(f"Lens versions stored: {', '.join(printable(x) for x in report.lenses_added)}.")
    if not report.conflicts:
        out("No open conflicts.")
    else:
        out(f"{len(report.conflicts)} open conflict(s), each kept with every value until someone decides:")
        for c in report.conflicts:
            out(f"  {printable(c.label)}")
            for v in c.values:
                when = v.time.strftime("%Y-%m-%d %H:%M UTC")
                out(f"    - {printable(v.author)} on {printable(v.device) or 'unknown device'}, {when}, "
                    f"from {printable(v.source)}: {printable(v.summary)}")
        out("Resolve them on the app's Conflicts screen.")
    if not report.applied:
        out("Nothing was changed (--dry-run).")
