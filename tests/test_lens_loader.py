"""The lens loader: lenient where real files stray from the format, strict where data is unusable.

Strict errors name the file and the JSON path. Each strict case checks the whole message, because the
message is what a facilitator reads to fix the file.
"""

from __future__ import annotations

import copy
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wat_tui.lens import LensError, Risk, load_lens, load_lens_bytes, question_risk
from wat_tui.lens.loader import MAX_LENS_BYTES

Doc = dict[str, Any]


def lens_doc(pillars: int = 1, questions: int = 1) -> Doc:
    """A small valid lens: each question has two practices and a "None of these"."""
    doc: Doc = {
        "schemaVersion": "2021-11-01",
        "name": "Test lens",
        "description": "For tests.",
        "pillars": [],
    }
    for i in range(pillars):
        qs = []
        for j in range(questions):
            q = f"p{i}_q{j}"
            qs.append(
                {
                    "id": q,
                    "title": f"Question {i}.{j}",
                    "description": "What it is about.",
                    "choices": [
                        {"id": f"{q}_a", "title": "Practice A", "improvementPlan": {"displayText": "Do A."}},
                        {
                            "id": f"{q}_b",
                            "title": "Practice B",
                            "helpfulResource": {"displayText": "B", "url": "x"},
                        },
                        {"id": f"{q}_no", "title": "None of these"},
                    ],
                    "riskRules": [
                        {"condition": f"{q}_a && {q}_b && !{q}_no", "risk": "NO_RISK"},
                        {"condition": f"{q}_a && !{q}_no", "risk": "MEDIUM_RISK"},
                        {"condition": "default", "risk": "HIGH_RISK"},
                    ],
                }
            )
        doc["pillars"].append({"id": f"p{i}", "name": f"Pillar {i}", "questions": qs})
    return doc


def write(tmp_path: Path, doc: Doc | bytes, name: str = "lens.json") -> Path:
    path = tmp_path / name
    path.write_bytes(doc if isinstance(doc, bytes) else json.dumps(doc).encode("utf-8"))
    return path


def error_of(tmp_path: Path, doc: Doc | bytes) -> str:
    path = write(tmp_path, doc)
    with pytest.raises(LensError) as info:
        load_lens(path)
    message = str(info.value)
    assert "\n" not in message
    prefix = f"{path}: "
    assert message.startswith(prefix), message
    return message[len(prefix) :]


# -- lenient -------------------------------------------------------------------------------------------------


def test_a_valid_lens_loads_into_the_model(tmp_path: Path) -> None:
    path = write(tmp_path, lens_doc(2, 3), "My Team's Lens.json")
    lens = load_lens(path)
    assert lens.alias == "my-team-s-lens"
    assert lens.name == "Test lens"
    assert lens.content_hash == hashlib.sha256(path.read_bytes()).hexdigest()
    assert lens.version == lens.content_hash[:8]
    assert [p.id for p in lens.pillars] == ["p0", "p1"]
    assert len(lens.questions) == 6
    q = lens.question("p1_q2")
    assert q is not None and q.pillar_id == "p1"
    assert q.none_choice is not None and q.none_choice.id == "p1_q2_no"
    assert [c.is_none_choice for c in q.choices] == [False, False, True]
    a = q.choice("p1_q2_a")
    assert a is not None and a.improvement_plan is not None and a.improvement_plan.text == "Do A."
    b = q.choice("p1_q2_b")
    assert b is not None and b.helpful_resource is not None and b.helpful_resource.url == "x"
    assert lens.warnings == ()


def test_alias_and_version_come_from_the_file_when_not_given() -> None:
    doc = lens_doc()
    assert load_lens_bytes(json.dumps(doc).encode(), "x").alias == "test-lens"
    doc.update(_alias="mine", _version="2.1")
    lens = load_lens_bytes(json.dumps(doc).encode(), "x")
    assert (lens.alias, lens.version) == ("mine", "2.1")
    assert load_lens_bytes(json.dumps(doc).encode(), "x", alias="given").alias == "given"


