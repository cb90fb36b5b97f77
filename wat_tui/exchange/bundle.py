"""Session bundles: one session's whole operation log as a versioned JSON file, for merging on another laptop.

Export writes everything the receiving laptop needs to rebuild the session: the operations sorted by writer
and seq with a SHA-256 over their canonical form, the writers table, the version vector, and the exact bytes
of every lens version the session uses. Import refuses anything it cannot trust before a single row is
written: a file too big, truncated, not a bundle, from a newer format, altered after export, or holding values
the app could not show. The format is described for other tools' authors in ``docs/bundle-format.md``; the
JSON Schema ships beside this module.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from wat_tui import __version__
from wat_tui.errors import WatError
from wat_tui.exchange.schema import Check, SchemaError, compile_schema, kind
from wat_tui.fileio import read_regular, write_atomic
from wat_tui.review.service import Review
from wat_tui.review.targets import TARGETS, target_kind
from wat_tui.review.validate import Invalid
from wat_tui.review.validate import check as check_rules
from wat_tui.store.oplog import Op, canonical

FORMAT = "wat-tui-session-bundle"
FORMAT_VERSION = 1
#: A six-hour review with thousands of notes is a few MB; refusing bigger files before reading bounds memory.
MAX_BUNDLE_BYTES = 64 * 1024 * 1024
#: Values are at most a few levels deep; a deeper one could not be read back safely on a deep call stack.
MAX_DEPTH = 32
OP_FIELDS = ("writer", "seq", "target", "value", "vv", "hlc")


@dataclass(frozen=True)
class Writer:
    writer_id: str
    name: str
    device: str


@dataclass(frozen=True)
class BundleLens:
    alias: str
    version: str
    name: str
    sha256: str
    source: bytes


@dataclass(frozen=True)
class Bundle:
    """A parsed, validated bundle; ``ops`` carry ``source`` = the file's name."""

    path: str
    session_id: str
    app_version: str
    exported_at: str
    exporter: Writer
    lenses: tuple[BundleLens, ...]
    writers: dict[str, Writer]
    version_vector: dict[str, int]
    ops: tuple[Op, ...]
    #: (writer, seq) -> the operation's index in the file's ``operations``, for messages (``operations[12]``).
    positions: dict[tuple[str, int], int] = field(default_factory=dict, compare=False)

    def where(self, op: Op) -> str:
        """``<file>: operations[12]``: the place of ``op`` in this file, for a one-line message."""
        i = self.positions.get(op.id)
        return f"{self.path}: operations[{i}]" if i is not None else f"{self.path}: operation {op.writer_id}:{op.seq}"

    def lens_refs(self) -> list[tuple[str, str]]:
        """Every (alias, content hash) any ``session/lenses`` operation in the file names."""
        return list(dict.fromkeys(
            (item["alias"], item["hash"]) for op in self.ops if op.target == "session/lenses"
            for item in (op.value or [])
        ))


# -- export --------------------------------------------------------------------------------------------------


def op_to_json(op: Op) -> dict[str, Any]:
    """An op as the bundle writes it: the known members, then any unknown ones kept from a newer format."""
    out: dict[str, Any] = {"writer": op.writer_id, "seq": op.seq, "target": op.target, "value": op.value,
                           "vv": op.vv, "hlc": op.hlc}
    out.update((k, v) for k, v in op.extra.items() if k not in out)
    return out


def ops_checksum(ops_json: list[dict[str, Any]]) -> str:
    """SHA-256 of the operations' canonical JSON: keys sorted, no spaces, non-ASCII as UTF-8."""
    return hashlib.sha256(canonical(ops_json).encode("utf-8")).hexdigest()


