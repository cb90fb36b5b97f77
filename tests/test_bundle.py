"""Session bundles: what export writes, and every kind of bad file import refuses without touching the database.

Each bad-input case runs the real command line and checks three things: exit status 1, one line on stderr that
starts ``wat-tui: error:`` and names the file and the problem, and a database whose full SQL dump is the same
before and after.
"""

from __future__ import annotations

import hashlib
import json
import os
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from tests.support import database_dump as dump
from tests.support import raw_sql, run_cli
from wat_tui import __version__
from wat_tui.exchange.bundle import (
    FORMAT,
    FORMAT_VERSION,
    ops_checksum,
    parse_bundle,
    schema,
    write_bundle,
)
from wat_tui.exchange.schema import SchemaError, compile_schema
from wat_tui.review.service import Review
from wat_tui.review.state import Answer
from wat_tui.store.paths import DB_NAME

LENS = "serverless"  # the smallest built-in lens keeps bundles small and tests quick


# -- helpers shared with test_merge.py and test_merge_laws.py ----------------------------------------------------


def new_session(review: Review, name: str = "Shop review") -> str:
    return review.create_session(name, workload="shop", lenses=[LENS], participants=[("Ana", "Facilitator")])


def some_questions(review: Review, sid: str, n: int = 3) -> list[tuple[str, list[str]]]:
    """(question id, its choice ids) for the first ``n`` questions of the session's lens."""
    lens = review.state(sid).lenses[0]
    return [(q.id, [c.id for c in q.choices]) for q in lens.questions[:n]]




def reseal(doc: dict[str, Any]) -> dict[str, Any]:
    """After a test edits the operations: fix the version vector and checksum so only the intended flaw is left."""
    vv: dict[str, int] = {}
    for op in doc["operations"]:
        vv[op["writer"]] = max(vv.get(op["writer"], 0), op["seq"])
    doc["version_vector"] = vv
    doc["operations_sha256"] = ops_checksum(doc["operations"])
    return doc


def next_op(doc: dict[str, Any], target: str, value: Any, **extra: Any) -> dict[str, Any]:
    """A well-formed new operation by the bundle's exporter that has seen everything in the file."""
    writer = doc["exporter"]["writer_id"]
    seq = max(op["seq"] for op in doc["operations"] if op["writer"] == writer) + 1
    ms = max(int(op["hlc"].split("-")[0]) for op in doc["operations"]) + 1
    return {"writer": writer, "seq": seq, "target": target, "value": value, "vv": dict(doc["version_vector"]),
            "hlc": f"{ms:013d}-00000-{writer}", **extra}


def save(path: Path, doc: dict[str, Any]) -> Path:
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return path



# -- export -------------------------------------------------------------------------------------------------------


@pytest.fixture
def exported(review: Review, tmp_path: Path) -> tuple[Review, str, Path]:
    sid = new_session(review)
    (qid, choices), *_ = some_questions(review, sid)
    review.set_answer(sid, LENS, qid, Answer((choices[0],)))
    nid = review.add_note(sid, f"{LENS}/{qid}", "Ana", "Cold starts hurt checkout")
    review.add_action(sid, "Add provisioned concurrency", owner="Bo", question=f"{LENS}/{qid}")
    review.delete_note(sid, nid)
    path = tmp_path / "out" / "shop.json"
    path.parent.mkdir()
    write_bundle(review, sid, path)
    return review, sid, path


