"""Hostile session bundles: what a laptop accepts, it must be able to use.

Makes a real session (two lenses, answers, notes, action items, participants, a clock that ran, an agenda, a
parked question, a conflict), exports it, and then writes many mutations of that bundle: wrong types, huge
numbers, far-future clock stamps, bad targets, missing members, deep nesting, broken checksums (most re-sealed, so
the checksum does not hide the flaw), unknown lens references, and agenda, timer and parking garbage. Each one is
merged through the real command line (``wat-tui merge``) into a fresh laptop, or one that already holds the
session, and counted as:

- refused cleanly: exit 1, one line on stderr starting ``wat-tui: error:``, nothing on stdout, database unchanged;
- refused badly: anything else that failed (a traceback, several lines, a changed database);
- accepted: the merge succeeded, and afterwards ``Review.state``, the session list, ``load_timeline``, the time
  report and parking lot, the Markdown and HTML reports, one more edit, exporting the session again, reading that
  export back and merging it into a third laptop, and opening the app headlessly on the workspace all work;
- accepted but damaging: the merge succeeded and one of those failed.

    .venv/bin/python scripts/hostile_bundles.py                # 500 bundles, seed 1
    .venv/bin/python scripts/hostile_bundles.py --count 2000 --seed 7 --no-app

Exit status 1 when any bundle was accepted but damaging, or refused badly.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import copy
import hashlib
import io
import json
import random
import shutil
import sys
import tempfile
import time
import traceback
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support import database_dump as dump  # noqa: E402
from wat_tui.cli import main as cli_main  # noqa: E402
from wat_tui.exchange.bundle import ops_checksum, parse_bundle, write_bundle  # noqa: E402
from wat_tui.exchange.merge import merge_files  # noqa: E402
from wat_tui.exchange.report import render_markdown  # noqa: E402
from wat_tui.exchange.report_html import render_html  # noqa: E402
from wat_tui.review import timekeeping as tk  # noqa: E402
from wat_tui.review.service import Review  # noqa: E402

LENSES = ("serverless", "saas")
START = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
Doc = dict[str, Any]


# -- the real session ------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _fixed_ids(seed: int) -> Iterator[None]:
    """Ids (sessions, writers, notes) from a seeded generator, so one seed always gives the same files."""
    ids = random.Random(seed)
    real = uuid.uuid4
    uuid.uuid4 = lambda: uuid.UUID(int=ids.getrandbits(128), version=4)
    try:
        yield
    finally:
        uuid.uuid4 = real


def make_base(root: Path, seed: int = 0) -> tuple[Path, Path, Path]:
    """The exported bundle of a real session, a fresh laptop, and a laptop that already holds the session."""
    with _fixed_ids(seed):
        return _make_base(root)


def _make_base(root: Path) -> tuple[Path, Path, Path]:
    source = root / "source"
    review = Review.open(source)
    review.set_clock(lambda: START)
    try:
        sid = review.create_session("Checkout review", workload="shop", lenses=LENSES,
                                    participants=[("Ana Ruiz", "Facilitator"), ("Bo Chen", "Workload owner")])
        st = review.state(sid)
        for lens in st.lenses:
            for q in lens.questions[:4]:
                review.toggle_choice(sid, lens.alias, q.id, q.choices[0].id)
            q = lens.questions[5]
            review.set_not_applicable(sid, lens.alias, q.id, "OUT_OF_SCOPE")
            key = f"{lens.alias}/{lens.questions[0].id}"
            review.add_note(sid, key, "Ana Ruiz", "## Cold starts\n\nThey *hurt* checkout.")
            review.add_note(sid, key, "Bo Chen", "private thought", private=True)
            review.add_action(sid, "Add provisioned concurrency", owner="Bo", due="2027-01-31", question=key)
        tk.start_session_clock(review, sid, START)
        first = st.lenses[0].questions[0]
        tk.set_question(review, sid, f"{LENSES[0]}/{first.id}", START + timedelta(minutes=4))
        agenda = tk.stored_agenda(review, sid) or []
        if len(agenda) > 2:
            tk.enter_block(review, sid, agenda[1].id, START + timedelta(minutes=20))
        tk.pause(review, sid, START + timedelta(minutes=41))
        tk.park_question(review, sid, f"{LENSES[0]}/{st.lenses[0].questions[2].id}", "needs the DBA", "Ana Ruiz")
        bundle = root / "base.json"
        write_bundle(review, sid, bundle)
    finally:
        review.close()
    # A second laptop edits the same things meanwhile: the base has concurrent values (a conflict).
    other = Review.open(root / "other")
    other.set_clock(lambda: START + timedelta(minutes=50))
    try:
        merge_files(other, [bundle])
        q = st.lenses[0].questions[0]
        other.toggle_choice(sid, LENSES[0], q.id, q.choices[1].id)
        other.set_participant(sid, "Dana Levi", "Security specialist", "dana@example.com")
        write_bundle(other, sid, root / "other.json")
    finally:
        other.close()
    review = Review.open(source)
    try:
        review.set_clock(lambda: START + timedelta(minutes=55))
        q = st.lenses[0].questions[0]
        review.toggle_choice(sid, LENSES[0], q.id, q.choices[2].id)
        merge_files(review, [root / "other.json"])
        write_bundle(review, sid, bundle)
    finally:
        review.close()
    fresh = root / "fresh"
    Review.open(fresh).close()
    holding = root / "holding"
    review = Review.open(holding)
    try:
        merge_files(review, [root / "other.json"])
    finally:
        review.close()
    return bundle, fresh, holding


# -- mutations -------------------------------------------------------------------------------------------------


def reseal(doc: Doc) -> None:
    """Make the version vector and checksum agree with the operations again (when they are still a list of
    objects with writers and integer seqs), so only the intended flaw is left."""
    ops = doc.get("operations")
    if not isinstance(ops, list):
        return
    vv: dict[str, int] = {}
    for op in ops:
        if isinstance(op, dict) and isinstance(op.get("writer"), str) and type(op.get("seq")) is int:
            vv[op["writer"]] = max(vv.get(op["writer"], 0), op["seq"])
    if isinstance(doc.get("version_vector"), dict):
        doc["version_vector"] = vv
    with contextlib.suppress(Exception):
        doc["operations_sha256"] = ops_checksum(ops)


def junk(rng: random.Random, depth: int = 0) -> Any:
    """A JSON value of any type, some huge, some empty, some nested."""
    choices: list[Callable[[], Any]] = [
        lambda: None, lambda: True, lambda: False, lambda: 0, lambda: -1, lambda: 10**100, lambda: -(2**63),
        lambda: 2**53 + 1, lambda: 1.5, lambda: 1e308, lambda: "", lambda: " ",
        lambda: "x" * rng.choice([1, 501, 5001]),
        lambda: "\x1b[31mred\x1b[0m", lambda: "\u202eevil", lambda: "9999-12-31T23:59:59Z", lambda: "soon",
        lambda: "serverless/ghost", lambda: [], lambda: {}, lambda: [1, "a", None],
        lambda: {"a": 1}, lambda: "0" * 64,
    ]
    if depth < 2:
        choices.append(lambda: [junk(rng, depth + 1) for _ in range(rng.randint(1, 3))])
        choices.append(lambda: {rng.choice(["id", "kind", "start", "name", "x"]): junk(rng, depth + 1)})
    return rng.choice(choices)()


def ops_of(doc: Doc) -> list[dict[str, Any]]:
    ops = doc.get("operations")
    return [op for op in ops if isinstance(op, dict)] if isinstance(ops, list) else []


def some_op(doc: Doc, rng: random.Random, prefix: str = "") -> dict[str, Any] | None:
    ops = [op for op in ops_of(doc) if str(op.get("target", "")).startswith(prefix)]
    return rng.choice(ops) if ops else None


def new_op(doc: Doc, target: str, value: Any, hlc_ms: int | None = None, seen_all: bool = True) -> dict[str, Any]:
    """A new, well-formed operation by the exporter that has seen everything (or nothing: a concurrent value)."""
    writer = doc["exporter"]["writer_id"]
    ops = ops_of(doc)
    reached: dict[str, int] = {}
    for op in ops:
        if isinstance(op.get("writer"), str) and type(op.get("seq")) is int:
            reached[op["writer"]] = max(reached.get(op["writer"], 0), op["seq"])
    seq = reached.get(writer, 0) + 1
    ms = hlc_ms if hlc_ms is not None else max(int(str(op["hlc"])[:13]) for op in ops) + 1
    vv = reached if seen_all else {}
    op = {"writer": writer, "seq": seq, "target": target, "value": value, "vv": vv, "hlc": f"{ms:013d}-00000-{writer}"}
    doc["operations"].append(op)
    return op


def lens_facts(doc: Doc) -> dict[str, Any]:
    lens = json.loads(doc["lenses"][0]["source"])
    pillar = lens["pillars"][0]
    q = pillar["questions"][0]
    return {"alias": doc["lenses"][0]["alias"], "pillar": pillar["id"], "qid": q["id"],
            "choices": [c["id"] for c in q["choices"]]}


Mutation = Callable[[Doc, random.Random], str]


def m_wrong_type(doc: Doc, rng: random.Random) -> str:
    op = some_op(doc, rng)
    if op is None:
        return "no op"
    value = op.get("value")
    if isinstance(value, dict) and value and rng.random() < 0.7:
        key = rng.choice(list(value))
        value[key] = junk(rng)
        return f"wrong type in {op['target'].split('/')[0]}.value.{key}"
    if isinstance(value, list) and value and rng.random() < 0.7:
        i = rng.randrange(len(value))
        item = value[i]
        if isinstance(item, dict) and item:
            item[rng.choice(list(item))] = junk(rng)
        else:
            value[i] = junk(rng)
        return f"wrong type in {op['target'].split('/')[0]}.value[{i}]"
    op["value"] = junk(rng)
    return f"junk value for {op['target'].split('/')[0]}"


def m_wrong_member(doc: Doc, rng: random.Random) -> str:
    op = some_op(doc, rng)
    if op is None:
        return "no op"
    key = rng.choice(["writer", "seq", "target", "vv", "hlc"])
    op[key] = junk(rng)
    return f"junk op.{key}"


def m_huge_numbers(doc: Doc, rng: random.Random) -> str:
    kind = rng.choice(["seq", "planned", "minutes", "vv", "version"])
    if kind == "seq":
        op = some_op(doc, rng)
        if op:
            op["seq"] = rng.choice([10**30, 2**63, 2**53, 0, -5])
    elif kind == "planned":
        new_op(doc, "session/planned_minutes", rng.choice([0, -1, 10**100, 1441, 2**63, 1.5, True]))
    elif kind == "minutes":
        op = some_op(doc, rng, "agenda")
        if op and isinstance(op["value"], list) and op["value"]:
            rng.choice(op["value"])["minutes"] = rng.choice([0, -1, 10**9, 2**63, 1441, 1.0])
    elif kind == "vv":
        op = some_op(doc, rng)
        if op and isinstance(op.get("vv"), dict):
            op["vv"] = {k: rng.choice([10**30, 0, -1]) for k in op["vv"]} or {"x": 10**30}
    else:
        doc["version"] = rng.choice([2, 10**30, 0, -1])
    return f"huge number: {kind}"


def m_future_stamp(doc: Doc, rng: random.Random) -> str:
    how = rng.choice(["max", "far", "day+", "hours"])
    now = int(time.time() * 1000)
    ms = {"max": 9_999_999_999_999, "far": now + 400 * 86_400_000, "day+": now + 86_400_000 + 600_000,
          "hours": now + 5 * 3_600_000}[how]
    if rng.random() < 0.5:
        new_op(doc, "session/workload", "shop, stamped ahead", hlc_ms=ms)
    else:
        op = some_op(doc, rng)
        if op:
            op["hlc"] = f"{ms:013d}-{rng.choice([0, 99999]):05d}-{op['writer']}"
    return f"clock stamp ahead: {how}"


BAD_TARGETS = [
    "answer/serverless", "answer/ghost-lens/q1", "answer/serverless/ghost", "answer/serverless/a/b", "note/",
    "note/x/y", "agenda/x", "timer/a/b", "parking/serverless", "parking/ghost/q", "x" * 1100, "Answer/x/y",
    "answer//", "action/x/colour", "future-kind/x", "session/colour", "participant/", "../etc/passwd",
    "answer/serverless/\x1b[2J", "session", "agenda ", "timer/\u0000",
]


def m_bad_target(doc: Doc, rng: random.Random) -> str:
    target = rng.choice(BAD_TARGETS)
    op = some_op(doc, rng)
    value = copy.deepcopy(op["value"]) if op and rng.random() < 0.5 else junk(rng)
    new_op(doc, target, value)
    return f"bad target {target[:30]!r}"


def m_missing(doc: Doc, rng: random.Random) -> str:
    where = rng.choice(["top", "op", "value", "lens", "writer"])
    if where == "top":
        key = rng.choice(list(doc))
        del doc[key]
        return f"missing top-level {key}"
    if where == "op":
        op = some_op(doc, rng)
        if op:
            key = rng.choice(list(op))
            del op[key]
            return f"missing op.{key}"
    if where == "value":
        op = some_op(doc, rng)
        if op and isinstance(op["value"], dict) and op["value"]:
            key = rng.choice(list(op["value"]))
            del op["value"][key]
            return f"missing {op['target'].split('/')[0]}.value.{key}"
        if op and isinstance(op["value"], list) and op["value"] and isinstance(op["value"][0], dict):
            block = rng.choice(op["value"])
            key = rng.choice(list(block))
            del block[key]
            return f"missing {op['target']}.value[].{key}"
    if where == "lens" and doc["lenses"]:
        lens = rng.choice(doc["lenses"])
        del lens[rng.choice(list(lens))]
        return "missing lens member"
    if where == "writer" and doc["writers"]:
        doc["writers"].pop(rng.randrange(len(doc["writers"])))
        return "missing writer"
    return "missing nothing"


def m_deep(doc: Doc, rng: random.Random) -> str:
    depth = rng.choice([20, 31, 33, 100, 400])
    value: Any = rng.choice(["leaf", 1, None])
    for _ in range(depth):
        value = [value] if rng.random() < 0.5 else {"k": value}
    op = some_op(doc, rng)
    if op and rng.random() < 0.5:
        op["value"] = value
        return f"value nested {depth} deep in {op['target'].split('/')[0]}"
    new_op(doc, rng.choice(["future-kind/x", "note/deep", "timer/deep"]), value)
    return f"new op nested {depth} deep"


def m_checksum(doc: Doc, rng: random.Random) -> str:
    doc["operations_sha256"] = rng.choice(["0" * 64, doc["operations_sha256"][::-1], "x", 5])
    return "broken checksum (not re-sealed)"


def m_lens_refs(doc: Doc, rng: random.Random) -> str:
    how = rng.choice(["unknown-hash", "alias-space", "dup", "empty", "drop-carried", "tamper-source",
                      "bad-source", "other-alias", "agenda-lens", "answer-lens"])
    facts = lens_facts(doc)
    sha = doc["lenses"][0]["sha256"]
    if how == "unknown-hash":
        new_op(doc, "session/lenses", [{"alias": "serverless", "hash": "1" * 64, "version": "x"}])
    elif how == "alias-space":
        new_op(doc, "session/lenses", [{"alias": "a b", "hash": sha, "version": "1"}])
    elif how == "dup":
        new_op(doc, "session/lenses", [{"alias": facts["alias"], "hash": sha}] * 2)
    elif how == "empty":
        new_op(doc, "session/lenses", [])
    elif how == "drop-carried":
        doc["lenses"].pop()
    elif how == "tamper-source":
        doc["lenses"][0]["source"] += " "
    elif how == "bad-source":
        source = rng.choice(["{}", "[]", "not json", '{"schemaVersion": "2021-11-01", "name": "x", "pillars": []}'])
        doc["lenses"][0]["source"] = source
        new_sha = hashlib.sha256(source.encode()).hexdigest()
        for op in ops_of(doc):
            if op.get("target") == "session/lenses" and isinstance(op.get("value"), list):
                for item in op["value"]:
                    if isinstance(item, dict) and item.get("hash") == sha:
                        item["hash"] = new_sha
        doc["lenses"][0]["sha256"] = new_sha
    elif how == "other-alias":
        new_op(doc, "session/lenses", [{"alias": "renamed", "hash": sha, "version": "1"}])
    elif how == "agenda-lens":
        new_op(doc, "agenda", [{"id": "b", "kind": "lens", "title": "x", "minutes": 30, "pillar": None,
                                "lens": rng.choice(["ghost", "wellarchitected", facts["alias"]])}])
    else:
        new_op(doc, f"answer/{rng.choice(['ghost', 'wellarchitected'])}/{facts['qid']}",
               {"selected": [], "na_choices": {}, "not_applicable": True, "reason": "OTHER"})
    return f"lens reference: {how}"


def m_agenda(doc: Doc, rng: random.Random) -> str:
    facts = lens_facts(doc)
    good = {"id": "b1", "kind": "pillar", "title": "A pillar", "minutes": 30, "pillar": facts["pillar"],
            "lens": facts["alias"]}
    how = rng.choice(["minutes", "kind", "pillar", "lens", "dup", "empty", "many", "missing-id", "not-list",
                      "block-junk", "pillar-none", "title", "big-total", "valid"])
    block = dict(good)
    blocks: Any = [block]
    if how == "minutes":
        block["minutes"] = rng.choice([0, -1, 1441, 10**9, 1.5, "30", None])
    elif how == "kind":
        block["kind"] = rng.choice(["nap", "", None, 3, "PILLAR"])
    elif how == "pillar":
        block["pillar"] = rng.choice(["ghost", "", 5, ["x"]])
    elif how == "lens":
        block["lens"] = rng.choice(["ghost", "", 5, "wellarchitected"])
    elif how == "dup":
        blocks = [block, dict(block)]
    elif how == "empty":
        blocks = []
    elif how == "many":
        blocks = [dict(good, id=f"b{i}") for i in range(rng.choice([201, 5000]))]
    elif how == "missing-id":
        del block["id"]
    elif how == "not-list":
        blocks = rng.choice([{"blocks": [block]}, "agenda", 5, None])
    elif how == "block-junk":
        blocks = [junk(rng), block]
    elif how == "pillar-none":
        block["pillar"] = None
    elif how == "title":
        block["title"] = rng.choice(["t" * 501, 5, None, "\x1b[31m"])
    elif how == "big-total":
        blocks = [dict(good, id=f"b{i}", minutes=1440) for i in range(200)]
    new_op(doc, "agenda", blocks, seen_all=rng.random() < 0.8)
    return f"agenda: {how}"


def m_timer(doc: Doc, rng: random.Random) -> str:
    facts = lens_facts(doc)
    value: Any = {"block": None, "question": None, "start": "2026-11-27T09:00:00+00:00",
                  "stop": "2026-11-27T09:05:00+00:00"}
    how = rng.choice(["text-start", "naive", "month13", "reversed", "year1", "year9999", "int-start", "dict-stop",
                      "question", "block", "not-object", "no-start", "null", "running", "offset", "valid"])
    if how == "text-start":
        value["start"] = "soon"
    elif how == "naive":
        value["start"] = "2026-11-27T09:00:00"
    elif how == "month13":
        value["start"] = "2026-13-45T09:00:00Z"
    elif how == "reversed":
        value["stop"] = "2026-11-27T08:00:00+00:00"
    elif how == "year1":
        value["start"], value["stop"] = "0001-01-01T00:00:00+00:00", "0001-01-01T00:10:00+00:00"
    elif how == "year9999":
        value["start"], value["stop"] = "9999-12-31T23:50:00+00:00", "9999-12-31T23:59:59+00:00"
    elif how == "int-start":
        value["start"] = 1764234000
    elif how == "dict-stop":
        value["stop"] = {"at": 5}
    elif how == "question":
        value["question"] = rng.choice(["ghost/q", f"{facts['alias']}/ghost", 5, ""])
    elif how == "block":
        value["block"] = rng.choice([5, "x" * 200, ["b"]])
    elif how == "not-object":
        value = rng.choice([[1, 2], "timer", 5])
    elif how == "no-start":
        del value["start"]
    elif how == "null":
        value = None
    elif how == "running":
        value["stop"] = None
    elif how == "offset":
        value["start"], value["stop"] = "2026-11-27T09:00:00+14:00", "2026-11-27T09:00:00-12:00"
    target = rng.choice(["timer/new-interval", (some_op(doc, rng, "timer/") or {}).get("target", "timer/x")])
    new_op(doc, str(target), value, seen_all=rng.random() < 0.7)
    return f"timer: {how}"


def m_parking(doc: Doc, rng: random.Random) -> str:
    facts = lens_facts(doc)
    how = rng.choice(["reason-int", "unknown-q", "list", "by-list", "long", "valid", "null"])
    target = f"parking/{facts['alias']}/{facts['qid']}"
    value: Any = {"reason": "later", "parked_by": "Ana"}
    if how == "reason-int":
        value["reason"] = 5
    elif how == "unknown-q":
        target = f"parking/{facts['alias']}/ghost"
    elif how == "list":
        value = ["x"]
    elif how == "by-list":
        value["parked_by"] = ["Ana"]
    elif how == "long":
        value["reason"] = "r" * 5001
    elif how == "null":
        value = None
    new_op(doc, target, value, seen_all=rng.random() < 0.7)
    return f"parking: {how}"


def m_registers(doc: Doc, rng: random.Random) -> str:
    """Values of every other kind: answers, notes, action items, participants, session fields."""
    facts = lens_facts(doc)
    key = f"{facts['alias']}/{facts['qid']}"
    cases: list[tuple[str, str, Any]] = [
        ("answer unknown choice", f"answer/{key}", {"selected": ["ghost"], "na_choices": {}, "not_applicable": False,
                                                    "reason": None}),
        ("answer reason int", f"answer/{key}", {"selected": [], "na_choices": {}, "not_applicable": True,
                                                "reason": 7}),
        ("answer reason unknown", f"answer/{key}", {"selected": [], "not_applicable": True, "reason": "BORED"}),
        ("answer na none-choice", f"answer/{key}", {"na_choices": {c: "OTHER" for c in facts["choices"]}}),
        ("answer selected str", f"answer/{key}", {"selected": facts["choices"][0]}),
        ("answer list", f"answer/{key}", [facts["choices"][0]]),
        ("answer all choices", f"answer/{key}", {"selected": facts["choices"], "na_choices": {},
                                                 "not_applicable": False, "reason": None}),
        ("note body int", "note/n-x", {"question": key, "author": "a", "body": 5, "private": False}),
        ("note huge", "note/n-x", {"question": key, "author": "a", "body": "n" * 200_001, "private": False}),
        ("note question ghost", "note/n-x", {"question": f"{facts['alias']}/ghost", "body": "x"}),
        ("note private str", "note/n-x", {"question": "", "body": "x", "private": "yes"}),
        ("note created int", "note/n-x", {"question": "", "body": "x", "created": 5}),
        ("note str", "note/n-x", "hello"),
        ("action root ghost", "action/a-x", {"question": "ghost/q"}),
        ("action root int", "action/a-x", {"question": 5}),
        ("action title blank", "action/a-x/title", " "),
        ("action title long", "action/a-x/title", "t" * 5001),
        ("action due bad", "action/a-x/due", "2027-02-30"),
        ("action status bad", "action/a-x/status", "blocked"),
        ("action owner list", "action/a-x/owner", ["Bo"]),
        ("participant int name", "participant/x", {"name": 5, "role": "Other", "email": ""}),
        ("participant blank", "participant/x", {"name": " "}),
        ("participant email null", "participant/x", {"name": "X", "email": None}),
        ("participant long", "participant/x", {"name": "p" * 501}),
        ("session name int", "session/name", 5),
        ("session name blank", "session/name", ""),
        ("session name null", "session/name", None),
        ("session type unknown", "session/workload_type", "spaceship"),
        ("session created junk", "session/created_at", "yesterday"),
        ("session lenses str", "session/lenses", "serverless"),
    ]
    label, target, value = rng.choice(cases)
    new_op(doc, target, value, seen_all=rng.random() < 0.7)
    return label


def m_structure(doc: Doc, rng: random.Random) -> str:
    how = rng.choice(["dup-op", "self-seen", "future-seen", "unknown-writer", "session-id", "writers-junk",
                      "exporter-junk", "reorder", "extra-members"])
    ops = ops_of(doc)
    if how == "dup-op" and ops:
        op = copy.deepcopy(rng.choice(ops))
        op["value"] = junk(rng)
        doc["operations"].append(op)
    elif how == "self-seen" and ops:
        op = rng.choice(ops)
        op["vv"] = dict(op["vv"], **{op["writer"]: op["seq"]})
    elif how == "future-seen" and ops:
        op = rng.choice(ops)
        op["vv"] = dict(op["vv"], **{op["writer"]: op["seq"] + 1000})
    elif how == "unknown-writer":
        op = new_op(doc, "session/workload", "from a stranger")
        op["writer"] = "stranger"
    elif how == "session-id":
        doc["session_id"] = rng.choice(["other-session", "", "\x1b[2J", 5])
    elif how == "writers-junk":
        doc["writers"] = junk(rng)
    elif how == "exporter-junk":
        doc["exporter"] = junk(rng)
    elif how == "reorder":
        rng.shuffle(doc["operations"])
    elif how == "extra-members":
        for op in ops:
            op["future"] = {"kept": [1, 2, {"x": None}]}
        doc["future"] = True
    return f"structure: {how}"


MUTATIONS: list[tuple[Mutation, float]] = [
    (m_wrong_type, 3), (m_wrong_member, 1), (m_huge_numbers, 1.5), (m_future_stamp, 1.5), (m_bad_target, 1.5),
    (m_missing, 1.5), (m_deep, 1), (m_checksum, 0.5), (m_lens_refs, 2), (m_agenda, 2.5), (m_timer, 2.5),
    (m_parking, 1), (m_registers, 3), (m_structure, 1.5),
]


def mutate(base: Doc, rng: random.Random) -> tuple[Doc, str]:
    doc = copy.deepcopy(base)
    labels = []
    for _ in range(rng.choice([1, 1, 1, 2, 3])):
        fn = rng.choices([m for m, _ in MUTATIONS], weights=[w for _, w in MUTATIONS])[0]
        try:
            labels.append(fn(doc, rng))
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            labels.append(f"{fn.__name__} (skipped: an earlier mutation broke its input)")
        if fn is not m_checksum and rng.random() < 0.9:
            reseal(doc)
    return doc, " + ".join(labels)


# -- one merge and what it leaves --------------------------------------------------------------------------------


@dataclass
class Outcome:
    kind: str  # "refused", "refused badly", "accepted", "damaging"
    label: str
    detail: str = ""


async def _open_app(data_dir: Path, sid: str) -> str | None:
    from tests.clocks import QuietWallClock
    from wat_tui.ui.app import build_app
    from wat_tui.ui.screens.workspace import WorkspaceScreen

    app = build_app(data_dir, sid, clock=QuietWallClock())
    try:
        async with app.run_test(size=(100, 28)) as pilot:
            await pilot.pause()
            screen = type(app.screen).__name__
            if not isinstance(app.screen, WorkspaceScreen):
                return f"the app opened {screen}, not the workspace"
            for key in ("down", "down", "tab"):
                await pilot.press(key)
            await pilot.pause()
        return None
    finally:
        app.review.close()


def damage(data_dir: Path, sid: str, work: Path, app: bool) -> str | None:
    """What fails on the laptop after the merge; None when everything works."""
    step = "open"
    try:
        review = Review.open(data_dir)
        try:
            rows = [s.id for s in review.list_sessions()]
            for s in rows:
                step = f"state of {s[:8]}"
                state = review.state(s)
                step = "list_sessions"
                review.list_sessions()
                step = "load_timeline"
                tk.load_timeline(review, s, state, live=True)
                tk.load_timeline(review, s)
                step = "time_report"
                tk.time_report(review, s, datetime.now(UTC))
                step = "parking_lot"
                tk.parking_lot(review, s, state)
                step = "load_agenda"
                tk.load_agenda(review, s, state=state)
                step = "Markdown report"
                render_markdown(review, s, include_private=True)
                step = "HTML report"
                render_html(review, s)
                step = "an edit after the merge"
                review.add_note(s, "", "Scribe", "written after the merge")
                step = "export"
                out = work / "again.json"
                write_bundle(review, s, out)
                step = "reading its own export"
                parse_bundle(out.read_bytes(), str(out), out.name)
                step = "merging its own export elsewhere"
                third = work / "third"
                shutil.rmtree(third, ignore_errors=True)
                other = Review.open(third)
                try:
                    merge_files(other, [out])
                finally:
                    other.close()
        finally:
            review.close()
        if app:
            step = "opening the app"
            for s in rows:
                problem = asyncio.run(_open_app(data_dir, s))
                if problem:
                    return problem
    except Exception as exc:  # noqa: BLE001 - every failure is a finding here
        tb = traceback.extract_tb(exc.__traceback__)
        at = f"{Path(tb[-1].filename).name}:{tb[-1].lineno}" if tb else "?"
        return f"{step}: {type(exc).__name__}: {str(exc)[:160]} ({at})"
    return None


def run_case(i: int, doc: Doc, label: str, template: Path, work: Path, app: bool) -> Outcome:
    data_dir = work / "laptop"
    shutil.rmtree(data_dir, ignore_errors=True)
    shutil.copytree(template, data_dir)
    Review.open(data_dir).close()  # a copied database takes a new writer id when first opened: settle that first
    path = work / f"hostile-{i}.json"
    path.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    before = dump(data_dir)
    out, err = io.StringIO(), io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = cli_main(["--data-dir", str(data_dir), "merge", str(path)])
    except BaseException as exc:  # noqa: BLE001 - a crash is what this counts
        return Outcome("refused badly", label, f"the command raised {type(exc).__name__}: {str(exc)[:200]}")
    finally:
        path.unlink(missing_ok=True)
    message = err.getvalue()
    if code != 0:
        problems = []
        if code != 1:
            problems.append(f"exit {code}")
        if not message.startswith("wat-tui: error: ") or message.count("\n") != 1:
            problems.append(f"stderr {message[:300]!r}")
        if out.getvalue():
            problems.append("wrote to stdout")
        if dump(data_dir) != before:
            problems.append("the database changed")
        if problems:
            return Outcome("refused badly", label, "; ".join(problems))
        return Outcome("refused", label, message.strip())
    sid = doc.get("session_id")
    problem = damage(data_dir, str(sid), work, app)
    if problem:
        return Outcome("damaging", label, problem)
    return Outcome("accepted", label)


@dataclass
class Figures:
    outcomes: list[Outcome] = field(default_factory=list)

    def count(self, kind: str) -> int:
        return sum(1 for o in self.outcomes if o.kind == kind)


def run(count: int, seed: int, app: bool, verbose: bool) -> Figures:
    figures = Figures()
    with tempfile.TemporaryDirectory(prefix="hostile-") as tmp:
        root = Path(tmp)
        base_path, fresh, holding = make_base(root, seed)
        base = json.loads(base_path.read_text(encoding="utf-8"))
        rng = random.Random(seed)
        work = root / "work"
        work.mkdir()
        for i in range(count):
            doc, label = mutate(base, rng)
            template = fresh if i % 2 == 0 else holding
            outcome = run_case(i, doc, label, template, work, app)
            figures.outcomes.append(outcome)
            if verbose or outcome.kind in ("damaging", "refused badly"):
                print(f"[{i}] {outcome.kind}: {label}: {outcome.detail}", flush=True)
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--count", type=int, default=500, help="how many hostile bundles (default 500)")
    parser.add_argument("--seed", type=int, default=1, help="random seed (default 1): the same seed, the same files")
    parser.add_argument("--no-app", action="store_true", help="skip opening the app after an accepted merge")
    parser.add_argument("--verbose", action="store_true", help="print every case")
    args = parser.parse_args(argv)
    started = time.monotonic()
    figures = run(args.count, args.seed, not args.no_app, args.verbose)
    refused = figures.count("refused")
    accepted = figures.count("accepted")
    damaging = figures.count("damaging")
    badly = figures.count("refused badly")
    print(f"hostile bundles: {len(figures.outcomes)} (seed {args.seed}, app check {'off' if args.no_app else 'on'})")
    print(f"  refused cleanly (one error line, database unchanged): {refused}")
    print(f"  refused badly (traceback, several lines, or database changed): {badly}")
    print(f"  accepted, and everything still works: {accepted}")
    print(f"  accepted but damaging: {damaging}")
    kinds = Counter(o.label.split(":")[0].split(" (")[0] for o in figures.outcomes if o.kind == "accepted")
    if kinds:
        print("  accepted, by mutation: " + ", ".join(f"{k} {n}" for k, n in kinds.most_common(12)))
    print(f"  seconds: {time.monotonic() - started:.0f}")
    return 1 if damaging or badly else 0


if __name__ == "__main__":
    sys.exit(main())
