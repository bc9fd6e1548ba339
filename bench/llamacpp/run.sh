#!/usr/bin/env bash
# llama.cpp peer benchmark through node-llama-cpp 3.21.1 (its prebuilt CPU library; npm, no compiler).
#
#   bench/llamacpp/run.sh MODEL_DIR [--type f32|bf16|f16] [--runs 3] [--threads 2] [--prompt-len 128]
#                         [--new-tokens 64] [--warmup 1] [--iterations 3]
# Converts MODEL_DIR (a Hugging Face Llama) to GGUF with hf_to_gguf.py (cached in GGUF_DIR, default
# MODEL_DIR/../gguf), then runs llama_bench.mjs in --runs fresh node processes. Each prints a RESULT
# line: cold (the process's first generation) and warm (median of --iterations after --warmup).
# Dependencies: node >= 20 and npm (the package is installed once into bench/llamacpp/node_modules),
# Debian's python3-numpy (PYTHON, default /usr/bin/python3).
set -euo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY="${PYTHON:-/usr/bin/python3}"
[[ $# -ge 1 && -f "$1/config.json" ]] || { sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
MODEL="$(cd "$1" && pwd)"; shift
TYPE=f32; RUNS=3; PASS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --type) TYPE="$2"; shift 2 ;;
    --runs) RUNS="$2"; shift 2 ;;
    --threads|--prompt-len|--new-tokens|--warmup|--iterations) PASS+=("$1" "$2"); shift 2 ;;
    *) echo "run.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
if [[ ! -d "$HERE/node_modules/node-llama-cpp" ]]; then
  echo "run.sh: installing node-llama-cpp 3.21.1 into $HERE/node_modules" >&2
  (cd "$HERE" && npm install --no-audit --no-fund --silent >&2)
fi
GGUF_DIR="${GGUF_DIR:-$(dirname "$MODEL")/gguf}"
GGUF="$GGUF_DIR/$(basename "$MODEL")-$TYPE.gguf"
if [[ ! -f "$GGUF" || "$MODEL/config.json" -nt "$GGUF" || "$HERE/hf_to_gguf.py" -nt "$GGUF" ]]; then
  mkdir -p "$GGUF_DIR"
  "$PY" "$HERE/hf_to_gguf.py" "$MODEL" "$GGUF.tmp" --type "$TYPE" && mv "$GGUF.tmp" "$GGUF"
fi
VOCAB="$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["vocab_size"])' "$MODEL/config.json")"
echo "llama.cpp (node-llama-cpp 3.21.1) model=$GGUF runs=$RUNS ${PASS[*]:-}"
for ((r = 1; r <= RUNS; r++)); do
  node "$HERE/llama_bench.mjs" "$GGUF" --vocab "$VOCAB" ${PASS[@]+"${PASS[@]}"} | grep '^RESULT ' | sed "s/^RESULT/run $r:/"
done
