"""The review report: one Markdown document for the workload owner and the team.

The report reads the same :class:`SessionState` the screens show, and nothing else changes it, so what the
room saw is what the team reads. It is deterministic: the same session gives the same bytes. No wall clock is
read; the date the report is dated comes from ``today`` when given and otherwise from the session's own date,
and the next review is proposed from the session's date (the day of the review), so rerunning the report later
changes nothing.

Every piece of text from people or lens files passes through :mod:`wat_tui.exchange.markdown_text` or, for
notes, :mod:`wat_tui.exchange.markdown_note`, so nothing typed can break the document's structure. The heading
tree is fixed: ``#`` the review, ``##`` sections, ``###`` a lens or pillar, ``####`` a question, and a note's
own headings below its question.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from wat_tui.errors import WatError
from wat_tui.exchange import report_plan
from wat_tui.exchange.markdown_note import nest_note
from wat_tui.exchange.markdown_text import cell, code_span, table, text
from wat_tui.exchange.report_model import (
    RISK_WORDS,
    SUMMARY_COLUMNS,
    SUMMARY_HEADERS,
    QuestionView,
    Ranked,
    analysed,
    by_analysis,
    counts,
    question_views,
    reason_words,
    scores,
    top_risks,
)
from wat_tui.lens.model import Choice
from wat_tui.lens.risk import Risk
from wat_tui.review.analysis import BY_ANALYSIS
from wat_tui.review.durations import format_duration
from wat_tui.review.service import Review
from wat_tui.review.state import ActionItem, Note, SessionState

#: How many questions the summary's top-risk list names; the improvement plan has them all.
TOP_RISKS = 10
#: How many question labels a pillar's at-a-glance line names before "and N more".
GLANCE_LABELS = 5
QUESTION_LEVEL = 4


@dataclass
class ReportInput:
    """Everything the report is written from; built by :func:`gather` from the database."""

    state: SessionState
    include_private: bool = False
    today: date | None = None
    #: writer id -> (name, device), to say who recorded each side of a conflict
    writers: dict[str, tuple[str, str]] = field(default_factory=dict)
    #: (writer id, seq) -> where the operation came from ("local" or a bundle file)
    sources: dict[tuple[str, int], str] = field(default_factory=dict)
    #: Minutes the review actually took, when the agenda's timers recorded any.
    actual_minutes: int | None = None
    #: Sections from the agenda (parking lot, time report): (heading, Markdown body), in order.
    extra_sections: list[tuple[str, str]] = field(default_factory=list)
    #: Whose words the questions and practices are in (ours, or the AWS tool's imported on this laptop).
    wording: str = ""

    @property
    def review_date(self) -> date | None:
        try:
            return date.fromisoformat(self.state.created_at[:10])
        except ValueError:
            return None

    @property
    def notes(self) -> list[Note]:
        return [n for n in self.state.notes if self.include_private or not n.private]


def gather(
    review: Review, sid: str, *, include_private: bool = False, today: date | None = None
) -> ReportInput:
    state = review.full_state(sid)  # the analysis, links, cadence and milestones too: one read of the state
    writers = review.writers()
    sources: dict[tuple[str, int], str] = {}
    for conflict in state.conflicts:
        for v in conflict.values:
            sources[(v.writer_id, v.seq)] = review.op_source(v.writer_id, v.seq)
    actual, sections = report_plan.agenda_data(review, sid, state)
    from wat_tui.exchange.aws_import import report_wording

    return ReportInput(state, include_private, today, writers, sources, actual, sections,
                       report_wording(review.data_dir, state.lenses))


def render_markdown(
    review: Review, sid: str, *, include_private: bool = False, today: date | None = None
) -> str:
    """The report of session ``sid`` as CommonMark (with pipe tables)."""
    return markdown_from(gather(review, sid, include_private=include_private, today=today))


def _unreadable(state: SessionState) -> list[str]:
    """Name the registers holding values this version could not read (left out of the report, kept in the
    session), so a reader knows the report is missing something."""
    if not state.unreadable:
        return []
    items = "\n".join(f"- {code_span(t)}" for t in state.unreadable)
    return ["## Data this version could not read",
            "These stored values could not be read; the report leaves them out (the session keeps them):", items]


def title_of(data: ReportInput) -> str:
    st = data.state
    return f"Well-Architected review: {st.workload or st.name}"


def markdown_from(data: ReportInput) -> str:
    views = question_views(data.state)
    items = analysed(data.state)
    ranked = by_analysis(views, items)
    blocks: list[str] = []
    blocks += _title_block(data, views)
    blocks += _summary(data, views, ranked)
    blocks += report_plan.progress(data.state)
    blocks += _findings(data, views)
    blocks += report_plan.impact_effort(items)
    blocks += report_plan.improvement_plan(views, ranked)
    blocks += report_plan.action_plan(data.state, views, items)
    for heading, body in data.extra_sections:
        blocks += [f"## {text(heading)}", body]
    blocks += _unreadable(data.state)
    blocks += report_plan.conflicts(data.state, views, data.writers, data.sources, data.include_private)
    blocks += report_plan.next_review(data.state.workload_type, data.review_date, data.state.cadence)
    return "\n\n".join(b for b in blocks if b) + "\n"


def _title_block(data: ReportInput, views: list[QuestionView]) -> list[str]:
    st = data.state
    from wat_tui.review.workload_types import presets

    try:
        type_name = presets().workload_type(st.workload_type).name
    except WatError:
        type_name = st.workload_type or "not set"
    facilitators = [p.name for p in st.participants if p.role == "Facilitator"]
    answered = sum(1 for v in views if v.risk is not Risk.UNANSWERED)
    day = data.review_date
    facts = [
        ("Session", st.name),
        ("Workload", st.workload or st.name),
        ("Workload type", type_name),
        ("Review date", day.isoformat() if day else "not recorded"),
    ]
    if data.today is not None and data.today != day:
        facts.append(("Report date", data.today.isoformat()))
    facts += [
        ("Facilitators", ", ".join(facilitators) or "none recorded"),
        ("Planned duration", format_duration(st.planned_minutes) if st.planned_minutes > 0 else "not set"),
    ]
    if data.actual_minutes is not None:
        facts.append(("Actual duration", format_duration(data.actual_minutes)))
    facts += [
        ("Lenses", "; ".join(f"{lens.name} (version {lens.version or 'unknown'})" for lens in st.lenses)),
        *([("Wording", data.wording)] if data.wording else []),
        ("Answered", f"{answered} of {len(views)} questions"),
    ]
    out = [f"# {text(title_of(data))}", "\n".join(f"- **{k}:** {text(v)}" for k, v in facts)]
    if data.include_private:
        out.append("**This copy includes notes marked private to the facilitator.** Check before sharing it.")
    if st.participants:
        out.append("**Participants**")
        out.append(
            "\n".join(
                table(["Name", "Role"], [[cell(p.name), cell(p.role or "not set")] for p in st.participants])
            )
        )
    else:
        out.append("**Participants:** none recorded.")
    return out


def _summary(data: ReportInput, views: list[QuestionView], ranked: list[Ranked] | None = None) -> list[str]:
    out = ["## Summary"]
    for lens in data.state.lenses:
        rows = []
        glance = []
        for pillar in lens.pillars:
            pv = [v for v in views if v.lens is lens and v.pillar is pillar]
            c = counts(pv)
            rows.append([cell(pillar.name), *(str(c[r]) for r in SUMMARY_COLUMNS)])
            glance.append(f"- **{text(pillar.name)}:** {_glance(pv, c)}")
        total = counts(v for v in views if v.lens is lens)
        rows.append(["**All pillars**", *(f"**{total[r]}**" for r in SUMMARY_COLUMNS)])
        out += [
            f"### {text(lens.name)}",
            "\n".join(table(["Pillar", *SUMMARY_HEADERS], rows)),
            "\n".join(glance),
        ]
    out.append("### Top risks")
    if ranked:
        out.append(
            f"Questions at risk, ordered {BY_ANALYSIS} as the room analysed them (a question stands where its "
            "own finding or its most urgent practice puts it); questions nobody scored come last, by risk level."
        )
        items = [f"{i}. {_top_item(r.view)} Analysis: {text(scores(r.finding))}." if r.finding.analysed
                 else f"{i}. {_top_item(r.view)} Not analysed yet."
                 for i, r in enumerate(ranked[:TOP_RISKS], 1)]
        out.append("\n".join(items))
        if len(ranked) > TOP_RISKS:
            out.append(
                f"{len(ranked) - TOP_RISKS} more questions are at risk; the improvement plan lists every one."
            )
        return out
    ranked_views = top_risks(views)
    if not ranked_views:
        out.append("No question is at high or medium risk.")
        return out
    out.append(
        "Questions at risk, ordered by the framework's risk level of the practices that are missing "
        "(HIGH, then MEDIUM, then LOW), then by their order in the review."
    )
    items = [f"{i}. {_top_item(v)}" for i, v in enumerate(ranked_views[:TOP_RISKS], 1)]
    out.append("\n".join(items))
    if len(ranked_views) > TOP_RISKS:
        out.append(
            f"{len(ranked_views) - TOP_RISKS} more questions are at risk; the improvement plan lists every one."
        )
    return out


def _glance(pv: list[QuestionView], c: dict[Risk, int]) -> str:
    def labels(risk: Risk) -> str:
        names = [text(v.question.label) for v in pv if v.risk is risk]
        more = f" and {len(names) - GLANCE_LABELS} more" if len(names) > GLANCE_LABELS else ""
        return ", ".join(names[:GLANCE_LABELS]) + more

    answered = len(pv) - c[Risk.UNANSWERED]
    parts = []
    if c[Risk.HIGH]:
        parts.append(f"{c[Risk.HIGH]} at high risk ({labels(Risk.HIGH)})")
    if c[Risk.MEDIUM]:
        parts.append(f"{c[Risk.MEDIUM]} at medium risk ({labels(Risk.MEDIUM)})")
    if c[Risk.HIGH]:
        verdict = "**high risk**"
    elif c[Risk.MEDIUM]:
        verdict = "**medium risk**"
    elif pv and c[Risk.NOT_APPLICABLE] == len(pv):
        verdict = "**not applicable**"
    elif answered == 0:
        verdict = "**not reviewed yet**"
    else:
        verdict = "**no risk found**"
    detail = "; ".join(parts)
    return f"{verdict}{': ' + detail if detail else ''}; {answered} of {len(pv)} answered"


def _practice(c: Choice) -> str:
    return text(c.title) + (f" ({text(c.ref)})" if c.ref else "")


def _top_item(v: QuestionView) -> str:
    head = (
        f"**{RISK_WORDS[v.risk].capitalize()}:** {text(v.question.label)}: {text(v.question.title)} "
        f"({text(v.lens.name)}, {text(v.pillar.name)})."
    )
    if not v.missing:
        return head
    worst = v.missing[0].risk_level
    first = [c for c in v.missing if c.risk_level == worst]
    level = f"framework risk {worst}" if worst else "no framework risk level given"
    rest = len(v.missing) - len(first)
    tail = f" Also missing: {rest} practice{'s' if rest != 1 else ''} at lower levels." if rest else ""
    return f"{head} Missing ({level}): {'; '.join(_practice(c) for c in first)}.{tail}"


def _findings(data: ReportInput, views: list[QuestionView]) -> list[str]:
    notes: dict[str, list[Note]] = defaultdict(list)
    for n in data.notes:
        notes[n.question].append(n)
    actions: dict[str, list[ActionItem]] = defaultdict(list)
    for a in data.state.actions:
        actions[a.question or ""].append(a)
    out: list[str] = []
    keys = set()
    for lens in data.state.lenses:
        out.append(f"## Findings: {text(lens.name)}")
        for pillar in lens.pillars:
            out.append(f"### {text(pillar.name)}")
            for v in views:
                if v.lens is lens and v.pillar is pillar:
                    keys.add(v.key)
                    out += _question(v, notes.get(v.key, []), actions.get(v.key, []))
    stray = [n for n in data.notes if n.question not in keys]
    if stray:
        out.append("## Other notes")
        out.append("Notes not attached to a question of this review's lenses.")
        for n in stray:
            out += _note(n, level=2, where=n.question)
    return out


def _question(v: QuestionView, notes: list[Note], actions: list[ActionItem]) -> list[str]:
    q = v.question
    out = [f"{'#' * QUESTION_LEVEL} {text(q.label)}: {text(q.title)}"]
    risk = f"Risk: **{RISK_WORDS[v.risk]}**"
    if v.risk is Risk.NOT_APPLICABLE and v.answer is not None:
        risk += f" ({text(reason_words(v.answer.reason))})"
    out.append(risk)
    if v.none_chosen:
        out.append("None of the practices is in place.")
    if v.in_place:
        out += ["In place:", "\n".join(f"- {_practice(c)}" for c in v.in_place)]
    if v.missing:
        out += [
            "Missing:",
            "\n".join(
                f"- {_practice(c)}" + (f", framework risk {text(c.risk_level)}" if c.risk_level else "")
                for c in v.missing
            ),
        ]
    if v.not_applicable:
        out += [
            "Not applicable:",
            "\n".join(f"- {_practice(c)}: {text(reason_words(reason))}" for c, reason in v.not_applicable),
        ]
    if actions:
        out += ["Action items:", "\n".join(f"- {report_plan.action_line(a)}" for a in actions)]
    for n in notes:
        out += _note(n, level=QUESTION_LEVEL)
    return out


def _note(n: Note, level: int, where: str = "") -> list[str]:
    flags = []
    if where:
        flags.append(f"on {text(where) or 'no question'}")
    if n.private:
        flags.append("private to the facilitator")
    if n.conflict:
        flags.append("has conflicting versions, see Open merge conflicts")
    lead = (
        f"Note from **{text(n.author) or 'unknown author'}**"
        + (f" ({'; '.join(flags)})" if flags else "")
        + ":"
    )
    body = nest_note(n.body, level)
    if not body.strip():
        return [lead, "> *(empty note)*"]
    return [lead, "\n".join(("> " + line) if line else ">" for line in body.split("\n"))]
