#!/usr/bin/env bash
# Makes bin/jneuron's class-data archive for one JDK: a training run (export a tiny Llama on the fly and
# generate from it, in one JVM) records the classes it loads: AppCDS (-XX:ArchiveClassesAtExit) on
# JDK 17-24, the AOT cache (-XX:AOTCacheOutput: classes linked, plus method profiles) on JDK 25+.
# bin/jneuron uses it when present; the JVM ignores a stale one (jars rebuilt), so rerun after a build.
# Nothing is committed: the archive lives next to the jars (install/<build dir>/cds/).
#
#   install/cli-cds.sh [--java JAVA]     (default: $JAVA_HOME/bin/java, else java on PATH)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/java}"; JAVA="${JAVA:-java}"
if [ "${1:-}" = --java ]; then JAVA="$2"; fi
JAVA="$(readlink -f "$(command -v "$JAVA")")" || { echo "cli-cds.sh: no java found" >&2; exit 2; }
LIB="${JNEURON_LIB:-$ROOT/install/target/lib}"
[ -d "$LIB" ] || { echo "cli-cds.sh: $LIB is missing; build first" >&2; exit 2; }
FEATURE="$("$JAVA" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = //p')"
ARCHIVE="$LIB/../cds/jneuron-$(printf '%s\n' "$JAVA" | cksum | cut -d' ' -f1)"
mkdir -p "$(dirname "$ARCHIVE")"
rm -f "$ARCHIVE.jsa" "$ARCHIVE.aot"
if [ "${FEATURE%%.*}" -ge 25 ]; then OUT="$ARCHIVE.aot"; TRAIN="-XX:AOTCacheOutput=$OUT"; else OUT="$ARCHIVE.jsa"; TRAIN="-XX:ArchiveClassesAtExit=$OUT"; fi
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
export JAVA_HOME="$(dirname "$(dirname "$JAVA")")" HF_HUB_OFFLINE=1 NEURON_KERNEL_EXPORT_CACHE="$WORK/exports" \
  NEURON_COMPILE_CACHE_URL="$WORK/compile-cache"
"$ROOT/bin/jneuron" testing tiny-model llama "$WORK/model" >/dev/null 2>&1
JNEURON_TRAIN_OPTS="$TRAIN" "$ROOT/bin/jneuron" generate "$WORK/model" --prompt "Once upon a time" \
  --max_new_tokens 16 >"$WORK/train.log" 2>&1 || { tail -5 "$WORK/train.log" >&2; exit 1; }
[ -s "$OUT" ] || { echo "cli-cds.sh: the training run wrote no archive" >&2; tail -5 "$WORK/train.log" >&2; exit 1; }
echo "$OUT"
