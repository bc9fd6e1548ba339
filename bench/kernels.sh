#!/usr/bin/env bash
# Decode-shaped matrix products alone (a ~110M Llama's projections, one token), precisions interleaved
# round by round: median ms per token, GB/s of weights streamed, speed ratio to the first precision
# (io.jneuron.cpu.tensor.KernelBench, a main under backend-cpu/src/test/java).
#
#   bench/kernels.sh [ROUNDS=15] [THREADS=2] [DTYPE...=bf16 fp16 fp32]
# BUILD_DIR (default target-bench) is the Maven build folder used, so the bench does not disturb other builds.
# JAVA (default java) picks the JVM, e.g. JAVA=/usr/lib/jvm/temurin-25-jdk-amd64/bin/java.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-target-bench}"
cd "$ROOT"
CP_FILE="$ROOT/backend-cpu/$BUILD_DIR/bench.classpath"
# One reactor run: core resolves to its build folder (nothing is installed into ~/.m2); backend-cpu
# builds last, so its classpath is the one left in CP_FILE.
mvn -B -q -o -Djneuron.build.dir="$BUILD_DIR" -pl backend-cpu -am test-compile dependency:build-classpath \
  -DskipTests -Dmdep.outputFile="$CP_FILE" >&2
ROUNDS="${1:-15}"; THREADS="${2:-2}"; shift $(( $# < 2 ? $# : 2 ))
[ $# -gt 0 ] || set -- bf16 fp16 fp32
exec "${JAVA:-java}" --add-modules=jdk.incubator.vector --add-exports=java.base/jdk.internal.vm.vector=ALL-UNNAMED -XX:+UseParallelGC -Xmx3g ${BENCH_OPTS:-} \
  -cp "backend-cpu/$BUILD_DIR/test-classes:backend-cpu/$BUILD_DIR/classes:core/$BUILD_DIR/classes:$(cat "$CP_FILE")" \
  io.jneuron.cpu.tensor.KernelBench "$ROUNDS" "$THREADS" "$@" 2> >(grep -v '^WARNING: Using incubator' >&2)
