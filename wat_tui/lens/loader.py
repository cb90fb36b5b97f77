"""Load lenses in the AWS custom-lens JSON format (schemaVersion 2021-11-01).

Lenient where real files stray from the specification: unknown keys are kept (in ``extra``), a UTF-8 BOM
is skipped, a number where text belongs is read as text, and a question without a ``default`` rule is
treated as HIGH risk when no rule holds; each of these but the first two adds a warning. Strict where the
data cannot be used, raising :class:`LensError` naming the file and the JSON path
(``pillars[2].questions[5].riskRules[1].condition``), and where a lens passes the size limits below
(``pillars: 5,000 pillars; at most 100``): every lens within them opens quickly.
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
# How much one lens may hold: about ten times what the AWS tool allows a custom lens (10 pillars, 20 questions a
# pillar, 15 choices a question, 3 risk rules, names and titles of 128 characters, texts of 2,048), far beyond
# any real lens, and still quick to open (benchmarks/bench_lens_limits.py). The agenda plans a block per pillar.
MAX_PILLARS = 100
MAX_QUESTIONS_PER_PILLAR = 200
MAX_QUESTIONS_PER_LENS = 2_000
MAX_CHOICES_PER_QUESTION = 150
MAX_RULES_PER_QUESTION = 30
#: Names, titles, short titles and references (one line on the projector).
MAX_TITLE_LENGTH = 1_000
#: Descriptions, resource texts, links and risk-rule conditions. The lens's own description, shown on no
#: screen, is limited only by the file's size.
MAX_TEXT_LENGTH = 20_000
#: List key -> (most items, what they are, where the limit holds).
_MAX_ITEMS = {
    "pillars": (MAX_PILLARS, "pillars", ""),
    "questions": (MAX_QUESTIONS_PER_PILLAR, "questions", " in one pillar"),
    "choices": (MAX_CHOICES_PER_QUESTION, "choices", " in one question"),
    "riskRules": (MAX_RULES_PER_QUESTION, "risk rules", " in one question"),
}
#: Text key -> most characters (ids have their own rule).
_MAX_TEXT = {"name": MAX_TITLE_LENGTH, "title": MAX_TITLE_LENGTH, "shortTitle": MAX_TITLE_LENGTH,
             "ref": MAX_TITLE_LENGTH, "description": MAX_TEXT_LENGTH, "displayText": MAX_TEXT_LENGTH,
             "url": MAX_TEXT_LENGTH, "condition": MAX_TEXT_LENGTH}

_KNOWN_LENS = {"schemaVersion", "name", "description", "pillars", "_alias", "_version"}
_KNOWN_PILLAR = {"id", "name", "questions"}
_KNOWN_QUESTION = {
    "id", "title", "description", "choices", "riskRules", "helpfulResource", "ref", "shortTitle",
}
_KNOWN_CHOICE = {
    "id", "title", "description", "helpfulResource", "improvementPlan", "additionalResources", "riskLevel",
    "ref",
}
_ID = re.compile(r"[A-Za-z0-9_.\-]+")
#: A lens alias names the lens in register targets and session bundles (``answer/<alias>/<question id>``), so it
#: is a plain token: the bundle schema says the same (``wat_tui/review/targets.py`` re-exports these for it).
ALIAS_PATTERN = r"[A-Za-z0-9][A-Za-z0-9._-]*"
ALIAS_MAX = 64


class LensError(ValueError):
    """A lens that cannot be used: ``where`` is the JSON path of the problem."""

    def __init__(self, source: str, where: str, problem: str) -> None:
        self.source = source
        self.where = where
        self.problem = problem
        super().__init__(f"{source}: {where}: {problem}" if where else f"{source}: {problem}")


def alias_from_name(name: str) -> str:
    """A lens alias made from a file stem or a name: lower case, words joined by hyphens."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")[:ALIAS_MAX].rstrip("-")
    return slug or "lens"


def check_alias(alias: str, source: str) -> None:
    """Refuse an alias a session bundle could not carry (a space, a ``/``, more than 64 characters)."""
    if len(alias) > ALIAS_MAX or not re.fullmatch(ALIAS_PATTERN, alias):
        raise LensError(source, "", f"alias {alias[:80]!r}: use letters, digits, '.', '_' and '-', starting with a "
                        f"letter or digit, at most {ALIAS_MAX} characters")


def load_lens(path: Path | str, alias: str | None = None) -> Lens:
    """Read and validate a lens file."""
    p = Path(path)
    alias = alias or alias_from_name(p.stem)
    check_alias(alias, str(p))
    try:
        size = p.stat().st_size
        if size > MAX_LENS_BYTES:
            raise LensError(str(p), "", _too_big(size))
        data = p.read_bytes()
    except OSError as exc:
        raise LensError(str(p), "", f"cannot read file: {exc.strerror or exc}") from exc
    return load_lens_bytes(data, str(p), alias=alias)


def _too_big(size: int) -> str:
    return f"file is {size / 2**20:.1f} MiB; lens files are limited to {MAX_LENS_BYTES // 2**20} MiB"


