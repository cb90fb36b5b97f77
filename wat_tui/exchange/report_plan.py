"""The report's closing sections: what to fix, who does what, what is still disputed, and when to look again.

Open merge conflicts are always listed (and the section says so when there are none): a report that hid a
disagreement between two rooms would send the team away with a decision nobody made.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from wat_tui.errors import WatError
from wat_tui.exchange.markdown_text import cell, code_span, one_line, table, text
from wat_tui.exchange.report_model import RISK_WORDS, QuestionView, Ranked, reason_words, scores
from wat_tui.lens.risk import Risk
from wat_tui.review.analysis import BY_ANALYSIS, Finding, findings, matrix, render_matrix_markdown
from wat_tui.review.compare import compare, render_comparison_markdown, snapshot
from wat_tui.review.roadmap import action_links, roadmap, unaddressed
from wat_tui.review.service import Review
from wat_tui.review.state import ActionItem, Answer, SessionState
from wat_tui.store.oplog import Value, canonical

#: Longest piece of a note shown as one side of a conflict.
CONFLICT_SNIPPET = 200
EMPTY = "—"
RISK_WORDS_BY_LEVEL = {"HIGH": "high risk", "MEDIUM": "medium risk", "LOW": "low risk"}


def agenda_data(review: Review, sid: str, state: SessionState) -> tuple[int | None, list[tuple[str, str]]]:
    """Actual minutes and the parking-lot and time-report sections, from the agenda when it has data."""
    from wat_tui.exchange import report_agenda

    return report_agenda.agenda_data(review, sid, state)


def improvement_plan(views: list[QuestionView], ranked: list[Ranked] | None = None) -> list[str]:
    """Every question at risk with its missing practices: by the room's analysis when ``ranked`` is given
    (:func:`~wat_tui.exchange.report_model.by_analysis`), else high before medium."""
    out = ["## Improvement plan"]
    at_risk = [v for v in views if v.at_risk]
    if not at_risk:
        return [*out, "No question is at high or medium risk, so there is nothing to plan yet."]
    if ranked is not None:
        out.append(
            f"Every question at risk, ordered {BY_ANALYSIS} as the room analysed them (a question stands where "
            "its own finding or its most urgent practice puts it); questions nobody scored come last, by risk "
            "level. Within a question, the framework's most severe practices come first."
        )
        for heading, part in (("Analysed questions", [r for r in ranked if r.finding.analysed]),
                              ("Not analysed yet", [r for r in ranked if not r.finding.analysed])):
            if part:
                out.append(f"### {heading}")
                for r in part:
                    out += _question_plan(r.view, r.finding)
        return out
    out.append(
        "Every question at risk, high before medium, with the practices that are missing and how to put "
        "each in place; within a question, the framework's most severe practices come first."
    )
    for risk, heading in ((Risk.HIGH, "High-risk questions"), (Risk.MEDIUM, "Medium-risk questions")):
        group = [v for v in at_risk if v.risk is risk]
        if not group:
            continue
        out.append(f"### {heading}")
        for v in group:
            out += _question_plan(v)
    return out


def _question_plan(v: QuestionView, finding: Finding | None = None) -> list[str]:
    out = [f"#### {text(v.question.label)}: {text(v.question.title)}"]
    where = f"{text(v.lens.name)}, {text(v.pillar.name)}."
    if finding is not None:
        where += f" {RISK_WORDS[v.risk].capitalize()}."
        if finding.analysed:
            whose = "" if finding.choice is None else f" (practice {text(finding.label)})"
            where += f" Analysis{whose}: {text(scores(finding))}."
            if finding.note.strip():
                where += f" {text(finding.note)}"
    out.append(where)
    items = []
    for c in v.missing:
        level = f"framework risk {text(c.risk_level)}" if c.risk_level else "no framework risk level"
        ref = f"{text(c.ref)}, " if c.ref else ""
        plan = c.improvement_plan
        how = text(plan.text) if plan and plan.text.strip() else "No improvement plan in the lens."
        link = _link(plan.url if plan else None)
        items.append(f"- **{text(c.title)}** ({ref}{level}): {how}{link}")
    out.append(
        "\n".join(items)
        if items
        else "The lens's risk rules flag this question, but no single "
        "practice is missing; review its answer with the team."
    )
    return out


def impact_effort(items: list[Finding]) -> list[str]:
    """The impact/effort matrix of the scored findings (only once the room has analysed some)."""
    if not any(f.analysed for f in items):
        return []
    return ["## Impact and effort",
            "Each finding the room scored, by business impact (rows) and technical effort (columns): quick wins "
            "first, then major projects; fill-ins when there is time; deprioritised ones wait.",
            render_matrix_markdown(matrix(items)).rstrip("\n")]


def progress(state: SessionState) -> list[str]:
    """"Progress since <milestone>": the latest milestone against the session as this report shows it."""
    if not state.milestones:
        return []
    latest = state.milestones[-1]
    now = snapshot(state, state.analysis, label="this report")
    cmp = compare(latest.snapshot, now)
    body = render_comparison_markdown(cmp, f"Progress since {latest.name}").rstrip("\n")
    head, _, rest = body.partition("\n\n")
    intro = (f"From milestone {text(latest.name)}, recorded {text(latest.at[:16].replace('T', ' '))}, to this "
             "report.")
    return [head, intro, rest] if rest else [head, intro]


def _link(url: str | None) -> str:
    """A link to a lens's resource, only for http(s) addresses: a link, never something the page loads."""
    if not url:
        return ""
    url = one_line(url)
    if not url.lower().startswith(("https://", "http://")) or any(ch in url for ch in "<> "):
        return ""
    return f" ([more](<{url}>))"