def test_unknown_keys_are_kept_in_extra(tmp_path: Path) -> None:
    doc = lens_doc()
    doc["_release_note"] = "first"
    doc["pillars"][0]["_owner"] = {"team": "ops"}
    doc["pillars"][0]["questions"][0]["_hint"] = [1, 2]
    doc["pillars"][0]["questions"][0]["choices"][0]["_tag"] = "x"
    lens = load_lens(write(tmp_path, doc))
    assert lens.extra == {"_release_note": "first"}
    assert lens.pillars[0].extra == {"_owner": {"team": "ops"}}
    assert lens.questions[0].extra == {"_hint": [1, 2]}
    assert lens.questions[0].choices[0].extra == {"_tag": "x"}
    assert lens.warnings == ()


def test_a_utf8_bom_is_skipped(tmp_path: Path) -> None:
    plain = json.dumps(lens_doc()).encode("utf-8")
    with_bom = load_lens(write(tmp_path, b"\xef\xbb\xbf" + plain, "bom.json"), alias="x")
    without = load_lens(write(tmp_path, plain, "plain.json"), alias="x")
    assert with_bom.pillars == without.pillars
    assert with_bom.content_hash == hashlib.sha256(b"\xef\xbb\xbf" + plain).hexdigest()


def test_missing_default_rule_warns_and_means_high(tmp_path: Path) -> None:
    doc = lens_doc()
    doc["pillars"][0]["questions"][0]["riskRules"].pop()
    lens = load_lens(write(tmp_path, doc))
    assert lens.warnings == (
        "pillars[0].questions[0].riskRules: no 'default' rule; HIGH risk when no rule holds",
    )
    q = lens.questions[0]
    assert question_risk(q, ["p0_q0_b"]) == Risk.HIGH
    assert question_risk(q, ["p0_q0_a"]) == Risk.MEDIUM
    assert question_risk(q, ["p0_q0_a", "p0_q0_b"]) == Risk.NONE


def test_a_number_where_text_belongs_is_read_as_text(tmp_path: Path) -> None:
    doc = lens_doc()
    doc["name"] = 2024
    doc["pillars"][0]["questions"][0]["title"] = 42
    doc["pillars"][0]["questions"][0]["choices"][1]["description"] = 1.5
    lens = load_lens(write(tmp_path, doc))
    assert lens.name == "2024"
    assert lens.questions[0].title == "42"
    assert lens.questions[0].choices[1].description == "1.5"
    assert lens.warnings == (
        "name: a number where text belongs; read as text",
        "pillars[0].questions[0].title: a number where text belongs; read as text",
        "pillars[0].questions[0].choices[1].description: a number where text belongs; read as text",
    )


# -- strict --------------------------------------------------------------------------------------------------


def test_unknown_choice_id_in_a_rule_names_the_json_path(tmp_path: Path) -> None:
    doc = lens_doc(3, 6)
    doc["pillars"][2]["questions"][5]["riskRules"][1]["condition"] = "p2_q5_a && (sec_x_3 || !p2_q5_no)"
    assert (
        error_of(tmp_path, doc)
        == "pillars[2].questions[5].riskRules[1].condition: unknown choice id 'sec_x_3'"
    )


def test_a_choice_of_another_question_is_unknown(tmp_path: Path) -> None:
    doc = lens_doc(1, 2)
    doc["pillars"][0]["questions"][1]["riskRules"][0]["condition"] = "p0_q0_a"
    assert (
        error_of(tmp_path, doc)
        == "pillars[0].questions[1].riskRules[0].condition: unknown choice id 'p0_q0_a'"
    )


def _set(doc: Doc, path: tuple[Any, ...], value: Any) -> Doc:
    doc = copy.deepcopy(doc)
    node: Any = doc
    for key in path[:-1]:
        node = node[key]
    if value is _DELETE:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return doc


