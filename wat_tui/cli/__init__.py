"""The ``wat-tui`` command: parses arguments and calls the review, exchange and UI parts.

Every error is one line on stderr starting ``wat-tui: error:``; the exit status is 2 for usage and 1 otherwise.
Messages quote names and file text, so they go through :func:`wat_tui.termtext.for_terminal` like all output.

One module a group of commands: ``sessions`` (open, demo, new, list), ``lenses`` (lens), ``exchange`` (export,
merge), ``report``, ``restore``; ``parser`` declares them all, ``output`` prints.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from wat_tui.cli.parser import UsageError, build_parser, normalise
from wat_tui.errors import WatError
from wat_tui.termtext import OutputError, flush_stdout, for_terminal

__all__ = ["build_parser", "main"]


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    parser = build_parser()
    try:
        args = parser.parse_args(normalise(args_list))
    except UsageError as exc:
        _error(str(exc))
        return 2
    try:
        code = run(args)
        flush_stdout()  # a full disk shows here, as one line, not as a traceback when Python exits
        return code
    except WatError as exc:
        _error(str(exc))
        return 1
    except BrokenPipeError:
        # `wat-tui list | head`: the reader left; say nothing more, like other command-line tools.
        _discard_stdout()
        return 1
    except OutputError as exc:
        # `wat-tui list > /dev/full`: what was not written is lost; say so once.
        _discard_stdout()
        _error(f"cannot write to standard output: {exc.strerror or exc}")
        return 1


def _error(message: str) -> None:
    print(f"wat-tui: error: {for_terminal(message, single_line=True)}", file=sys.stderr)


def _discard_stdout() -> None:
    """Point standard output at the null device, so Python's last flush at exit has nowhere to fail."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _data_dir(args: argparse.Namespace) -> Path:
    from wat_tui.store.paths import data_dir

    return data_dir(getattr(args, "data_dir", None))


Command = Callable[[argparse.Namespace, Path], int]


def _command(name: str) -> Command:
    """The function for a command, imported only when it runs (opening the app must not wait for the others)."""
    if name == "lens":
        from wat_tui.cli.lenses import cmd_lens

        return cmd_lens
    if name == "restore":
        from wat_tui.cli.restore import cmd_restore

        return cmd_restore
    if name in ("prepare", "agenda"):
        from wat_tui.cli.plan import cmd_prepare

        return cmd_prepare
    if name == "aws":
        from wat_tui.cli.aws import cmd_aws

        return cmd_aws
    if name == "report":
        from wat_tui.cli.report import cmd_report

        return cmd_report
    if name in ("export", "merge"):
        from wat_tui.cli import exchange

        return exchange.cmd_export if name == "export" else exchange.cmd_merge
    if name in ("analysis", "link"):
        from wat_tui.cli import analysis

        return analysis.cmd_analysis if name == "analysis" else analysis.cmd_link
    if name in ("milestone", "compare", "followup", "cadence", "actions"):
        from wat_tui.cli import followup

        return {"milestone": followup.cmd_milestone, "compare": followup.cmd_compare,
                "followup": followup.cmd_followup, "cadence": followup.cmd_cadence,
                "actions": followup.cmd_actions}[name]
    if name == "present":
        from wat_tui.cli.present import cmd_present

        return cmd_present
    from wat_tui.cli import sessions

    commands: dict[str, Command] = {"open": sessions.cmd_open, "demo": sessions.cmd_demo,
                                    "new": sessions.cmd_new, "list": sessions.cmd_list}
    return commands[name]


def run(args: argparse.Namespace) -> int:
    data = _data_dir(args)
    name = getattr(args, "facilitator", None)
    if name is not None:
        from wat_tui.review.service import Review

        with Review.open(data) as review:
            review.set_facilitator_name(name)
    return _command(args.command)(args, data)
