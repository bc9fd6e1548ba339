#!/usr/bin/env bash
# Builds and runs triad.c (gcc -O3 -march=native -fopenmp) on 1 and 2 threads; prints GB/s. The decode
# ceiling of a model is this bandwidth divided by its packed weight bytes per token.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BIN="${TMPDIR:-/tmp}/jneuron-triad"
gcc -O3 -march=native -fopenmp -o "$BIN" "$HERE/triad.c"
for t in ${THREADS:-1 2}; do OMP_NUM_THREADS="$t" "$BIN"; done
