"""Phase 1 (preparation) and the rhythm of phase 5 (follow-up): the invitation pack, the agenda on paper, the
short follow-up meeting, and when the next review falls due.

Everything here returns text or plain data; every piece of text a person typed or a lens file holds is escaped
for Markdown (see :mod:`wat_tui.review.analysis`), so a hostile name cannot change the document's structure.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Literal

from wat_tui.markdown_text import cell, table, text
from wat_tui.review.agenda import Block, apportion, schedule
from wat_tui.review.analysis import Analysis, Finding, findings, prioritised
from wat_tui.review.durations import format_duration
from wat_tui.review.state import ROLES, SessionState
from wat_tui.review.workload_types import PILLAR_NAMES, WorkloadType, presets

#: What each role brings to the workshop, in the order of ``state.ROLES``.
ROLE_BRINGS: dict[str, tuple[str, ...]] = {
    "Facilitator": (
        "The scope agreed with the workload owner: which workload, which environments and accounts, which lenses",
        "The agenda and this pack, printed or on screen",
        "The report and open actions of the previous review, if there was one",
    ),
    "Workload owner": (
        "An up-to-date architecture diagram, with the data flows and the external dependencies",
        "The business goals of the workload and what an hour of downtime or a slow week costs",
        "Recent and planned changes to the architecture",
        "A ten-minute walkthrough of the workload to open the session",
    ),
    "Operations engineer": (
        "Availability, latency and error-rate figures for the last three months",
        "Reports of recent incidents and what was learned from them",
        "Runbooks, the alerting and on-call set-up, and how a bad release is rolled back",
        "How often the team deploys, and how long a change takes to reach production",
    ),
    "Security specialist": (
        "How accounts, identities and permissions are organised",
        "Which data is sensitive, where it is stored and how it is encrypted",
        "Findings of the latest security assessment, audit or penetration test",
    ),
    "Finance representative": (
        "The workload's monthly spend for the last few months, broken down by service",
        "Budgets, forecasts and any commitments (reservations, savings plans)",
        "How costs are allocated to teams or products (tags, accounts)",
    ),
    "Scribe": (
        "A laptop with wat-tui and this session, to take notes or run a breakout",
    ),
    "Other": (
        "What you know about your part of the workload that the others may not",
    ),
}
EVERYONE_BRINGS = (
    "The risks that worry you most about this workload, in a sentence each",
    "Time: the whole session, without other meetings in it",
)
#: The seed's "Who participates?": roles an invitation should name, with when each matters.
RECOMMENDED_ROLES = (
    ("Facilitator", "leads the review"),
    ("Workload owner", "knows why the workload exists and decides on trade-offs"),
    ("Operations engineer", "runs it day to day"),
    ("Security specialist", "for critical workloads"),
    ("Finance representative", "for the cost questions"),
)


def _when(t: datetime, day: date) -> str:
    return t.strftime("%H:%M") if t.date() == day else t.strftime("%Y-%m-%d %H:%M")


def agenda_markdown(blocks: Sequence[Block], start: datetime | None, level: int = 1) -> str:
    """The agenda as Markdown: a heading at ``level``, a table of blocks (planned start and end times when
    ``start`` is given, else durations only) and the total."""
    total = sum(b.minutes for b in blocks)
    out = [f"{'#' * level} Agenda", ""]
    if start is not None:
        rows = [[_when(s.start, start.date()), _when(s.end, start.date()), cell(s.block.title),
                 format_duration(s.block.minutes)] for s in schedule(blocks, start)]
        out += table(["Start", "End", "Block", "Length"], rows)
        end = start + timedelta(minutes=total)
        out += ["", f"Starts {start.strftime('%Y-%m-%d %H:%M')}, ends {_when(end, start.date())} "
                    f"({format_duration(total)} in all)."]
    else:
        out += table(["Block", "Length"], [[cell(b.title), format_duration(b.minutes)] for b in blocks])
        out += ["", f"{format_duration(total)} in all; the start time is not set yet."]
    return "\n".join(out) + "\n"


def invitation_pack(state: SessionState, blocks: Sequence[Block], start: datetime | None,
                    workload_type: WorkloadType) -> str:
    """The invitation as one Markdown document: the workload, who comes in which role, the agenda, what each
    role brings, and the questions of the primary pillars to read ahead."""
    title = state.name or "Well-Architected review"
    out = [f"# Invitation: {text(title)}", "", "## The workload", ""]
    facts = [
        f"- Workload: {text(state.workload) if state.workload.strip() else 'not named yet'}",
        f"- Type: {text(workload_type.name)} (primary pillars: "
        f"{', '.join(text(PILLAR_NAMES.get(p, p)) for p in workload_type.primary)}; then "
        f"{text(PILLAR_NAMES.get(workload_type.secondary, workload_type.secondary))})",
        f"- Why this order: {text(workload_type.rationale)}",
        f"- Lenses: {', '.join(text(lens.name) for lens in state.lenses) or 'none'}",
    ]
    out += [*facts, "", "## Who is coming", ""]
    if state.participants:
        rows = [[cell(p.name), cell(p.role), cell(p.email)] for p in state.participants]
        out += table(["Name", "Role", "E-mail"], rows)
    else:
        out.append("Nobody is on the list yet.")
    roles = {p.role for p in state.participants}
    missing = [(r, why) for r, why in RECOMMENDED_ROLES if r not in roles]
    if missing:
        out += ["", "Roles nobody holds yet: " + "; ".join(f"{r} ({why})" for r, why in missing) + "."]
    out += ["", agenda_markdown(blocks, start, level=2).rstrip("\n"), "", "## What to bring", ""]
    out += [f"- {item}" for item in EVERYONE_BRINGS]
    for role in [r for r in ROLES if r in roles] + sorted(roles - set(ROLES)):
        names = ", ".join(text(p.name) for p in state.participants if p.role == role)
        out += ["", f"### {text(role)}: {names}", ""]
        out += [f"- {item}" for item in ROLE_BRINGS.get(role, ROLE_BRINGS["Other"])]
    out += ["", "## Read ahead", "",
            "The room starts with these questions; a first look at them saves time on the day."]
    for pillar_id in workload_type.primary:
        for lens in state.lenses:
            pillar = lens.pillar(pillar_id)
            if pillar is None or not pillar.questions:
                continue
            out += ["", f"### {text(pillar.name)}", ""]
            out += [f"- {text(q.label)}: {text(q.title)}" for q in pillar.questions]
            break
    return "\n".join(out) + "\n"


# -- follow-up ----------------------------------------------------------------------------------------------

FOLLOWUP_MIN = 30
FOLLOWUP_MAX = 60
#: Minutes a follow-up spends per open question at high risk, at medium risk, and per open action.
MINUTES_HIGH, MINUTES_MEDIUM, MINUTES_ACTION = 3, 2, 1
OPENING_MINUTES = CLOSING_MINUTES = 5
#: Least time for one group of risks or actions; groups past what fits in the hour are folded together.
MIN_ITEM_MINUTES = 3

FollowupKind = Literal["opening", "risks", "actions", "closing"]


@dataclass(frozen=True)
class FollowupItem:
    kind: FollowupKind
    title: str
    minutes: int
    #: Finding keys (risks) or action ids (actions) the item covers, in the order to take them.
    keys: tuple[str, ...] = ()


def followup_plan(state: SessionState, analysis: Mapping[str, Analysis], cadence: str) -> list[FollowupItem]:
    """A 30-60 minute agenda for the monthly progress check: the open high and medium risks grouped by pillar
    (the pillar with the most high risks first; within one, the analysis's priority), then the open actions
    grouped by owner, between a short opening and a close that sets the next date from ``cadence`` (a cadence
    id: the light check-in's gap where it has one, else the next full review's). Titles are plain text (the
    caller escapes them for its medium); lists past what fits in the hour are folded into one last item."""
    groups: list[tuple[FollowupKind, str, tuple[str, ...], int]] = []
    by_pillar: dict[tuple[str, str], list[Finding]] = {}
    for f in findings(state, analysis):
        if f.choice is None:
            by_pillar.setdefault((f.lens, f.pillar), []).append(f)
    ranked = sorted(by_pillar.values(), key=lambda fs: (-sum(f.risk == "HIGH" for f in fs), -len(fs)))
    for group in ranked:
        items = prioritised(group)
        name = items[0].pillar_name
        high = sum(f.risk == "HIGH" for f in items)
        words = ", ".join(w for w in (f"{high} high" if high else "",
                                      f"{len(items) - high} medium" if len(items) > high else "") if w)
        groups.append(("risks", f"{name}: {words} ({', '.join(f.label for f in items)})",
                       tuple(f.key for f in items), MINUTES_HIGH * high + MINUTES_MEDIUM * (len(items) - high)))
    by_owner: dict[str, list[str]] = {}
    for a in sorted(state.actions, key=lambda a: (a.due or "9999", a.title.casefold())):
        if a.status != "done":
            by_owner.setdefault(a.owner.strip(), []).append(a.id)
    for owner in sorted(by_owner, key=lambda o: (not o, o.casefold())):
        ids = by_owner[owner]
        who = f"owned by {owner}" if owner else "without an owner"
        groups.append(("actions", f"Open actions {who} ({len(ids)})", tuple(ids), MINUTES_ACTION * len(ids)))
    c = presets().cadence(cadence)
    gap = c.light_review_days or c.next_review_days
    fixed = OPENING_MINUTES + CLOSING_MINUTES
    room = FOLLOWUP_MAX - fixed
    most_groups = room // MIN_ITEM_MINUTES
    if len(groups) > most_groups:  # fold the tail into one item so every group keeps a useful slot
        kept, rest = groups[: most_groups - 1], groups[most_groups - 1:]
        groups = [*kept, ("risks" if all(g[0] == "risks" for g in rest) else "actions",
                          f"Everything else, briefly ({sum(len(g[2]) for g in rest)} items)",
                          tuple(k for g in rest for k in g[2]), sum(g[3] for g in rest))]
    wanted = sum(g[3] for g in groups)
    content = min(room, max(FOLLOWUP_MIN - fixed, wanted, MIN_ITEM_MINUTES * len(groups)))
    out = [FollowupItem("opening", "What changed since the last check: architecture, incidents, priorities",
                        OPENING_MINUTES)]
    if groups:
        minutes = apportion(content, [max(g[3], 1) for g in groups], MIN_ITEM_MINUTES)
        out += [FollowupItem(kind, title, m, keys)
                for (kind, title, keys, _), m in zip(groups, minutes, strict=True)]
    else:
        out.append(FollowupItem("risks", "No open risk or action: check the answers still match the workload",
                                content))
    out.append(FollowupItem("closing", f"Update the plan; agree the next check in about {gap} days",
                            CLOSING_MINUTES))
    return out


# -- cadence ------------------------------------------------------------------------------------------------

#: A review is due once its date is this close: the seed gives preparation one to two weeks.
DUE_WINDOW_DAYS = 14
DueStatus = Literal["due", "overdue", "not yet"]


def cadence_dates(reviewed_on: date, cadence_id: str) -> tuple[date, date | None]:
    """The next full review and, where the cadence has them, the next light check-in, counted from the
    review (or the session's creation) date. ``cadence_id`` is a cadence of content/workload-types.toml
    (``presets().workload_type(t).cadence`` gives a workload type's)."""
    c = presets().cadence(cadence_id)
    light = reviewed_on + timedelta(days=c.light_review_days) if c.light_review_days else None
    return reviewed_on + timedelta(days=c.next_review_days), light


def due_status(due: date, today: date) -> DueStatus:
    """"overdue" after the date, "due" within :data:`DUE_WINDOW_DAYS` before it (time to prepare), else
    "not yet"."""
    if today > due:
        return "overdue"
    return "due" if (due - today).days <= DUE_WINDOW_DAYS else "not yet"
