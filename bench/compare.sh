#!/usr/bin/env bash
# jneuron against its peers on the same ~110M Llama checkpoint, 2 threads, 128-token prompt, 64 new tokens:
# llama.cpp (bench/llamacpp, node-llama-cpp's prebuilt CPU library, on a GGUF made by our converter) and,
# with JLAMA=1, Jlama 0.8.4 (bench/jlama, fp32/bf16 only). Runs are interleaved pairs (jneuron, then the
# peer, per precision per round), each in a fresh process that reports cold (its first generation) and
# warm (median after warm-ups); ratios are taken per pair and their median printed, so a busy machine
# slows both sides of a pair alike. int8 has no peer here: it is compared with jneuron's own bf16, run right after it.
# With JAVA25=/path/to/jdk (e.g. /usr/lib/jvm/temurin-25-jdk-amd64) jneuron also runs on that JDK in each
# round (engine jneuron25), so cold and warm are seen on both JDKs in the same run. LLAMACPP=0 skips llama.cpp.
# The decode ceiling is measured in every round: STREAM triad (bench/stream/triad.c, 2 threads) runs just before
# each 16- or 32-bit precision's jneuron runs, and decode's GB/s (tok/s x the weights' bytes, all read once per
# token) is stated against that triad: this machine's bandwidth moves by half within minutes (38 -> 71 GB/s),
# so one triad per run says little about a given round. The same program's register-only FMA rate is printed per
# round too: a core's compute moves as well (the 2 vCPUs' FMA rate with 2 threads went 1.1 -> 1.8 G vector FMAs a
# second per thread within an hour), and prefill follows it. STREAM=0 skips both (it needs gcc with OpenMP).
#
#   bench/compare.sh [MODELS_DIR] [ROUNDS=3] [PRECISIONS="fp32 bf16 fp16 int8"]
#   (MODELS_DIR default /tmp/jneuron-bench; the checkpoint is made if missing)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${1:-/tmp/jneuron-bench}"; ROUNDS="${2:-3}"; PRECISIONS="${3:-fp32 bf16 fp16 int8}"
B="$ROOT/bin/jneuron"; L="$ROOT/bench/llamacpp/run.sh"; J="$ROOT/bench/jlama/run.sh"
PY="${PYTHON:-/usr/bin/python3}"
export NEURON_KERNEL_EXPORT_CACHE="$DIR/exports"
# Its own compile cache: in the default one an artifact from an older jneuron (say, one written before
# matrices were page-aligned) is a cache hit and would be measured instead of what this tree writes.
CACHE="$DIR/cache"
M="$DIR/llama-110m"
[ -f "$M/config.json" ] || "$B" testing tiny-model llama "$M" --preset 110m >/dev/null
OUT="$DIR/compare-$(date -u +%Y%m%dT%H%M%S).log"
TRIAD=""
if [ "${STREAM:-1}" = 1 ]; then
  TRIAD="${TMPDIR:-/tmp}/jneuron-triad"
  gcc -O3 -march=native -fopenmp -o "$TRIAD" "$ROOT/bench/stream/triad.c"
fi
# Parameters, from the checkpoint's header: the embedding is tied (it is the LM head), so decode reads every one.
PARAMS="$("$PY" -c 'import json,math,struct,sys; f=open(sys.argv[1],"rb"); h=json.loads(f.read(struct.unpack("<Q",f.read(8))[0]))
print(sum(math.prod(v["shape"]) for k,v in h.items() if k!="__metadata__"))' "$M/model.safetensors")"
echo "== $(date -u) load: $(cat /proc/loadavg); results in $OUT"
jn() { # precision [JAVA_HOME] -> one JSON run of jneuron bench
  local q=(--auto_cast_type "$1"); [ "$1" = int8 ] && q=(--quantization int8)
  JAVA_HOME="${2:-${JAVA_HOME:-}}" "$B" bench "$M" --cache_dir "$CACHE" --threads 2 --sequence_length 256 "${q[@]}" --runs 1 --warmup 2 --iterations 3 --format json |
    "$PY" -c 'import json,sys; r=json.load(sys.stdin)["runs"][0]; print(" ".join(f"{k}={r[k]:.2f}" for k in
      ("load_ms","cold_prefill_tok_s","cold_decode_tok_s","prefill_tok_s","decode_tok_s","peak_rss_mb")))'
}
# int8's ratio is to bf16 on the same JDK, so with both asked for, int8 runs right after that JDK's bf16 run (the
# machine's bandwidth moves within minutes, and int8 and bf16 answer to it differently).
PAIRED=""; [[ " $PRECISIONS " = *" bf16 "* && " $PRECISIONS " = *" int8 "* ]] && PAIRED=1
for ((round = 1; round <= ROUNDS; round++)); do
  for p in $PRECISIONS; do
    [ "$p" = int8 ] && [ -n "$PAIRED" ] && continue
    if [ -n "$TRIAD" ] && [ "$p" != int8 ]; then
      echo "round=$round precision=$p engine=stream params=$PARAMS $(OMP_NUM_THREADS=2 "$TRIAD" | sed 's/ (check.*//')" |
        tee -a "$OUT"
    fi
    echo "round=$round precision=$p engine=jneuron $(jn "$p")" | tee -a "$OUT"
    if [ "$p" = bf16 ] && [ -n "$PAIRED" ]; then
      echo "round=$round precision=int8 engine=jneuron $(jn int8)" | tee -a "$OUT"
    fi
    if [ -n "${JAVA25:-}" ]; then
      echo "round=$round precision=$p engine=jneuron25 $(jn "$p" "$JAVA25")" | tee -a "$OUT"
      if [ "$p" = bf16 ] && [ -n "$PAIRED" ]; then
        echo "round=$round precision=int8 engine=jneuron25 $(jn int8 "$JAVA25")" | tee -a "$OUT"
      fi
    fi
    case "${LLAMACPP:-1}:$p" in
      1:fp32|1:bf16|1:fp16)
        t="${p/fp/f}"
        echo "round=$round precision=$p engine=llama.cpp $("$L" "$M" --type "$t" --runs 1 --warmup 2 --iterations 3 |
          sed -n 's/^run 1: //p')" | tee -a "$OUT" ;;
    esac
    if [ "${JLAMA:-0}" = 1 ] && [[ "$p" = fp32 || "$p" = bf16 ]]; then
      echo "round=$round precision=$p engine=jlama $("$J" "$M" --dtype "${p^^}" --runs 1 | sed -n 's/^run 1: //p' |
        sed 's/iterations_.*//')" | tee -a "$OUT"
    fi
  done
