"""Workload-type presets, review cadence and the planner's time shares, read from ``content/workload-types.toml``."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from pathlib import Path

from wat_tui.errors import WatError
from wat_tui.lens.builtin import WORKLOAD_TYPES_FILE

PILLAR_IDS = (
    "operationalExcellence", "security", "reliability", "performance", "costOptimization", "sustainability",
)
PILLAR_NAMES = {
    "operationalExcellence": "Operational Excellence",
    "security": "Security",
    "reliability": "Reliability",
    "performance": "Performance Efficiency",
    "costOptimization": "Cost Optimization",
    "sustainability": "Sustainability",
}


@dataclass(frozen=True)
class Cadence:
    id: str
    name: str
    summary: str
    next_review_days: int
    light_review_days: int | None


@dataclass(frozen=True)
class WorkloadType:
    id: str
    name: str
    primary: tuple[str, ...]
    secondary: str
    rationale: str
    cadence: str

    def pillar_order(self) -> list[str]:
        """Every pillar, the primary ones first, then the secondary, then the rest in framework order."""
        first = [*self.primary, self.secondary]
        return first + [p for p in PILLAR_IDS if p not in first]


@dataclass(frozen=True)
class PlannerShares:
    """How the agenda planner shares the review time (the ``[planner]`` section; see ``review/agenda.py``).

    ``primary``, ``secondary`` and ``other`` are the shares of the pillar time one pillar block gets in each
    priority tier; ``question_spread`` is how far (a fraction of its tier's even share, either way) question
    counts may move a pillar's time; an extra lens gets ``lens_share`` of the review time, kept within
    ``lens_minutes`` (min, max), and all extra lenses together at most ``lens_max_share`` of it.
    """

    primary: float
    secondary: float
    other: float
    question_spread: float
    lens_share: float
    lens_minutes: tuple[int, int]
    lens_max_share: float


@dataclass(frozen=True)
class Presets:
    workload_types: tuple[WorkloadType, ...]
    cadences: tuple[Cadence, ...]
    planner: PlannerShares

    def workload_type(self, type_id: str) -> WorkloadType:
        for wt in self.workload_types:
            if type_id in (wt.id, wt.name):
                return wt
        known = ", ".join(wt.id for wt in self.workload_types)
        raise WatError(f"unknown workload type {type_id!r}; expected one of: {known}")

    def cadence(self, cadence_id: str) -> Cadence:
        for c in self.cadences:
            if c.id == cadence_id:
                return c
        raise WatError(f"unknown review cadence {cadence_id!r}")

    def next_review(self, type_id: str, reviewed_on: date) -> tuple[date, Cadence]:
        cadence = self.cadence(self.workload_type(type_id).cadence)
        return reviewed_on + timedelta(days=cadence.next_review_days), cadence


def load_presets(path: Path = WORKLOAD_TYPES_FILE) -> Presets:
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise WatError(f"{path}: cannot read workload types: {exc}") from exc
    if doc.get("format") != "wat-tui-workload-types" or doc.get("version") != 1:
        raise WatError(f"{path}: not a version 1 wat-tui workload-types file")
    cadences = tuple(
        Cadence(c["id"], c["name"], c["summary"], int(c["next_review_days"]), c.get("light_review_days"))
        for c in doc.get("cadence", [])
    )
    types = []
    for i, t in enumerate(doc.get("workload_type", [])):
        for pillar in [*t["primary"], t["secondary"]]:
            if pillar not in PILLAR_IDS:
                raise WatError(f"{path}: workload_type[{i}]: unknown pillar id {pillar!r}")
        types.append(
            WorkloadType(t["id"], t["name"], tuple(t["primary"]), t["secondary"], t["rationale"], t["cadence"])
        )
    return Presets(tuple(types), cadences, _planner_shares(doc.get("planner"), path))


def _planner_shares(section: object, path: Path) -> PlannerShares:
    """The ``[planner]`` section, checked: the tiers must be ordered even after the question spread."""
    if not isinstance(section, dict):
        raise WatError(f"{path}: missing [planner] section")
    where = f"{path}: [planner]"

    def number(key: str, low: float, high: float) -> float:
        value = section.get(key)
        if not isinstance(value, int | float) or isinstance(value, bool) or not low <= value <= high:
            raise WatError(f"{where}: {key} must be a number from {low} to {high}, got {value!r}")
        return float(value)

    primary, secondary, other = (number(k, 0.01, 100.0) for k in ("primary", "secondary", "other"))
    spread = number("question_spread", 0.0, 0.99)
    # The least a primary pillar can get must not fall below the secondary's share (one pillar: no spread),
    # and the most an other pillar can get must stay under it.
    if not (1 - spread) * primary >= secondary > (1 + spread) * other:
        raise WatError(f"{where}: the shares must keep primary >= secondary > other even after the"
                       f" question spread ({spread:g} either way)")
    lens_minutes = section.get("lens_minutes")
    if (not isinstance(lens_minutes, list) or len(lens_minutes) != 2
            or not all(isinstance(m, int) and not isinstance(m, bool) and m > 0 for m in lens_minutes)
            or lens_minutes[0] > lens_minutes[1]):
        raise WatError(f"{where}: lens_minutes must be [minimum, maximum] whole minutes, got {lens_minutes!r}")
    return PlannerShares(primary, secondary, other, spread, number("lens_share", 0.0, 1.0),
                         (lens_minutes[0], lens_minutes[1]), number("lens_max_share", 0.0, 1.0))


@cache
def presets() -> Presets:
    return load_presets()
