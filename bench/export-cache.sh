#!/usr/bin/env bash
# Cold vs warm export in one long-lived JVM (as a notebook kernel runs %neuron_export twice): each round
# exports into a fresh compile cache (cold: packs the model), then exports the same configuration again
# (warm: a local cache hit that compiles nothing). Medians over the rounds; one untimed round first.
#
#   bench/export-cache.sh MODEL_DIR [ROUNDS=5] [DTYPE=fp32] [SEQUENCE_LENGTH=256]
# BUILD_DIR (default target-bench) is the Maven build folder used, so the bench does not disturb other builds.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-target-bench}"
MODEL="$(cd "$1" && pwd)"
cd "$ROOT"
mvn -B -q -o -Djneuron.build.dir="$BUILD_DIR" -pl backend-cpu -am test-compile -DskipTests >&2
CP_FILE="$ROOT/backend-cpu/$BUILD_DIR/bench.classpath"
mvn -B -q -o -Djneuron.build.dir="$BUILD_DIR" -pl backend-cpu dependency:build-classpath -Dmdep.outputFile="$CP_FILE" >&2
exec java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -XX:+UseParallelGC \
  -cp "backend-cpu/$BUILD_DIR/test-classes:backend-cpu/$BUILD_DIR/classes:$(cat "$CP_FILE")" \
  io.jneuron.cpu.ExportCacheBench "$MODEL" "${2:-5}" "${3:-fp32}" "${4:-256}" 2> >(grep -v '^WARNING: Using incubator' >&2)
