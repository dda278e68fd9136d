"""The ``stationary`` command: a thin layer over :mod:`stationary.api`.

Each subcommand lives in its own module here, exposing ``register(subparsers)``; the parser calls
``args.run(args)``, which returns the exit status. Errors a user can cause are :class:`StationaryError`
(or a YAML / file error) and print as one line with exit status 2, never a traceback.
"""
from __future__ import annotations

import argparse
import importlib
import sys

from stationary.core import StationaryError

# module names under stationary.cli, in the order `stationary --help` lists them
COMMANDS = (
    "zoo",
    "layers",
    "import_",
    "evaluate",
    "compare",
    "map",
    "train",
    "quantize",
    "prune",
    "simulate",
    "chip",
    "rlc",
    "form",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="stationary",
                                     description="Model, simulate and evaluate DNN accelerator dataflows.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    sub.required = True
    for name in COMMANDS:
        importlib.import_module(f"stationary.cli.{name}").register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except StationaryError as err:
        print(f"stationary {args.command}: error: {err}", file=sys.stderr)
        return 2
    except (OSError, UnicodeDecodeError) as err:
        print(f"stationary {args.command}: error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"stationary {args.command}: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
