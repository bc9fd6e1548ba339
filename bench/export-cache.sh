#!/usr/bin/env bash
# Cold vs cache-hit `bin/jneuron export`, each a fresh CLI process as a user runs it, on this tree's build
# (install/target/lib, and its class-data archive, remade first by install/cli-cds.sh). Each round exports into a
# fresh compile cache (cold: a miss that packs the model), then exports the same configuration again (a
# local hit that compiles nothing); rounds interleave, so machine load hits both alike. Reports the medians
# of the tool's own timings (the JSON's timings.total_ms), of the wall times, and their ratios, then the
# wall times of `bin/jneuron --version` and of a `cache lookup` of the model.
#
#   bench/export-cache.sh MODEL_DIR [ROUNDS=5] [DTYPE=fp32] [SEQUENCE_LENGTH=256]
# Build first (mvn -B -q -DskipTests package); nothing is written outside a temp folder.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODEL="$(cd "$1" && pwd)"
ROUNDS="${2:-5}"
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
J="$ROOT/bin/jneuron"
# Every build leaves the class-data archive stale (the JVM then ignores it and start-up is much slower): remake it,
# so the bench measures the installed configuration. JNEURON_CDS=0 measures without one.
if [ "${JNEURON_CDS:-1}" != 0 ]; then "$ROOT/install/cli-cds.sh" >/dev/null; fi
run() { # run NAME ARGS...: one timed CLI process; its stdout in $WORK/NAME.out, wall ms appended to $WORK/NAME.wall
  local name="$1"; shift
  local t0; t0=$(date +%s%N)
  "$J" "$@" >"$WORK/$name.out"
  echo $(( ($(date +%s%N) - t0) / 1000000 )) >>"$WORK/$name.wall"
  if [[ "$name" == cold || "$name" == hit ]]; then
    python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["cache"], d["timings"]["total_ms"], json.dumps(d["timings"]))' \
      "$WORK/$name.out" >>"$WORK/$name.timings"
  fi
}
for r in $(seq 0 "$ROUNDS"); do # round 0 is untimed (page cache, archive)
  opts=(--auto_cast_type "${3:-fp32}" --sequence_length "${4:-256}" --cache_dir "$WORK/cache$r" --format json)
  run cold export "$MODEL" "$WORK/out$r" "${opts[@]}"
  run hit export "$MODEL" "$WORK/again$r" "${opts[@]}"
  run version --version
  run lookup cache lookup "$MODEL" --cache_dir "$WORK/cache$r"
  if [ "$r" = 0 ]; then rm -f "$WORK"/*.wall "$WORK"/*.timings; fi
  rm -rf "$WORK/out$r" "$WORK/again$r" "$WORK/cache$r"
done
python3 - "$WORK" "$(basename "$MODEL")" <<'PY'
import statistics, sys, pathlib
w = pathlib.Path(sys.argv[1])
def col(name, i):
    return [float(l.split()[i]) for l in (w / f"{name}.timings").read_text().splitlines()]
def walls(name):
    return [float(l) for l in (w / f"{name}.wall").read_text().splitlines()]
states = {l.split()[0] for l in (w / "cold.timings").read_text().splitlines()} | \
         {"hit:" + l.split()[0] for l in (w / "hit.timings").read_text().splitlines()}
assert states == {"miss", "hit:hit-local"}, states
for l in (w / "hit.timings").read_text().splitlines():
    print("hit stages (ms):", l.split(None, 2)[2])
cold, hit = statistics.median(col("cold", 1)), statistics.median(col("hit", 1))
cw, hw = statistics.median(walls("cold")), statistics.median(walls("hit"))
print(f"{sys.argv[2]}: tool timings (total_ms) median cold {cold:.0f} ms, hit {hit:.0f} ms: {cold / hit:.1f}x")
print(f"wall (fresh process) median cold {cw:.0f} ms, hit {hw:.0f} ms: {cw / hw:.1f}x")
print(f"wall median: --version {statistics.median(walls('version')):.0f} ms, cache lookup {statistics.median(walls('lookup')):.0f} ms")
PY
