"""Every register target the domain writes, declared once.

A target is the name of one multi-value register of a session (``answer/wellarchitected/identities``). Its first
segment is its kind. This list is the single declaration of the kinds: the bundle schema has one
``target.<name>`` definition per entry (a test compares them), the bundle reader validates each operation's value
against its kind's value definition, ``docs/bundle-format.md`` lists each kind (a test checks), and a property
test drives random workshops through the ``Review`` API and finds every operation they write here.

A target in none of the listed forms (a newer app's kind, or a new field of a known kind) is kept and written out
again without being interpreted, so an older app merging a newer file loses nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache

from wat_tui.lens.loader import ALIAS_MAX, ALIAS_PATTERN

#: Limits shared by local input (``wat_tui/review/validate.py``) and the bundle schema (``shortText`` and friends;
#: a test compares the numbers). Text longer than its limit is refused where it is typed, so every value this app
#: stores, its own bundles can carry.
SHORT_TEXT_MAX = 500
NOTE_BODY_MAX = 200_000
ACTION_TEXT_MAX = 5_000
SESSION_TEXT_MAX = 5_000
PARKING_REASON_MAX = 5_000
PLANNED_MINUTES_MAX = 24 * 60
AGENDA_BLOCKS_MAX = 200
LENSES_MAX = 64
#: A finding's analysis note; the findings one action item addresses; a milestone's name, questions and actions.
ANALYSIS_NOTE_MAX = 5_000
ACTION_FINDINGS_MAX = 200
MILESTONE_NAME_MAX = 500
MILESTONE_ITEMS_MAX = 10_000
#: A cadence id (``new``, ``critical`` …; a newer version's own id is kept as a token).
CADENCE_MAX = 64
#: A question key ``<lens alias>/<question id>`` (notes, action items, timers), and a block or interval id.
QUESTION_KEY_MAX = 300
ID_MAX = 128
#: A lens alias: the lens loader's rule (an alias appears in targets, so it is a plain token).
LENS_ALIAS_PATTERN = ALIAS_PATTERN
LENS_ALIAS_MAX = ALIAS_MAX

#: A generic target: a kind, then optionally ``/`` and anything. Unknown kinds of this form are kept.
GENERIC_PATTERN = r"^[a-z][a-z0-9_-]*(/.+)?$"


@dataclass(frozen=True)
class TargetKind:
    #: Name of the schema definition ``target.<name>`` and of the row in the docs.
    name: str
    #: The whole target, as a regular expression (anchored when compiled).
    pattern: str
    #: The ``$defs`` entry of ``bundle.schema.json`` its value must match.
    value_def: str
    #: How the docs write it.
    form: str

    @property
    def kind(self) -> str:
        """The first segment: ``answer``, ``session``, ``agenda`` …"""
        return self.pattern.split("/", 1)[0]


TARGETS: tuple[TargetKind, ...] = (
    TargetKind("session-text", r"session/(name|workload|workload_type|created_at)", "sessionTextValue",
               "session/name|workload|workload_type|created_at"),
    TargetKind("session-planned-minutes", r"session/planned_minutes", "plannedMinutesValue",
               "session/planned_minutes"),
    TargetKind("session-lenses", r"session/lenses", "sessionLensesValue", "session/lenses"),
    TargetKind("answer", r"answer/[^/]+/[^/]+", "answerValue", "answer/<lens alias>/<question id>"),
    TargetKind("note", r"note/[^/]+", "noteValue", "note/<uuid>"),
    TargetKind("action", r"action/[^/]+", "actionValue", "action/<uuid>"),
    TargetKind("action-field", r"action/[^/]+/(title|owner|due|status)", "actionFieldValue",
               "action/<uuid>/title|owner|due|status"),
    TargetKind("participant", r"participant/.+", "participantValue", "participant/<normalised name or e-mail>"),
    TargetKind("agenda", r"agenda", "agendaValue", "agenda"),
    TargetKind("timer", r"timer/[^/]+", "timerValue", "timer/<uuid>"),
    TargetKind("parking", r"parking/[^/]+/[^/]+", "parkingValue", "parking/<lens alias>/<question id>"),
    TargetKind("session-cadence", r"session/cadence", "cadenceValue", "session/cadence"),
    TargetKind("analysis", r"analysis/[^/]+/[^/]+(/[^/]+)?", "analysisValue",
               "analysis/<lens alias>/<question id>[/<choice id>]"),
    TargetKind("action-findings", r"action/[^/]+/findings", "actionFindingsValue", "action/<uuid>/findings"),
    TargetKind("milestone", r"milestone/[^/]+", "milestoneValue", "milestone/<uuid>"),
)

KINDS: frozenset[str] = frozenset(t.kind for t in TARGETS)


@cache
def _by_kind() -> dict[str, tuple[tuple[re.Pattern[str], TargetKind], ...]]:
    out: dict[str, list[tuple[re.Pattern[str], TargetKind]]] = {}
    for t in TARGETS:
        out.setdefault(t.kind, []).append((re.compile(t.pattern), t))
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=1 << 16)
def target_kind(target: str) -> TargetKind | None:
    """The declared kind of ``target``; None for a form this version does not know. Remembered: the same targets
    come back with every read of a session."""
    for regex, t in _by_kind().get(target.split("/", 1)[0], ()):
        if regex.fullmatch(target):
            return t
    return None
