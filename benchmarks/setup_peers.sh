#!/bin/sh
# Install the peers, each in its own virtual environment under benchmarks/.peers/ (never vendored, never a project
# dependency). Idempotent: a venv that already exists is left alone (delete it to reinstall). See docs/peers.md.
set -e
cd "$(dirname "$0")"
install() {  # install NAME PACKAGE...
    name=$1; shift
    if [ -x ".peers/$name/bin/python" ]; then echo "benchmarks/.peers/$name exists, skipped"; return; fi
    python3 -m venv ".peers/$name" && ".peers/$name/bin/pip" install -q "$@" && echo "benchmarks/.peers/$name installed"
}
install nnd nn-dataflow==2.1 'sympy==1.4'         # newer sympy: SympifyError: None at run time
install zigzag zigzag-dse==3.9.1 six              # it imports six without declaring it
install scalesim scalesim==3.0.0 'numpy<2.4'      # for bench_scalesim.py; numpy 2.4 breaks its int() of an array
