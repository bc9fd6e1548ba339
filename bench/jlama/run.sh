#!/usr/bin/env bash
# Jlama 0.8.4 peer benchmark (pure-Java Panama backend, 2 threads by default).
#
#   bench/jlama/run.sh MODEL_DIR [--dtype F32|BF16] [--runs 3] [--iterations 3] [--warmup 2]
#                      [--threads 2] [--prompt-len 128] [--new-tokens 64]
#       one fresh JVM per run; each does --warmup untimed iterations, then --iterations timed ones
#       of: prefill of a --prompt-len token prompt, then --new-tokens greedy decode steps. Prints
#       one line per run (medians of its iterations) and min/median/max over the runs (README.md).
#
#   bench/jlama/run.sh MODEL_DIR --logits [--prompt-ids 1,2,3 ...] [--new-tokens N] [--dtype ..]
#       prints ONE JSON document (same schema as backend-cpu/src/test/python/reference_decoder.py)
#       with Jlama's raw logits for every greedy step. Default: the 128-token benchmark prompt, 1 step.
#
# Environment: JLAMA_JAVA_HOME (default /usr/lib/jvm/temurin-25-jdk-amd64), JLAMA_HEAP (default 4g),
# MVN (default mvn). Dependencies are fetched once into bench/jlama/target/lib.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
JAVA_HOME_JLAMA="${JLAMA_JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"
JAVA="$JAVA_HOME_JLAMA/bin/java"
JAVAC="$JAVA_HOME_JLAMA/bin/javac"
MVN="${MVN:-mvn}"
LIB="$HERE/target/lib"
CLASSES="$HERE/target/classes"

usage() {
  sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2
  exit 2
}

[[ $# -ge 1 ]] || usage
case "$1" in -h|--help) usage ;; esac
MODEL_DIR="$1"; shift
[[ -f "$MODEL_DIR/config.json" ]] || { echo "run.sh: $MODEL_DIR has no config.json" >&2; exit 2; }

RUNS=3
ITERATIONS=3
LOGITS=0
PASS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --runs) [[ $# -ge 2 ]] || usage; RUNS="$2"; shift 2 ;;
    --iterations) [[ $# -ge 2 ]] || usage; ITERATIONS="$2"; shift 2 ;;
    --logits) LOGITS=1; PASS+=("$1"); shift ;;
    --dtype|--threads|--prompt-len|--new-tokens|--max-new-tokens|--warmup|--prompt-ids|--working-qtype)
      [[ $# -ge 2 ]] || usage; PASS+=("$1" "$2"); shift 2 ;;
    -h|--help) usage ;;
    *) echo "run.sh: unknown argument $1" >&2; usage ;;
  esac
done
[[ "$RUNS" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --runs must be a positive integer" >&2; exit 2; }
[[ "$ITERATIONS" =~ ^[1-9][0-9]*$ ]] || { echo "run.sh: --iterations must be a positive integer" >&2; exit 2; }
[[ -x "$JAVA" ]] || { echo "run.sh: $JAVA not found; Jlama needs Java 20+ (set JLAMA_JAVA_HOME)" >&2; exit 2; }

# 1. dependencies (jlama-core and its runtime dependencies) into target/lib, once
if [[ ! -f "$LIB/jlama-core-0.8.4.jar" ]]; then
  echo "run.sh: fetching jlama-core 0.8.4 and dependencies into $LIB" >&2
  "$MVN" -q -B -f "$HERE/pom.xml" dependency:copy-dependencies \
      -DoutputDirectory="$LIB" -DincludeScope=runtime >&2
fi
CP="$(find "$LIB" -name '*.jar' | sort | tr '\n' ':')"

# 2. compile the runner when the source is newer than the class
if [[ ! -f "$CLASSES/JlamaBench.class" || "$HERE/JlamaBench.java" -nt "$CLASSES/JlamaBench.class" ]]; then
  rm -rf "$CLASSES"; mkdir -p "$CLASSES"
  "$JAVAC" -nowarn -d "$CLASSES" -cp "$CP" --add-modules jdk.incubator.vector \
      "$HERE/JlamaBench.java" 2>&1 | grep -v 'incubator' >&2 || true
  [[ -f "$CLASSES/JlamaBench.class" ]] || { echo "run.sh: compiling JlamaBench failed" >&2; exit 1; }
fi

JVM_OPTS=(--add-modules jdk.incubator.vector --enable-preview --enable-native-access=ALL-UNNAMED
          --sun-misc-unsafe-memory-access=allow -Djlama.force_panama_tensor_operations=true "-Xmx${JLAMA_HEAP:-4g}"
          -XX:+UseParallelGC -cp "$CLASSES:$CP")

run_once() {
  # Jlama and the JDK print warnings (incubator module, SLF4J without a provider) on stderr
  "$JAVA" "${JVM_OPTS[@]}" JlamaBench "$MODEL_DIR" "$@" 2> >(grep -vE \
      'WARNING: Using incubator modules|SLF4J' >&2)
}

if [[ $LOGITS -eq 1 ]]; then
  run_once "${PASS[@]}"
  exit $?
fi

stats() { # min median max of the arguments
  printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {
    m = (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2;
    printf "min=%.2f median=%.2f max=%.2f", a[1], m, a[NR] }'
}
median() { stats "$@" | sed 's/.*median=\([0-9.]*\).*/\1/'; }
field() { sed -n "s/.* $1=\([0-9.]*\).*/\1/p"; }

echo "jlama 0.8.4 model=$MODEL_DIR runs=$RUNS iterations_per_run=$ITERATIONS ${PASS[*]}"
PREFILL=()
DECODE=()
for ((r = 1; r <= RUNS; r++)); do
  load="$(cut -d' ' -f1-3 /proc/loadavg)"
  out="$(run_once "${PASS[@]}" --iterations "$ITERATIONS" | grep '^RESULT ' || true)"
  [[ -n "$out" ]] || { echo "run.sh: run $r produced no RESULT line" >&2; exit 1; }
  mapfile -t ps < <(field prefill_tok_s <<<"$out")
  mapfile -t ds < <(field decode_tok_s <<<"$out")
  p="$(median "${ps[@]}")"
  d="$(median "${ds[@]}")"
  rss="$(field peak_rss_mb <<<"$out" | tail -1)"
  ids="$(sed -n 's/.* first_ids=\(.*\)$/\1/p' <<<"$out" | tail -1)"
  echo "run $r: prefill_tok_s=$p decode_tok_s=$d iterations_prefill=[${ps[*]}] iterations_decode=[${ds[*]}] peak_rss_mb=$rss loadavg_before=[$load] first_ids=$ids"
  PREFILL+=("$p")
  DECODE+=("$d")
done
echo "prefill_tok_s $(stats "${PREFILL[@]}")"
echo "decode_tok_s $(stats "${DECODE[@]}")"
