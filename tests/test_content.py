"""The built-in content under content/: lenses, workload-type presets and the facilitator's guide.

Ids are checked against tests/fixtures/wa-framework-ids.md, a copy of the project's reference list (the shared
reference beside the repository is not available to every test run). The built-in lenses load through the same
loader as a user's lens, so these tests also prove that loader on our own files.
"""

from __future__ import annotations

import importlib.util
import json
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from markdown_it import MarkdownIt

from wat_tui.errors import WatError
from wat_tui.lens import Lens, Risk, load_lens, question_risk
from wat_tui.lens.builtin import BUILTIN_ALIASES, CONTENT_DIR, GUIDE_DIR, LENS_DIR, WORKLOAD_TYPES_FILE
from wat_tui.lens.conditions import choice_refs
from wat_tui.review.workload_types import load_presets

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = Path(__file__).resolve().parent / "fixtures" / "wa-framework-ids.md"


# -- the reference list --------------------------------------------------------------------------------------


@dataclass
class RefQuestion:
    label: str
    id: str
    none_id: str
    practices: list[tuple[str, str, str, str]] = field(default_factory=list)  # (BP ref, id, level, name)


@dataclass
class RefPillar:
    id: str
    questions: list[RefQuestion] = field(default_factory=list)


def parse_reference(text: str) -> tuple[list[RefPillar], str]:
    """The framework part as pillars -> questions -> practices, and the text about the specialised lenses."""
    framework, _, lenses = text.partition("# Specialised lenses")
    pillars: list[RefPillar] = []
    for line in framework.splitlines():
        if m := re.fullmatch(r"# .*\(.*`(\w+)`\)", line):
            pillars.append(RefPillar(m.group(1)))
        elif m := re.fullmatch(r"## (\w+): QuestionId `([^`]+)` \(\w+\); inferred none-choice `(\S+)`", line):
            pillars[-1].questions.append(RefQuestion(m.group(1), m.group(2), m.group(3)))
        elif m := re.fullmatch(r"- (\S+) -> `([^`]+)` \[(HIGH|MEDIUM|LOW)\] (.+)", line):
            name = re.sub(r" \(missing from the scrape.*\)$", "", m.group(4))
            pillars[-1].questions[-1].practices.append((m.group(1), m.group(2), m.group(3), name))
    return pillars, lenses


REF_PILLARS, REF_LENSES = parse_reference(REFERENCE.read_text(encoding="utf-8"))
PILLAR_IDS = [p.id for p in REF_PILLARS]
PREFIX_PILLAR = dict(zip(("OPS", "SEC", "REL", "PERF", "COST", "SUS"), PILLAR_IDS, strict=True))


def test_reference_copy_parses_to_the_framework_counts() -> None:
    assert PILLAR_IDS == [
        "operationalExcellence", "security", "reliability", "performance", "costOptimization",
        "sustainability",
    ]
    assert [len(p.questions) for p in REF_PILLARS] == [11, 11, 13, 5, 11, 6]
    assert sum(len(q.practices) for p in REF_PILLARS for q in p.questions) == 307
    ops07 = REF_PILLARS[0].questions[6]
    assert ("OPS07-BP02", "ops_ready_to_support_const_orr", "HIGH",
            "Ensure a consistent review of operational readiness") in ops07.practices


# -- the built-in lenses -------------------------------------------------------------------------------------


def builtin(alias: str) -> Lens:
    return load_lens(LENS_DIR / f"{alias}.json")


def raw(alias: str) -> dict[str, Any]:
    doc: dict[str, Any] = json.loads((LENS_DIR / f"{alias}.json").read_text(encoding="utf-8"))
    return doc


def test_wellarchitected_matches_the_reference_ids() -> None:
    lens = builtin("wellarchitected")
    assert lens.warnings == ()
    assert [p.id for p in lens.pillars] == PILLAR_IDS
    assert len(lens.questions) == 57
    practices = [c for q in lens.questions for c in q.choices if not c.is_none_choice]
    nones = [c for q in lens.questions for c in q.choices if c.is_none_choice]
    assert (len(practices), len(nones)) == (307, 57)
    for pillar, ref_pillar in zip(lens.pillars, REF_PILLARS, strict=True):
        assert [(q.ref, q.id) for q in pillar.questions] == [(r.label, r.id) for r in ref_pillar.questions]
        for q, ref_q in zip(pillar.questions, ref_pillar.questions, strict=True):
            got = [(c.ref, c.id, c.risk_level, c.title) for c in q.choices if not c.is_none_choice]
            assert got == ref_q.practices, q.ref
            assert [c.id for c in q.choices if c.is_none_choice] == [ref_q.none_id]
            assert q.choices[-1].id == ref_q.none_id


