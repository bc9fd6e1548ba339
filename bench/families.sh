#!/usr/bin/env bash
# Prefill and decode speed of each decoder family against Llama at the same size (issue 13): random-weight
# checkpoints with the same hidden size, layers, heads, kv heads, head_dim, MLP width and vocabulary, each
# family's distinctive features on (biases, q/k norms, a sliding window shorter than the prompt, fused
# qkv/gate_up, soft-caps, multipliers, NoPE layers; see FamilyConfigFiles). Each round runs one fresh JVM per
# family with `jneuron bench FAMILY --against LLAMA` (2 threads): both models loaded, ITER timed generations of
# each alternating, the ratio taken per adjacent pair; which model loads first alternates by round. A Llama
# against Llama row shows the method's own bias and noise. Ratios are given per wall second and per CPU second of
# the process (steadier on a shared machine: waiting for a core costs wall time, not CPU time); the table shows
# the medians over rounds of each JVM's median.
#
#   bench/families.sh [DIR] [ROUNDS=3] [FAMILIES="mistral qwen2 qwen3 phi3 gemma2 gemma3_text granite smollm3"]
#   SIZE="--hidden 256 --layers 6 --heads 4 --intermediate 688 --vocab 8000" (tiny-model options; the
#   head_dim of qwen3/gemma is set to hidden/heads so every family has the same attention width)
#   DTYPE=fp32 PROMPT=128 NEW=32 ITER=10 (sequence_length 256)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${1:-/tmp/jneuron-families-bench}"; ROUNDS="${2:-3}"
FAMILIES="${3:-mistral qwen2 qwen3 phi3 gemma2 gemma3_text granite smollm3}"
SIZE="${SIZE:---hidden 256 --layers 6 --heads 4 --intermediate 688 --vocab 8000}"
DTYPE="${DTYPE:-fp32}"; PROMPT="${PROMPT:-128}"; NEW="${NEW:-32}"
B="$ROOT/bin/jneuron"; PY="${PYTHON:-/usr/bin/python3}"
export NEURON_KERNEL_EXPORT_CACHE="$DIR/exports"
mkdir -p "$DIR"
read -r -a SZ <<<"$SIZE"
opt() { # the value of tiny-model option $1 in SIZE
  local i; for ((i = 0; i < ${#SZ[@]} - 1; i++)); do [ "${SZ[$i]}" != "$1" ] || echo "${SZ[$((i + 1))]}"; done
}
HEADS="$(opt --heads)"; HEAD_DIM=$(($(opt --hidden) / HEADS))
for f in llama $FAMILIES; do # no GQA, no explicit head_dim unlike hidden/heads: the same attention for all
  [ -f "$DIR/$f/config.json" ] ||
    "$B" testing tiny-model "$f" "$DIR/$f" "${SZ[@]}" --kv-heads "$HEADS" --head-dim "$HEAD_DIM" >/dev/null
done
OUT="$DIR/families-$(date -u +%Y%m%dT%H%M%S).log"
echo "== $(date -u) load: $(cat /proc/loadavg); size: $SIZE, $DTYPE, prompt $PROMPT, new $NEW; results in $OUT"
pair() { # A B -> one JVM timing A and B alternately (bench --against): medians and per-pair ratios A/B
  "$B" bench "$DIR/$1" --against "$DIR/$2" --threads 2 --sequence_length 256 --auto_cast_type "$DTYPE" --warmup 2 \
    --iterations "$ITER" --prompt-length "$PROMPT" --new-tokens "$NEW" --format json |
    "$PY" -c 'import json,sys; r=json.load(sys.stdin); print(" ".join("%s=%.4f" % (k, v) for k, v in r.items() if isinstance(v, float)))'
}
ITER="${ITER:-10}"
for ((round = 1; round <= ROUNDS; round++)); do
  for f in llama $FAMILIES; do # llama against llama: the method's own bias and noise
    # The model loaded first alternates by round; ratios are always family / llama.
    if ((round % 2)); then echo "round=$round family=$f first=family $(pair "$f" llama) load=$(cut -d' ' -f1 /proc/loadavg)"
    else echo "round=$round family=$f first=llama $(pair llama "$f") load=$(cut -d' ' -f1 /proc/loadavg)"; fi | tee -a "$OUT"
  done
done
"$PY" - "$OUT" <<'PY'
import re, sys, statistics as st
runs = [dict(re.findall(r"(\w+)=(\S+)", l)) for l in open(sys.argv[1])]
def fam_vals(r):
    """(family, llama) speeds and family/llama ratios, whichever model the JVM loaded first."""
    g = lambda k: float(r[k])
    out = {}
    for m in ("prefill", "decode"):
        for kind, tok in (("wall", "%s_tok_s" % m), ("cpu", "%s_tok_per_cpu_s" % m)):
            a, b = g(tok), g("against_" + tok)
            fam, lla = (a, b) if r["first"] == "family" else (b, a)
            out[(m, kind)] = (fam, lla, fam / lla)
    return out
fams = list(dict.fromkeys(r["family"] for r in runs))
print("| family | prefill tok/s (Llama) | prefill ratio wall / CPU | decode tok/s (Llama) | decode ratio wall / CPU | JVMs |")
print("|---|---|---|---|---|---|")
for f in fams:
    vs = [fam_vals(r) for r in runs if r["family"] == f]
    med = lambda key, i: st.median(v[key][i] for v in vs)
    print("| %s | %.0f (%.0f) | %.3f / %.3f | %.1f (%.1f) | %.3f / %.3f | %d |" % (f,
          med(("prefill", "wall"), 0), med(("prefill", "wall"), 1), med(("prefill", "wall"), 2), med(("prefill", "cpu"), 2),
          med(("decode", "wall"), 0), med(("decode", "wall"), 1), med(("decode", "wall"), 2), med(("decode", "cpu"), 2),
          len(vs)))
loads = [float(r["load"]) for r in runs]
print("load average during the runs: median %.1f, max %.1f" % (st.median(loads), max(loads)))
PY
