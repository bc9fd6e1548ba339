#!/usr/bin/env bash
# Whole generations of two built source trees in interleaved pairs, ABBA order (odd rounds TREE_A first, even rounds
# TREE_B first): on this machine the first process of a fixed-order pair tends to run faster, which a fixed order
# would credit to one tree. Each run is TREE's own bench/cold-cpu.sh (one JVM with its bin/jneuron flags, 6
# generations of the bench's shape); its warm decode and prefill tok/s are the medians of generations 3-6. Prints
# each pair and B/A, then the median ratios. Build both trees first (mvn -B -q -DskipTests package; install/cli-cds.sh).
#
#   bench/ab-pairs.sh MODEL PRECISION ROUNDS TREE_A TREE_B   (JAVA_HOME picks the JDK)
set -euo pipefail
MODEL="$1"; P="$2"; N="$3"; A="$4"; B="$5"
run() {
  bash "$1/bench/cold-cpu.sh" "$MODEL" "$P" 6 2 2>&1 | python3 -c '
import statistics as st, sys
g = [l.split() for l in sys.stdin if l.startswith("gen ")]
if len(g) < 6:
    sys.exit("ab-pairs.sh: cold-cpu.sh printed %d generations" % len(g))
print("%.2f %.1f" % (st.median(63000 / float(x[3]) for x in g[2:]), st.median(128000 / float(x[2]) for x in g[2:])))'
}
for ((i = 1; i <= N; i++)); do
  if ((i % 2)); then a="$(run "$A")"; b="$(run "$B")"; else b="$(run "$B")"; a="$(run "$A")"; fi
  echo "$a $b"
done | python3 -c '
import statistics as st, sys
r = [list(map(float, l.split())) for l in sys.stdin if l.strip()]
for a, ap, b, bp in r:
    print("A decode %.1f prefill %.0f | B decode %.1f prefill %.0f | B/A %.3f %.3f" % (a, ap, b, bp, b / a, bp / ap))
print("median B/A decode %.3f prefill %.3f" % (st.median(x[2] / x[0] for x in r), st.median(x[3] / x[1] for x in r)))'
