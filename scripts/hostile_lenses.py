"""Hostile custom lenses: a lens the laptop accepts must open and report; one it refuses leaves nothing behind.

Starts from the twelve real lenses in tests/fixtures/lens-corpus and writes many mutations: terminal control
sequences, bidi overrides and Rich markup in every kind of text, counts past the limits (pillars, questions,
choices, risk rules), texts past the limits, wrong JSON types, missing and duplicate ids, risk conditions that
name unknown choices, do not parse or nest a thousand levels deep, bytes that are not UTF-8, truncated files and
files that are not lenses at all. Each is imported through the real command line (``wat-tui lens import``) into a
fresh data directory and counted as:

- refused cleanly: exit 1, one line on stderr starting ``wat-tui: error:``, no raw control character printed,
  and no database change;
- refused badly: anything else that failed;
- accepted: then ``wat-tui new`` with that lens, ``wat-tui lens show``, the Markdown report and the app opened
  headlessly on the workspace at 100x28 all work, and nothing printed holds a raw control character;
- accepted but damaging: accepted, and one of those failed.

    .venv/bin/python scripts/hostile_lenses.py               # 120 lenses, seed 1
    .venv/bin/python scripts/hostile_lenses.py --count 300 --seed 4 --no-app

Exit status 1 when any lens was accepted but damaging, or refused badly.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import copy
import io
import json
import random
import re
import shutil
import sys
import tempfile
import time
import traceback
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.support import database_dump  # noqa: E402
from wat_tui.cli import main as cli_main  # noqa: E402

CORPUS = ROOT / "tests" / "fixtures" / "lens-corpus"
RAW_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
PAYLOADS = ["\x1b[2J\x1b[H", "\x1b]52;c;SGVsbG8=\x07", "\x1b]0;pwned\x07", "\u202eevil", "[red]x[/]",
            "[link=file:///etc/passwd]x[/link]", "\x00nul", "\x9b31m", "line\nbreak", "<script>alert(1)</script>"]
Lens = dict[str, Any]


def _texts(lens: Lens) -> list[tuple[dict[str, Any], str]]:
    """Every (object, key) holding text a person reads."""
    out: list[tuple[dict[str, Any], str]] = [(lens, "name"), (lens, "description")]
    for p in lens.get("pillars", []):
        out.append((p, "name"))
        for q in p.get("questions", []):
            out += [(q, "title"), (q, "description")]
            out += [(c, k) for c in q.get("choices", []) for k in ("title", "description")]
    return [(o, k) for o, k in out if isinstance(o, dict)]


def _questions(lens: Lens) -> list[dict[str, Any]]:
    return [q for p in lens.get("pillars", []) for q in p.get("questions", [])]


def inject(lens: Lens, rnd: random.Random) -> Lens:
    for obj, key in rnd.sample(_texts(lens), k=min(5, len(_texts(lens)))):
        obj[key] = f"{obj.get(key, '')}{rnd.choice(PAYLOADS)}"
    return lens


def many_pillars(lens: Lens, rnd: random.Random) -> Lens:
    first = lens["pillars"][0]
    lens["pillars"] = [dict(copy.deepcopy(first), id=f"p{i}") for i in range(rnd.choice([101, 500, 5000]))]
    return lens


def many_choices(lens: Lens, rnd: random.Random) -> Lens:
    q = _questions(lens)[0]
    proto = q["choices"][0]
    q["choices"] = [dict(proto, id=f"c{i}", title=f"Choice {i}") for i in range(rnd.choice([151, 2000, 20000]))]
    return lens


def many_questions(lens: Lens, rnd: random.Random) -> Lens:
    p = lens["pillars"][0]
    proto = p["questions"][0]
    p["questions"] = [dict(copy.deepcopy(proto), id=f"q{i}") for i in range(rnd.choice([201, 2001]))]
    return lens


def long_text(lens: Lens, rnd: random.Random) -> Lens:
    obj, key = rnd.choice(_texts(lens))
    obj[key] = "x" * rnd.choice([1001, 20001, 300000])
    return lens


def wrong_type(lens: Lens, rnd: random.Random) -> Lens:
    target = rnd.choice([lens, lens["pillars"][0], _questions(lens)[0], _questions(lens)[0]["choices"][0]])
    key = rnd.choice(list(target))
    target[key] = rnd.choice([None, 5, 1.5, True, [], {}, "text", [1, 2]])
    return lens


def drop_member(lens: Lens, rnd: random.Random) -> Lens:
    target = rnd.choice([lens, lens["pillars"][0], _questions(lens)[0], _questions(lens)[0]["choices"][0]])
    target.pop(rnd.choice(list(target)), None)
    return lens


def duplicate_ids(lens: Lens, rnd: random.Random) -> Lens:
    q = _questions(lens)[0]
    q["choices"].append(copy.deepcopy(q["choices"][0]))
    if rnd.random() < 0.5:
        lens["pillars"].append(copy.deepcopy(lens["pillars"][0]))
    return lens


def bad_rules(lens: Lens, rnd: random.Random) -> Lens:
    q = _questions(lens)[0]
    deep = "(" * 1000 + q["choices"][0]["id"] + ")" * 1000
    condition = rnd.choice(["nonexistent_choice", "a && (b", "&&", deep, "!" * 5000 + "x", "", "x || " * 4000 + "y"])
    q["riskRules"] = [{"condition": condition, "risk": rnd.choice(["HIGH_RISK", "LOUD_RISK", 3])}] * rnd.choice(
        [1, 31])
    return lens


MUTATIONS: list[Callable[[Lens, random.Random], Lens]] = [
    inject, inject, many_pillars, many_choices, many_questions, long_text, wrong_type, wrong_type, drop_member,
    duplicate_ids, bad_rules, bad_rules,
]


def raw_files(rnd: random.Random, source: bytes) -> bytes:
    """Files that are not a lens at all, or not text."""
    return rnd.choice([
        b"", b"[]", b"null", b"{}", source[: len(source) // 2], b"\xff\xfe\x00garbage", source + b"\x80",
        json.dumps({"schemaVersion": "2099-01-01", "pillars": []}).encode(), b"{" * 100000,
        json.dumps({"format": "wat-tui-session-bundle", "version": 1}).encode(), b"x" * (1 << 20 | 1),
    ])


def run(argv: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli_main(argv)
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def open_app(data: Path, sid: str) -> None:
    from textual.app import App

    from wat_tui.ui.app import build_app
    from wat_tui.ui.screens.workspace import WorkspaceScreen

    async def go() -> None:
        app: App[None] = build_app(data, sid)
        async with app.run_test(size=(100, 28)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, WorkspaceScreen), app.screen
            await pilot.press("n", "1", "N")
            await pilot.pause()
        app.review.close()  # type: ignore[attr-defined]

    asyncio.run(go())


def trial(path: Path, data: Path, with_app: bool) -> tuple[str, str]:
    before = database_dump(data)
    code, out, err = run(["--data-dir", str(data), "lens", "import", str(path), "--alias", "hostile"])
    printed = out + err
    if code != 0:
        clean = (code == 1 and out == "" and err.startswith("wat-tui: error: ") and err.count("\n") == 1
                 and not RAW_CONTROL.search(err) and database_dump(data) == before)
        return ("refused cleanly", "") if clean else ("refused badly", f"exit {code}: {err[-300:]!r}")
    try:
        assert not RAW_CONTROL.search(printed), f"raw control character printed: {printed[:200]!r}"
        code, out, err = run(["--data-dir", str(data), "new", "Hostile", "--lens", "hostile"])
        assert code == 0, err
        sid = out.strip()
        for argv in (["lens", "show", "hostile"], ["report", sid], ["list"]):
            code, out, err = run(["--data-dir", str(data), *argv])
            assert code == 0, f"{argv}: {err}"
            assert not RAW_CONTROL.search(out.replace("\n", "").replace("\t", "")) or argv[0] == "report", argv
        if with_app:
            open_app(data, sid)
    except Exception:  # noqa: BLE001 - counted and shown, never hidden
        return "accepted but damaging", traceback.format_exc(limit=3)[-600:]
    return "accepted", ""


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--count", type=int, default=120)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--no-app", action="store_true", help="skip opening the app on accepted lenses")
    args = ap.parse_args()
    rnd = random.Random(args.seed)
    sources = sorted(CORPUS.glob("*.json"))
    counts: Counter[str] = Counter()
    problems: list[str] = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="hostile-lenses-") as tmp:
        for i in range(args.count):
            source = rnd.choice(sources)
            raw = source.read_bytes()
            if rnd.random() < 0.12:
                data = raw_files(rnd, raw)
                how = "raw file"
            else:
                lens = json.loads(raw)
                mutate = rnd.choice(MUTATIONS)
                how = mutate.__name__
                try:
                    data = json.dumps(mutate(lens, rnd), ensure_ascii=rnd.random() < 0.5).encode()
                except (IndexError, KeyError, TypeError):
                    data = raw
            path = Path(tmp) / f"lens-{i}.json"
            path.write_bytes(data)
            home = Path(tmp) / f"data-{i}"
            outcome, detail = trial(path, home, not args.no_app)
            counts[outcome] += 1
            if detail:
                problems.append(f"#{i} {how} from {source.name}: {outcome}: {detail}")
            shutil.rmtree(home, ignore_errors=True)
            path.unlink()
    took = time.perf_counter() - started
    print(f"hostile lenses: {args.count} (seed {args.seed}) in {took:.0f} s")
    for outcome in ("refused cleanly", "refused badly", "accepted", "accepted but damaging"):
        print(f"  {outcome:<22} {counts[outcome]}")
    for p in problems[:20]:
        print(p)
    return 1 if counts["refused badly"] or counts["accepted but damaging"] else 0


if __name__ == "__main__":
    sys.exit(main())
