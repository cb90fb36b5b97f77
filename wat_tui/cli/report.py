"""``wat-tui report SESSION [--format md|html] [-o FILE] [--include-private]``.

The report is dated with the session's own date (not today's), so running the command twice, on any day,
writes the same bytes. Without ``--format``, an output file ending in ``.html`` or ``.htm`` gets HTML and
anything else Markdown. A file is created readable by its owner only, like the database: a report lists
security weaknesses.

To a pipe or a file the report is written byte for byte. To a terminal it goes through
:func:`wat_tui.termtext.for_terminal` first, so nothing in it (a name, a note, lens text) can act on the
terminal instead of being read.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wat_tui.errors import NotFound, WatError
from wat_tui.exchange.document import render_report, write_report
from wat_tui.review.service import Review
from wat_tui.store.paths import DB_NAME
from wat_tui.termtext import for_terminal, write_stdout


def report_format(requested: str | None, output: Path | None) -> str:
    if requested:
        return requested
    if output is not None and output.suffix.lower() in (".html", ".htm"):
        return "html"
    return "md"


def cmd_report(args: argparse.Namespace, data: Path) -> int:
    output: Path | None = args.output
    fmt = report_format(args.format, output)
    if output is not None and output.is_dir():
        raise WatError(f"{output}: is a directory; give a file name for the report")
    if not (data / DB_NAME).exists():  # a fresh machine has no sessions; do not create a database to say so
        raise NotFound(f"no session matches {args.session!r}; 'wat-tui list' shows them")
    with Review.open(data) as review:
        sid = review.find_session(args.session)
        content = render_report(review, sid, fmt, include_private=args.include_private)
    if output is None:
        write_stdout(for_terminal(content) if sys.stdout.isatty() else content)
        return 0
    write_report(output, content)
    return 0
