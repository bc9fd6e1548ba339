#!/usr/bin/env bash
# The Jupyter kernel's first %%neuron_generate against its later ones, in fresh kernel JVMs started with the
# kernelspec's own flags (install/kernelspec/kernel.json.in, no class-data archive): cells run through the
# kernel by the test helper MagicDriver, as HubMagicsTest does. In each round a new kernel runs 1 + WARM
# cells; the first loads the model (its load_ms holds the warm-up) and is the cold one, the others are
# warm. Prints a line per round (cold tok/s, the median of its warm cells, their ratios), then the medians
# of the rounds' ratios. Build first (mvn -B -q -DskipTests package: it compiles the test classes too).
#
#   bench/kernel-cold.sh MODEL [PRECISION=fp32|bf16|fp16|int8] [THREADS=2] [ROUNDS=3] [WARM=4]
#   (JAVA_HOME picks the JDK; ~120-token prompt in the 128 bucket, 64 new tokens, seq 256)
#   EXTRA_JVM="-Xlog:jit+compilation=debug:file=/tmp/kjit-%p.txt:uptime -Djneuron.cpu.warmupLog=true" adds JVM
#   flags after the kernelspec's; KEEP=DIR keeps each round's cells and stderr in DIR/ROUND.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODEL="$1"; P="${2:-fp32}"; THREADS="${3:-2}"; ROUNDS="${4:-3}"; WARM="${5:-4}"
JAVA="${JAVA_HOME:+$JAVA_HOME/bin/java}"; JAVA="${JAVA:-java}"
Q="--auto_cast_type $P"; [ "$P" = int8 ] && Q="--quantization int8"
if [ -n "${KEEP:-}" ]; then OUT="$KEEP"; mkdir -p "$OUT"; else OUT="$(mktemp -d)"; trap 'rm -rf "$OUT"' EXIT; fi
read -r -a EXTRA <<< "${EXTRA_JVM:-}"
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
CELLS=(); for ((c = 0; c <= WARM; c++)); do CELLS+=("$CELL"); done
for ((r = 1; r <= ROUNDS; r++)); do
  mkdir -p "$OUT/$r"
  "$JAVA" "${FLAGS[@]}" ${EXTRA[@]+"${EXTRA[@]}"} -cp "$ROOT/install/target/lib/*:$ROOT/kernel/target/test-classes" io.jneuron.kernel.MagicDriver \
    "$OUT/$r" "${CELLS[@]}" >/dev/null 2>"$OUT/$r/stderr" || { tail -5 "$OUT/$r/stderr" >&2; exit 1; }
done
python3 - "$OUT" "$ROUNDS" "$WARM" <<'PY'
import json, os, statistics, sys
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
out, rounds, warm = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
ratios = {"prefill": [], "decode": []}
for r in range(1, rounds + 1):
    cells = [json.load(open(os.path.join(out, str(r), f"{i}.txt"))) for i in range(1, warm + 2)]
    line = f"round {r}: load_ms={find(cells[0], 'load_ms'):.0f}"
    for k in ratios:
        cold = find(cells[0], k + "_tok_s")
        w = statistics.median(find(c, k + "_tok_s") for c in cells[1:])
        ratios[k].append(cold / w)
        line += f" cold_{k}_tok_s={cold:.1f} {k}_tok_s={w:.1f}"
    print(line + f" cold/warm prefill={ratios['prefill'][-1]:.2f} decode={ratios['decode'][-1]:.2f}")
print(f"median of {rounds} rounds: cold/warm prefill={statistics.median(ratios['prefill']):.2f} "
      f"decode={statistics.median(ratios['decode']):.2f}")
PY
