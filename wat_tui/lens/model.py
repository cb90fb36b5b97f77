"""The lens model: lens -> pillars -> questions -> choices, immutable once loaded."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from wat_tui.lens.conditions import Condition


@dataclass(frozen=True)
class Resource:
    """A piece of text with an optional link, as the format's helpfulResource and improvementPlan."""

    text: str
    url: str | None = None


@dataclass(frozen=True)
class Choice:
    id: str
    title: str
    description: str = ""
    helpful_resource: Resource | None = None
    improvement_plan: Resource | None = None
    additional_resources: tuple[Resource, ...] = ()
    #: Framework risk level of *not* having this practice (HIGH/MEDIUM/LOW), when the lens says.
    risk_level: str | None = None
    #: Human reference such as ``OPS01-BP01``, when the lens gives one.
    ref: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    @property
    def is_none_choice(self) -> bool:
        """The format's "None of these" choice: its id ends in ``_no``."""
        return self.id.endswith("_no")


@dataclass(frozen=True)
class RiskRule:
    condition_text: str
    condition: Condition
    #: One of HIGH, MEDIUM, NONE.
    risk: str


@dataclass(frozen=True)
class Question:
    id: str
    title: str
    description: str
    choices: tuple[Choice, ...]
    risk_rules: tuple[RiskRule, ...]
    pillar_id: str
    helpful_resource: Resource | None = None
    ref: str | None = None
    short_title: str | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def choice(self, choice_id: str) -> Choice | None:
        return self._choices_by_id.get(choice_id)

    @cached_property
    def _choices_by_id(self) -> dict[str, Choice]:
        return {c.id: c for c in self.choices}

    @cached_property
    def none_choice(self) -> Choice | None:
        return next((c for c in self.choices if c.is_none_choice), None)

    @property
    def label(self) -> str:
        """What a person calls the question: its reference (OPS01) or its id."""
        return self.ref or self.id

    @property
    def tree_title(self) -> str:
        if self.short_title:
            return self.short_title
        return self.title if len(self.title) <= 40 else self.title[:39].rstrip() + "…"


@dataclass(frozen=True)
class Pillar:
    id: str
    name: str
    questions: tuple[Question, ...]
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


@dataclass(frozen=True)
class Lens:
    alias: str
    name: str
    version: str
    description: str
    content_hash: str
    pillars: tuple[Pillar, ...]
    schema_version: str = "2021-11-01"
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    #: Non-fatal problems found while loading, each naming its JSON path.
    warnings: tuple[str, ...] = ()

    # Lookups are computed once per lens (the model is immutable): a lens may have thousands of questions and
    # the screens look questions up on every keypress.
    @cached_property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for p in self.pillars for q in p.questions)

    def question(self, question_id: str) -> Question | None:
        return self._questions_by_id.get(question_id)

    def pillar(self, pillar_id: str) -> Pillar | None:
        return self._pillars_by_id.get(pillar_id)

    @cached_property
    def _questions_by_id(self) -> dict[str, Question]:
        return {q.id: q for q in self.questions}

    @cached_property
    def _pillars_by_id(self) -> dict[str, Pillar]:
        return {p.id: p for p in self.pillars}
