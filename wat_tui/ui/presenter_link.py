"""How the facilitator's app knows that a room view (``wat-tui present``) follows it on this laptop.

The room view writes a heartbeat, a per-laptop local setting of the session (never an operation, so never in a
bundle), every :data:`HEARTBEAT_EVERY` seconds, and clears it when it closes. The workspace asks
:func:`room_view_following` whenever it repaints its clock; nothing here imports Textual.
"""

from __future__ import annotations

from datetime import datetime

from wat_tui.review.clock import iso, utc
from wat_tui.review.service import Review

#: The local setting the room view writes: an ISO UTC time, or "" once it has closed.
HEARTBEAT_KEY = "presenter/heartbeat"
#: Seconds between the room view's heartbeats.
HEARTBEAT_EVERY = 5.0
#: A heartbeat older than this (or this far in the future: the clock was set back) means nobody follows: the
#: room view was killed, or its terminal closed without a goodbye. Three missed beats, so a busy moment is no gap.
FOLLOWING_WITHIN = 3 * HEARTBEAT_EVERY


def record_heartbeat(review: Review, sid: str, now: datetime) -> None:
    """The room view is following ``sid`` at ``now`` (a short write of a local setting, no operation)."""
    review.set_local_setting(sid, HEARTBEAT_KEY, iso(now))


def record_closed(review: Review, sid: str) -> None:
    """The room view closed: the facilitator's indicator goes off at once rather than after the stale time."""
    review.set_local_setting(sid, HEARTBEAT_KEY, "")


def room_view_following(review: Review, sid: str, now: datetime) -> bool:
    """Whether a room view on this laptop is following session ``sid`` at ``now`` (timezone-aware).

    Pure apart from one read of a local setting; cheap enough for a once-a-second repaint.
    """
    beat = review.local_setting(sid, HEARTBEAT_KEY)
    if not beat:
        return False
    try:
        at = utc(datetime.fromisoformat(beat))
    except ValueError:  # not a time (written by something else): nobody we know is following
        return False
    return abs((utc(now) - at).total_seconds()) <= FOLLOWING_WITHIN
