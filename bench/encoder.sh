#!/usr/bin/env bash
# MiniLM feature-extraction throughput: jneuron's CPU encoder vs ONNX Runtime (Java) on the original ONNX file,
# one JVM, rounds interleaved, batch 8 padded to sequence 128 and 32; medians of inputs/s
# (io.jneuron.cpu.encoder.EncoderBench, a main under backend-cpu/src/test/java).
#
#   bench/encoder.sh [ROUNDS=9] [THREADS=2] [DTYPE=fp32]
# WORK_DIR (default /tmp/jneuron-encoder-bench) keeps the converted model and exports between runs.
# BUILD_DIR (default target-bench) is the Maven build folder used, so the bench does not disturb other builds; this
# tree's core classes come first on the class path (the local Maven repository may hold another build of core).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-target-bench}"
WORK_DIR="${WORK_DIR:-/tmp/jneuron-encoder-bench}"
cd "$ROOT"
mkdir -p "$WORK_DIR"
CP_FILE="$ROOT/backend-cpu/$BUILD_DIR/bench.classpath"
# One reactor run, so core resolves from this tree (not from the local Maven repository, which may lack it);
# backend-cpu, built last, writes the class path file last.
mvn -B -q -Djneuron.build.dir="$BUILD_DIR" -pl backend-cpu -am test-compile dependency:build-classpath -DskipTests \
  -Dmdep.outputFile="$CP_FILE" >&2
exec "${JAVA:-java}" --add-modules=jdk.incubator.vector --add-exports=java.base/jdk.internal.vm.vector=ALL-UNNAMED --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC -Xmx3g \
  -cp "backend-cpu/$BUILD_DIR/test-classes:backend-cpu/$BUILD_DIR/classes:core/$BUILD_DIR/classes:$(cat "$CP_FILE")" \
  io.jneuron.cpu.encoder.EncoderBench "$WORK_DIR" "${1:-9}" "${2:-2}" "${3:-fp32}" 2> >(grep -v '^WARNING: Using incubator' >&2)