_DELETE = object()
Q = ("pillars", 0, "questions", 0)
C = (*Q, "choices", 1)
R = (*Q, "riskRules", 1)


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (
            ("schemaVersion",),
            "2020-01-01",
            "schemaVersion: unsupported value '2020-01-01'; expected one of 2021-11-01",
        ),
        (("schemaVersion",), _DELETE, "schemaVersion: missing; expected one of 2021-11-01"),
        (
            ("schemaVersion",),
            20211101,
            "schemaVersion: unsupported value a number; expected one of 2021-11-01",
        ),
        (("name",), _DELETE, "name: missing"),
        (("name",), "   ", "name: empty"),
        (("name",), ["x"], "name: expected text, found a list"),
        (("pillars",), [], "pillars: expected a non-empty list, found an empty one"),
        (("pillars",), {"id": "p"}, "pillars: expected a non-empty list, found an object"),
        (("pillars",), _DELETE, "pillars: expected a non-empty list, found nothing"),
        (("pillars", 0), "ops", "pillars[0]: expected an object, found text"),
        (
            ("pillars", 0, "id"),
            "bad id",
            "pillars[0].id: invalid id 'bad id' (letters, digits, '_', '.', '-'; at most 128 characters)",
        ),
        (
            ("pillars", 0, "id"),
            "x" * 129,
            "pillars[0].id: invalid id '" + "x" * 40 + "...' (letters, digits, "
            "'_', '.', '-'; at most 128 characters)",
        ),
        (
            ("pillars", 0, "id"),
            "p0\n",
            "pillars[0].id: invalid id 'p0\\n' (letters, digits, '_', '.', '-'; at most 128 characters)",
        ),
        (
            ("pillars", 0, "questions"),
            [],
            "pillars[0].questions: expected a non-empty list, found an empty one",
        ),
        ((*Q, "title"), _DELETE, "pillars[0].questions[0].title: missing"),
        ((*Q, "title"), True, "pillars[0].questions[0].title: expected text, found true/false"),
        ((*Q, "title"), {"en": "x"}, "pillars[0].questions[0].title: expected text, found an object"),
        (
            (*Q, "choices"),
            [],
            "pillars[0].questions[0].choices: expected a non-empty list, found an empty one",
        ),
        (
            (*Q, "riskRules"),
            [],
            "pillars[0].questions[0].riskRules: expected a non-empty list, found an empty one",
        ),
        (
            (*Q, "riskRules"),
            None,
            "pillars[0].questions[0].riskRules: expected a non-empty list, found nothing",
        ),
        (
            (*Q, "helpfulResource"),
            "see docs",
            "pillars[0].questions[0].helpfulResource: expected an object, found text",
        ),
        (
            (*C, "id"),
            "p0_q0_a",
            "pillars[0].questions[0].choices[1].id: duplicate choice id 'p0_q0_a' "
            "(also at pillars[0].questions[0].choices[0])",
        ),
        (
            (*C, "riskLevel"),
            "CRITICAL",
            "pillars[0].questions[0].choices[1].riskLevel: unknown level 'CRITICAL'; "
            "expected HIGH, MEDIUM or LOW",
        ),
        (
            (*C, "riskLevel"),
            3,
            "pillars[0].questions[0].choices[1].riskLevel: unknown level a number; "
            "expected HIGH, MEDIUM or LOW",
        ),
        (
            (*C, "additionalResources"),
            {"url": "x"},
            "pillars[0].questions[0].choices[1].additionalResources: expected a list, found an object",
        ),
        (
            (*C, "helpfulResource", "url"),
            ["x"],
            "pillars[0].questions[0].choices[1].helpfulResource.url: expected text, found a list",
        ),
        (
            (*R, "risk"),
            "LOW_RISK",
            "pillars[0].questions[0].riskRules[1].risk: unknown risk 'LOW_RISK'; "
            "expected one of HIGH_RISK, MEDIUM_RISK, NO_RISK",
        ),
        (
            (*R, "risk"),
            ["HIGH_RISK"],
            "pillars[0].questions[0].riskRules[1].risk: unknown risk a list; "
            "expected one of HIGH_RISK, MEDIUM_RISK, NO_RISK",
        ),
        (
            (*R, "risk"),
            _DELETE,
            "pillars[0].questions[0].riskRules[1].risk: unknown risk null; "
            "expected one of HIGH_RISK, MEDIUM_RISK, NO_RISK",
        ),
        (
            (*R, "condition"),
            "p0_q0_a || || p0_q0_b",
            "pillars[0].questions[0].riskRules[1].condition: unexpected '||' at character 12",
        ),
        (
            (*R, "condition"),
            "p0_q0_a & p0_q0_b",
            "pillars[0].questions[0].riskRules[1].condition: unexpected character '&' at character 9",
        ),
        (
            (*R, "condition"),
            "(" * 300 + "p0_q0_a" + ")" * 300,
            "pillars[0].questions[0].riskRules[1].condition: "
            "nested more than 100 levels deep at character 101",
        ),
        ((*R, "condition"), "", "pillars[0].questions[0].riskRules[1].condition: empty"),
        ((*R,), ["default"], "pillars[0].questions[0].riskRules[1]: expected an object, found a list"),
        (
            (*Q, "title"),
            "caf\ud800",
            "pillars[0].questions[0].title: not valid Unicode (lone surrogate at character 4)",
        ),
    ],
)
def test_unusable_data_names_the_place(
    tmp_path: Path, path: tuple[Any, ...], value: Any, message: str
) -> None:
    assert error_of(tmp_path, _set(lens_doc(), path, value)) == message


