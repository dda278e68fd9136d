"""The ``stationary`` command: a thin layer over :mod:`stationary.api`.

Each subcommand lives in its own module here, exposing ``register(subparsers)``; the parser calls
``args.run(args)``, which returns the exit status. Errors a user can cause are :class:`StationaryError`
(or a YAML / file error) and print as one line with exit status 2, never a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import shlex
import sys
import traceback

from stationary.core import StationaryError

# module names under stationary.cli, in the order `stationary --help` lists them
COMMANDS = (
    "zoo",
    "layers",
    "import_",
    "evaluate",
    "timeloop_diff",
    "compare",
    "map",
    "train",
    "quantize",
    "prune",
    "simulate",
    "chip",
    "rlc",
    "form",
    "algo",
    "roofline",
    "cim",
    "study",
    "report",
    "features",
    "tech",
    "sensor",
    "crosslevel",
)


class OneLineParser(argparse.ArgumentParser):
    """argparse with a usage error printed as one line (the full usage is one ``--help`` away)."""

    def _get_values(self, action, arg_strings):
        # argparse turns `--seed=--` into [] without calling the option's type: refuse it here
        if action.option_strings and action.nargs is None and arg_strings == ["--"]:
            self.error(f"argument {'/'.join(action.option_strings)}: expected a value, got '--'")
        return super()._get_values(action, arg_strings)

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {' '.join(message.split())} (see `{self.prog} --help`)\n")


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="stationary",
                           description="Model, simulate and evaluate DNN accelerator dataflows.")
    parser.add_argument("--debug", action="store_true",
                        help="on an internal error, print the whole traceback (for a bug report)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMANDS:
        importlib.import_module(f"stationary.cli.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Run one command line: 0 (or the command's own status) on success, 2 for a user's mistake (one line on
    stderr), 3 for an internal error (a bug: one line asking for a report; the traceback with ``--debug``)."""
    parser = build_parser()
    args = parser.parse_args(argv)
    args.command_line = shlex.join(["stationary", *(sys.argv[1:] if argv is None else argv)])
    try:
        return int(args.run(args) or 0)
    except StationaryError as err:
        return _fail(args, str(err))
    except (OSError, UnicodeDecodeError) as err:
        return _fail(args, str(err))
    except KeyboardInterrupt:
        print(f"stationary {args.command}: interrupted", file=sys.stderr)
        return 130
    except Exception as err:  # a bug: never a bare traceback for the user, one line and where to report it
        if args.debug:
            traceback.print_exc()
        detail = " ".join(f"{type(err).__name__}: {err}".split())[:300]
        print(f"stationary {args.command}: internal error ({detail}); this is a bug: please report it with the "
              "command line and the output of `stationary --debug ...`", file=sys.stderr)
        return 3


def _fail(args, message: str) -> int:
    print(f"stationary {args.command}: error: {' '.join(message.split())}", file=sys.stderr)
    return 2


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
