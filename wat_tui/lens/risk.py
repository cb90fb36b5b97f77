"""Question risk, computed the way the AWS Well-Architected Tool does.

A choice marked not applicable counts as in place: the room has agreed the practice does not apply to this
workload, so its absence is not a risk. The tool treats a not-applicable choice the same way.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import StrEnum

from wat_tui.lens.conditions import evaluate
from wat_tui.lens.model import Question


class Risk(StrEnum):
    HIGH = "HIGH"
    MEDIUM = "MEDIUM"
    NONE = "NONE"
    UNANSWERED = "UNANSWERED"
    NOT_APPLICABLE = "NOT_APPLICABLE"


#: The AWS tool's reasons for marking a question (or a choice) not applicable.
NA_REASONS = ("OUT_OF_SCOPE", "BUSINESS_PRIORITIES", "ARCHITECTURE_CONSTRAINTS", "OTHER", "NONE")

RULE_RISKS = {"HIGH_RISK": Risk.HIGH, "MEDIUM_RISK": Risk.MEDIUM, "NO_RISK": Risk.NONE}


def rules_risk(question: Question, in_place: Iterable[str]) -> Risk:
    """The risk of the first rule that holds; HIGH when none does (a lens with no default rule)."""
    chosen = frozenset(in_place)
    for rule in question.risk_rules:
        if evaluate(rule.condition, chosen):
            return Risk(rule.risk)
    return Risk.HIGH


def question_risk(
    question: Question,
    selected: Iterable[str] | None,
    *,
    not_applicable: bool = False,
    na_choices: Iterable[str] = (),
) -> Risk:
    """Risk of an answer: ``selected`` is None (or empty) when the room has not answered yet."""
    if not_applicable:
        return Risk.NOT_APPLICABLE
    chosen = set(selected or ())
    if not chosen and not set(na_choices):
        return Risk.UNANSWERED
    return rules_risk(question, chosen | set(na_choices))
