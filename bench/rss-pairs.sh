#!/usr/bin/env bash
# Peak RSS (VmHWM, MiB) of one `bin/jneuron generate` of the bench's shape (128 prompt ids, 64 new tokens, seq 256,
# 2 threads, greedy; the tokenizer is opened to decode the output) for two built source trees, in interleaved pairs
# in ABBA order (see ab-pairs.sh). Each tree runs with its own bin/jneuron flags and class-data archive and compiles
# into CACHE (default: MODEL's sibling folder `cache`, as compare.sh's). Prints each pair, then the medians and the
# median of B - A. Build both trees first (mvn -B -q -DskipTests package; install/cli-cds.sh).
#
#   bench/rss-pairs.sh MODEL PRECISION ROUNDS TREE_A TREE_B [CACHE]   (JAVA_HOME picks the JDK)
set -euo pipefail
MODEL="$1"; P="$2"; N="$3"; A="$4"; B="$5"; CACHE="${6:-$(dirname "$MODEL")/cache}"
IDS="$(python3 -c "print(','.join(str(100 + i) for i in range(128)))")"
Q=(--auto_cast_type "$P"); [ "$P" = int8 ] && Q=(--quantization int8)
run() { # TREE -> the peak RSS in MiB of its generate (the launcher execs the JVM, so the child's peak is the JVM's)
  python3 - "$1/bin/jneuron" generate "$MODEL" --cache_dir "$CACHE" --threads 2 --sequence_length 256 "${Q[@]}" \
    --prompt-ids="$IDS" --max_new_tokens 64 --min_new_tokens 64 --greedy <<'PY'
import resource, subprocess, sys
r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
if r.returncode != 0:
    sys.exit("rss-pairs.sh: generate failed: " + r.stderr.strip()[-400:])
print("%.1f" % (resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024))
PY
}
for ((i = 1; i <= N; i++)); do
  if ((i % 2)); then a="$(run "$A")"; b="$(run "$B")"; else b="$(run "$B")"; a="$(run "$A")"; fi
  echo "$a $b"
done | python3 -c '
import statistics as st, sys
r = [list(map(float, l.split())) for l in sys.stdin if l.strip()]
for a, b in r:
    print("A %.1f | B %.1f | B-A %+.1f MiB" % (a, b, b - a))
print("median A %.1f B %.1f B-A %+.1f MiB" % (st.median(x[0] for x in r), st.median(x[1] for x in r),
      st.median(x[1] - x[0] for x in r)))'
