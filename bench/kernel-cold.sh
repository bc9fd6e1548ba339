#!/usr/bin/env bash
# The Jupyter kernel's first %%neuron_generate against its third, in one fresh kernel JVM started with the
# kernelspec's own flags (install/kernelspec/kernel.json.in, no class-data archive): cells run through the
# kernel by the test helper MagicDriver, as HubMagicsTest does. The first cell loads the model (its load_ms
# holds the warm-up) and is the cold one. Prints one line: load_ms, cold and warm prefill / decode tok/s
# and their ratios. Build first (mvn -B -q -DskipTests package: it compiles the test classes too).
#
#   bench/kernel-cold.sh MODEL [PRECISION=fp32|bf16|fp16|int8] [THREADS=2]
#   (JAVA_HOME picks the JDK; ~120-token prompt in the 128 bucket, 64 new tokens, seq 256)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODEL="$1"; P="${2:-fp32}"; THREADS="${3:-2}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/java}"; JAVA="${JAVA:-java}"
Q="--auto_cast_type $P"; [ "$P" = int8 ] && Q="--quantization int8"
OUT="$(mktemp -d)"; trap 'rm -rf "$OUT"' EXIT
mapfile -t FLAGS < <(python3 - "$ROOT/install/kernelspec/kernel.json.in" <<'PY'
import json, re, sys
text = re.sub(r"@EXTRA_OPTS@|@CDS_OPTS@", "", open(sys.argv[1]).read())
argv = json.loads(text)["argv"]
for a in argv[1:argv.index("-cp")]:
    print(a)
PY
)
PROMPT="$(python3 -c 'print(" ".join(["the quick brown fox jumps over the lazy dog while the cat sleeps"] * 3
  + ["the quick brown fox jumps over the lazy dog"]))')"
CELL="%%neuron_generate $MODEL --threads $THREADS --sequence_length 256 $Q --max_new_tokens 64 --min_new_tokens 64 --greedy --format json
$PROMPT"
"$JAVA" "${FLAGS[@]}" -cp "$ROOT/install/target/lib/*:$ROOT/kernel/target/test-classes" io.jneuron.kernel.MagicDriver \
  "$OUT" "$CELL" "$CELL" "$CELL" >/dev/null 2>"$OUT/stderr" || { tail -5 "$OUT/stderr" >&2; exit 1; }
python3 - "$OUT" <<'PY'
import json, os, sys
def find(d, k):
    if isinstance(d, dict):
        if k in d:
            return d[k]
        d = list(d.values())
    if isinstance(d, list):
        for v in d:
            r = find(v, k)
            if r is not None:
                return r
cold, warm = (json.load(open(os.path.join(sys.argv[1], f"{i}.txt"))) for i in (1, 3))
c = {k: find(cold, k) for k in ("load_ms", "prefill_tok_s", "decode_tok_s")}
w = {k: find(warm, k) for k in ("prefill_tok_s", "decode_tok_s")}
print(f"load_ms={c['load_ms']:.0f} cold_prefill_tok_s={c['prefill_tok_s']:.1f} cold_decode_tok_s={c['decode_tok_s']:.1f} "
      f"prefill_tok_s={w['prefill_tok_s']:.1f} decode_tok_s={w['decode_tok_s']:.1f} "
      f"cold/warm prefill={c['prefill_tok_s'] / w['prefill_tok_s']:.2f} decode={c['decode_tok_s'] / w['decode_tok_s']:.2f}")
PY
