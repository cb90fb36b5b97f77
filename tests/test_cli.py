"""The ``wat-tui`` command through its entry point: output, exit status, and no change on bad input."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import database_dump as dump
from wat_tui import __version__
from wat_tui.cli import build_parser, main
from wat_tui.review.service import Review
from wat_tui.store.paths import DB_NAME

UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    try:
        code = main(list(argv))
    except SystemExit as exc:  # --help and --version exit through argparse
        code = int(exc.code or 0)
    out, err = capsys.readouterr()
    return code, out, err


def command_paths(parser: argparse.ArgumentParser, prefix: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    yield prefix
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from command_paths(sub, (*prefix, name))




def test_version(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, _ = run(capsys, "--version")
    assert (code, out.strip()) == (0, f"wat-tui {__version__}")
    assert not data_dir.exists()


def test_python_dash_m(data_dir: Path) -> None:
    result = subprocess.run([sys.executable, "-m", "wat_tui", "--version"], capture_output=True, text=True,
                            timeout=60)
    assert (result.returncode, result.stdout.strip()) == (0, f"wat-tui {__version__}")


def test_help_on_every_command(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    paths = list(command_paths(build_parser()))
    assert {(), ("new",), ("list",), ("demo",), ("open",), ("lens", "import")} <= set(paths)
    for path in paths:
        code, out, err = run(capsys, *path, "--help")
        assert code == 0, (path, err)
        assert out.startswith("usage: wat-tui"), path
        assert "--data-dir" in out, path
    assert not data_dir.exists()


def test_new_prints_an_id_and_stores_the_session(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, err = run(capsys, "new", "Checkout review", "--workload-type", "critical-ecommerce",
                         "--duration", "5h", "--lens", "wellarchitected", "--lens", "serverless",
                         "--participant", "Ana:Facilitator", "--participant", "Ben Okafor")
    assert (code, err) == (0, "")
    sid = out.strip()
    assert UUID.match(sid), out
    review = Review.open(data_dir)
    try:
        st = review.state(sid)
        assert (st.name, st.workload_type, st.planned_minutes) == (
            "Checkout review", "critical-ecommerce", 300)
        assert [lens.alias for lens in st.lenses] == ["wellarchitected", "serverless"]
        people = [(p.name, p.role) for p in st.participants]
        assert people == [("Ana", "Facilitator"), ("Ben Okafor", "Other")]
    finally:
        review.close()


def test_data_dir_flag_beats_the_environment(capsys: pytest.CaptureFixture[str], data_dir: Path,
                                             tmp_path: Path) -> None:
    flag = tmp_path / "flag"
    assert run(capsys, "--data-dir", str(flag), "new", "Before the command")[0] == 0
    assert run(capsys, "new", "After the command", "--data-dir", str(tmp_path / "flag2"))[0] == 0
    assert (flag / DB_NAME).exists() and (tmp_path / "flag2" / DB_NAME).exists()
    assert not data_dir.exists()
    code, out, _ = run(capsys, "list", "--data-dir", str(flag))
    assert code == 0 and "Before the command" in out and "After the command" not in out


def test_list(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, out, _ = run(capsys, "list")
    assert code == 0 and "No sessions yet" in out
    _, sid, _ = run(capsys, "new", "Payments API", "--workload-type", "financial")
    sid = sid.strip()
    review = Review.open(data_dir)
    review.toggle_choice(sid, "wellarchitected", "identities", "sec_identities_no")
    total = review.state(sid).total_questions
    created = review.state(sid).created_at[:16].replace("T", " ")
    review.close()
    code, out, _ = run(capsys, "list")
    header, row = out.splitlines()
    assert header.split()[:5] == ["ID", "NAME", "WORKLOAD", "TYPE", "CREATED"]
    assert "ANSWERED" in header
    assert row.startswith(sid[:8])
    for cell in ("Payments API", "financial", created, f"1/{total}"):
        assert cell in row


def test_demo_is_created_once_and_reused(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    code, first, err = run(capsys, "demo", "--print")
    assert (code, err) == (0, "")
    review = Review.open(data_dir)
    (demo,) = review.list_sessions()
    ops = len(review.ops(demo.id))
    review.close()
    code, second, err = run(capsys, "demo", "--print")
    assert (code, err, second) == (0, "", first)
    review = Review.open(data_dir)
    try:
        (again,) = review.list_sessions()
        assert again == demo
        assert len(review.ops(demo.id)) == ops
    finally:
        review.close()
    assert "Answered" in first and "Participants:" in first


@pytest.fixture
def two_sessions(data_dir: Path) -> Path:
    review = Review.open(data_dir)
    review.create_session("Payments API")
    review.create_session("Payments batch")
    review.close()
    return data_dir


BAD_INPUT: list[tuple[list[str], int]] = [
    (["open", "Payments"], 1),  # a SESSION that matches two sessions
    (["Payments"], 1),  # the same, through the default command
    (["new", "X", "--duration", "5x"], 1),
    (["new", "X", "--workload-type", "spaceship"], 1),
    (["new", "X", "--lens", "wellarchitected", "--lens", "nosuchlens"], 1),
    (["new", "X", "--participant", ":Facilitator"], 1),
    (["new", " "], 1),
    (["new"], 2),
    (["new", "X", "--duration"], 2),
    (["list", "--colour"], 2),
    (["lens"], 2),
    (["lens", "frobnicate"], 2),
    (["open", "Nobody"], 1),
    (["lens", "show", "nosuchlens"], 1),
]


def check_one_error_line(err: str) -> None:
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("wat-tui: error: ")


@pytest.mark.parametrize(("argv", "status"), BAD_INPUT, ids=[" ".join(a) or "-" for a, _ in BAD_INPUT])
def test_bad_input_changes_nothing(capsys: pytest.CaptureFixture[str], two_sessions: Path, argv: list[str],
                                   status: int) -> None:
    before = dump(two_sessions)
    code, out, err = run(capsys, *argv)
    assert code == status
    check_one_error_line(err)
    assert out == ""
    assert dump(two_sessions) == before


@pytest.mark.parametrize(("argv", "status"), BAD_INPUT, ids=[" ".join(a) or "-" for a, _ in BAD_INPUT])
def test_bad_input_on_a_fresh_machine_creates_no_database(capsys: pytest.CaptureFixture[str], data_dir: Path,
                                                          argv: list[str], status: int) -> None:
    code, _, err = run(capsys, *argv)
    assert code == status
    check_one_error_line(err)
    assert not (data_dir / DB_NAME).exists()


def test_ambiguous_session_message_names_both(capsys: pytest.CaptureFixture[str], two_sessions: Path) -> None:
    _, _, err = run(capsys, "open", "Pay")
    assert "Payments API" in err and "Payments batch" in err


def test_a_broken_database_is_one_error_line(capsys: pytest.CaptureFixture[str], data_dir: Path) -> None:
    data_dir.mkdir(parents=True)
    (data_dir / DB_NAME).write_bytes(b"not sqlite" * 200)
    code, _, err = run(capsys, "list")
    assert code == 1
    check_one_error_line(err)
    assert str(data_dir / DB_NAME) in err



def test_a_data_dir_that_is_a_file_is_one_error_line(capsys: pytest.CaptureFixture[str], tmp_path: Path,
                                                     data_dir: Path) -> None:
    blocker = tmp_path / "plain-file"
    blocker.write_text("mine")
    code, _, err = run(capsys, "list", "--data-dir", str(blocker))
    assert code == 1
    check_one_error_line(err)
    assert blocker.read_text() == "mine"
