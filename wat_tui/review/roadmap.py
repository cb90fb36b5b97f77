"""Phase 4 of the review, the action plan: actions linked to findings, laid out by month, and exported for an
issue tracker.

An action addresses the finding keys it is linked to. Links will be stored later as a mapping action id ->
finding keys; until then, and always in addition, an action's own question key counts as a link. A link to a
question addresses the question's finding and every practice-level finding of that question; a link to a
practice addresses that practice only.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from wat_tui.review.analysis import Finding
from wat_tui.review.state import ActionItem, SessionState

NO_DUE_DATE = "no due date"
#: What a CSV cell may not start with, lest a spreadsheet read it as a formula (OWASP's list).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_HEADER = ("Title", "Description", "Owner", "Due date", "Status", "Labels")
#: Write the CSV with this encoding: UTF-8 with a byte-order mark, so spreadsheets read it as UTF-8 too.
CSV_ENCODING = "utf-8-sig"

Links = Mapping[str, Sequence[str]]


def action_links(state: SessionState, stored: Links | None = None) -> dict[str, tuple[str, ...]]:
    """Every action's finding keys: its own question key first, then the stored links, without repeats."""
    out: dict[str, tuple[str, ...]] = {}
    for a in state.actions:
        keys = [a.question] if a.question else []
        keys += (stored or {}).get(a.id, ())
        out[a.id] = tuple(dict.fromkeys(keys))
    return out


def _question_key(key: str) -> str:
    return "/".join(key.split("/")[:2])


def addresses(keys: Iterable[str], finding: Finding) -> bool:
    """Whether links to ``keys`` address ``finding`` (a question link covers its practices too)."""
    wanted = {finding.key, _question_key(finding.key)}
    return any(k in wanted for k in keys)


def unaddressed(items: Iterable[Finding], links: Links) -> list[Finding]:
    """Findings no action is linked to (``links`` as :func:`action_links` gives them), in the order given."""
    linked = {k for keys in links.values() for k in keys}
    return [f for f in items if not addresses(linked, f)]


def actions_for(finding: Finding, state: SessionState, links: Links) -> list[ActionItem]:
    return [a for a in state.actions if addresses(links.get(a.id, ()), finding)]


@dataclass(frozen=True)
class RoadmapItem:
    action: ActionItem
    #: The finding keys the action is linked to.
    findings: tuple[str, ...]


@dataclass(frozen=True)
class Month:
    #: ``2027-01``, or :data:`NO_DUE_DATE`.
    month: str
    items: tuple[RoadmapItem, ...]
    #: Named owners of the month's actions, sorted; actions without one are counted in ``unowned``.
    owners: tuple[str, ...]
    unowned: int


def roadmap(state: SessionState, links: Links, include_done: bool = True) -> list[Month]:
    """The actions by month of due date (earliest first, :data:`NO_DUE_DATE` last), within a month by due
    date and title."""
    groups: dict[str, list[ActionItem]] = {}
    for a in state.actions:
        if a.status == "done" and not include_done:
            continue
        groups.setdefault(a.due[:7] if a.due else NO_DUE_DATE, []).append(a)
    out = []
    for month in sorted(groups, key=lambda m: (m == NO_DUE_DATE, m)):
        actions = sorted(groups[month], key=lambda a: (a.due, a.title.casefold(), a.id))
        owners = tuple(sorted({a.owner.strip() for a in actions if a.owner.strip()}, key=str.casefold))
        out.append(Month(month, tuple(RoadmapItem(a, tuple(links.get(a.id, ()))) for a in actions), owners,
                         sum(1 for a in actions if not a.owner.strip())))
    return out


# -- CSV for issue trackers ---------------------------------------------------------------------------------


def safe_cell(value: str) -> str:
    """A cell a spreadsheet shows as text: a leading apostrophe when it would start a formula."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def missing_practices(state: SessionState) -> dict[str, list[str]]:
    """Question key -> the ids (the framework's reference, else the choice id) of its practices neither in place
    nor marked not applicable, for answered questions that apply."""
    out: dict[str, list[str]] = {}
    for lens in getattr(state, "lenses", ()):
        for q in lens.questions:
            key = f"{lens.alias}/{q.id}"
            answer = state.answers.get(key)
            if answer is None or answer.not_applicable:
                continue
            taken = set(answer.selected) | set(answer.na_choices)
            out[key] = [c.ref or c.id for c in q.choices if not c.is_none_choice and c.id not in taken]
    return out


def _describe(keys: Sequence[str], by_key: Mapping[str, Finding],
              missing: Mapping[str, Sequence[str]] | None = None) -> str:
    lines = []
    for key in keys:
        f = by_key.get(key)
        if f is None:
            lines.append(f"{key}: no longer a finding (not at high or medium risk now)")
            continue
        ids = f.question_label if f.choice is None else f"{f.question_label} / {f.label}"
        risk = f"{f.risk.lower()} risk" if f.risk else "no framework risk level"
        lines.append(f"{ids}: {f.title} ({f.pillar_name}, {risk}; {key})")
        gaps = (missing or {}).get(key, ()) if f.choice is None else ()
        if gaps:
            lines.append(f"Missing practices: {', '.join(gaps)}")
        if f.note:
            lines.append(f"Analysis: {f.note}")
    return "\n".join(lines)


def _labels(keys: Sequence[str], by_key: Mapping[str, Finding]) -> str:
    labels: list[str] = []
    for key in keys:
        f = by_key.get(key)
        if f is not None:
            labels += [f.pillar, f"{(f.risk or 'unrated').lower()}-risk"]
    return ",".join(dict.fromkeys(labels))


def actions_csv(state: SessionState, links: Links, items: Iterable[Finding]) -> str:
    """The actions as CSV for an issue tracker's import: one row per action, roadmap order, every cell
    quoted and formula-safe. Labels are comma-separated tokens without spaces: the pillar id and
    ``high-risk``/``medium-risk``/``low-risk``. The description names each finding's question (and practice)
    ids, and for a question the ids of its missing practices. Write it with :data:`CSV_ENCODING`."""
    by_key = {f.key: f for f in items}
    missing = missing_practices(state)
    buf = io.StringIO()
    writer = csv.writer(buf, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for month in roadmap(state, links):
        for item in month.items:
            a = item.action
            keys = item.findings
            writer.writerow([safe_cell(v) for v in (
                a.title, _describe(keys, by_key, missing), a.owner, a.due, a.status, _labels(keys, by_key))])
    return buf.getvalue()
