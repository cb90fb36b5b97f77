from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import Run, run_cli
from wat_tui.review.service import Review

ROOT = Path(__file__).resolve().parent.parent
CORPUS = Path(__file__).resolve().parent / "fixtures" / "lens-corpus"

os.environ.setdefault("TZ", "UTC")


@pytest.fixture(autouse=True)
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Every test gets its own data directory; the real one is never touched."""
    d = tmp_path / "data"
    monkeypatch.setenv("WAT_TUI_DATA_DIR", str(d))
    return d


@pytest.fixture
def review(data_dir: Path) -> Iterator[Review]:
    r = Review.open(data_dir)
    yield r
    r.close()


@pytest.fixture
def run(capsys: pytest.CaptureFixture[str]) -> Run:
    """``run("lens", "list")``: the command line in this process, with what it printed."""
    return lambda *argv: run_cli(capsys, *argv)
