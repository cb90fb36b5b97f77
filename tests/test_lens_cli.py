"""`wat-tui lens import|list|show` and bad input, through the CLI entry point.

Bad input must give one line on stderr starting ``wat-tui: error:``, exit 1 (2 for usage), and leave the
database as it was: every table is dumped before and after and compared, and a database that did not exist
must still not exist.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.support import Run, raw_sql
from tests.support import database_dump as dump
from wat_tui.cli import sessions
from wat_tui.review.service import Review
from wat_tui.store.paths import DB_NAME

CORPUS = Path(__file__).resolve().parent / "fixtures" / "lens-corpus"






@pytest.fixture
def orr(tmp_path: Path) -> Path:
    path = tmp_path / "in" / "orr.json"
    path.parent.mkdir()
    shutil.copy(CORPUS / "ORR-Lens.json", path)
    return path


def test_import_stores_once_and_a_change_is_a_new_revision(
    run: Run, orr: Path, data_dir: Path
) -> None:
    code, out, err = run("lens", "import", str(orr))
    assert (code, err) == (0, "")
    assert out.startswith("orr revision 1 (version ")
    assert "): stored; 3 pillars, 16 questions; sha256 " in out
    first = dump(data_dir)

    code, out, err = run("lens", "import", str(orr))
    assert (code, err) == (0, "")
    assert "orr revision 1" in out and "already stored, unchanged" in out
    assert dump(data_dir) == first

    code, sid_old, _ = run("new", "Before the change", "--lens", "orr")
    assert code == 0
    review = Review.open(data_dir)
    try:
        old_hash = review.state(sid_old.strip()).lenses[0].content_hash
        assert old_hash == review.lenses.latest("orr").content_hash  # type: ignore[union-attr]
    finally:
        review.close()

    doc = json.loads(orr.read_text(encoding="utf-8"))
    doc["pillars"][0]["questions"][0]["title"] = "A question reworded by the lens owner"
    orr.write_text(json.dumps(doc), encoding="utf-8")
    code, out, err = run("lens", "import", str(orr))
    assert (code, err) == (0, "")
    assert out.startswith("orr revision 2 (version ") and "): stored;" in out

    code, sid_new, _ = run("new", "After the change", "--lens", "orr")
    assert code == 0
    review = Review.open(data_dir)
    try:
        kept = review.state(sid_old.strip()).lenses[0]
        assert kept.content_hash == old_hash
        assert kept.questions[0].title != "A question reworded by the lens owner"
        fresh = review.state(sid_new.strip()).lenses[0]
        assert fresh.content_hash != old_hash
        assert fresh.questions[0].title == "A question reworded by the lens owner"
        revisions = raw_sql(review, "SELECT revision FROM lens_version WHERE alias='orr' ORDER BY revision")
        assert revisions == [(1,), (2,)]
    finally:
        review.close()


def test_import_prints_warnings_for_lenient_loading(run: Run, tmp_path: Path) -> None:
    path = tmp_path / "emr.json"
    shutil.copy(CORPUS / "EMR-spark-lens.json", path)
    code, out, err = run("lens", "import", str(path))
    assert code == 0
    assert err.splitlines() == [
        f"wat-tui: warning: {path}: pillars[3].questions[4].{key}: a number where text belongs; read as text"
        for key in ("title", "description")
    ]
    assert out.startswith("emr revision 1")


def test_lens_list(run: Run, orr: Path) -> None:
    assert run("lens", "import", str(orr))[0] == 0
    code, out, err = run("lens", "list")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0].split() == ["ALIAS", "NAME", "VERSION", "PILLARS", "QUESTIONS", "ORIGIN"]
    rows = {line.split()[0]: line for line in lines[1:]}
    assert set(rows) == {"wellarchitected", "wat-serverless", "wat-saas", "orr"}
    assert rows["wellarchitected"].split()[-3:] == ["6", "57", "built-in"]
    assert rows["wat-serverless"].split()[-3:] == ["5", "9", "built-in"]
    assert rows["wat-saas"].split()[-3:] == ["6", "18", "built-in"]
    assert rows["orr"].split()[-3:] == ["3", "16", "imported"]
    assert "(rev 1)" in rows["orr"]


def test_lens_show_prints_the_outline(run: Run) -> None:
    code, out, err = run("lens", "show", "wellarchitected")
    assert (code, err) == (0, "")
    lines = out.splitlines()
    assert lines[0] == "AWS Well-Architected Framework (wellarchitected, version 2026.11)"
    pillars = [line.strip() for line in lines if line.startswith("  ") and not line.startswith("   ")]
    assert pillars == [
        "Operational Excellence [operationalExcellence]: 11 questions",
        "Security [security]: 11 questions",
        "Reliability [reliability]: 13 questions",
        "Performance Efficiency [performance]: 5 questions",
        "Cost Optimization [costOptimization]: 11 questions",
        "Sustainability [sustainability]: 6 questions",
    ]
    labels = [line.split()[0] for line in lines if line.startswith("    ") and not line.startswith("     ")]
    expected = [f"{p}{n:02d}" for p, count in
                (("OPS", 11), ("SEC", 11), ("REL", 13), ("PERF", 5), ("COST", 11), ("SUS", 6))
                for n in range(1, count + 1)]
    assert labels == expected
    assert "6 practices + None of these" in out


# -- bad input -----------------------------------------------------------------------------------------------


def _lens_bytes(mutate: Callable[[dict[str, object]], None] | None = None) -> bytes:
    doc = json.loads((CORPUS / "ORR-Lens.json").read_text(encoding="utf-8"))
    if mutate:
        mutate(doc)
    return json.dumps(doc).encode("utf-8")


def _q(doc: dict[str, object], p: int = 0, q: int = 0) -> dict[str, object]:
    question: dict[str, object] = doc["pillars"][p]["questions"][q]  # type: ignore[index]
    return question


BAD_FILES: dict[str, tuple[bytes, str]] = {
    "malformed": (b'{"schemaVersion": "2021-11-01",', "not valid JSON: "),
    "schema": (_lens_bytes(lambda d: d.update(schemaVersion="2019-01-01")),
               "schemaVersion: unsupported value '2019-01-01'"),
    "unknown-choice": (
        _lens_bytes(lambda d: _q(d, 2, 1)["riskRules"][1].update(condition="sec_x_3 || x")),  # type: ignore[index]
        "pillars[2].questions[1].riskRules[1].condition: unknown choice id 'sec_x_3'",
    ),
    "duplicate-question": (
        _lens_bytes(lambda d: _q(d, 0, 1).update(id=_q(d, 0, 0)["id"])),
        "pillars[0].questions[1].id: duplicate question id",
    ),
    "duplicate-pillar": (
        _lens_bytes(lambda d: d["pillars"][1].update(id=d["pillars"][0]["id"])),  # type: ignore[index]
        "pillars[1].id: duplicate pillar id",
    ),
    "two-megabytes": (_lens_bytes(lambda d: d.update(description="x" * 2_100_000)),
                      "file is 2.0 MiB; lens files are limited to 1 MiB"),
    "invalid-utf8": (_lens_bytes().replace(b'"name"', b'"n\xe9me"', 1), "not valid UTF-8 (byte offset "),
    "empty-choices": (_lens_bytes(lambda d: _q(d).update(choices=[])),
                      "pillars[0].questions[0].choices: expected a non-empty list, found an empty one"),
    "bad-risk": (
        _lens_bytes(lambda d: _q(d)["riskRules"][0].update(risk="LOW_RISK")),  # type: ignore[index]
        "pillars[0].questions[0].riskRules[0].risk: unknown risk 'LOW_RISK'",
    ),
}


def _check_one_error_line(code: int, out: str, err: str, want_code: int, contains: str) -> None:
    assert code == want_code, err
    assert out == ""
    lines = err.splitlines()
    assert len(lines) == 1 and err.endswith("\n"), err
    assert lines[0].startswith("wat-tui: error: ")
    assert contains in lines[0]


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_lens_file_changes_nothing(
    run: Run, tmp_path: Path, data_dir: Path, orr: Path, case: str
) -> None:
    data, message = BAD_FILES[case]
    bad = tmp_path / "in" / "bad.json"
    bad.write_bytes(data)

    code, out, err = run("lens", "import", str(bad))
    _check_one_error_line(code, out, err, 1, f"wat-tui: error: {bad}: {message}")
    assert dump(data_dir) is None and not (data_dir / DB_NAME).exists()

    assert run("lens", "import", str(orr))[0] == 0
    assert run("new", "Existing review", "--lens", "orr", "--lens", "serverless")[0] == 0
    before = dump(data_dir)
    code, out, err = run("lens", "import", str(bad))
    _check_one_error_line(code, out, err, 1, f"wat-tui: error: {bad}: {message}")
    assert dump(data_dir) == before


@pytest.fixture
def populated(run: Run, orr: Path, data_dir: Path) -> list[str]:
    assert run("lens", "import", str(orr))[0] == 0
    assert run("new", "Alpha shop", "--lens", "orr")[0] == 0
    assert run("new", "Alpha bank")[0] == 0
    before = dump(data_dir)
    assert before is not None
    return before


@pytest.mark.parametrize(
    ("argv", "want_code", "contains"),
    [
        (["lens", "import", "{tmp}/missing.json"], 1, "{tmp}/missing.json: cannot read file: No such file"),
        (["lens", "import", "{tmp}"], 1, "{tmp}: cannot read file"),
        (["lens", "import", "{tmp}/in/orr.json", "--alias", "wellarchitected"], 1,
         "alias 'wellarchitected' belongs to a built-in lens"),
        # The old alias of our own Serverless lens still names it for sessions made before it was renamed.
        (["lens", "import", "{tmp}/in/orr.json", "--alias", "serverless"], 1,
         "alias 'serverless' belongs to a built-in lens"),
        (["lens", "show", "nosuch"], 1, "no lens with alias 'nosuch'"),
        (["new", "Timing", "--duration", "5x"], 1, "duration '5x'"),
        (["new", "Unknown lens", "--lens", "nosuch"], 1, "no lens with alias 'nosuch'"),
        (["open", "Alpha"], 1, "session 'Alpha' matches 2 sessions"),
        (["lens"], 2, "wat-tui: error: "),
        (["lens", "import"], 2, "the following arguments are required: file"),
        (["lens", "frobnicate"], 2, "invalid choice: 'frobnicate'"),
        (["lens", "list", "--bogus"], 2, "unrecognized arguments: --bogus"),
    ],
)
def test_bad_commands_change_nothing(
    run: Run, populated: list[str], data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
    argv: list[str], want_code: int, contains: str,
) -> None:
    def no_app(data: Path, sid: str | None) -> int:
        raise AssertionError("the app must not open on bad input")

    monkeypatch.setattr(sessions, "_run_app", no_app)
    code, out, err = run(*(a.replace("{tmp}", str(tmp_path)) for a in argv))
    _check_one_error_line(code, out, err, want_code, contains.replace("{tmp}", str(tmp_path)))
    assert dump(data_dir) == populated


def test_usage_errors_do_not_create_a_database(run: Run, data_dir: Path) -> None:
    for argv in (["lens"], ["lens", "import"], ["new", "X", "--duration", "5x"]):
        code, out, err = run(*argv)
        assert code in (1, 2) and out == "" and len(err.splitlines()) == 1
    assert not (data_dir / DB_NAME).exists()