def test_duplicate_pillar_id_is_reported_as_such(tmp_path: Path) -> None:
    doc = lens_doc(2, 1)
    doc["pillars"].append(copy.deepcopy(doc["pillars"][0]))
    assert error_of(tmp_path, doc) == "pillars[2].id: duplicate pillar id 'p0' (also at pillars[0])"


def test_duplicate_question_id_across_pillars(tmp_path: Path) -> None:
    doc = lens_doc(2, 2)
    doc["pillars"][1]["questions"][1]["id"] = "p0_q1"
    assert error_of(tmp_path, doc) == (
        "pillars[1].questions[1].id: duplicate question id 'p0_q1' (also at pillars[0].questions[1])"
    )


def test_malformed_json(tmp_path: Path) -> None:
    text = json.dumps(lens_doc())
    assert error_of(tmp_path, text[:40].encode()) == "not valid JSON: Expecting value at line 1 column 41"
    assert (
        error_of(tmp_path, b'{"a": 1,}') == "not valid JSON: Expecting property name enclosed in double "
        "quotes at line 1 column 9"
    )
    assert error_of(tmp_path, b"") == "not valid JSON: Expecting value at line 1 column 1"
    assert error_of(tmp_path, b"[1, 2]") == "(top level): expected an object, found a list"
    assert error_of(tmp_path, b"[" * 100_000) == "JSON nested too deeply"


def test_invalid_utf8(tmp_path: Path) -> None:
    data = json.dumps(lens_doc()).encode("utf-8").replace(b"Practice A", b"Practice \xff")
    offset = data.index(b"\xff")
    assert error_of(tmp_path, data) == f"not valid UTF-8 (byte offset {offset})"


def test_a_2mb_lens_is_refused(tmp_path: Path) -> None:
    doc = lens_doc()
    doc["description"] = "x" * (2 * 1024 * 1024)
    assert error_of(tmp_path, doc) == "file is 2.0 MiB; lens files are limited to 1 MiB"
    with pytest.raises(LensError, match=r"^big: file is 2\.0 MiB; lens files are limited to 1 MiB$"):
        load_lens_bytes(json.dumps(doc).encode(), "big")
    doc["description"] = "x" * (MAX_LENS_BYTES - len(json.dumps(lens_doc())) - 100)
    assert load_lens(write(tmp_path, doc)).name == "Test lens"


def test_a_missing_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.json"
    with pytest.raises(LensError) as info:
        load_lens(path)
    assert str(info.value) == f"{path}: cannot read file: No such file or directory"


# -- robustness: any damage to a valid lens gives either a lens or a LensError -------------------------------

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda kids: st.lists(kids, max_size=3) | st.dictionaries(st.text(max_size=5), kids, max_size=3),
    max_leaves=6,
)


def _paths(node: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix] if prefix else []
    if isinstance(node, dict):
        for k, v in node.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(node, list):
        for i, v in enumerate(node):
            out += _paths(v, (*prefix, i))
    return out


_BASE = lens_doc(2, 2)
_ALL_PATHS = _paths(_BASE)


@given(path=st.sampled_from(_ALL_PATHS), value=json_values | st.just(_DELETE))
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_damaged_lenses_load_or_fail_cleanly(path: tuple[Any, ...], value: Any) -> None:
    data = json.dumps(_set(_BASE, path, value)).encode("utf-8", "surrogatepass")
    try:
        lens = load_lens_bytes(data, "fuzz.json")
    except LensError as exc:
        assert str(exc).startswith("fuzz.json: ")
        assert "\n" not in str(exc)
        return
    for q in lens.questions:
        question_risk(q, [c.id for c in q.choices[:1]])
