#!/usr/bin/env bash
# `cache lookup` speed on a local cache with thousands of registry entries over many models: builds the cache
# in a temp folder (io.jneuron.core.cache.LookupBench, a main under core/src/test/java) and prints the median
# and p90 lookup time per strategy (digest hit, filtered hit, alias and config fall-backs, miss).
#
#   bench/lookup.sh [MODELS=300] [ROUNDS=200]       (entries = ~18 x MODELS)
# BUILD_DIR (default target-bench) is the Maven build folder used, so the bench does not disturb other builds.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BUILD_DIR="${BUILD_DIR:-target-bench}"
cd "$ROOT"
mvn -B -q -o -Djneuron.build.dir="$BUILD_DIR" -pl core -am test-compile -DskipTests >&2
CP_FILE="$ROOT/core/$BUILD_DIR/bench.classpath"
mvn -B -q -o -Djneuron.build.dir="$BUILD_DIR" -pl core dependency:build-classpath -Dmdep.outputFile="$CP_FILE" >&2
exec java --add-modules=jdk.incubator.vector --add-exports=java.base/jdk.internal.vm.vector=ALL-UNNAMED --enable-native-access=ALL-UNNAMED \
  -cp "core/$BUILD_DIR/test-classes:core/$BUILD_DIR/classes:$(cat "$CP_FILE")" \
  io.jneuron.core.cache.LookupBench "${1:-300}" "${2:-200}"