done
"$PY" - "$OUT" <<'PY'
import re, sys, statistics as st
rows = []
for line in open(sys.argv[1]):
    kv = dict(re.findall(r"(\w+(?:\.\w+)?)=([^\s\]]+)", line))
    rows.append(kv)
def val(r, k):
    try: return float(r[k])
    except (KeyError, ValueError): return None
keys = ["cold_prefill_tok_s", "cold_decode_tok_s", "prefill_tok_s", "decode_tok_s", "peak_rss_mb"]
print("medians over rounds (tok/s; RSS MB); ratio = jneuron / peer, per interleaved pair")
for p in sorted({r["precision"] for r in rows}, key="fp32 bf16 fp16 int8".split().index):
    for eng in ("jneuron", "jneuron25", "llama.cpp", "jlama"):
        rs = [r for r in rows if r["precision"] == p and r["engine"] == eng]
        if rs:
            med = {k: st.median([v for v in (val(r, k) for r in rs) if v is not None] or [float("nan")]) for k in keys}
            print(f"{p:5} {eng:10} " + " ".join(f"{k}={med[k]:.1f}" for k in keys))
    for peer in ("llama.cpp", "jlama"):
      for me in ("jneuron", "jneuron25"):
        pairs = [(a, b) for a in rows for b in rows if a["round"] == b["round"] and a["precision"] == b["precision"] == p
                 and a["engine"] == me and b["engine"] == peer]
        if pairs:
            print(f"{p:5} {me} vs {peer:9} " + " ".join(
                f"{k}={st.median([val(a, k) / val(b, k) for a, b in pairs if val(a, k) and val(b, k)] or [float('nan')]):.2f}x"
                for k in keys[:4]))
    for me in ("jneuron", "jneuron25"):
        rs = [r for r in rows if r["precision"] == p and r["engine"] == me]
        cold = [val(r, "cold_prefill_tok_s") / val(r, "prefill_tok_s") for r in rs if val(r, "prefill_tok_s")]
        cd = [val(r, "cold_decode_tok_s") / val(r, "decode_tok_s") for r in rs if val(r, "decode_tok_s")]
        if rs:
            print(f"{p:5} {me} cold/warm prefill={st.median(cold):.2f} decode={st.median(cd):.2f}")
width = {"fp32": 4, "bf16": 2, "fp16": 2}
for p in [p for p in ("fp32", "bf16", "fp16") if any(r["precision"] == p and r["engine"] == "stream" for r in rows)]:
    stream = {r["round"]: r for r in rows if r["precision"] == p and r["engine"] == "stream"}
    for me in ("jneuron", "jneuron25"):
        got = [(val(r, "decode_tok_s") * val(stream[r["round"]], "params") * width[p] / 1e9,
                val(stream[r["round"]], "triad_GB_s")) for r in rows
               if r["precision"] == p and r["engine"] == me and r["round"] in stream and val(r, "decode_tok_s")]
        if got:
            print(f"{p:5} {me} decode vs the same round's triad: " + ", ".join(f"{g:.1f}/{t:.1f} GB/s ({g / t:.0%})"
                  for g, t in got) + f"; median {st.median(g / t for g, t in got):.0%}")
    fma = [val(stream[k], "fma_GFLOP_s") for k in sorted(stream) if "fma_GFLOP_s" in stream[k]]
    if fma:
        print(f"{p:5} register-only fp32 FMAs, 2 threads, per round: " + ", ".join(f"{f:.0f}" for f in fma)
              + " GFLOP/s (a core's compute moves with the machine's other tenants)")
for me in ("jneuron", "jneuron25"):
    int8 = [r for r in rows if r["precision"] == "int8" and r["engine"] == me]
    bf16 = {r["round"]: r for r in rows if r["precision"] == "bf16" and r["engine"] == me}
    ratios = [val(r, "decode_tok_s") / val(bf16[r["round"]], "decode_tok_s") for r in int8 if r["round"] in bf16]
    if ratios:
        print(f"{me} int8 decode vs its bf16 (same round, run next to it): " + ", ".join(f"{x:.2f}" for x in ratios)
              + f"; median {st.median(ratios):.2f}x")
PY
echo "== $(date -u) load: $(cat /proc/loadavg)"