def load_lens_bytes(data: bytes, source: str, alias: str | None = None) -> Lens:
    """Parse and validate a lens; ``source`` names it in messages. The alias is ``alias``, else the file's
    ``_alias`` key, else one made from the lens name."""
    if len(data) > MAX_LENS_BYTES:
        raise LensError(source, "", _too_big(len(data)))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise LensError(source, "", f"not valid UTF-8 (byte offset {exc.start})") from exc
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        problem = f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}"
        raise LensError(source, "", problem) from exc
    except RecursionError as exc:
        raise LensError(source, "", "JSON nested too deeply") from exc
    return _Builder(source).lens(doc, alias, hashlib.sha256(data).hexdigest())


def _path(where: str, key: str) -> str:
    return f"{where}.{key}" if where else key


class _Builder:
    def __init__(self, source: str) -> None:
        self.source = source
        self.warnings: list[str] = []
        self.question_count = 0

    def fail(self, where: str, problem: str) -> LensError:
        return LensError(self.source, where, problem)

    def obj(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"expected an object, found {_kind(value)}")
        return value

    def items(self, obj: dict[str, Any], key: str, where: str) -> list[Any]:
        value = obj.get(key)
        if not isinstance(value, list):
            found = "nothing" if value is None else _kind(value)
            raise self.fail(_path(where, key), f"expected a non-empty list, found {found}")
        if not value:
            raise self.fail(_path(where, key), "expected a non-empty list, found an empty one")
        if key in _MAX_ITEMS and len(value) > _MAX_ITEMS[key][0]:
            most, what, scope = _MAX_ITEMS[key]
            raise self.fail(_path(where, key), f"{len(value):,} {what}; at most {most:,}{scope}")
        return value

    def text(self, obj: dict[str, Any], key: str, where: str, required: bool = True) -> str:
        at = _path(where, key)
        value = obj.get(key)
        if value is None:
            if required:
                raise self.fail(at, "missing")
            return ""
        if isinstance(value, int | float) and not isinstance(value, bool):
            self.warnings.append(f"{at}: a number where text belongs; read as text")
            value = str(value)
        if not isinstance(value, str):
            raise self.fail(at, f"expected text, found {_kind(value)}")
        if required and not value.strip():
            raise self.fail(at, "empty")
        if len(value) > _MAX_TEXT.get(key, len(value)) and not (key == "description" and not where):
            raise self.fail(at, f"{len(value):,} characters; at most {_MAX_TEXT[key]:,}")
        try:
            value.encode("utf-8")
        except UnicodeEncodeError as exc:
            # JSON can spell a lone surrogate (\ud800) that no terminal or database text can hold.
            raise self.fail(at, f"not valid Unicode (lone surrogate at character {exc.start + 1})") from exc
        return value

    def optional(self, obj: dict[str, Any], key: str, where: str) -> str | None:
        """A text the format does not define (``ref``, ``shortTitle``): kept when it is text, else ignored."""
        value = obj.get(key)
        return self.text(obj, key, where, required=False) if isinstance(value, str) else None

    def ident(self, obj: dict[str, Any], where: str) -> str:
        value = self.text(obj, "id", where)
        if len(value) > MAX_ID_LENGTH or not _ID.fullmatch(value):
            raise self.fail(f"{where}.id", f"invalid id {_brief(value)} (letters, digits, '_', '.', '-'; "
                            f"at most {MAX_ID_LENGTH} characters)")
        return value

    def resource(self, value: Any, where: str) -> Resource | None:
        if value is None:
            return None
        obj = self.obj(value, where)
        text = self.text(obj, "displayText", where, required=False)
        url = self.text(obj, "url", where, required=False) if obj.get("url") is not None else None
        return Resource(text, url)

    def lens(self, doc: Any, alias: str | None, content_hash: str) -> Lens:
        doc = self.obj(doc, "(top level)")
        schema = doc.get("schemaVersion")
        if not isinstance(schema, str) or schema not in SCHEMA_VERSIONS:
            found = "missing" if schema is None else f"unsupported value {_brief(schema)}"
            raise self.fail("schemaVersion", f"{found}; expected one of {', '.join(SCHEMA_VERSIONS)}")
        name = self.text(doc, "name", "")
        description = self.text(doc, "description", "", required=False)
        pillars_raw = self.items(doc, "pillars", "")
        seen_pillars: dict[str, str] = {}
        seen_questions: dict[str, str] = {}
        pillars = [self.pillar(raw, f"pillars[{i}]", seen_pillars, seen_questions)
                   for i, raw in enumerate(pillars_raw)]
        given_alias = doc.get("_alias")
        if not alias:
            named = isinstance(given_alias, str) and given_alias.strip()
            alias = given_alias if named else alias_from_name(name)
        version = doc.get("_version")
        has_version = isinstance(version, str | int | float) and not isinstance(version, bool)
        return Lens(
            alias=alias,
            name=name,
            version=str(version) if has_version and str(version).strip() else content_hash[:8],
            description=description,
            content_hash=content_hash,
            pillars=tuple(pillars),
            schema_version=schema,
            extra={k: v for k, v in doc.items() if k not in _KNOWN_LENS},
            warnings=tuple(self.warnings),
        )

    def unique(self, kind: str, ident: str, where: str, seen: dict[str, str]) -> None:
        """Ids are checked as soon as they are read, so a copied block is reported as the duplicate it is."""
        if ident in seen:
            raise self.fail(f"{where}.id", f"duplicate {kind} id {ident!r} (also at {seen[ident]})")
        seen[ident] = where

    def pillar(
        self, raw: Any, where: str, seen_pillars: dict[str, str], seen_questions: dict[str, str]
    ) -> Pillar:
        obj = self.obj(raw, where)
        pid = self.ident(obj, where)
        self.unique("pillar", pid, where, seen_pillars)
        name = self.text(obj, "name", where)
        qs = self.items(obj, "questions", where)
        self.question_count += len(qs)
        if self.question_count > MAX_QUESTIONS_PER_LENS:
            raise self.fail(f"{where}.questions", f"{self.question_count:,} questions in the lens up to here; "
                            f"at most {MAX_QUESTIONS_PER_LENS:,}")
        questions = [
            self.question(qraw, f"{where}.questions[{j}]", pid, seen_questions) for j, qraw in enumerate(qs)
        ]
        extra = {k: v for k, v in obj.items() if k not in _KNOWN_PILLAR}
        return Pillar(pid, name, tuple(questions), extra=extra)

    def question(self, raw: Any, where: str, pillar_id: str, seen_questions: dict[str, str]) -> Question:
        obj = self.obj(raw, where)
        qid = self.ident(obj, where)
        self.unique("question", qid, where, seen_questions)
        title = self.text(obj, "title", where)
        description = self.text(obj, "description", where, required=False)
        choices_raw = self.items(obj, "choices", where)
        choices: list[Choice] = []
        seen: dict[str, str] = {}
        for k, craw in enumerate(choices_raw):
            cwhere = f"{where}.choices[{k}]"
            c = self.choice(craw, cwhere)
            self.unique("choice", c.id, cwhere, seen)
            choices.append(c)
        rules_raw = self.items(obj, "riskRules", where)
        rules: list[RiskRule] = []
        for k, rraw in enumerate(rules_raw):
            rwhere = f"{where}.riskRules[{k}]"
            robj = self.obj(rraw, rwhere)
            ctext = self.text(robj, "condition", rwhere)
            try:
                cond = parse_condition(ctext)
            except ConditionSyntaxError as exc:
                raise self.fail(f"{rwhere}.condition", f"{exc} at character {exc.position + 1}") from exc
            for cited in sorted(choice_refs(cond)):
                if cited not in seen:
                    raise self.fail(f"{rwhere}.condition", f"unknown choice id {cited!r}")
            risk = robj.get("risk")
            if not isinstance(risk, str) or risk not in RULE_RISKS:
                expected = ", ".join(sorted(RULE_RISKS))
                raise self.fail(f"{rwhere}.risk", f"unknown risk {_brief(risk)}; expected one of {expected}")
            rules.append(RiskRule(ctext, cond, RULE_RISKS[risk].value))
        if not any(r.condition_text.strip() == "default" for r in rules):
            self.warnings.append(f"{where}.riskRules: no 'default' rule; HIGH risk when no rule holds")
        extra = {k: v for k, v in obj.items() if k not in _KNOWN_QUESTION}
        ref = self.optional(obj, "ref", where)
        short = self.optional(obj, "shortTitle", where)
        return Question(
            id=qid,
            title=title,
            description=description,
            choices=tuple(choices),
            risk_rules=tuple(rules),
            pillar_id=pillar_id,
            helpful_resource=self.resource(obj.get("helpfulResource"), f"{where}.helpfulResource"),
            ref=ref,
            short_title=short,
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
        if level is not None and (not isinstance(level, str) or level not in ("HIGH", "MEDIUM", "LOW")):
            problem = f"unknown level {_brief(level)}; expected HIGH, MEDIUM or LOW"
            raise self.fail(f"{where}.riskLevel", problem)
        ref = self.optional(obj, "ref", where)
        return Choice(
            id=cid,
            title=title,
            description=self.text(obj, "description", where, required=False),
            helpful_resource=self.resource(obj.get("helpfulResource"), f"{where}.helpfulResource"),
            improvement_plan=self.resource(obj.get("improvementPlan"), f"{where}.improvementPlan"),
            additional_resources=tuple(additional),
            risk_level=level,
            ref=ref,
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


def _brief(value: Any) -> str:
    """A value from the file for a one-line message: text quoted and cut short, anything else by its kind."""
    if isinstance(value, str):
        return repr(value if len(value) <= 40 else value[:40] + "...")
    return _kind(value)


def _kind(value: Any) -> str:
    return {dict: "an object", list: "a list", str: "text", bool: "true/false", type(None): "null"}.get(
        type(value), "a number"
    )
