#!/usr/bin/env bash
# Cold vs warm export of one checkpoint: each round exports into a fresh compile cache (cold: the
# model is packed), then exports the same configuration again (warm: a local cache hit that must
# compile nothing). Prints each round's in-process total_ms and the medians.
#
#   bench/export-cache.sh MODEL_DIR [--rounds 3] [extra export options, e.g. --auto_cast_type bf16]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODEL="$1"; shift
ROUNDS=3
if [ "${1:-}" = "--rounds" ]; then ROUNDS="$2"; shift 2; fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
cold=(); warm=()
for r in $(seq 1 "$ROUNDS"); do
  cache="$WORK/cache-$r"
  c=$("$ROOT/bin/jneuron" export "$MODEL" "$WORK/out-$r-a" --cache_dir "$cache" --format json "$@")
  w=$("$ROOT/bin/jneuron" export "$MODEL" "$WORK/out-$r-b" --cache_dir "$cache" --format json "$@")
  cs=$(/usr/bin/python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d["cache"], d["timings"]["total_ms"])' "$c")
  ws=$(/usr/bin/python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d["cache"], d["timings"]["total_ms"])' "$w")
  echo "round $r: cold ${cs} ms, warm ${ws} ms"
  cold+=("${cs#* }"); warm+=("${ws#* }")
done
/usr/bin/python3 - "${cold[*]}" "${warm[*]}" <<'PY'
import statistics, sys
cold = [float(x) for x in sys.argv[1].split()]
warm = [float(x) for x in sys.argv[2].split()]
mc, mw = statistics.median(cold), statistics.median(warm)
print(f"median cold {mc:.0f} ms, median warm {mw:.0f} ms, speed-up {mc / mw:.1f}x")
PY