def export_bundle(review: Review, sid: str) -> dict[str, Any]:
    """The bundle for one session, as a JSON-ready dict."""
    if not review.session_exists(sid):
        raise WatError(f"no session with id {sid!r}")
    ops = sorted(review.ops(sid), key=lambda o: (o.writer_id, o.seq))
    ops_json = [op_to_json(op) for op in ops]
    vv: dict[str, int] = {}
    for op in ops:
        vv[op.writer_id] = max(vv.get(op.writer_id, 0), op.seq)
    writer_ids = sorted({*vv, review.writer_id})
    known = review.writers()
    writers = [{"writer_id": w, "name": known.get(w, ("", ""))[0], "device": known.get(w, ("", ""))[1]}
               for w in writer_ids]
    lenses = []
    hashes = dict.fromkeys(
        item["hash"] for op in ops if op.target == "session/lenses" for item in (op.value or [])
    )
    for content_hash in hashes:
        stored = review.lenses.by_hash(content_hash)
        source = review.lenses.source(content_hash)
        if stored is None or source is None:
            raise WatError(f"session {sid}: lens version {content_hash[:12]} is missing from this database")
        lenses.append({"alias": stored.alias, "version": stored.version, "name": stored.name,
                       "sha256": content_hash, "source": source.decode("utf-8")})
    return {
        "format": FORMAT,
        "version": FORMAT_VERSION,
        "session_id": sid,
        "app_version": __version__,
        "exported_at": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "exporter": {"writer_id": review.writer_id, "name": review.writer_name, "device": review.device},
        "lenses": lenses,
        "writers": writers,
        "version_vector": vv,
        "operations": ops_json,
        "operations_sha256": ops_checksum(ops_json),
    }


def bundle_text(doc: dict[str, Any]) -> str:
    """The file's text: the header indented for people, then one operation per line (compact, and a diff of two
    exports shows which operations differ)."""
    head = json.dumps({**doc, "operations": "\u0000"}, ensure_ascii=False, indent=1)
    before, marker, after = head.rpartition('"\\u0000"')
    assert marker, "the placeholder is a JSON token of its own"
    ops = ",\n".join(json.dumps(op, ensure_ascii=False, separators=(",", ":")) for op in doc["operations"])
    return f"{before}[\n{ops}\n ]{after}"


def write_bundle(review: Review, sid: str, path: Path) -> dict[str, Any]:
    """Export to ``path`` atomically and owner-only (a review records security weaknesses); see fileio."""
    doc = export_bundle(review, sid)
    write_atomic(path, (bundle_text(doc) + "\n").encode("utf-8"), what="the bundle")
    return doc


# -- import --------------------------------------------------------------------------------------------------


@cache
def schema() -> dict[str, Any]:
    text = resources.files("wat_tui.exchange").joinpath("bundle.schema.json").read_text(encoding="utf-8")
    doc: dict[str, Any] = json.loads(text)
    return doc


@cache
def _checks() -> dict[str, Check]:
    root = schema()
    out = {"bundle": compile_schema(root)}
    for t in TARGETS:
        out[t.value_def] = compile_schema(root["$defs"][t.value_def], root)
    return out


def value_check(target: str) -> str | None:
    """Which value schema a target must match; None for forms this version does not know (kept unread)."""
    t = target_kind(target)
    return t.value_def if t is not None else None


def check_value(target: str, value: Any) -> None:
    """Raise SchemaError when a value does not fit its target's kind (unknown kinds take any value)."""
    name = value_check(target)
    if name is not None:
        _checks()[name](value)


def read_bundle(path: Path) -> Bundle:
    """Read and validate a bundle file; every problem is a WatError naming the file and the place.

    Only a regular file, and never more than the size limit of it (see :func:`wat_tui.fileio.read_regular`).
    """
    data = read_regular(path, MAX_BUNDLE_BYTES, what="session bundle")
    return parse_bundle(data, str(path), path.name)


