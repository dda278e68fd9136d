"""Helpers the subcommands share: printing JSON and tables, loading a network by zoo name or file."""
from __future__ import annotations

import argparse
import json
import sys

from stationary.validation import MAX_EPOCHS, MAX_JOBS, MAX_LOOP_BOUND, MAX_SEED, float_arg, int_arg
from stationary.workload.files import load_network
from stationary.workload.network import Network


def print_json(obj) -> None:
    json.dump(obj, sys.stdout, indent=2)
    sys.stdout.write("\n")


def load_network_arg(spec: str, batch: int | None = None) -> Network:
    """The network a command line names: a zoo name (``stationary zoo`` lists them) or a network YAML file.

    ``batch=None`` keeps the network's own N (1 for the zoo). Errors are StationaryError (exit status 2).
    """
    return load_network(spec, batch)


# argparse ``type``s with their limits, for every command's options (a value outside is a one-line usage error)
positive_int = int_arg(1, MAX_LOOP_BOUND)      # sizes such as --batch
jobs_int = int_arg(1, MAX_JOBS)                # --jobs: worker processes
seed_int = int_arg(0, MAX_SEED)                # --seed
epochs_int = int_arg(0, MAX_EPOCHS)            # training epochs (0: none, where a command allows it)
fraction = float_arg(0.0, 1.0)                 # densities, tolerances, accuracy losses


def add_network_arguments(parser: argparse.ArgumentParser) -> None:
    """Add ``NETWORK`` (zoo name or YAML file) and ``--batch N`` to a subcommand's parser."""
    parser.add_argument("network", metavar="NETWORK_OR_FILE", help="a zoo name (see `stationary zoo`) or a network YAML file")
    parser.add_argument("--batch", type=positive_int, default=None, metavar="N",
                        help="batch size N for every layer (default: the file's, 1 for the zoo)")
