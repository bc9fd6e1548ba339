#!/usr/bin/env bash
# The main job on a fresh machine: build and install the "Java (Neuron)" Jupyter kernel
# (install/install.sh, which installs Debian's Jupyter if none is present), then execute the
# quickstart notebook headless and print its results: make a tiny Llama, export it (cache miss),
# look it up in the registry, generate, and export again (cache hit).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"

echo "== install: build, Jupyter, kernelspec" >&2
install/install.sh "$@"

echo "== notebooks/01-quickstart.ipynb, executed headless" >&2
# Debian's interpreter sees Debian's nbclient; an existing non-Debian Jupyter brings its own python3.
PY=/usr/bin/python3
"$PY" -c 'import nbclient' >/dev/null 2>&1 || PY=python3
"$PY" notebooks/tests/run_notebooks.py 01-quickstart.ipynb --print
