"""What the report says about each question, computed once from a session's state.

Kept apart from the Markdown writing so the ordering rules (which risks come first, which practices are
missing) are stated in one place and tested without parsing text.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from wat_tui.lens.model import Choice, Lens, Pillar, Question
from wat_tui.lens.risk import Risk
from wat_tui.review.analysis import BY_ANALYSIS, Finding, findings, ordering_used, prioritised
from wat_tui.review.state import Answer, SessionState

#: Risk as a word: the report never tells risk by colour alone.
RISK_WORDS = {
    Risk.HIGH: "high risk",
    Risk.MEDIUM: "medium risk",
    Risk.NONE: "no risk",
    Risk.NOT_APPLICABLE: "not applicable",
    Risk.UNANSWERED: "unanswered",
}
#: Column order of the summary tables.
SUMMARY_COLUMNS = (Risk.HIGH, Risk.MEDIUM, Risk.NONE, Risk.NOT_APPLICABLE, Risk.UNANSWERED)
SUMMARY_HEADERS = ("High", "Medium", "No risk", "Not applicable", "Unanswered")
#: The framework's risk level of a missing practice, most severe first; a lens that gives none sorts last.
LEVEL_ORDER = ("HIGH", "MEDIUM", "LOW")
REASON_WORDS = {
    "OUT_OF_SCOPE": "out of scope",
    "BUSINESS_PRIORITIES": "business priorities",
    "ARCHITECTURE_CONSTRAINTS": "architecture constraints",
    "OTHER": "other reason",
    "NONE": "no reason given",
}


def level_rank(level: str | None) -> int:
    return LEVEL_ORDER.index(level) if level in LEVEL_ORDER else len(LEVEL_ORDER)


def reason_words(reason: str | None) -> str:
    return REASON_WORDS.get(reason or "NONE", (reason or "").replace("_", " ").lower())


@dataclass(frozen=True)
class QuestionView:
    """One question as the report shows it; ``order`` is its place in the session (lens, then lens order)."""

    order: int
    lens: Lens
    pillar: Pillar
    question: Question
    risk: Risk
    answer: Answer | None
    in_place: tuple[Choice, ...]
    #: Practices neither in place nor marked not applicable, most severe framework level first.
    missing: tuple[Choice, ...]
    not_applicable: tuple[tuple[Choice, str], ...]
    #: The room chose "None of these": no practice is in place (it is never listed as one).
    none_chosen: bool = False

    @property
    def key(self) -> str:
        return f"{self.lens.alias}/{self.question.id}"

    @property
    def at_risk(self) -> bool:
        return self.risk in (Risk.HIGH, Risk.MEDIUM)

    @property
    def worst_missing_rank(self) -> int:
        return min((level_rank(c.risk_level) for c in self.missing), default=len(LEVEL_ORDER))


def question_views(state: SessionState) -> list[QuestionView]:
    out: list[QuestionView] = []
    for lens in state.lenses:
        for pillar in lens.pillars:
            for q in pillar.questions:
                answer = state.answer(lens.alias, q.id)
                out.append(_view(len(out), lens, pillar, q, answer, state.risk(lens, q)))
    return out


def _view(
    order: int, lens: Lens, pillar: Pillar, q: Question, answer: Answer | None, risk: Risk
) -> QuestionView:
    if answer is None or risk is Risk.UNANSWERED:
        return QuestionView(order, lens, pillar, q, risk, answer, (), (), ())
    selected = set(answer.selected)
    # "None of these" is what the room said, not a practice: it is reported as such, never as one in place.
    in_place = tuple(c for c in q.choices if c.id in selected and not c.is_none_choice)
    none_chosen = risk is not Risk.NOT_APPLICABLE and any(
        c.is_none_choice for c in q.choices if c.id in selected
    )
    na = tuple((c, answer.na_choices[c.id]) for c in q.choices if c.id in answer.na_choices)
    missing: tuple[Choice, ...] = ()
    if risk is not Risk.NOT_APPLICABLE:
        gaps = [
            c
            for c in q.choices
            if not c.is_none_choice and c.id not in selected and c.id not in answer.na_choices
        ]
        missing = tuple(
            sorted(gaps, key=lambda c: level_rank(c.risk_level))
        )  # stable: lens order within a level
    return QuestionView(order, lens, pillar, q, risk, answer, in_place, missing, na, none_chosen)


def top_risks(views: Iterable[QuestionView]) -> list[QuestionView]:
    """Questions at risk, by the framework level of the most severe missing practice, then question order."""
    return sorted((v for v in views if v.at_risk), key=lambda v: (v.worst_missing_rank, v.order))


def improvement_order(views: Iterable[QuestionView]) -> list[QuestionView]:
    """Questions at risk, high before medium, then question order."""
    return sorted((v for v in views if v.at_risk), key=lambda v: (v.risk is not Risk.HIGH, v.order))


def counts(views: Iterable[QuestionView]) -> dict[Risk, int]:
    out = dict.fromkeys(Risk, 0)
    for v in views:
        out[v.risk] += 1
    return out


# -- the room's analysis (issue 14) ------------------------------------------------------------------------


@dataclass(frozen=True)
class Ranked:
    """A question at risk in the analysis's order, with the finding that ranks it (its own, or its most urgent
    practice's)."""

    view: QuestionView
    finding: Finding


def analysed(state: SessionState) -> list[Finding]:
    """The session's findings with the room's analysis (empty analysis: none scored)."""
    return findings(state, state.analysis)


def by_analysis(views: Iterable[QuestionView], items: Sequence[Finding]) -> list[Ranked] | None:
    """Questions at risk by business impact, then technical effort, then risk level (see
    :func:`wat_tui.review.analysis.prioritised`), each placed by its most urgent finding; None when no finding is
    analysed yet (the report then keeps the framework's order)."""
    if ordering_used(items) != BY_ANALYSIS:
        return None
    by_key = {v.key: v for v in views if v.at_risk}
    out: list[Ranked] = []
    seen: set[str] = set()
    for f in prioritised(items):
        key = f"{f.lens}/{f.question}"
        if key in by_key and key not in seen:
            seen.add(key)
            out.append(Ranked(by_key[key], f))
    return out


def scores(f: Finding) -> str:
    """``impact high, effort low (quick win)``; what is not scored says so."""
    words = f"impact {f.impact or 'not scored'}, effort {f.effort or 'not scored'}"
    return f"{words} ({f.quadrant})" if f.quadrant else words
