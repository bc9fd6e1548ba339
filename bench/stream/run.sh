#!/usr/bin/env bash
# Builds and runs triad.c (gcc -O3 -march=native -fopenmp) on 1 and 2 threads; prints GB/s. Decode reads
# its weights and writes next to nothing: triad (2 reads + 1 write per element) is the classic figure the
# issue's ceiling uses, read_GB_s a vectorised read-only sum, and rows_GB_s decode's own pattern (fp32 rows
# 4 at a time against one vector) as gcc compiles it, the figure to hold bench/kernels.sh's fp32 GB/s against;
# rows4x4_GB_s the same rows with each block's 4 taken from 4 quarters of a thread's range (4 streams at once).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BIN="${TMPDIR:-/tmp}/jneuron-triad"
gcc -O3 -march=native -fopenmp -o "$BIN" "$HERE/triad.c"
for t in ${THREADS:-1 2}; do OMP_NUM_THREADS="$t" "$BIN"; done