def test_the_lens_topics_have_the_reference_question_counts() -> None:
    """Per pillar, as many questions as the reference lists for the Serverless and SaaS lenses."""
    serverless, _, saas = REF_LENSES.partition("## SaaS Lens")

    def per_pillar(section: str) -> dict[str, int]:
        topics = section.split("The seed stresses")[0]
        counts: dict[str, int] = {}
        for prefix in re.findall(r"\b(OPS|SEC|REL|PERF|COST|SUS) \d\b", topics):
            counts[PREFIX_PILLAR[prefix]] = counts.get(PREFIX_PILLAR[prefix], 0) + 1
        return counts

    for alias, section, total in (("serverless", serverless, 9), ("saas", saas, 18)):
        lens = builtin(alias)
        assert len(lens.questions) == total
        assert {p.id: len(p.questions) for p in lens.pillars} == per_pillar(section)


@pytest.mark.parametrize("alias", ["serverless", "saas"])
def test_specialised_lens_shape(alias: str) -> None:
    lens = builtin(alias)
    assert lens.warnings == ()
    assert lens.alias == alias and raw(alias)["_alias"] == alias
    assert [p.id for p in lens.pillars] == [p for p in PILLAR_IDS if lens.pillar(p)]
    for q in lens.questions:
        practices = [c for c in q.choices if not c.is_none_choice]
        assert 4 <= len(practices) <= 8, q.id
        assert [c.id for c in q.choices if c.is_none_choice] == [q.choices[-1].id]


@pytest.mark.parametrize("alias", BUILTIN_ALIASES)
def test_every_question_and_choice_is_complete(alias: str) -> None:
    lens = builtin(alias)
    assert lens.name.strip() and lens.description.strip() and lens.version.strip()
    ids = [c.id for q in lens.questions for c in q.choices]
    assert len(ids) == len(set(ids)), "choice ids repeat across questions"
    for q in lens.questions:
        assert q.title.strip() and q.ref and q.short_title, q.id
        sentences = len(re.findall(r"[.!?](?=\s|$)", q.description))
        assert 2 <= sentences <= 4, (q.id, q.description)
        assert q.helpful_resource is not None and q.helpful_resource.text.strip(), q.id
        for c in q.choices:
            assert c.title.strip() and c.description.strip(), c.id
            assert c.risk_level in ("HIGH", "MEDIUM", "LOW"), c.id
            assert c.improvement_plan is not None and c.improvement_plan.text.strip(), c.id


