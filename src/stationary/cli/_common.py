"""Helpers the subcommands share: printing JSON, loading a network by zoo name or file."""
from __future__ import annotations

import json
import sys


def print_json(obj) -> None:
    json.dump(obj, sys.stdout, indent=2)
    sys.stdout.write("\n")
