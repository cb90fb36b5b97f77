"""The ``wat-tui`` command line: its commands and options, and ``wat-tui [SESSION]`` meaning ``open``."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import NoReturn

from wat_tui import __version__

COMMANDS = ("open", "demo", "new", "list", "lens", "report", "export", "merge", "restore", "prepare", "agenda",
            "aws", "present", "milestone", "compare", "followup", "cadence", "actions", "analysis", "link")


class UsageError(Exception):
    pass


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _common(p: argparse.ArgumentParser) -> None:
    p.add_argument("--data-dir", metavar="DIR", default=argparse.SUPPRESS,
                   help="where the database lives (default: $WAT_TUI_DATA_DIR or the user data directory)")
    p.add_argument("--as", dest="facilitator", metavar="NAME", default=argparse.SUPPRESS,
                   help="the facilitator's name on this laptop (remembered; shown on notes and, after a merge, "
                        "on other laptops)")


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="wat-tui", description="Facilitate AWS Well-Architected reviews offline.")
    parser.add_argument("--version", action="version", version=f"wat-tui {__version__}")
    _common(parser)
    sub = parser.add_subparsers(dest="command", parser_class=_Parser, metavar="COMMAND")

    p = sub.add_parser("open", help="open the app (the default command)", description="Open the app on a session, "
                       "or on the session picker when none is given.")
    p.add_argument("session", nargs="?", help="session id, name, or a unique prefix of either")
    _common(p)

    p = sub.add_parser("demo", help="open the app on the demo session", description="Create (or reuse) the demo "
                       "session and open the app on it.")
    p.add_argument("--print", action="store_true", dest="print_only", help="print the demo session's summary instead")
    _common(p)

    p = sub.add_parser("new", help="create a session without opening the app",
                       description="Create a session and print its id.")
    p.add_argument("name")
    p.add_argument("--workload", default="", help="what is being reviewed")
    p.add_argument("--workload-type", default="general", help="a preset id, e.g. critical-ecommerce")
    p.add_argument("--duration", default="5h", help="planned length, e.g. 5h, 4h30m, 90m (default 5h)")
    p.add_argument("--lens", action="append", dest="lenses", metavar="ALIAS",
                   help="a lens alias; repeat for several (default: wellarchitected)")
    p.add_argument("--participant", action="append", default=[], metavar="NAME:ROLE",
                   help="someone in the room and their role; repeat for several")
    _common(p)

    p = sub.add_parser("present", help="the room's view for the projector, following the app on this laptop",
                       description="Show a session to the room in this terminal (the one on the projector): the "
                       "question the wat-tui app on this laptop has open, its practices and ticks, the clocks, "
                       "break countdowns and the agenda; never private notes or facilitation hints. It only "
                       "reads the session. Keys: q quits, Ctrl+T changes the theme.")
    p.add_argument("session", nargs="?", help="session id, name, or a unique prefix of either (default: the "
                   "session the app on this laptop has open: the one whose clock ran or that was edited here "
                   "most recently; with one session, that one)")
    _common(p)

    p = sub.add_parser("list", help="list sessions", description="List sessions with their progress.")
    _common(p)

    p = sub.add_parser("lens", help="import and inspect lenses", description="Import and inspect lenses.")
    _common(p)
    lsub = p.add_subparsers(dest="lens_command", parser_class=_Parser, metavar="ACTION", required=True)
    lp = lsub.add_parser("import", help="validate and store a custom lens JSON file",
                         description="Validate a lens in the AWS custom-lens JSON format and store it.")
    lp.add_argument("file", type=Path)
    lp.add_argument("--alias", help="alias to store it under (default: from the file name)")
    _common(lp)
    lp = lsub.add_parser("list", help="list stored and built-in lenses", description="List lenses.")
    _common(lp)
    lp = lsub.add_parser("show", help="print a lens's outline", description="Print a lens's pillars and questions.")
    lp.add_argument("alias")
    _common(lp)

    p = sub.add_parser("report", help="write the review report as Markdown or HTML",
                       description="Write the review report: findings, improvement plan, action plan, open "
                       "conflicts and the next review date. Dated with the session's own date, so the same "
                       "session always gives the same bytes.")
    p.add_argument("session", help="session id, name, or a unique prefix of either")
    p.add_argument("--format", choices=("md", "html"), default=None,
                   help="md (default) or html (default when FILE ends in .html)")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here instead of standard output")
    p.add_argument("--include-private", action="store_true",
                   help="include notes marked private to the facilitator")
    _common(p)

    p = sub.add_parser("export", help="write a session bundle for merging on another laptop",
                       description="Write a session's whole operation log, with its lenses, as a JSON bundle "
                       "(see docs/bundle-format.md). It holds every note, private ones included.")
    p.add_argument("session", help="session id, name, or a unique prefix of either")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", required=True, help="the bundle file to write")
    _common(p)

    p = sub.add_parser("merge", help="merge session bundles into this laptop's copy of the session",
                       description="Import bundles into the session with the same id (created here when "
                       "missing), in one transaction; prints what came in and the conflicts now open.")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE", help="bundle files written by 'wat-tui export'")
    p.add_argument("--into", metavar="SESSION", help="check that the bundles belong to this session")
    p.add_argument("--dry-run", action="store_true", help="show what would come in without changing anything")
    _common(p)

    for name, what in (("prepare", "the invitation pack: workload, roles, agenda, what to bring, questions to "
                                    "read ahead"), ("agenda", "the agenda alone, with planned times")):
        p = sub.add_parser(name, help=f"write {what.split(':')[0]} as Markdown", description=f"Write {what}, as "
                           "Markdown, to standard output or a file.")
        p.add_argument("session", help="session id, name, or a unique prefix of either")
        p.add_argument("--start", metavar="WHEN", help="the planned start, e.g. '2026-12-08 09:00' (local time)")
        p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here instead of standard output")
        _common(p)

    _followup_commands(sub)

    p = sub.add_parser("aws", help="exchange answers with the AWS Well-Architected Tool",
                       description="Write the tool's requests offline, push them (the only command that uses the "
                       "network, and only with --yes), or read what was fetched from the tool.")
    _common(p)
    asub = p.add_subparsers(dest="aws_command", parser_class=_Parser, metavar="ACTION", required=True)
    ap = asub.add_parser("payloads", help="write the UpdateAnswer and UpdateLensReview requests as JSON files",
                         description="Write one UpdateAnswer request per answered question and one "
                         "UpdateLensReview per lens, checked against the tool's API model; no network.")
    ap.add_argument("session")
    ap.add_argument("-o", "--output", type=Path, metavar="DIR", default=Path("aws-payloads"),
                    help="the folder to write them in (default: aws-payloads)")
    ap.add_argument("--include-private", action="store_true", help="include notes private to the facilitator")
    ap.add_argument("--as-lens", action="append", metavar="ALIAS=TOOL_ALIAS", help=AS_LENS_HELP)
    _common(ap)
    ap = asub.add_parser("push", help="send the answers to a workload in the tool (dry run unless --yes)",
                         description="Show what would change against the tool's current answers, and with --yes "
                         "send them. Needs boto3 (pip install 'wat-tui[aws]') and your AWS credentials.")
    ap.add_argument("session")
    ap.add_argument("--workload-id", required=True, metavar="ID")
    ap.add_argument("--profile", metavar="P")
    ap.add_argument("--region", metavar="R")
    ap.add_argument("--milestone", metavar="NAME", help="record a milestone after sending")
    ap.add_argument("--include-private", action="store_true", help="include notes private to the facilitator")
    ap.add_argument("--yes", action="store_true", help="send (without it, only show what would change)")
    ap.add_argument("--as-lens", action="append", metavar="ALIAS=TOOL_ALIAS", help=AS_LENS_HELP)
    _common(ap)
    ap = asub.add_parser("lens", help="write a lens of the session as the JSON the tool's ImportLens takes",
                         description="Write a custom lens used in the session as the tool's custom-lens JSON, "
                         "checked against the tool's limits (500,000 bytes, counts, lengths); every cut is said.")
    ap.add_argument("session")
    ap.add_argument("alias", help="the session's lens alias")
    ap.add_argument("-o", "--output", type=Path, metavar="FILE", required=True, help="the JSON file to write")
    _common(ap)
    ap = asub.add_parser("import", help="read get-answer, list-answers or workload JSON fetched from the tool",
                         description="Keep the tool's own wording of the questions on this laptop, and with "
                         "--start begin a session from the answers already in the tool.")
    ap.add_argument("files", nargs="+", type=Path, metavar="FILE")
    ap.add_argument("--start", metavar="NAME", help="create a session with these answers")
    _common(ap)

    p = sub.add_parser("restore", help="replace a damaged database with one of its rolling backups",
                       description="Put back a backup of the database (wat-tui keeps the last 3, made when it "
                       "opens the database, at most once an hour). The database it replaces is kept beside it; "
                       "the restored one writes as a new writer. Close wat-tui everywhere first.")
    p.add_argument("backup", nargs="?", metavar="BACKUP",
                   help="a backup's name from --list, or a file (default: the newest backup that is ok)")
    p.add_argument("--list", action="store_true", help="list the backups and whether each can be restored")
    _common(p)
    return parser


AS_LENS_HELP = ("send the answers of the session's lens ALIAS to the tool's lens TOOL_ALIAS (a custom lens imported "
                "into the tool: its ARN); may be given more than once")


def _followup_commands(sub: argparse._SubParsersAction[_Parser]) -> None:
    """Issue 14's commands (wat_tui/cli/followup.py and analysis.py): milestone, compare, followup, cadence,
    actions, analysis, link."""
    session = "session id, name, or a unique prefix of either"
    p = sub.add_parser("milestone", help="record a milestone (a named, dated snapshot), or list them",
                       description="Record a milestone: an immutable snapshot of the risks, the analysis and the "
                       "action items, merged like every other change. Without NAME, list the milestones.")
    p.add_argument("session", help=session)
    p.add_argument("name", nargs="?", help="the milestone's name, e.g. 'Workshop' or 'March check-in'")
    _common(p)
    p = sub.add_parser("compare", help="what changed between two milestones, or since the latest one",
                       description="Risks resolved, new and unchanged per pillar, and the actions closed, from "
                       "milestone A (default: the latest) to milestone B (default: now), as Markdown.")
    p.add_argument("session", help=session)
    p.add_argument("a", nargs="?", metavar="MILESTONE_A", help="the earlier milestone (name, id, or a prefix)")
    p.add_argument("b", nargs="?", metavar="MILESTONE_B", help="the later milestone (default: now)")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here instead of standard output")
    _common(p)
    p = sub.add_parser("followup", help="run the 30-60 minute follow-up on open risks and actions",
                       description="Open the app on the session's follow-up meeting, planned from its cadence: "
                       "n and p walk the open high and medium risks, the board (b) updates the open action "
                       "items, the clock runs the follow-up's plan. With --markdown, -o or --start (or when "
                       "not run in a terminal), write the plan as Markdown instead; that changes nothing.")
    p.add_argument("session", help=session)
    p.add_argument("--markdown", action="store_true", help="print the plan as Markdown instead of opening the app")
    p.add_argument("--start", metavar="WHEN",
                   help="the planned start, e.g. '2027-01-05 10:00' (local time), for the Markdown plan's times")
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write the Markdown plan to this file")
    _common(p)
    p = sub.add_parser("cadence", help="show or choose the session's review cadence",
                       description="Show the review cadence and the next date; with ID choose it (new, existing, "
                       "critical, post-incident); --default follows the workload type again.")
    p.add_argument("session", help=session)
    p.add_argument("cadence", nargs="?", metavar="ID")
    p.add_argument("--default", action="store_true", help="follow the workload type's cadence")
    _common(p)
    p = sub.add_parser("analysis", help="list the findings by priority, or score one on impact and effort",
                       description="Without FINDING, list the findings in priority order with their impact, effort "
                       "and quadrant. With FINDING (a question label such as OPS01, or a key such as "
                       "wellarchitected/priorities[/choice]), set its business impact and technical effort.")
    p.add_argument("session", help=session)
    p.add_argument("finding", nargs="?", metavar="FINDING")
    p.add_argument("--impact", metavar="LEVEL", help="low, medium, high, or - for not scored")
    p.add_argument("--effort", metavar="LEVEL", help="low, medium, high, or - for not scored")
    p.add_argument("--note", metavar="TEXT", help="why (replaces the note)")
    p.add_argument("--clear", action="store_true", help="clear the finding's analysis")
    _common(p)
    p = sub.add_parser("link", help="say that an action item addresses a finding",
                       description="Link an action item (its id, a unique prefix, or its exact title) to a finding "
                       "(a question label such as OPS01, or a key); --remove unlinks it.")
    p.add_argument("session", help=session)
    p.add_argument("action", metavar="ACTION")
    p.add_argument("finding", metavar="FINDING")
    p.add_argument("--remove", action="store_true", help="unlink instead")
    _common(p)
    p = sub.add_parser("actions", help="write the action items as CSV for an issue tracker",
                       description="Write the action items as CSV (title, description with the question and "
                       "practice ids, owner, due date, status, labels: pillar and risk), in roadmap order.")
    p.add_argument("session", help=session)
    p.add_argument("-o", "--output", type=Path, metavar="FILE", help="write here instead of standard output")
    _common(p)


def normalise(argv: list[str]) -> list[str]:
    """``wat-tui [SESSION]`` means ``wat-tui open [SESSION]``."""
    i = 0
    while i < len(argv):
        a = argv[i]
        if a in ("--data-dir", "--as"):
            i += 2
            continue
        if a.startswith("-"):
            return argv
        if a in COMMANDS:
            return argv
        return [*argv[:i], "open", *argv[i:]]
    return [*argv, "open"]
