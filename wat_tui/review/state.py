"""Read models: what the screens and the report show, decoded from a session's registers."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from wat_tui.lens.model import Lens, Question
from wat_tui.lens.risk import Risk, question_risk
from wat_tui.store.oplog import Value

if TYPE_CHECKING:
    from wat_tui.review.analysis import Analysis
    from wat_tui.review.compare import Milestone

NOTE_PREFIX = "note/"
ACTION_PREFIX = "action/"
ANSWER_PREFIX = "answer/"
PARTICIPANT_PREFIX = "participant/"
ACTION_FIELDS = ("title", "owner", "due", "status")
ACTION_STATUSES = ("open", "in progress", "done")
ROLES = (
    "Facilitator",
    "Workload owner",
    "Operations engineer",
    "Security specialist",
    "Finance representative",
    "Scribe",
    "Other",
)


@dataclass(frozen=True)
class Answer:
    selected: tuple[str, ...] = ()
    #: choice id -> reason, for choices the room marked not applicable
    na_choices: dict[str, str] = field(default_factory=dict)
    not_applicable: bool = False
    reason: str | None = None

    @classmethod
    def from_value(cls, value: Any) -> Answer | None:
        if not isinstance(value, dict):
            return None
        return cls(
            selected=tuple(value.get("selected", ())),
            na_choices=dict(value.get("na_choices", {})),
            not_applicable=bool(value.get("not_applicable", False)),
            reason=value.get("reason"),
        )

    def to_value(self) -> dict[str, Any]:
        return {
            "selected": sorted(self.selected),
            "na_choices": dict(sorted(self.na_choices.items())),
            "not_applicable": self.not_applicable,
            "reason": self.reason,
        }

    def risk(self, question: Question) -> Risk:
        return question_risk(
            question, self.selected, not_applicable=self.not_applicable, na_choices=self.na_choices.keys()
        )

    @property
    def is_empty(self) -> bool:
        return not self.selected and not self.na_choices and not self.not_applicable


@dataclass(frozen=True)
class Note:
    id: str
    question: str
    author: str
    body: str
    private: bool
    #: Clock stamp of when the note was first written (notes are listed in this order).
    hlc: str
    conflict: bool = False


@dataclass(frozen=True)
class ActionItem:
    id: str
    question: str | None
    title: str
    owner: str
    due: str
    status: str
    hlc: str
    conflict_fields: tuple[str, ...] = ()


@dataclass(frozen=True)
class Participant:
    key: str
    name: str
    role: str
    email: str = ""


@dataclass(frozen=True)
class Conflict:
    target: str
    values: tuple[Value, ...]


@dataclass
class SessionState:
    """Everything about one session at one moment."""

    id: str
    name: str
    workload: str
    workload_type: str
    planned_minutes: int
    created_at: str
    lenses: list[Lens]
    answers: dict[str, Answer]
    notes: list[Note]
    actions: list[ActionItem]
    participants: list[Participant]
    conflicts: list[Conflict]
    #: Targets of registers holding a value the app cannot use (stored before the ingest rules, or by an older
    #: version): skipped everywhere, named here so the workspace and the report can say so.
    unreadable: list[str] = field(default_factory=list)
    # Analysis, action plan and follow-up (issue 14): filled by ``Review.full_state``; ``Review.state`` (read
    # after every keypress) leaves them empty.
    #: Finding key (``alias/qid`` or ``alias/qid/choice``) -> the room's analysis.
    analysis: dict[str, Analysis] = field(default_factory=dict)
    #: Action id -> the finding keys stored as its links (``review/roadmap.action_links`` adds its question).
    links: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: The cadence chosen for the session; "" when none was (the workload type's own applies).
    cadence: str = ""
    #: Recorded milestones, oldest first.
    milestones: list[Milestone] = field(default_factory=list)

    def question_key(self, lens: Lens, question: Question) -> str:
        return f"{lens.alias}/{question.id}"

    def answer(self, lens_alias: str, question_id: str) -> Answer | None:
        return self.answers.get(f"{lens_alias}/{question_id}")

    def risk(self, lens: Lens, question: Question) -> Risk:
        a = self.answers.get(f"{lens.alias}/{question.id}")
        return a.risk(question) if a else Risk.UNANSWERED

    def notes_for(self, key: str) -> list[Note]:
        return [n for n in self.notes if n.question == key]

    def actions_for(self, key: str) -> list[ActionItem]:
        return [a for a in self.actions if a.question == key]

    def lens(self, alias: str) -> Lens | None:
        for lens in self.lenses:
            if lens.alias == alias:
                return lens
        return None

    def counts(self) -> dict[Risk, int]:
        out = dict.fromkeys(Risk, 0)
        for lens in self.lenses:
            for q in lens.questions:
                out[self.risk(lens, q)] += 1
        return out

    @property
    def total_questions(self) -> int:
        return sum(len(lens.questions) for lens in self.lenses)

    @property
    def answered(self) -> int:
        return self.total_questions - self.counts()[Risk.UNANSWERED]


def current(values: list[Value]) -> Any:
    """The value to show: the newest, by hybrid clock; a conflict is shown elsewhere, never silently
    dropped."""
    return values[-1].value if values else None