def _content_rules() -> Any:
    spec = importlib.util.spec_from_file_location("content_rules", ROOT / "scripts" / "content_rules.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.mark.parametrize("alias", BUILTIN_ALIASES)
def test_rules_are_what_the_generator_writes(alias: str) -> None:
    rules_for = _content_rules().rules_for
    for pillar in raw(alias)["pillars"]:
        for q in pillar["questions"]:
            assert q["riskRules"] == rules_for(q), q["id"]


@pytest.mark.parametrize("alias", BUILTIN_ALIASES)
def test_risk_rules_follow_the_practice_levels(alias: str) -> None:
    for q in builtin(alias).questions:
        ids = {c.id for c in q.choices}
        for rule in q.risk_rules:
            assert choice_refs(rule.condition) <= ids
        assert q.none_choice is not None
        none = q.none_choice.id
        practices = [c for c in q.choices if not c.is_none_choice]
        high = [c.id for c in practices if c.risk_level == "HIGH"]
        medium = [c.id for c in practices if c.risk_level == "MEDIUM"]
        assert question_risk(q, [c.id for c in practices]) == Risk.NONE, q.id
        assert question_risk(q, [none]) == Risk.HIGH, q.id
        assert question_risk(q, [*(c.id for c in practices), none]) == Risk.HIGH, q.id
        if high + medium:
            assert question_risk(q, high + medium) == Risk.NONE, q.id
        if high:
            assert question_risk(q, high) == (Risk.MEDIUM if medium else Risk.NONE), q.id
            assert question_risk(q, [c.id for c in practices if c.id != high[0]]) == Risk.HIGH, q.id
        missing_one = [c.id for c in practices if medium and c.id != medium[0]]
        if missing_one:
            assert question_risk(q, missing_one) == Risk.MEDIUM, q.id


def test_the_wellarchitected_questions_with_medium_practices_drop_to_medium() -> None:
    """The law above was exercised: most framework questions have both HIGH and MEDIUM practices."""
    lens = builtin("wellarchitected")
    both = [q for q in lens.questions if {c.risk_level for c in q.choices} >= {"HIGH", "MEDIUM"}]
    assert len(both) >= 30


# -- workload types ------------------------------------------------------------------------------------------

SEED_TABLE = {
    "Startup MVP": (["costOptimization", "performance"], "reliability"),
    "Critical e-commerce": (["reliability", "security"], "performance"),
    "Financial application": (["security", "reliability"], "operationalExcellence"),
    "Batch workload": (["costOptimization", "sustainability"], "performance"),
    "Public API": (["performance", "reliability"], "security"),
    "Internal application": (["operationalExcellence", "costOptimization"], "performance"),
}


def test_workload_types_name_only_real_pillars_and_cover_the_seed() -> None:
    data = tomllib.loads(WORKLOAD_TYPES_FILE.read_text(encoding="utf-8"))
    assert data["format"] == "wat-tui-workload-types" and data["version"] == 1
    types = data["workload_type"]
    cadences = {c["id"]: c for c in data["cadence"]}
    for wt in types:
        assert set(wt["primary"]) | {wt["secondary"]} <= set(PILLAR_IDS), wt["id"]
        assert wt["secondary"] not in wt["primary"]
        assert wt["cadence"] in cadences
        assert len(wt["rationale"].split()) >= 8
    by_name = {wt["name"]: (wt["primary"], wt["secondary"]) for wt in types}
    assert {name: by_name.get(name) for name in SEED_TABLE} == SEED_TABLE
    assert len({wt["id"] for wt in types}) == len(types)


def test_the_planner_shares_keep_the_tiers_apart(tmp_path: Path) -> None:
    """The [planner] section: primary >= secondary > other even after the question spread, or refused."""
    shares = load_presets().planner
    assert (1 - shares.question_spread) * shares.primary >= shares.secondary
    assert shares.secondary > (1 + shares.question_spread) * shares.other
    assert 0 < shares.lens_minutes[0] <= shares.lens_minutes[1] and 0 < shares.lens_max_share <= 1
    text = WORKLOAD_TYPES_FILE.read_text(encoding="utf-8")
    head, section = text.split("[planner]\n")
    for change, message in [
        (None, "missing \\[planner\\] section"),
        (("secondary = 2.0", "secondary = 3.0"), "primary >= secondary > other"),
        (("question_spread = 0.08", "question_spread = 0.6"), "primary >= secondary > other"),
        (("other = 1.0", 'other = "1"'), "other must be a number"),
        (("lens_minutes = [30, 60]", "lens_minutes = [60, 30]"), "lens_minutes"),
        (("lens_share = 0.15", "lens_share = 1.5"), "lens_share must be a number"),
    ]:
        bad = tmp_path / "types.toml"
        bad.write_text(head if change is None else head + "[planner]\n" + section.replace(*change),
                       encoding="utf-8")
        with pytest.raises(WatError, match=message):
            load_presets(bad)


def test_the_four_cadences_of_the_seed() -> None:
    cadences = {c["id"]: c for c in tomllib.loads(WORKLOAD_TYPES_FILE.read_text(encoding="utf-8"))["cadence"]}
    assert set(cadences) == {"new", "existing", "critical", "post-incident"}
    assert 180 <= cadences["existing"]["next_review_days"] <= 365
    assert cadences["critical"]["next_review_days"] in range(84, 93)
    assert cadences["critical"]["light_review_days"] in range(28, 32)
    assert cadences["post-incident"]["next_review_days"] <= 14
    for c in cadences.values():
        assert c["name"].strip() and c["summary"].strip()


# -- guides and links ----------------------------------------------------------------------------------------

GUIDES = sorted(GUIDE_DIR.glob("*.md"))


def test_there_is_a_guide() -> None:
    assert len(GUIDES) >= 5


@pytest.mark.parametrize("path", GUIDES, ids=[p.stem for p in GUIDES])
def test_guide_is_commonmark_with_one_title(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    tokens = MarkdownIt("commonmark").enable("table").parse(text)
    headings = [t.tag for t in tokens if t.type == "heading_open"]
    assert headings.count("h1") == 1 and headings[0] == "h1"
    assert not [t for t in tokens if t.type in ("html_block", "html_inline")]
    inline = [c for t in tokens if t.type == "inline" for c in t.children or []]
    assert not [c for c in inline if c.type == "html_inline"]
    assert sum(1 for t in tokens if t.type == "paragraph_open") >= 3


def test_the_guide_covers_the_issue_topics() -> None:
    def h2s(name: str) -> list[str]:
        tokens = MarkdownIt("commonmark").parse((GUIDE_DIR / name).read_text(encoding="utf-8"))
        return [tokens[i + 1].content for i, t in enumerate(tokens)
                if t.type == "heading_open" and t.tag == "h2"]

    phases = [h for h in h2s("01-review-phases.md") if re.match(r"\d\. ", h)]
    assert [p.split(" (")[0] for p in phases] == [
        "1. Preparation", "2. Review", "3. Analysis", "4. Action plan", "5. Follow-up",
    ]
    pillar_sections = [
        "Operational excellence", "Security", "Reliability", "Performance efficiency", "Cost optimization",
        "Sustainability",
    ]
    assert [h for h in h2s("05-example-ecommerce.md") if h in pillar_sections] == pillar_sections
    assert {"Serverless lens", "SaaS lens"} <= set(h2s("06-lenses.md"))


def test_no_content_file_contains_a_web_address() -> None:
    """Offline is a hard rule, and a link in a lens is an invitation to leave the room's laptop."""
    files = [p for p in CONTENT_DIR.rglob("*") if p.is_file()]
    assert len(files) >= 10
    offenders = [str(p.relative_to(CONTENT_DIR)) for p in files
                 if re.search(r"https?://", p.read_text(encoding="utf-8"), re.IGNORECASE)]
    assert offenders == []
