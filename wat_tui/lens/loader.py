"""Load lenses in the AWS custom-lens JSON format (schemaVersion 2021-11-01).

Lenient where real files stray from the specification (unknown keys are kept, a UTF-8 BOM is skipped, a question
without a ``default`` rule is treated as HIGH risk when no rule holds, with a warning); strict where the data cannot
be used, raising :class:`LensError` naming the file and the JSON path.
"""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path
from typing import Any

from wat_tui.lens.conditions import ConditionSyntaxError, choice_refs, parse_condition
from wat_tui.lens.model import Choice, Lens, Pillar, Question, Resource, RiskRule
from wat_tui.lens.risk import RULE_RISKS

SCHEMA_VERSIONS = ("2021-11-01",)
#: Real lenses are well under this; the AWS tool itself refuses custom lenses over 500 KB.
MAX_LENS_BYTES = 1024 * 1024
MAX_ID_LENGTH = 128

_KNOWN_LENS = {"schemaVersion", "name", "description", "pillars", "_alias", "_version"}
_KNOWN_PILLAR = {"id", "name", "questions"}
_KNOWN_QUESTION = {"id", "title", "description", "choices", "riskRules", "helpfulResource", "ref", "shortTitle"}
_KNOWN_CHOICE = {
    "id", "title", "description", "helpfulResource", "improvementPlan", "additionalResources", "riskLevel", "ref",
}
_ID = re.compile(r"^[A-Za-z0-9_.\-]+$")


class LensError(ValueError):
    """A lens that cannot be used: ``where`` is the JSON path of the problem."""

    def __init__(self, source: str, where: str, problem: str) -> None:
        self.source = source
        self.where = where
        self.problem = problem
        super().__init__(f"{source}: {where}: {problem}" if where else f"{source}: {problem}")