def test_export_writes_the_documented_envelope(exported: tuple[Review, str, Path]) -> None:
    review, sid, path = exported
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["format"] == FORMAT and doc["version"] == FORMAT_VERSION
    assert doc["session_id"] == sid and doc["app_version"] == __version__
    assert doc["exported_at"].endswith("Z")
    assert doc["exporter"] == {"writer_id": review.writer_id, "name": review.writer_name, "device": review.device}
    assert doc["writers"] == [{"writer_id": review.writer_id, "name": review.writer_name, "device": review.device}]
    ids = [(op["writer"], op["seq"]) for op in doc["operations"]]
    assert ids == sorted(ids) and len(ids) == len(set(ids))
    assert doc["version_vector"] == {review.writer_id: max(s for _, s in ids)}
    assert doc["operations_sha256"] == hashlib.sha256(
        json.dumps(doc["operations"], sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()
    ).hexdigest()
    [lens] = doc["lenses"]
    assert lens["alias"] == LENS
    assert hashlib.sha256(lens["source"].encode("utf-8")).hexdigest() == lens["sha256"]
    stored = raw_sql(review, "SELECT source FROM lens_version WHERE content_hash=?", (lens["sha256"],))
    assert lens["source"].encode("utf-8") == bytes(stored[0][0])
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600  # a review records security weaknesses
    tombstones = [op for op in doc["operations"] if op["target"].startswith("note/") and op["value"] is None]
    assert len(tombstones) == 1


def test_exported_file_validates_against_the_committed_schema(exported: tuple[Review, str, Path]) -> None:
    _, sid, path = exported
    compile_schema(schema())(json.loads(path.read_text(encoding="utf-8")))
    bundle = parse_bundle(path.read_bytes(), str(path), path.name)
    assert bundle.session_id == sid
    assert all(op.source == "shop.json" for op in bundle.ops)


def test_export_is_one_operation_per_line(exported: tuple[Review, str, Path]) -> None:
    _, _, path = exported
    lines = path.read_text(encoding="utf-8").splitlines()
    op_lines = [line for line in lines if line.startswith('{"writer":')]
    assert len(op_lines) == len(json.loads(path.read_text(encoding="utf-8"))["operations"])


def test_export_cli(review: Review, data_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sid = new_session(review, "Payments")
    review.close()
    out_file = tmp_path / "p.json"
    code, out, err = run_cli(capsys, "--data-dir", str(data_dir), "export", "Paym", "-o", str(out_file))
    assert (code, err) == (0, "")
    assert f'Exported session "Payments" ({sid[:8]})' in out
    assert json.loads(out_file.read_text(encoding="utf-8"))["session_id"] == sid


def test_export_unknown_session_is_one_line(review: Review, data_dir: Path, tmp_path: Path,
                                            capsys: pytest.CaptureFixture[str]) -> None:
    new_session(review)
    code, out, err = run_cli(capsys, "--data-dir", str(data_dir), "export", "nope", "-o", str(tmp_path / "x"))
    assert code == 1 and err.startswith("wat-tui: error: no session matches 'nope'") and err.count("\n") == 1
    assert not (tmp_path / "x").exists()


def test_export_without_a_database_creates_none(data_dir: Path, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run_cli(capsys, "--data-dir", str(data_dir), "export", "x", "-o", str(tmp_path / "x.json"))
    assert code == 1 and "no sessions yet" in err
    assert not (data_dir / DB_NAME).exists()


# -- the schema validator ------------------------------------------------------------------------------------------


def test_validator_names_the_place_of_a_problem() -> None:
    check = compile_schema(schema())
    doc = {"format": FORMAT, "version": 1, "session_id": "s", "app_version": "0", "exported_at": "2026-01-01T00:00:00Z",
           "exporter": {"writer_id": "w", "name": "", "device": ""}, "lenses": [], "writers": [],
           "version_vector": {}, "operations": [{"writer": "w", "seq": "1", "target": "note/x", "value": None,
                                                  "vv": {}, "hlc": "0000000000001-00000-w"}],
           "operations_sha256": "0" * 64}
    with pytest.raises(SchemaError) as err:
        check(doc)
    assert err.value.where == "operations[0].seq" and "expected an integer, found text" in err.value.problem
    doc["operations"][0]["seq"] = True
    with pytest.raises(SchemaError, match="found true/false"):
        check(doc)
    doc["operations"][0]["seq"] = 1
    doc["operations"][0]["vv"] = {"bad id!": 1}
    with pytest.raises(SchemaError) as err:
        check(doc)
    assert err.value.where == "operations[0].vv.bad id!"
    doc["operations"][0]["vv"] = {}
    del doc["exporter"]["device"]
    with pytest.raises(SchemaError) as err:
        check(doc)
    assert (err.value.where, err.value.problem) == ("exporter.device", "missing")


def test_validator_refuses_keywords_it_does_not_implement() -> None:
    with pytest.raises(ValueError, match="outside the supported subset"):
        compile_schema({"type": "object", "oneOf": []})


# -- bad input: every case through the command line, database unchanged ---------------------------------------


@pytest.fixture
def target_db(data_dir: Path) -> tuple[Path, str, Path]:
    """A laptop holding the session, and a good bundle of it written by another laptop."""
    a = Review.open(data_dir)
    sid = new_session(a)
    b_dir = data_dir.parent / "other-laptop"
    good = data_dir.parent / "good.json"
    write_bundle(a, sid, good)
    a.close()
    b = Review.open(b_dir)
    from wat_tui.exchange.merge import merge_files

    merge_files(b, [good])
    (qid, choices), *_ = some_questions(b, sid)
    b.set_answer(sid, LENS, qid, Answer((choices[0],)))
    b.add_note(sid, f"{LENS}/{qid}", "Bo", "From the other room")
    write_bundle(b, sid, good)
    b.close()
    return data_dir, sid, good


def refused(capsys: pytest.CaptureFixture[str], data_dir: Path, path: Path, *expected: str) -> str:
    before = dump(data_dir)
    code, out, err = run_cli(capsys, "--data-dir", str(data_dir), "merge", str(path))
    assert code == 1, out
    assert err.startswith(f"wat-tui: error: {path}") and err.endswith("\n") and err.count("\n") == 1, err
    assert err[:-1].isprintable(), "text from the file reaches the terminal escaped"
    for text in expected:
        assert text in err
    assert out == ""
    assert dump(data_dir) == before
    return err


def edited(good: Path, change: Callable[[dict[str, Any]], None], seal: bool = True) -> Path:
    doc = json.loads(good.read_text(encoding="utf-8"))
    change(doc)
    if seal:
        reseal(doc)
    return save(good.with_name("edited.json"), doc)


def test_truncated_file(target_db: tuple[Path, str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    data_dir, _, good = target_db
    bad = good.with_name("cut.json")
    bad.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    refused(capsys, data_dir, bad, "looks truncated")


@pytest.mark.parametrize(("content", "problem"), [
    ("[1, 2, 3]", "holds a list, not an object"),
    ('{"name": "package", "version": "1.0.0"}', 'no "format": "wat-tui-session-bundle"'),
    ('{"format": "wat-tui-session-bundle", "version": "one"}', "version: missing or not an integer"),
    ("NaN", "NaN is not a JSON number"),
])
def test_another_programs_json(target_db: tuple[Path, str, Path], capsys: pytest.CaptureFixture[str],
                               content: str, problem: str) -> None:
    data_dir, _, good = target_db
    bad = good.with_name("other.json")
    bad.write_text(content, encoding="utf-8")
    refused(capsys, data_dir, bad, problem)


def test_a_lens_given_as_a_bundle(target_db: tuple[Path, str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    data_dir, _, _ = target_db
    lens = Path(__file__).parent / "fixtures" / "lens-corpus" / "AWS-Passport.json"
    refused(capsys, data_dir, lens, "not a wat-tui session bundle", "wat-tui lens import")


def test_newer_format_version(target_db: tuple[Path, str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    data_dir, _, good = target_db

    def newer(doc: dict[str, Any]) -> None:
        doc["version"] = FORMAT_VERSION + 1
        doc["app_version"] = "9.0.0"
        doc["operations"] = "a shape this version does not know"

    bad = edited(good, newer, seal=False)
    refused(capsys, data_dir, bad, f"format version {FORMAT_VERSION + 1} by wat-tui 9.0.0", "update wat-tui")


def test_checksum_mismatch(target_db: tuple[Path, str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    data_dir, _, good = target_db

    def tamper(doc: dict[str, Any]) -> None:
        note = next(op for op in doc["operations"] if op["target"].startswith("note/"))
        note["value"]["body"] = "quietly changed"

    refused(capsys, data_dir, edited(good, tamper, seal=False), "operations_sha256", "changed after export")


def test_reused_operation_id_with_another_payload(target_db: tuple[Path, str, Path],
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    data_dir, _, good = target_db
    local = Review.open(data_dir)
    writer = local.writer_id
    local.close()

    def reuse(doc: dict[str, Any]) -> None:
        op = next(op for op in doc["operations"] if op["writer"] == writer and op["target"] == "session/name")
        op["value"] = "Renamed behind our back"

    refused(capsys, data_dir, edited(good, reuse), f"operation {writer}:", "already here with different content")


def test_reused_operation_id_between_two_files(target_db: tuple[Path, str, Path],
                                               capsys: pytest.CaptureFixture[str]) -> None:
    data_dir, _, good = target_db

    def reuse(doc: dict[str, Any]) -> None:
        op = next(op for op in doc["operations"] if op["target"].startswith("note/"))
        op["value"] = dict(op["value"], body="another body")

    bad = edited(good, reuse)
    before = dump(data_dir)
    code, _, err = run_cli(capsys, "--data-dir", str(data_dir), "merge", str(good), str(bad))
    assert code == 1 and err.startswith(f"wat-tui: error: {bad}: operation ") and f"in {good}" in err
    assert dump(data_dir) == before


@pytest.mark.parametrize(("target", "problem"), [
    (f"answer/{LENS}/no-such-question", "question 'no-such-question', which lens 'serverless' does not have"),
    ("answer/no-such-lens/q1", "lens 'no-such-lens', which session"),
    ("answer/\x1b[31mred/q1", "lens '\\x1b[31mred', which session"),
])
def test_operations_for_a_lens_or_question_the_session_lacks(
    target_db: tuple[Path, str, Path], capsys: pytest.CaptureFixture[str], target: str, problem: str
) -> None:
    data_dir, _, good = target_db

    def add(doc: dict[str, Any]) -> None:
        doc["operations"].append(next_op(doc, target, {"selected": [], "na_choices": {}, "not_applicable": True,
                                                       "reason": "OUT_OF_SCOPE"}))

    refused(capsys, data_dir, edited(good, add), problem)


def test_note_on_a_question_the_session_lacks(target_db: tuple[Path, str, Path],
                                              capsys: pytest.CaptureFixture[str]) -> None:
    data_dir, _, good = target_db

    def add(doc: dict[str, Any]) -> None:
        doc["operations"].append(next_op(doc, "note/n-1", {"question": f"{LENS}/ghost", "body": "x"}))

    refused(capsys, data_dir, edited(good, add), "question 'ghost'")


def test_a_200_mb_file_is_refused_by_its_size(target_db: tuple[Path, str, Path], capsys: pytest.CaptureFixture[str],
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    data_dir, _, good = target_db
    big = good.with_name("big.json")
    with open(big, "wb") as f:
        f.truncate(200 * 1024 * 1024)  # sparse: takes no disk space
    read = Path.read_bytes

    def guarded(self: Path) -> bytes:
        assert self != big, "a file over the limit must not be read"
        return read(self)

    monkeypatch.setattr(Path, "read_bytes", guarded)
    refused(capsys, data_dir, big, "file is 200 MiB", "limited to 64 MiB")


def test_deeply_nested_json(target_db: tuple[Path, str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    data_dir, _, good = target_db
    bomb = good.with_name("deep.json")
    bomb.write_text("[" * 200_000 + "]" * 200_000, encoding="utf-8")
    refused(capsys, data_dir, bomb, "nested too deeply")


def test_a_value_nested_deeper_than_values_ever_are(target_db: tuple[Path, str, Path],
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    data_dir, _, good = target_db
    value: Any = "leaf"
    for _ in range(200):
        value = [value]

    def add(doc: dict[str, Any]) -> None:
        doc["operations"].append(next_op(doc, "timer/t1", value))

    refused(capsys, data_dir, edited(good, add), "nested more than 32 levels deep")


def test_invalid_utf8(target_db: tuple[Path, str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    data_dir, _, good = target_db
    bad = good.with_name("latin1.json")
    data = good.read_bytes()
    bad.write_bytes(data.replace(b'"format"', b'"form\xe4t"', 1))
    refused(capsys, data_dir, bad, f"not valid UTF-8 text (byte offset {data.index(b'format') + 4})")


def test_unpaired_surrogate(target_db: tuple[Path, str, Path], capsys: pytest.CaptureFixture[str]) -> None:
    data_dir, _, good = target_db
    doc = json.loads(good.read_text(encoding="utf-8"))
    text = json.dumps(doc).replace('"Ana"', '"\\ud800"', 1)
    bad = good.with_name("surrogate.json")
    bad.write_text(text, encoding="utf-8")
    refused(capsys, data_dir, bad, "unpaired UTF-16 surrogate")


def first(doc: dict[str, Any], prefix: str) -> dict[str, Any]:
    op: dict[str, Any] = next(op for op in doc["operations"] if op["target"].startswith(prefix))
    return op


@pytest.mark.parametrize(("change", "problem"), [
    (lambda d: d["operations"][-1].update(vv={**d["operations"][-1]["vv"], "ghost": 3}), "has seen operation ghost:3"),
    (lambda d: d["operations"][-1].update(writer="stranger"), "writer stranger is not in the writers table"),
    (lambda d: d["lenses"].clear(), "which the file does not carry"),
    (lambda d: d["lenses"][0].update(source=d["lenses"][0]["source"] + " "), "does not match its sha256"),
    (lambda d: first(d, "note/").update(value={"body": 3, "question": ""}), "value.body: expected text"),
    (lambda d: d["operations"][-1].update(hlc="yesterday"), "hlc: 'yesterday' does not have the expected form"),
])
def test_inconsistent_bundles(target_db: tuple[Path, str, Path], capsys: pytest.CaptureFixture[str],
                              change: Callable[[dict[str, Any]], None], problem: str) -> None:
    data_dir, _, good = target_db
    refused(capsys, data_dir, edited(good, change), problem)


def test_version_vector_must_match_the_operations(target_db: tuple[Path, str, Path],
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    data_dir, _, good = target_db

    def lie(doc: dict[str, Any]) -> None:
        w = doc["exporter"]["writer_id"]
        doc["version_vector"][w] += 5

    refused(capsys, data_dir, edited(good, lie, seal=False), "version_vector: says writer")