def parse_bundle(data: bytes, name: str, source: str) -> Bundle:
    """Validate bundle bytes; ``name`` is used in messages, ``source`` is recorded on each op."""
    if len(data) > MAX_BUNDLE_BYTES:
        raise WatError(f"{name}: {len(data) / 2**20:.0f} MiB; session bundles are limited to "
                       f"{MAX_BUNDLE_BYTES // 2**20} MiB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise WatError(f"{name}: not valid UTF-8 text (byte offset {exc.start})") from exc
    try:
        doc = json.loads(text, parse_constant=_no_constant)
    except json.JSONDecodeError as exc:
        if exc.pos >= len(text.rstrip()) or exc.msg.startswith("Unterminated string"):
            raise WatError(f"{name}: the file ends in the middle of its JSON (line {text.count(chr(10)) + 1}): "
                           "it looks truncated; export it again") from exc
        raise WatError(f"{name}: not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})") from exc
    except _BadConstant as exc:
        raise WatError(f"{name}: not valid JSON: {exc}") from exc
    except RecursionError as exc:
        raise WatError(f"{name}: JSON nested too deeply to be a session bundle") from exc
    try:
        return _Reader(name, source).bundle(doc)
    except RecursionError as exc:
        raise WatError(f"{name}: JSON nested too deeply to be a session bundle") from exc


class _BadConstant(ValueError):
    pass


def _no_constant(name: str) -> Any:
    raise _BadConstant(f"{name} is not a JSON number")


def _depth_ok(value: Any, limit: int) -> bool:
    """No container nested more than ``limit`` levels below ``value`` (flat members cost one type test)."""
    members = value.values() if type(value) is dict else value if type(value) is list else ()
    for v in members:
        t = type(v)
        if (t is dict or t is list) and (limit <= 1 or not _depth_ok(v, limit - 1)):
            return False
    return True


class _Reader:
    def __init__(self, name: str, source: str) -> None:
        self.name = name
        self.source = source

    def fail(self, where: str, problem: str) -> WatError:
        return WatError(f"{self.name}: {where}: {problem}" if where else f"{self.name}: {problem}")

    def bundle(self, doc: Any) -> Bundle:
        self.envelope(doc)
        checks = _checks()
        try:
            checks["bundle"](doc)
        except SchemaError as err:
            raise self.fail(err.where, err.problem) from None
        try:
            canonical({k: v for k, v in doc.items() if k != "operations"}).encode("utf-8")
            checksum = ops_checksum(doc["operations"])
        except UnicodeEncodeError as exc:
            raise self.fail("", "text holds an unpaired UTF-16 surrogate: not valid Unicode") from exc
        if checksum != doc["operations_sha256"]:
            raise self.fail("operations_sha256", "does not match the operations: the file was changed after "
                            "export or is damaged")
        writers = self.writers(doc["writers"])
        positions: dict[tuple[str, int], int] = {}
        ops = self.operations(doc["session_id"], doc["operations"], writers, checks, positions)
        self.version_vector(doc["version_vector"], ops)
        lenses = self.lenses(doc["lenses"])
        exporter = doc["exporter"]
        bundle = Bundle(self.name, doc["session_id"], doc["app_version"], doc["exported_at"],
                        Writer(exporter["writer_id"], exporter["name"], exporter["device"]), lenses, writers,
                        dict(doc["version_vector"]), tuple(ops), positions)
        carried = {lens.sha256 for lens in lenses}
        for alias, content_hash in bundle.lens_refs():
            if content_hash not in carried:
                raise self.fail("lenses", f"the session uses lens {alias!r} (sha256 {content_hash[:12]}), "
                                "which the file does not carry")
        return bundle

    def envelope(self, doc: Any) -> None:
        """Is this a bundle at all, and one this version reads? Checked before the schema, to say clearly."""
        if not isinstance(doc, dict):
            raise self.fail("", f"not a wat-tui session bundle: the file holds {kind(doc)}, not an object")
        if doc.get("format") != FORMAT:
            hint = ""
            if "pillars" in doc or "schemaVersion" in doc:
                hint = "; it looks like a lens: import it with 'wat-tui lens import'"
            raise self.fail("", f'not a wat-tui session bundle (no "format": "{FORMAT}"){hint}')
        version = doc.get("version")
        if not isinstance(version, int) or isinstance(version, bool):
            raise self.fail("version", "missing or not an integer")
        if version > FORMAT_VERSION:
            app = doc.get("app_version")
            by = f" by wat-tui {app}" if isinstance(app, str) and re.fullmatch(r"[\w.+-]{1,40}", app) else ""
            raise self.fail("", f"written in bundle format version {version}{by}; this wat-tui "
                            f"({__version__}) reads format version {FORMAT_VERSION}: update wat-tui to merge "
                            "it")

    def writers(self, items: list[dict[str, Any]]) -> dict[str, Writer]:
        out: dict[str, Writer] = {}
        for i, item in enumerate(items):
            if item["writer_id"] in out:
                raise self.fail(f"writers[{i}]", f"writer {item['writer_id']} is listed twice")
            out[item["writer_id"]] = Writer(item["writer_id"], item["name"], item["device"])
        return out

    def operations(self, sid: str, items: list[dict[str, Any]], writers: dict[str, Writer],
                   checks: dict[str, Check], positions: dict[tuple[str, int], int]) -> list[Op]:
        ops: dict[tuple[str, int], Op] = {}
        seen_pairs: set[tuple[str, int]] = set()
        for i, item in enumerate(items):
            w, seq, target, vv, value = item["writer"], item["seq"], item["target"], item["vv"], item["value"]
            # The schema fixed the depth of every member but the value and unknown ones.
            extra = {k: v for k, v in item.items() if k not in OP_FIELDS} if len(item) > 6 else {}
            if not _depth_ok(value, MAX_DEPTH) or (extra and not _depth_ok(extra, MAX_DEPTH)):
                raise self.fail(f"operations[{i}]", f"nested more than {MAX_DEPTH} levels deep")
            if w not in writers:
                raise self.fail(f"operations[{i}]", f"writer {w} is not in the writers table")
            if vv.get(w, 0) >= seq:
                raise self.fail(f"operations[{i}].vv", f"operation {w}:{seq} claims to have seen itself")
            check = value_check(target)
            if check is not None:
                try:
                    checks[check](value)
                except SchemaError as err:
                    err.path.append("value")
                    raise self.fail(f"operations[{i}].{err.where}", f"{err.problem} (for a "
                                    f"{target.split('/')[0]} operation)") from None
                # The rules the local input obeys, as far as they need no session (the merge checks the rest).
                try:
                    check_rules(target, value)
                except Invalid as inv:
                    raise self.fail(f"operations[{i}].{inv.where}", inv.problem) from None
            op = Op(w, seq, sid, target, value, vv, item["hlc"], self.source, extra)
            key = (w, seq)
            if key in ops and ops[key].payload() != op.payload():
                raise self.fail(f"operations[{i}]", f"operation {w}:{seq} appears twice with different "
                                "content")
            ops[key] = op
            positions.setdefault(key, i)
            seen_pairs.update(vv.items())
        missing = seen_pairs - ops.keys()
        if missing:
            w, n = min(missing)
            i = next(i for i, item in enumerate(items) if item["vv"].get(w) == n)
            who = f"{items[i]['writer']}:{items[i]['seq']}"
            raise self.fail(f"operations[{i}].vv", f"operation {who} has seen operation {w}:{n}, which the file "
                            "does not contain (an incomplete export?)")
        return list(ops.values())

    def version_vector(self, vv: dict[str, int], ops: Iterable[Op]) -> None:
        reached: dict[str, int] = {}
        for op in ops:
            reached[op.writer_id] = max(reached.get(op.writer_id, 0), op.seq)
        if reached != vv:
            diff = sorted(set(reached.items()) ^ set(vv.items()))[0][0]
            raise self.fail("version_vector", f"says writer {diff} reached seq {vv.get(diff, 0)}, but the "
                            f"operations reach {reached.get(diff, 0)}")

    def lenses(self, items: list[dict[str, Any]]) -> tuple[BundleLens, ...]:
        out: dict[str, BundleLens] = {}
        for i, item in enumerate(items):
            source = item["source"].encode("utf-8")
            if hashlib.sha256(source).hexdigest() != item["sha256"]:
                raise self.fail(f"lenses[{i}]", f"the source of lens {item['alias']!r} does not match its "
                                "sha256")
            out[item["sha256"]] = BundleLens(item["alias"], item["version"], item["name"], item["sha256"],
                                             source)
        return tuple(out.values())