def alias_from_name(name: str) -> str:
    """A lens alias made from a file stem or a name: lower case, words joined by hyphens."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
    return slug or "lens"


def load_lens(path: Path | str, alias: str | None = None) -> Lens:
    """Read and validate a lens file."""
    p = Path(path)
    try:
        size = p.stat().st_size
        if size > MAX_LENS_BYTES:
            raise LensError(str(p), "", f"file is {size / 1e6:.1f} MB; lens files are limited to 1 MiB")
        data = p.read_bytes()
    except OSError as exc:
        raise LensError(str(p), "", f"cannot read file: {exc.strerror or exc}") from exc
    return load_lens_bytes(data, str(p), alias=alias or alias_from_name(p.stem))


def load_lens_bytes(data: bytes, source: str, alias: str | None = None) -> Lens:
    if len(data) > MAX_LENS_BYTES:
        raise LensError(source, "", f"file is {len(data) / 1e6:.1f} MB; lens files are limited to 1 MiB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LensError(source, "", f"not valid UTF-8 (byte offset {exc.start})") from exc
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        raise LensError(source, "", f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from exc
    except RecursionError as exc:
        raise LensError(source, "", "JSON nested too deeply") from exc
    return _Builder(source).lens(doc, alias, hashlib.sha256(data).hexdigest())


class _Builder:
    def __init__(self, source: str) -> None:
        self.source = source
        self.warnings: list[str] = []

    def fail(self, where: str, problem: str) -> LensError:
        return LensError(self.source, where, problem)

    def obj(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"expected an object, found {_kind(value)}")
        return value

    def text(self, obj: dict[str, Any], key: str, where: str, required: bool = True, limit: int = 0) -> str:
        value = obj.get(key)
        if value is None:
            if required:
                raise self.fail(f"{where}.{key}" if where else key, "missing")
            return ""
        if isinstance(value, int | float) and not isinstance(value, bool):
            self.warnings.append(f"{where}.{key}: a number where text belongs; read as text")
            value = str(value)
        if not isinstance(value, str):
            raise self.fail(f"{where}.{key}" if where else key, f"expected text, found {_kind(value)}")
        if required and not value.strip():
            raise self.fail(f"{where}.{key}" if where else key, "empty")
        return value

    def ident(self, obj: dict[str, Any], where: str) -> str:
        value = self.text(obj, "id", where)
        if len(value) > MAX_ID_LENGTH or not _ID.match(value):
            raise self.fail(f"{where}.id", f"invalid id {value!r}")
        return value

    def resource(self, value: Any, where: str) -> Resource | None:
        if value is None:
            return None
        obj = self.obj(value, where)
        text = self.text(obj, "displayText", where, required=False)
        url = obj.get("url")
        if url is not None and not isinstance(url, str):
            raise self.fail(f"{where}.url", f"expected text, found {_kind(url)}")
        return Resource(text, url)

    def lens(self, doc: Any, alias: str | None, content_hash: str) -> Lens:
        doc = self.obj(doc, "(top level)")
        schema = doc.get("schemaVersion")
        if schema not in SCHEMA_VERSIONS:
            raise self.fail("schemaVersion", f"unsupported value {schema!r}; expected one of {list(SCHEMA_VERSIONS)}")
        name = self.text(doc, "name", "")
        description = self.text(doc, "description", "", required=False)
        pillars_raw = doc.get("pillars")
        if not isinstance(pillars_raw, list) or not pillars_raw:
            raise self.fail("pillars", "expected a non-empty list")
        pillars: list[Pillar] = []
        seen_pillars: set[str] = set()
        seen_questions: dict[str, str] = {}
        for i, raw in enumerate(pillars_raw):
            where = f"pillars[{i}]"
            pillar = self.pillar(raw, where, seen_questions)
            if pillar.id in seen_pillars:
                raise self.fail(f"{where}.id", f"duplicate pillar id {pillar.id!r}")
            seen_pillars.add(pillar.id)
            pillars.append(pillar)
        given_alias = doc.get("_alias")
        version = doc.get("_version")
        return Lens(
            alias=str(given_alias) if isinstance(given_alias, str) and alias is None else (alias or name),
            name=name,
            version=str(version) if isinstance(version, str | int | float) else content_hash[:8],
            description=description,
            content_hash=content_hash,
            pillars=tuple(pillars),
            schema_version=schema,
            extra={k: v for k, v in doc.items() if k not in _KNOWN_LENS},
            warnings=tuple(self.warnings),
        )

    def pillar(self, raw: Any, where: str, seen_questions: dict[str, str]) -> Pillar:
        obj = self.obj(raw, where)
        pid = self.ident(obj, where)
        name = self.text(obj, "name", where)
        qs = obj.get("questions")
        if not isinstance(qs, list) or not qs:
            raise self.fail(f"{where}.questions", "expected a non-empty list")
        questions = []
        for j, qraw in enumerate(qs):
            qwhere = f"{where}.questions[{j}]"
            q = self.question(qraw, qwhere, pid)
            if q.id in seen_questions:
                raise self.fail(f"{qwhere}.id", f"duplicate question id {q.id!r} (also at {seen_questions[q.id]})")
            seen_questions[q.id] = qwhere
            questions.append(q)
        return Pillar(pid, name, tuple(questions))

    def question(self, raw: Any, where: str, pillar_id: str) -> Question:
        obj = self.obj(raw, where)
        qid = self.ident(obj, where)
        title = self.text(obj, "title", where)
        description = self.text(obj, "description", where, required=False)
        choices_raw = obj.get("choices")
        if not isinstance(choices_raw, list) or not choices_raw:
            raise self.fail(f"{where}.choices", "expected a non-empty list")
        choices: list[Choice] = []
        seen: set[str] = set()
        for k, craw in enumerate(choices_raw):
            c = self.choice(craw, f"{where}.choices[{k}]")
            if c.id in seen:
                raise self.fail(f"{where}.choices[{k}].id", f"duplicate choice id {c.id!r}")
            seen.add(c.id)
            choices.append(c)
        rules_raw = obj.get("riskRules")
        if not isinstance(rules_raw, list) or not rules_raw:
            raise self.fail(f"{where}.riskRules", "expected a non-empty list")
        rules: list[RiskRule] = []
        for k, rraw in enumerate(rules_raw):
            rwhere = f"{where}.riskRules[{k}]"
            robj = self.obj(rraw, rwhere)
            ctext = self.text(robj, "condition", rwhere)
            try:
                cond = parse_condition(ctext)
            except ConditionSyntaxError as exc:
                raise self.fail(f"{rwhere}.condition", f"{exc} at character {exc.position + 1}") from exc
            for ref in sorted(choice_refs(cond)):
                if ref not in seen:
                    raise self.fail(f"{rwhere}.condition", f"unknown choice id {ref!r}")
            risk = robj.get("risk")
            if risk not in RULE_RISKS:
                raise self.fail(f"{rwhere}.risk", f"unknown risk {risk!r}; expected one of {sorted(RULE_RISKS)}")
            rules.append(RiskRule(ctext, cond, RULE_RISKS[risk].value))
        if not any(r.condition_text.strip() == "default" for r in rules):
            self.warnings.append(f"{where}.riskRules: no 'default' rule; HIGH risk when no rule holds")
        extra = {k: v for k, v in obj.items() if k not in _KNOWN_QUESTION}
        ref = obj.get("ref")
        short = obj.get("shortTitle")
        return Question(
            id=qid,
            title=title,
            description=description,
            choices=tuple(choices),
            risk_rules=tuple(rules),
            pillar_id=pillar_id,
            helpful_resource=self.resource(obj.get("helpfulResource"), f"{where}.helpfulResource"),
            ref=ref if isinstance(ref, str) else None,
            short_title=short if isinstance(short, str) else None,
            extra=extra,
        )

    def choice(self, raw: Any, where: str) -> Choice:
        obj = self.obj(raw, where)
        cid = self.ident(obj, where)
        title = self.text(obj, "title", where)
        extra_raw = obj.get("additionalResources") or []
        if not isinstance(extra_raw, list):
            raise self.fail(f"{where}.additionalResources", f"expected a list, found {_kind(extra_raw)}")
        additional = []
        for k, item in enumerate(extra_raw):
            res = self._additional(item, f"{where}.additionalResources[{k}]")
            if res:
                additional.extend(res)
        level = obj.get("riskLevel")
        if level is not None and level not in ("HIGH", "MEDIUM", "LOW"):
            raise self.fail(f"{where}.riskLevel", f"unknown level {level!r}; expected HIGH, MEDIUM or LOW")
        ref = obj.get("ref")
        return Choice(
            id=cid,
            title=title,
            description=self.text(obj, "description", where, required=False),
            helpful_resource=self.resource(obj.get("helpfulResource"), f"{where}.helpfulResource"),
            improvement_plan=self.resource(obj.get("improvementPlan"), f"{where}.improvementPlan"),
            additional_resources=tuple(additional),
            risk_level=level,
            ref=ref if isinstance(ref, str) else None,
            extra={k: v for k, v in obj.items() if k not in _KNOWN_CHOICE},
        )

    def _additional(self, item: Any, where: str) -> list[Resource]:
        # The format nests {type, content: [{displayText, url}]}; accept a bare resource too.
        obj = self.obj(item, where)
        content = obj.get("content")
        if isinstance(content, list):
            return [r for k, c in enumerate(content) if (r := self.resource(c, f"{where}.content[{k}]"))]
        res = self.resource(obj, where)
        return [res] if res else []


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}.get(
        type(value), "a number"
    )
