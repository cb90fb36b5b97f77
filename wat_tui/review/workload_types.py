"""Workload-type presets and review cadence, read from ``content/workload-types.toml``."""

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
class Presets:
    workload_types: tuple[WorkloadType, ...]
    cadences: tuple[Cadence, ...]

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
    return Presets(tuple(types), cadences)


@cache
def presets() -> Presets:
    return load_presets()