def question_label(views: dict[str, QuestionView], key: str | None) -> str:
    if not key:
        return EMPTY
    v = views.get(key)
    return f"{v.question.label}: {v.question.tree_title}" if v else key


def action_line(a: ActionItem) -> str:
    owner = f"owner {text(a.owner)}" if a.owner else "no owner"
    due = f"due {text(a.due)}" if a.due else "no due date"
    conflict = "; has conflicting values, see Open merge conflicts" if a.conflict_fields else ""
    return f"{text(a.title)} ({owner}, {due}, {text(a.status or 'open')}{conflict})"


def action_plan(state: SessionState, views: list[QuestionView], items: list[Finding] | None = None) -> list[str]:
    out = ["## Action plan"]
    if not state.actions:
        return [*out, "No action items were recorded."]
    by_key = {v.key: v for v in views}
    ordered = sorted(state.actions, key=lambda a: (a.due == "", a.due))  # stable: creation order otherwise
    rows = []
    for a in ordered:
        status = (a.status or "open") + (" (conflict)" if a.conflict_fields else "")
        rows.append(
            [
                cell(a.title),
                cell(a.owner or EMPTY),
                cell(a.due or EMPTY),
                cell(status),
                cell(question_label(by_key, a.question)),
            ]
        )
    out.append("Ordered by due date; items without one come last.")
    out.append("\n".join(table(["Action", "Owner", "Due", "Status", "Question"], rows)))
    return out + _roadmap(state, items if items is not None else findings(state, state.analysis))


def _roadmap(state: SessionState, items: list[Finding]) -> list[str]:
    """The actions by month of due date with their owners and the findings each addresses (its question and its
    links), then the findings no action addresses."""
    links = action_links(state, state.links)
    labels = {f"{lens.alias}/{q.id}": q.label for lens in state.lenses for q in lens.questions}
    labels.update({f.key: f.label for f in items})
    out = ["### Roadmap", "The actions by month of due date, with their owners and the findings they address."]
    lines = []
    for month in roadmap(state, links):
        owners = ", ".join(text(o) for o in month.owners) or "none named"
        unowned = f"; {month.unowned} without an owner" if month.unowned and month.owners else ""
        actions = "; ".join(
            text(item.action.title) + (f" ({text(', '.join(labels.get(k, k) for k in item.findings))})"
                                       if item.findings else "")
            + (" (done)" if item.action.status == "done" else "")
            for item in month.items)
        lines.append(f"- **{text(month.month)}** (owners: {owners}{unowned}): {actions}")
    out.append("\n".join(lines))
    out.append("### Findings no action addresses")
    left = unaddressed(items, links)
    if not left:
        out.append("Every finding at high or medium risk has an action.")
    else:
        out.append("\n".join(f"- {text(f.label)}: {text(f.title)} ({RISK_WORDS_BY_LEVEL.get(f.risk or '', 'unrated')})"
                             for f in left))
    return out


def conflicts(
    state: SessionState,
    views: list[QuestionView],
    writers: dict[str, tuple[str, str]],
    sources: dict[tuple[str, int], str],
    include_private: bool,
) -> list[str]:
    out = ["## Open merge conflicts"]
    if not state.conflicts:
        return [*out, "None: every value in this review was agreed or recorded in one place."]
    n = len(state.conflicts)
    out.append(
        f"{n} value{'s were' if n != 1 else ' was'} recorded differently in different places and nobody "
        "has chosen between them yet. Resolve them in the app; until then the screens and this report show "
        "the newest value."
    )
    by_key = {v.key: v for v in views}
    items = []
    for c in state.conflicts:
        lines = [f"- **{_target(state, by_key, c.target)}** ({code_span(c.target)})"]
        for v in c.values:
            lines.append(
                f"  - {_value(c.target, v.value, by_key, include_private)}, {_who(v, writers, sources)}"
            )
        items.append("\n".join(lines))
    out.append("\n".join(items))
    return out


