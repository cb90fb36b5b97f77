"""A lens of the session as the JSON the AWS Well-Architected Tool's ImportLens takes (a custom lens), offline.

The file is made from the exact bytes the session's lens version was stored with, keeping only what the tool's
custom-lens format has (schemaVersion, name, description, pillars, questions, choices, helpful resources,
improvement plans, additional resources, risk rules). Everything else (wat-tui's ``_alias`` and ``_version``, a
practice's ``ref`` and ``riskLevel``, a question's ``shortTitle``, unknown keys) is left out and counted.

The tool's limits apply and nothing is cut silently: a text over its limit is cut (marked with "…") and
reported in :attr:`LensExport.cuts`; what cutting cannot fix (too many pillars, questions, choices or risk
rules; an id longer than the tool takes; a choice without an improvement plan; a file over 500,000 bytes) is a
:class:`LensExportRefused` listing every problem, and nothing is written.

The limits: ImportLens's ``JSONString`` (at most 500,000 characters; botocore's model of the tool), the ids' lengths
in the model (pillar and choice ids 64, question ids 128), and the custom-lens format's own: a lens name of 128
characters and a description of 2,048; at most 10 pillars, 20 questions a pillar and 15 choices a question; pillar
names, question and choice titles of 128 characters; question descriptions and helpful resources of 2,048; choice
descriptions, helpful resources and improvement plans of 1,024; links of 2,048; at most 3 risk rules a question, one
for each risk; additional resources of one each type, with at most 5 links each.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass
from typing import Any

from wat_tui.errors import WatError

#: ImportLens's JSONString (the model says characters; the tool's console says 500 KB: the stricter, in bytes).
MAX_JSON = 500_000
MAX_PILLARS, MAX_QUESTIONS, MAX_CHOICES, MAX_RULES, MAX_LINKS = 10, 20, 15, 3, 5
ID_MAX = {"pillar": 64, "question": 128, "choice": 64}
NAME_MAX, TITLE_MAX, LONG_MAX, SHORT_MAX, URL_MAX = 128, 128, 2048, 1024, 2048
RISKS = ("HIGH_RISK", "MEDIUM_RISK", "NO_RISK")
RESOURCE_TYPES = ("HELPFUL_RESOURCE", "IMPROVEMENT_PLAN")
_LENS_KEYS = ("schemaVersion", "name", "description", "pillars")
_PILLAR_KEYS = ("id", "name", "questions")
_QUESTION_KEYS = ("id", "title", "description", "helpfulResource", "choices", "riskRules")
_CHOICE_KEYS = ("id", "title", "description", "helpfulResource", "improvementPlan", "additionalResources")
MARK = "…"


@dataclass(frozen=True)
class TextCut:
    where: str
    kept: int
    total: int


@dataclass(frozen=True)
class LensExport:
    #: The JSON text ImportLens takes (its JSONString; also what ``aws wellarchitected import-lens`` reads).
    text: str
    cuts: tuple[TextCut, ...]
    #: Key -> how many times it was left out (not in the tool's format).
    left_out: dict[str, int]
    pillars: int
    questions: int
    choices: int

    @property
    def size(self) -> int:
        return len(self.text.encode("utf-8"))


class LensExportRefused(WatError):
    def __init__(self, alias: str, problems: list[str]) -> None:
        shown = "; ".join(problems[:5]) + (f"; and {len(problems) - 5} more" if len(problems) > 5 else "")
        super().__init__(f"lens {alias!r} does not fit the tool's custom-lens format "
                         f"({len(problems)} problem(s)): {shown}")
        self.problems = problems


class _Export:
    def __init__(self) -> None:
        self.cuts: list[TextCut] = []
        self.problems: list[str] = []
        self.left_out: Counter[str] = Counter()

    def keep(self, obj: dict[str, Any], keys: tuple[str, ...]) -> None:
        for key in obj:
            if key not in keys:
                self.left_out[key] += 1

    def text(self, value: Any, most: int, where: str) -> str:
        text = "" if value is None else str(value)
        if len(text) <= most:
            return text
        kept = text[: most - len(MARK)].rstrip() + MARK
        self.cuts.append(TextCut(where, len(kept), len(text)))
        return kept

    def ident(self, value: Any, kind: str, where: str) -> str:
        text = str(value)
        if len(text) > ID_MAX[kind]:
            self.problems.append(f"{where}.id: {len(text)} characters; the tool takes at most {ID_MAX[kind]} "
                                 "(ids cannot be cut: the answers name them)")
        return text

    def count(self, items: list[Any], most: int, what: str, where: str) -> None:
        if len(items) > most:
            self.problems.append(f"{where}: {len(items)} {what}; the tool takes at most {most}")

    def resource(self, value: Any, most: int, where: str) -> dict[str, str] | None:
        if not isinstance(value, dict):
            return None
        out = {}
        if value.get("displayText") is not None:
            out["displayText"] = self.text(value["displayText"], most, f"{where}.displayText")
        if value.get("url"):
            out["url"] = self.text(value["url"], URL_MAX, f"{where}.url")
        for key in value:
            if key not in ("displayText", "url"):
                self.left_out[key] += 1
        return out or None

    def lens(self, doc: dict[str, Any]) -> dict[str, Any]:
        self.keep(doc, _LENS_KEYS)
        pillars = list(doc.get("pillars") or [])
        self.count(pillars, MAX_PILLARS, "pillars", "pillars")
        out: dict[str, Any] = {"schemaVersion": str(doc.get("schemaVersion", "2021-11-01")),
                               "name": self.text(doc.get("name"), NAME_MAX, "name")}
        if doc.get("description"):
            out["description"] = self.text(doc["description"], LONG_MAX, "description")
        out["pillars"] = [self.pillar(p, f"pillars[{i}]") for i, p in enumerate(pillars)]
        return out

    def pillar(self, p: dict[str, Any], where: str) -> dict[str, Any]:
        self.keep(p, _PILLAR_KEYS)
        questions = list(p.get("questions") or [])
        self.count(questions, MAX_QUESTIONS, "questions", f"{where}.questions")
        return {"id": self.ident(p.get("id"), "pillar", where), "name": self.text(p.get("name"), NAME_MAX,
                                                                                   f"{where}.name"),
                "questions": [self.question(q, f"{where}.questions[{j}]") for j, q in enumerate(questions)]}

    def question(self, q: dict[str, Any], where: str) -> dict[str, Any]:
        self.keep(q, _QUESTION_KEYS)
        out: dict[str, Any] = {"id": self.ident(q.get("id"), "question", where),
                               "title": self.text(q.get("title"), TITLE_MAX, f"{where}.title")}
        if q.get("description"):
            out["description"] = self.text(q["description"], LONG_MAX, f"{where}.description")
        helpful = self.resource(q.get("helpfulResource"), LONG_MAX, f"{where}.helpfulResource")
        if helpful:
            out["helpfulResource"] = helpful
        choices = list(q.get("choices") or [])
        self.count(choices, MAX_CHOICES, "choices", f"{where}.choices")
        out["choices"] = [self.choice(c, f"{where}.choices[{k}]") for k, c in enumerate(choices)]
        rules = list(q.get("riskRules") or [])
        self.count(rules, MAX_RULES, "risk rules", f"{where}.riskRules")
        risks = Counter(str(r.get("risk")) for r in rules if isinstance(r, dict))
        for risk, n in risks.items():
            if n > 1:
                self.problems.append(f"{where}.riskRules: {n} rules for {risk}; the tool takes one for each risk")
        out["riskRules"] = []
        for k, r in enumerate(rules):
            self.keep(r, ("condition", "risk"))
            out["riskRules"].append({"condition": self.text(r.get("condition"), LONG_MAX,
                                                            f"{where}.riskRules[{k}].condition"),
                                     "risk": str(r.get("risk"))})
        return out

    def choice(self, c: dict[str, Any], where: str) -> dict[str, Any]:
        self.keep(c, _CHOICE_KEYS)
        out: dict[str, Any] = {"id": self.ident(c.get("id"), "choice", where),
                               "title": self.text(c.get("title"), TITLE_MAX, f"{where}.title")}
        if c.get("description"):
            out["description"] = self.text(c["description"], SHORT_MAX, f"{where}.description")
        for key in ("helpfulResource", "improvementPlan"):
            res = self.resource(c.get(key), SHORT_MAX, f"{where}.{key}")
            if res:
                out[key] = res
        if "improvementPlan" not in out and not str(out["id"]).endswith("_no"):
            self.problems.append(f"{where}.improvementPlan: missing; the tool needs one for every choice")
        extra = c.get("additionalResources") or []
        if extra:
            out["additionalResources"] = self.additional(extra, f"{where}.additionalResources")
        return out

    def additional(self, items: list[Any], where: str) -> list[dict[str, Any]]:
        out = []
        seen: Counter[str] = Counter()
        for i, item in enumerate(items):
            at = f"{where}[{i}]"
            if not isinstance(item, dict):
                continue
            kind = str(item.get("type", "HELPFUL_RESOURCE"))
            if kind not in RESOURCE_TYPES:
                self.problems.append(f"{at}.type: {kind[:40]!r}; the tool takes {' or '.join(RESOURCE_TYPES)}")
            seen[kind] += 1
            raw = item.get("content")
            content: list[Any] = raw if isinstance(raw, list) else [item]
            self.count(content, MAX_LINKS, "links", f"{at}.content")
            links = [r for k, c in enumerate(content) if (r := self.resource(c, SHORT_MAX, f"{at}.content[{k}]"))]
            out.append({"type": kind, "content": links})
        for kind, n in seen.items():
            if n > 1:
                self.problems.append(f"{where}: {n} of type {kind}; the tool takes one of each type")
        return out


def export_lens(alias: str, source: bytes) -> LensExport:
    """The stored lens version ``source`` (its exact bytes) as ImportLens's JSON; raises
    :class:`LensExportRefused` listing every problem cutting cannot fix."""
    doc = json.loads(source.decode("utf-8-sig"))
    ex = _Export()
    out = ex.lens(doc)
    text = json.dumps(out, ensure_ascii=False, separators=(",", ":"))
    size = len(text.encode("utf-8"))
    if size > MAX_JSON:
        ex.problems.append(f"the file would be {size:,} bytes; the tool takes at most {MAX_JSON:,}")
    if ex.problems:
        raise LensExportRefused(alias, ex.problems)
    questions = [q for p in out["pillars"] for q in p["questions"]]
    return LensExport(text, tuple(ex.cuts), dict(ex.left_out), len(out["pillars"]), len(questions),
                      sum(len(q["choices"]) for q in questions))


def import_lens_problems(export: LensExport) -> list[str]:
    """What botocore's model of ImportLens says of the request carrying this file (offline)."""
    from wat_tui.exchange.aws import problems

    return problems("ImportLens", {"JSONString": export.text, "ClientRequestToken": "wat-tui"}, workload_id=None)
