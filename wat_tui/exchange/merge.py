"""Merging session bundles into this laptop's database, all at once or not at all.

Merging is a set union of operations, so the order of files and repeating a file change nothing. Everything
that can be checked without writing is checked first (files, session ids, lenses, questions, reused operation
ids); the writes then happen in one transaction, so a failure or a crash halfway leaves the database as it
was. ``preview`` runs the very same merge and rolls it back, which is how the Merge screen shows what would
come in.
"""

from __future__ import annotations

import gc
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from wat_tui.errors import WatError
from wat_tui.exchange.bundle import Bundle, BundleLens, read_bundle
from wat_tui.exchange.conflicts import ConflictView, open_conflicts
from wat_tui.lens.loader import LensError, load_lens_bytes
from wat_tui.lens.model import Lens
from wat_tui.review.service import Review
from wat_tui.review.validate import Context, Invalid, check
from wat_tui.store.oplog import Op


@dataclass(frozen=True)
class WriterCounts:
    """What one writer's operations brought in: answers, notes and action items touched, counted once each."""

    writer_id: str
    name: str
    device: str
    operations: int
    answers: int
    notes: int
    actions: int


@dataclass(frozen=True)
class MergeReport:
    session_id: str
    session_name: str
    files: tuple[str, ...]
    #: The session did not exist on this laptop before.
    created: bool
    writers: tuple[WriterCounts, ...]
    #: Operations in the files that this database already had.
    already_here: int
    #: "alias version" of each lens version stored because of the merge.
    lenses_added: tuple[str, ...]
    #: Every conflict of the session open after the merge (not only new ones).
    conflicts: tuple[ConflictView, ...]
    #: False for a preview: nothing was written.
    applied: bool

    @property
    def operations(self) -> int:
        return sum(w.operations for w in self.writers)


class _Preview(Exception):
    def __init__(self, report: MergeReport) -> None:
        super().__init__("preview")
        self.report = report


@dataclass
class _Counting:
    operations: int = 0
    answers: set[str] = field(default_factory=set)
    notes: set[str] = field(default_factory=set)
    actions: set[str] = field(default_factory=set)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Reading and merging create a million small objects and no cycles; Python's cyclic collector would
    traverse the growing heap again and again meanwhile (a sixth of the merge time)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def read_bundles(paths: Iterable[Path]) -> list[Bundle]:
    with _gc_paused():
        bundles = [read_bundle(Path(p)) for p in paths]
    if not bundles:
        raise WatError("no bundle files given")
    return bundles


def merge_files(review: Review, paths: Sequence[Path], into: str | None = None) -> MergeReport:
    """Merge bundle files into the session they were exported from (created here when missing)."""
    return merge_bundles(review, read_bundles(paths), into)


def preview(review: Review, paths: Sequence[Path], into: str | None = None) -> MergeReport:
    """What :func:`merge_files` would report, leaving the database exactly as it is."""
    return merge_bundles(review, read_bundles(paths), into, apply=False)


def merge_bundles(review: Review, bundles: Sequence[Bundle], into: str | None = None, *,
                  apply: bool = True) -> MergeReport:
    """Merge parsed bundles in one transaction (``apply=False``: roll it back, for a preview)."""
    with _gc_paused():
        return _merge(review, bundles, into, apply)


def _merge(review: Review, bundles: Sequence[Bundle], into: str | None, apply: bool) -> MergeReport:
    if not bundles:
        raise WatError("no bundle files given")
    sid = _session_id(review, bundles, into)
    ops, origin = _union(bundles)
    created = not review.session_exists(sid)
    if created and not any(op.target == "session/lenses" for op in ops.values()):
        raise WatError(f"{bundles[0].path}: session {sid} is not on this laptop and the file does not hold "
                       "its start (no session/lenses operation), so it cannot be created here")
    to_store, context = _lenses(review, sid, bundles, ops.values(), origin)
    _check_operations(review, bundles, context)
    if not apply and review.in_transaction:
        raise RuntimeError("preview needs its own transaction to roll back")
    try:
        with review.bulk(), review.transaction():
            added = []
            for lens, source in to_store:
                stored, new = review.lenses.store(lens, source, "bundle")
                if new:
                    added.append(f"{stored.alias} {stored.version}")
            names: dict[str, tuple[str, str]] = {}
            for b in bundles:
                for w in b.writers.values():
                    names.setdefault(w.writer_id, (w.name, w.device))
            review.add_writers(names)
            if created:
                review.adopt_session(sid)
            try:
                new_ops = review.ingest(sorted(ops.values(), key=lambda o: o.hlc))
            except ValueError:
                raise _reused(review, ops.values(), origin) from None
            review.project(sid)
            report = _report(review, sid, bundles, created, new_ops, len(ops), tuple(added), names, apply)
            if not apply:
                raise _Preview(report)
    except _Preview as p:  # rolled back, and the clock put back (Review.bulk)
        return p.report
    return report


def _session_id(review: Review, bundles: Sequence[Bundle], into: str | None) -> str:
    sid = bundles[0].session_id
    if into is not None:
        sid = review.find_session(into)
        for b in bundles:
            if b.session_id != sid:
                raise WatError(f"{b.path}: holds session {b.session_id}, not {into!r} ({sid}); a bundle "
                               "merges only into the session it was exported from")
    for b in bundles[1:]:
        if b.session_id != sid:
            raise WatError(f"{b.path}: holds session {b.session_id}, but {bundles[0].path} holds session "
                           f"{sid}; merge one session at a time")
    return sid


