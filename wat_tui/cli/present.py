"""``wat-tui present [SESSION]``: the room's view of a session, in a second terminal on the projector.

It follows the wat-tui app on this laptop through the local database (``wat_tui/ui/presenter.py``). Without a
session it takes the one this laptop's app has open, as well as the database can tell: the session whose clock
this laptop ran or whose edit it made most recently (:func:`facilitated_session`).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from wat_tui.errors import NotFound
from wat_tui.review import timekeeping as tk
from wat_tui.review.service import Review, SessionSummary
from wat_tui.store.paths import DB_NAME

NO_SESSIONS = "no sessions yet: create one with 'wat-tui new NAME' or try 'wat-tui demo', then 'wat-tui present'"


def facilitated_session(review: Review) -> str:
    """The session this laptop's app most likely has open: the latest of its clock heartbeat (beaten every 30 s
    while the clock runs) and its newest edit, per session; a session nobody worked on here counts by when it
    was created. The only session, when there is one."""
    sessions = review.list_sessions()
    if not sessions:
        raise NotFound(NO_SESSIONS)

    def latest(s: SessionSummary) -> tuple[bool, str, str]:
        seen = tk.last_activity(review, s.id, review.writer_id)
        return (seen is not None, seen.isoformat() if seen is not None else "", s.created_at)

    return max(sessions, key=latest).id


def cmd_present(args: argparse.Namespace, data: Path) -> int:
    if not (data / DB_NAME).exists():  # a mistyped command must not create a database
        raise NotFound(f"no session matches {args.session!r}; 'wat-tui list' shows them" if args.session
                       else NO_SESSIONS)
    with Review.open(data) as review:
        sid = review.find_session(args.session) if args.session else facilitated_session(review)
    from wat_tui.ui.presenter import run_presenter

    return run_presenter(data, sid)
