"""The report's parking lot and time report, from the agenda's registers (see ``review/timekeeping.py``).

Both sections are left out when there is nothing to say: no question parked, no time recorded. The time
report must not read the wall clock (the report is deterministic), so a timer still running when the report is
written counts up to the last moment the log recorded, the latest start or stop of any interval.
"""

from __future__ import annotations

from wat_tui.exchange.markdown_text import cell, table, text
from wat_tui.review.durations import format_duration
from wat_tui.review.service import Review
from wat_tui.review.state import SessionState
from wat_tui.review.timekeeping import load_timeline, parking_lot, time_report

KIND_WORDS = {"removed": "not in the agenda"}


def agenda_data(review: Review, sid: str, state: SessionState) -> tuple[int | None, list[tuple[str, str]]]:
    """Minutes the review took (None without time data) and the sections to add, as (heading, body)."""
    sections: list[tuple[str, str]] = []
    parked = parking_lot(review, sid, state)
    if parked:
        names = {lens.alias: lens.name for lens in state.lenses}
        pillars = {(lens.alias, p.id): p.name for lens in state.lenses for p in lens.pillars}
        rows = [
            [
                cell(f"{p.label}: {p.title}"),
                cell(names.get(p.lens, p.lens)),
                cell(pillars.get((p.lens, p.pillar), p.pillar)),
                cell(p.reason or "—"),
                cell(p.parked_by or "—"),
            ]
            for p in parked
        ]
        body = "Questions the room set aside to follow up after the review.\n\n" + "\n".join(
            table(["Question", "Lens", "Pillar", "Reason", "Parked by"], rows)
        )
        sections.append(("Parking lot", body))
    timeline = load_timeline(review, sid, state)
    prepared = sorted(timeline.prefilled)
    if prepared:
        by_key = {f"{lens.alias}/{q.id}": q for lens in state.lenses for q in lens.questions}
        rows = [[cell(f"{by_key[k].label}: {by_key[k].title}" if k in by_key else k)] for k in prepared]
        body = ("Answers prepared before the workshop that the room has not confirmed: they count in the risks "
                "above, but nobody in the room has said they are right yet.\n\n"
                + "\n".join(table(["Question"], rows)))
        sections.append(("Prepared answers not confirmed in the room", body))
    recorded = timeline.intervals
    if not recorded:
        return None, sections
    last = max(iv.stop or iv.start for iv in recorded)
    report = time_report(review, sid, last, timeline)
    total = timeline.elapsed(last)
    rows = []
    for b in report:
        if b.planned_seconds == 0 and b.actual_seconds == 0:
            continue
        title = b.title + (f" ({KIND_WORDS[b.kind]})" if b.kind in KIND_WORDS else "")
        rows.append(
            [
                cell(title),
                _minutes(b.planned_seconds),
                _minutes(b.actual_seconds),
                _difference(b.actual_seconds - b.planned_seconds),
            ]
        )
    planned = sum(b.planned_seconds for b in report)
    rows.append(
        [
            "**Whole review**",
            f"**{_minutes(planned)}**",
            f"**{_minutes(total)}**",
            f"**{_difference(total - planned)}**",
        ]
    )
    body = (
        "Planned against actual time per agenda block, to the minute. A difference with + is an overrun. "
        f"Times are as of the last recorded timer event, {text(last.strftime('%Y-%m-%d %H:%M UTC'))}.\n\n"
        + "\n".join(table(["Block", "Planned", "Actual", "Difference"], rows))
    )
    sections.append(("Time report", body))
    return round(total / 60), sections


def _minutes(seconds: float) -> str:
    minutes = round(seconds / 60)
    return format_duration(minutes) if minutes else "0m"


def _difference(seconds: float) -> str:
    minutes = round(seconds / 60)
    if minutes == 0:
        return "on time"
    return ("+" if minutes > 0 else "-") + format_duration(abs(minutes))
