#!/usr/bin/env bash
# The main job on a fresh machine: build, make a tiny Llama checkpoint, and generate with it on the
# embedded CPU runtime (the first run exports it into the export cache; the second loads that export).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
WORK="${JNEURON_QUICKSTART_DIR:-${TMPDIR:-/tmp}/jneuron-quickstart}"
cd "$ROOT"

echo "== build" >&2
mvn -B -q -DskipTests package 2>&1 | { grep -v '^WARNING: Using incubator modules' || true; }

echo "== tiny random-weight Llama checkpoint in $WORK/tiny-llama" >&2
bin/jneuron testing tiny-model llama "$WORK/tiny-llama" --seed 1 --force

echo "== generate (first run: exports the checkpoint for batch 1, sequence 256, fp32)" >&2
bin/jneuron generate "$WORK/tiny-llama" --sequence_length 256 --prompt "Once upon a time" --max_new_tokens 24

echo "== generate again (loads the cached export), sampling with a seed, JSON output" >&2
bin/jneuron generate "$WORK/tiny-llama" --sequence_length 256 --prompt "Once upon a time" --max_new_tokens 24 \
  --temperature 0.8 --top_k 40 --top_p 0.95 --seed 7 --format json
echo