def _union(bundles: Sequence[Bundle]) -> tuple[dict[tuple[str, int], Op], dict[tuple[str, int], str]]:
    ops: dict[tuple[str, int], Op] = {}
    origin: dict[tuple[str, int], str] = {}
    for b in bundles:
        for op in b.ops:
            seen = ops.get(op.id)
            if seen is None:
                ops[op.id] = op
                origin[op.id] = b.path
            elif seen.payload() != op.payload():
                raise WatError(f"{b.path}: operation {op.writer_id}:{op.seq} differs from the same operation "
                               f"in {origin[op.id]}; one file was altered, or two databases share a "
                               "writer id")
    return ops, origin


def _lenses(review: Review, sid: str, bundles: Sequence[Bundle], ops: Iterable[Op],
            origin: dict[tuple[str, int], str]) -> tuple[list[tuple[Lens, bytes]], Context]:
    """The lens versions to store, and the rules' context: every lens version the session's history uses (an
    answer may be for a question of any of them)."""
    carried: dict[str, tuple[BundleLens, str]] = {}
    for b in bundles:
        for bl in b.lenses:
            carried.setdefault(bl.sha256, (bl, b.path))
    refs: dict[tuple[str, str], str] = {}
    for op in ops:
        if op.target == "session/lenses":
            for item in op.value or []:
                refs.setdefault((item["alias"], item["hash"]), origin[op.id])
    for value in review.logged_values(sid, "session/lenses"):
        for item in value or []:
            refs.setdefault((item["alias"], item["hash"]), "this database")
    to_store: list[tuple[Lens, bytes]] = []
    context = Context(f"session {sid}", ())
    parsed: dict[str, Lens] = {}
    for (alias, content_hash), where in refs.items():
        lens = parsed.get(content_hash)
        if lens is None and review.lenses.by_hash(content_hash) is not None:
            lens = review.lenses.load(content_hash)
        if lens is None:
            found = carried.get(content_hash)
            if found is None:
                raise WatError(f"{where}: the session uses lens {alias!r} (sha256 {content_hash[:12]}), "
                               "which neither the files nor this laptop have")
            bl, path = found
            try:
                lens = load_lens_bytes(bl.source, f"{path}: lens {alias!r}", alias=alias)
            except LensError as exc:
                raise WatError(str(exc)) from exc
            to_store.append((lens, bl.source))
        parsed[content_hash] = lens
        context.add(lens if lens.alias == alias else replace(lens, alias=alias))
    return to_store, context


def _check_operations(review: Review, bundles: Sequence[Bundle], context: Context) -> None:
    """Every operation obeys its target's rules with the session at hand (the rules the local input obeys: an
    answer's choices are its question's, an agenda block's pillar is in its lens, a note is on a question of the
    session ...), and no clock stamp is more than a day ahead of this laptop's clock: taking one would push every
    later local stamp past what a bundle may carry. The reader checked what needs no session."""
    now_ms = review.wall_ms()
    limit = review.horizon_ms()
    checked: set[tuple[str, int]] = set()  # the same operation in several files (their union) once
    for b in bundles:
        for op in b.ops:
            if op.id in checked:
                continue
            checked.add(op.id)
            ms = int(op.hlc.split("-", 1)[0])
            if ms > limit:
                raise WatError(f"{b.where(op)}.hlc: stamped {_utc(ms)}, more than a day ahead of this laptop's "
                               f"clock ({_utc(now_ms)}); the clock of the laptop that wrote it (or this one's) is "
                               "wrong: correct it and export again")
            try:
                check(op.target, op.value, context, only_session_kinds=True)
            except Invalid as inv:
                raise WatError(f"{b.where(op)}.{inv.where}: {inv.problem}") from None


def _utc(ms: int) -> str:
    try:
        return datetime.fromtimestamp(ms / 1000, UTC).strftime("%Y-%m-%d %H:%M UTC")
    except (ValueError, OverflowError, OSError):
        return f"{ms} ms after 1970"


def _reused(review: Review, ops: Iterable[Op], origin: dict[tuple[str, int], str]) -> WatError:
    """Name the file and operation whose id this database already holds with other content."""
    for op in ops:
        stored = review.op(op.writer_id, op.seq)
        if stored is not None and stored.payload() != op.payload():
            return WatError(f"{origin[op.id]}: operation {op.writer_id}:{op.seq} is already here with "
                            "different content; the file was altered, or two databases share a writer id "
                            "(a copied database?)")
    return WatError("an operation id is already here with different content")


def _report(review: Review, sid: str, bundles: Sequence[Bundle], created: bool, new_ops: list[Op], total: int,
            added: tuple[str, ...], names: dict[str, tuple[str, str]], applied: bool) -> MergeReport:
    counting: dict[str, _Counting] = {}
    for op in new_ops:
        c = counting.setdefault(op.writer_id, _Counting())
        c.operations += 1
        kind, _, rest = op.target.partition("/")
        if kind == "answer":
            c.answers.add(rest)
        elif kind == "note":
            c.notes.add(rest)
        elif kind == "action":
            c.actions.add(rest.split("/", 1)[0])
    writers = tuple(
        WriterCounts(w, *names.get(w, ("", "")), c.operations, len(c.answers), len(c.notes), len(c.actions))
        for w, c in sorted(counting.items(), key=lambda item: names.get(item[0], ("", ""))[0] + item[0])
    )
    return MergeReport(sid, review.session_name(sid), tuple(b.path for b in bundles), created, writers,
                       total - len(new_ops), added, tuple(open_conflicts(review, sid)), applied)
