"""``wat-tui aws payloads|push|import``: the review into the AWS Well-Architected Tool, and its wording back.

``payloads`` and ``import`` never touch the network. ``push`` is the app's only network use, and only when the
facilitator runs it: without ``--yes`` it reads the tool's current answers and says what would change; with
``--yes`` it sends. It needs boto3 (``pip install 'wat-tui[aws]'``) and the user's own AWS credentials.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from wat_tui.cli.output import out, printable
from wat_tui.errors import NotFound, WatError
from wat_tui.exchange.aws import (
    TOOL_LENSES,
    NeedBotocore,
    Payloads,
    build_payloads,
    known_tool_lenses,
    plan_push,
    problems,
    push,
)
from wat_tui.exchange.aws_import import WORDING_FILE, Overlay, load_wording, read_tool_files, start_session
from wat_tui.exchange.aws_lens import MAX_JSON, export_lens, import_lens_problems
from wat_tui.fileio import write_atomic
from wat_tui.review.service import Review
from wat_tui.store.paths import DB_NAME


def cmd_aws(args: argparse.Namespace, data: Path) -> int:
    if args.aws_command == "import":
        return _import(args, data)
    if not (data / DB_NAME).exists():
        raise NotFound(f"no session matches {args.session!r}; 'wat-tui list' shows them")
    if args.aws_command == "lens":
        return _lens(args, data)
    lens_map = _lens_map(getattr(args, "as_lens", None) or [])
    tool_lenses = known_tool_lenses(load_wording(data).questions)
    with Review.open(data) as review:
        sid = review.find_session(args.session)
        payloads = build_payloads(review.state(sid), include_private=args.include_private,
                                  tool_lenses=tool_lenses, lens_map=lens_map)
    if args.aws_command == "payloads":
        return _payloads(payloads, args.output)
    return _push(payloads, args)


def _lens_map(pairs: list[str]) -> dict[str, str]:
    """``--as-lens ALIAS=TOOL_ALIAS`` options as a mapping (the tool's alias of a custom lens is its ARN)."""
    out: dict[str, str] = {}
    for pair in pairs:
        alias, sep, tool = pair.partition("=")
        if not sep or not alias.strip() or not tool.strip():
            raise WatError(f"--as-lens {pair!r}: write it as ALIAS=TOOL_ALIAS (for a custom lens, its ARN)")
        out[alias.strip()] = tool.strip()
    return out


def _check(payloads: Payloads) -> bool:
    """Every request against the tool's model; False when botocore is not there to check with."""
    try:
        for req in payloads.answers:
            found = problems("UpdateAnswer", req.params)
            if found:
                raise WatError(f"{req.where}: the tool would refuse the request: {found[0]}")
        for lr in payloads.lens_reviews:
            found = problems("UpdateLensReview", lr.params)
            if found:
                raise WatError(f"{lr.lens} pillar notes: the tool would refuse the request: {found[0]}")
    except NeedBotocore:
        return False
    return True


def _summary(payloads: Payloads) -> None:
    for alias, why in payloads.skipped_lenses:
        out(f"Left out lens {printable(alias)}: {printable(why)}.")
    for cut in payloads.cuts:
        out(f"Cut: {printable(cut.where)}: {cut.total:,} characters, the tool takes {cut.kept:,} "
            "(the rest stays in the wat-tui report).")
    for line in payloads.unmapped:
        out(f"Not mapped: {printable(line)}.")
    if payloads.private_left_out:
        out(f"{payloads.private_left_out} private note(s) left out (--include-private to send them).")


def _payloads(payloads: Payloads, folder: Path) -> int:
    checked = _check(payloads)
    if folder.exists() and not folder.is_dir():
        raise WatError(f"{folder}: not a folder")
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    for req in payloads.answers:
        # The session's alias names the folder: the tool's alias of a custom lens is an ARN (":" and "/").
        (folder / (req.session_lens or req.lens)).mkdir(exist_ok=True, mode=0o700)
        write_atomic(folder / (req.session_lens or req.lens) / f"{req.question_id}.json",
                     (json.dumps({"UpdateAnswer": req.params}, indent=2, ensure_ascii=False) + "\n").encode())
    for lr in payloads.lens_reviews:
        (folder / (lr.session_lens or lr.lens)).mkdir(exist_ok=True, mode=0o700)
        write_atomic(folder / (lr.session_lens or lr.lens) / "lens-review.json",
                     (json.dumps({"UpdateLensReview": lr.params}, indent=2, ensure_ascii=False) + "\n").encode())
    out(f"Wrote {len(payloads.answers)} UpdateAnswer and {len(payloads.lens_reviews)} UpdateLensReview request(s) "
        f"to {printable(folder)}; {payloads.unanswered} question(s) had nothing to send.")
    out("Checked against the tool's API model: all valid." if checked else
        "Not checked against the tool's API model: botocore is not installed (pip install 'wat-tui[aws]').")
    _summary(payloads)
    return 0


def _lens(args: argparse.Namespace, data: Path) -> int:
    with Review.open(data) as review:
        sid = review.find_session(args.session)
        lens = review.state(sid).lens(args.alias)
        if lens is None:
            used = ", ".join(x.alias for x in review.state(sid).lenses)
            raise NotFound(f"the session uses no lens {args.alias!r}; it uses {used}")
        source = review.lenses.source(lens.content_hash)
    if lens.alias in TOOL_LENSES:
        raise WatError(f"lens {lens.alias!r} is the tool's own: it needs no import")
    if source is None:
        raise WatError(f"lens {lens.alias!r}: its stored version is missing from this database")
    export = export_lens(lens.alias, source)
    try:
        found = import_lens_problems(export)
    except NeedBotocore:
        found, checked = [], False
    else:
        checked = True
    if found:
        raise WatError(f"lens {lens.alias!r}: the tool would refuse the ImportLens request: {found[0]}")
    write_atomic(args.output, (export.text + "\n").encode("utf-8"), what="the lens file")
    out(f"Wrote {printable(lens.name)} ({printable(lens.alias)}) to {printable(args.output)}: {export.size:,} bytes "
        f"of the tool's {MAX_JSON:,}; {export.pillars} pillars, {export.questions} questions, "
        f"{export.choices} choices.")
    out("Checked against the tool's API model (ImportLens): valid." if checked else
        "Not checked against the tool's API model: botocore is not installed (pip install 'wat-tui[aws]').")
    for cut in export.cuts:
        out(f"Cut: {printable(cut.where)}: {cut.total:,} characters, the tool takes {cut.kept:,}.")
    if export.left_out:
        words = ", ".join(f"{printable(k)} ({n})" for k, n in sorted(export.left_out.items()))
        out(f"Left out (not in the tool's custom-lens format): {words}.")
    out("Import it into the tool (aws wellarchitected import-lens --json-string file://FILE), publish it, add it "
        f"to the workload, then push with --as-lens {printable(lens.alias)}=ARN (the ARN the tool gave it).")
    return 0


def make_client(profile: str | None, region: str | None) -> Any:
    """The tool's client, from the user's own credentials (tests replace this with a stubbed client)."""
    try:
        import boto3
    except ImportError as exc:
        raise WatError("pushing to the AWS Well-Architected Tool needs boto3: pip install 'wat-tui[aws]'") from exc
    try:
        return boto3.Session(profile_name=profile, region_name=region).client("wellarchitected")
    except Exception as exc:  # a missing profile or region: one line, never a traceback
        raise WatError(f"cannot reach the AWS Well-Architected Tool: {exc}") from exc


def _push(payloads: Payloads, args: argparse.Namespace) -> int:
    if not _check(payloads):
        raise NeedBotocore()
    if not payloads.answers:
        why = "; ".join(f"{alias}: {reason}" for alias, reason in payloads.skipped_lenses)
        if payloads.unmapped:
            why = "; ".join(filter(None, [why, f"{len(payloads.unmapped)} question(s) or practice(s) could not be "
                                          f"mapped onto the tool's lens (first: {payloads.unmapped[0]})"]))
        raise WatError("nothing to send: no question of a lens the tool knows is answered"
                       + (f" ({why})" if why else ""))
    client = make_client(args.profile, args.region)
    try:
        changes = plan_push(client, args.workload_id, payloads)
    except Exception as exc:
        raise WatError(f"cannot read the workload's answers from the tool: {exc}") from exc
    changing = [c for c in changes if c.changes_anything]
    for c in changing:
        words = []
        if set(c.selected_before) != set(c.selected_after):
            words.append(f"practices {len(c.selected_before)} -> {len(c.selected_after)}")
        if c.applicable_before != c.applicable_after:
            words.append("applicable" if c.applicable_after else "not applicable")
        if c.notes_change:
            words.append("notes")
        out(f"{printable(c.where)}: {', '.join(words)}")
    out(f"{len(changing)} of {len(changes)} answer(s) would change in workload {printable(args.workload_id)}.")
    _summary(payloads)
    if not args.yes:
        out("Dry run: nothing was sent. Run again with --yes to send.")
        return 0
    result = push(client, args.workload_id, payloads, milestone=args.milestone)
    out(f"Sent {len(result.sent)} answer(s) and the pillar notes of {len(result.lens_reviews)} lens(es)"
        + (f"; milestone {printable(result.milestone)} recorded." if result.milestone else "."))
    return 0


def _import(args: argparse.Namespace, data: Path) -> int:
    overlay = read_tool_files(list(args.files))
    data.mkdir(parents=True, exist_ok=True, mode=0o700)
    kept = load_wording(data)
    kept.merge(Overlay(overlay.questions, {}))
    write_atomic(data / WORDING_FILE, (json.dumps(kept.to_value(), ensure_ascii=False) + "\n").encode(),
                 what="the tool's wording")
    n = sum(len(qs) for qs in overlay.questions.values())
    out(f"Kept the tool's wording of {n} question(s) ({', '.join(printable(a) for a in overlay.questions)}) "
        "on this laptop.")
    if args.start:
        with Review.open(data) as review:
            sid, left_out = start_session(review, overlay, args.start)
        out(f"Started session {printable(args.start)} ({sid[:8]}) from the answers in the tool.")
        for line in left_out:
            out(f"Left out: {printable(line)}")
    return 0
