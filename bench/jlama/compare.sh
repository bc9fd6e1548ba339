#!/usr/bin/env bash
# Jlama 0.8.4 vs the fp64 numpy reference on one checkpoint.
#
#   bench/jlama/compare.sh MODEL_DIR [--prompt-ids 1,2,3 ...] [--new-tokens 16] [--dtype F32|BF16]
#                          [--tol 1e-4]
#
# Runs backend-cpu/src/test/python/reference_decoder.py and `run.sh --logits` with the same prompts
# (default: the 128-token benchmark prompt) and prints compare_logits.py's JSON summary (max |diff|
# per row, greedy ids identical?). Exit status 0 when within --tol with identical greedy ids.
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PYDIR="$HERE/../../backend-cpu/src/test/python"
PY="${REFERENCE_PYTHON:-/usr/bin/python3}"
[[ $# -ge 1 ]] || { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
MODEL_DIR="$1"; shift
PROMPTS=(); NEW=16; TOL=1e-4; EXTRA=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --prompt-ids) PROMPTS+=(--prompt-ids "$2"); shift 2 ;;
    --new-tokens|--max-new-tokens) NEW="$2"; shift 2 ;;
    --tol) TOL="$2"; shift 2 ;;
    --dtype|--threads) EXTRA+=("$1" "$2"); shift 2 ;;
    *) echo "compare.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [[ ${#PROMPTS[@]} -eq 0 ]]; then
  # the benchmark's default prompt: 3 + (i * 7919 + 13) mod (vocab - 3), i < 128
  V="$("$PY" -c "import json,sys; print(json.load(open(sys.argv[1]))['vocab_size'])" "$MODEL_DIR/config.json")"
  PROMPTS=(--prompt-ids "$("$PY" -c "import sys; v=int(sys.argv[1]); print(','.join(str(3 + (i*7919+13) % max(1, v-3)) for i in range(128)))" "$V")")
fi
WORK="$(mktemp -d)"; trap 'rm -rf "$WORK"' EXIT
"$PY" "$PYDIR/reference_decoder.py" "$MODEL_DIR" "${PROMPTS[@]}" --max-new-tokens "$NEW" > "$WORK/ref.json"
"$HERE/run.sh" "$MODEL_DIR" --logits "${PROMPTS[@]}" --new-tokens "$NEW" ${EXTRA[@]+"${EXTRA[@]}"} > "$WORK/jlama.json"
"$PY" "$PYDIR/compare_logits.py" "$WORK/ref.json" "$WORK/jlama.json" --tol "$TOL"
