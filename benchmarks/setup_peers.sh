#!/bin/sh
# Install the mapper's peers, each in its own virtual environment under benchmarks/.peers/ (never vendored).
set -e
cd "$(dirname "$0")"
python3 -m venv .peers/nnd && .peers/nnd/bin/pip install -q nn-dataflow 'sympy==1.4'
# ZigZag takes about 36 CPU-minutes on AlexNet; optional:
# python3 -m venv .peers/zigzag && .peers/zigzag/bin/pip install -q zigzag-dse six
