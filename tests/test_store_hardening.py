"""The store under hostile conditions: several processes at once, killed migrations, damaged or foreign files."""

from __future__ import annotations

from pathlib import Path

from scripts.stress_writers import run as stress


def test_processes_writing_at_once_lose_nothing_and_never_reuse_an_operation_id(data_dir: Path) -> None:
    """Four processes editing through Review (reopening as separate commands would) while 'wat-tui new' runs."""
    figures = stress(data_dir, processes=4, edits=120, news=4, seed_notes=2000, reopen_every=5)
    assert figures.failures == []
    assert figures.problems == []
    assert figures.ops_lost == 0
