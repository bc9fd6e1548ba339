#!/usr/bin/env bash
# Decode-shaped products of several source trees (e.g. this checkout and a `git archive` of an older
# commit) in ONE JVM, each tree in its own class loader, rounds interleaved: a same-process A/B, which on a
# shared machine is far steadier than comparing separate kernels.sh runs. Prints median ms/token per tree
# and the median per-round speed ratio to the first tree (bench/kernels-ab/KernelsAB.java).
#
#   bench/kernels-ab.sh ROUNDS THREADS DTYPE TREE...      e.g. bench/kernels-ab.sh 11 2 bf16 /tmp/old .
# Each tree is built into its BUILD_DIR (default target-bench) first. JAVA picks the JVM; BENCH_OPTS adds JVM
# flags, e.g. BENCH_OPTS=-Djneuron.bench.tokens=128 for prefill-shaped products (ms per pass, not per token).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-target-bench}"
ROUNDS="$1"; THREADS="$2"; DTYPE="$3"; shift 3
TREES=()
for t in "$@"; do
  t="$(cd "$t" && pwd)"; TREES+=("$t")
  (cd "$t" && mvn -B -q -o -Djneuron.build.dir="$BUILD_DIR" -pl backend-cpu -am test-compile dependency:build-classpath \
    -DskipTests -Dmdep.outputFile="$t/backend-cpu/$BUILD_DIR/bench.classpath" >&2)
done
OUT="$(mktemp -d /tmp/kernels-ab.XXXXXX)"
trap 'rm -rf "$OUT"' EXIT
"${JAVA:-java}" -version >/dev/null 2>&1
JAVAC="$(dirname "$(readlink -f "$(command -v "${JAVA:-java}")")")/javac"
"$JAVAC" -d "$OUT" "$ROOT/bench/kernels-ab/KernelsAB.java"
"${JAVA:-java}" --add-modules=jdk.incubator.vector --add-exports=java.base/jdk.internal.vm.vector=ALL-UNNAMED -XX:+UseParallelGC -Xmx4g -XX:MaxDirectMemorySize=8g ${BENCH_OPTS:-} \
  -Dbuild="$BUILD_DIR" -cp "$OUT" KernelsAB "$ROUNDS" "$THREADS" "$DTYPE" "${TREES[@]}" \
  2> >(grep -v '^WARNING: Using incubator' >&2)