def _target(state: SessionState, by_key: dict[str, QuestionView], target: str) -> str:
    kind, _, rest = target.partition("/")
    if kind == "answer":
        v = by_key.get(rest)
        return (
            f"Answer to {text(question_label(by_key, rest))} ({text(v.lens.name)})"
            if v
            else f"Answer to {text(rest)}"
        )
    if kind == "note":
        return "A note"
    if kind == "action":
        aid, _, fld = rest.partition("/")
        title = next((a.title for a in state.actions if a.id == aid), "")
        what = f"Action item {text(title)}" if title else "An action item"
        return f"{what}: {text(fld)}" if fld else what
    if kind == "participant":
        return f"Participant {text(rest)}"
    if kind == "analysis":
        parts = rest.split("/")
        what = f"Analysis of {text(question_label(by_key, '/'.join(parts[:2])))}"
        return f"{what}, practice {text(parts[2])}" if len(parts) > 2 else what
    if kind == "session":
        return f"Session {text(rest.replace('_', ' '))}"
    return text(target)


def _value(target: str, value: Any, by_key: dict[str, QuestionView], include_private: bool) -> str:
    kind, _, rest = target.partition("/")
    if value is None:
        return "unanswered" if kind == "answer" else "deleted"
    if kind == "answer":
        answer = Answer.from_value(value) or Answer()
        view = by_key.get(rest)
        titles = {c.id: c.title for c in view.question.choices} if view else {}
        if answer.not_applicable:
            return f"question not applicable ({text(reason_words(answer.reason))})"
        order = list(titles)

        def listed(ids: list[str]) -> str:
            ranked = sorted(ids, key=lambda cid: order.index(cid) if cid in titles else len(order))
            return ", ".join(text(titles.get(cid, cid)) for cid in ranked)

        # "None of these" is not a practice: say plainly that nothing is in place.
        nones = {c.id for c in view.question.choices if c.is_none_choice} if view else set()
        chosen = "none of the practices" if nones & set(answer.selected) else listed(list(answer.selected))
        na = listed(list(answer.na_choices))
        return f"in place: {chosen or 'nothing'}" + (f"; not applicable: {na}" if na else "")
    if kind == "note" and isinstance(value, dict):
        if value.get("private") and not include_private:
            return "a private note (not shown)"
        body = one_line(str(value.get("body", "")))
        snippet = body if len(body) <= CONFLICT_SNIPPET else body[:CONFLICT_SNIPPET].rstrip() + "…"
        return f"note by {text(str(value.get('author', '')) or 'unknown author')}: “{text(snippet)}”"
    if kind == "participant" and isinstance(value, dict):
        return f"{text(str(value.get('name', '')))}, {text(str(value.get('role', '')) or 'no role')}"
    if kind == "analysis" and isinstance(value, dict):
        words = f"impact {value.get('impact') or 'not scored'}, effort {value.get('effort') or 'not scored'}"
        note = one_line(str(value.get("note") or ""))
        return text(words) + (f": “{text(note[:CONFLICT_SNIPPET])}”" if note else "")
    if isinstance(value, str):
        return f"“{text(value)}”" if value else "empty"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return text(str(value))
    return code_span(canonical(value))


def _who(v: Value, writers: dict[str, tuple[str, str]], sources: dict[tuple[str, int], str]) -> str:
    name, device = writers.get(v.writer_id, ("", ""))
    who = text(name) if name else f"writer {text(v.writer_id[:8])}"
    if device:
        who += f" on {text(device)}"
    try:
        when = datetime.fromtimestamp(int(v.hlc.split("-", 1)[0]) / 1000, UTC).strftime("%Y-%m-%d %H:%M UTC")
    except (ValueError, OverflowError, OSError):
        when = "an unknown time"
    source = sources.get((v.writer_id, v.seq), "")
    origin = "" if source in ("", "local") else f", from {text(source)}"
    return f"by {who}, {when}{origin}"


def next_review(workload_type: str, reviewed_on: date | None, chosen: str = "") -> list[str]:
    """The next full review (and check-ins) from the cadence chosen for the session, else the workload type's."""
    from wat_tui.review.workload_types import presets

    out = ["## Next review"]
    picked = next((c for c in presets().cadences if c.id == chosen), None)
    try:
        wt = presets().workload_type(workload_type)
    except WatError:
        if picked is None:
            return [
                *out,
                f"The workload type {text(workload_type or 'not set')} has no review cadence; agree a date "
                "with the workload owner.",
            ]
        wt = presets().workload_type("general")
    if reviewed_on is None:
        return [*out, "The review has no recorded date, so no next date can be proposed."]
    when, cadence = presets().next_review(wt.id, reviewed_on)
    why = f"that a {text(wt.name)} workload calls for"
    if picked is not None:
        cadence = picked
        when = reviewed_on + timedelta(days=cadence.next_review_days)
        why = "chosen for this review"
    out.append(
        f"Proposed date for the next full review: **{when.isoformat()}**, {cadence.next_review_days} days "
        f"after this review, following the {text(cadence.name.lower())} cadence {why}: {text(cadence.summary)}"
    )
    if cadence.light_review_days:
        check = reviewed_on + timedelta(days=cadence.light_review_days)
        out.append(
            f"Short check-ins on the open risks every {cadence.light_review_days} days in between, the first "
            f"on **{check.isoformat()}**."
        )
    return out
