"""``wat-tui prepare SESSION`` (the invitation pack) and ``wat-tui agenda SESSION`` (the agenda alone).

Both are Markdown for the facilitator to send or print before the workshop. ``--start`` gives the planned start
("2026-12-08 09:00", local time) so every block gets its times; without it the agenda shows durations only.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from wat_tui.errors import NotFound, WatError
from wat_tui.fileio import write_atomic
from wat_tui.review import timekeeping as tk
from wat_tui.review.preparation import agenda_markdown, invitation_pack
from wat_tui.review.service import Review
from wat_tui.review.workload_types import presets
from wat_tui.store.paths import DB_NAME
from wat_tui.termtext import for_terminal, write_stdout


def parse_start(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError as exc:
        raise WatError(f"--start {value!r}: expected a date and time such as '2026-12-08 09:00'") from exc
    return when if when.tzinfo is not None else when.astimezone()


def _emit(content: str, output: Path | None) -> int:
    if output is None:
        write_stdout(for_terminal(content) if sys.stdout.isatty() else content)
    else:
        write_atomic(output, content.encode("utf-8"), what="the document")
    return 0


def cmd_prepare(args: argparse.Namespace, data: Path) -> int:
    start = parse_start(args.start)
    if not (data / DB_NAME).exists():
        raise NotFound(f"no session matches {args.session!r}; 'wat-tui list' shows them")
    with Review.open(data) as review:
        sid = review.find_session(args.session)
        state = review.state(sid)
        blocks = tk.load_agenda(review, sid, state=state)
        try:
            wt = presets().workload_type(state.workload_type)
        except WatError:
            wt = presets().workload_type("general")
        if args.command == "agenda":
            return _emit(agenda_markdown(blocks, start), args.output)
        return _emit(invitation_pack(state, blocks, start, wt), args.output)
