#!/usr/bin/env bash
# Accuracy of bf16 and int8 weights against fp32 on one checkpoint, through bin/jneuron generate: 8 prompts
# in one batch, greedy, N new tokens. Prints per precision: the largest gap between its prefill top-5
# logits and fp32's logits of the same ids, top-1 agreement of the prefill, and greedy agreement (share of
# generated positions whose id equals fp32's, and the mean length of the common prefix).
# A random-weight checkpoint has nearly flat logits, so its agreement is a pessimistic figure.
#
#   bench/quant-accuracy.sh MODEL_DIR [NEW_TOKENS=32] [THREADS=2]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
M="$1"; N="${2:-32}"; T="${3:-2}"; PY="${PYTHON:-/usr/bin/python3}"
W="$(mktemp -d)"; trap 'rm -rf "$W"' EXIT
P=(); for s in "Once upon a time" "The capital of France is" "def fibonacci(n):" "In 1969 the first" \
  "Water boils at" "My favourite colour" "The quick brown fox" "Dear Sir or Madam,"; do P+=(--prompt "$s"); done
for q in fp32 bf16 int8; do
  a=(--auto_cast_type "$q"); [ "$q" = int8 ] && a=(--quantization int8)
  "$ROOT/bin/jneuron" generate "$M" "${P[@]}" --batch_size 8 --sequence_length 256 "${a[@]}" --greedy \
    --max_new_tokens "$N" --top-logits 5 --threads "$T" --format json >"$W/$q.json"
done
"$PY" - "$W" <<'PY'
import json, sys
d = {q: json.load(open(f"{sys.argv[1]}/{q}.json")) for q in ("fp32", "bf16", "int8")}
ref = d["fp32"]
for q in ("bf16", "int8"):
    r = d[q]; gap = 0.0; top1 = 0; same = 0; total = 0; prefix = []
    for b, (tl, rl) in enumerate(zip(r["prefill_top_logits"], ref["prefill_top_logits"])):
        rmap = {e["id"]: e["logit"] for e in rl}
        gap = max([gap] + [abs(e["logit"] - rmap[e["id"]]) for e in tl if e["id"] in rmap])
        top1 += tl[0]["id"] == rl[0]["id"]
        g, h = r["generated_ids"][b], ref["generated_ids"][b]
        same += sum(x == y for x, y in zip(g, h)); total += len(h)
        k = 0
        while k < min(len(g), len(h)) and g[k] == h[k]: k += 1
        prefix.append(k)
    print(f"{q}: max |top-5 prefill logit - fp32| = {gap:.3g}; prefill top-1 agreement {top1}/{len(ref['prefill_top_logits'])}; "
          f"greedy ids equal to fp32 {same}/{total} ({same / total:.0%}); mean common prefix {sum(prefix) / len(prefix):.1f}/{len(h)}")
PY
