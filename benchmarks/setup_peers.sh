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

# AccelForge (Timeloop's Python successor): its hwcomponents parts need Python >= 3.12 (pyenv's 3.12 here); its
# mapper always draws mapping.svg with Graphviz's dot; the cacti binary inside hwcomponents-cacti is linked against a
# newer glibc than Debian 12's, so it is rebuilt from the sources that package bundles. See docs/peers.md.
if [ ! -x ".peers/accelforge/bin/python" ]; then
    py312=$(command -v python3.12 || ls "$HOME"/.pyenv/versions/3.12*/bin/python 2>/dev/null | head -n 1)
    [ -n "$py312" ] || { echo "AccelForge needs Python >= 3.12 (none found), skipped"; exit 0; }
    command -v dot >/dev/null || { apt-get update -qq && apt-get install -y -qq graphviz; }
    "$py312" -m venv .peers/accelforge && .peers/accelforge/bin/pip install -q accelforge==1.0.467
    cacti=$(.peers/accelforge/bin/python -c "import hwcomponents_cacti, os; print(os.path.join(os.path.dirname(hwcomponents_cacti.__file__), 'cacti'))")
    if ! "$cacti/cacti" -h >/dev/null 2>&1 && ldd "$cacti/cacti" 2>&1 | grep -q "not found"; then
        (cd "$cacti" && make -s opt)   # its makefile copies the new binary over the old
    fi
    echo "benchmarks/.peers/accelforge installed"
else
    echo "benchmarks/.peers/accelforge exists, skipped"
fi
