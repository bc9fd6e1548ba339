#!/usr/bin/env bash
# jneuron against the peer, Jlama 0.8.4, on the same checkpoints in one session: 2 threads,
# 128-token prompt, 64 new tokens (256 for the small model), fresh JVMs, medians.
#
#   bench/compare.sh [MODELS_DIR]   (default /tmp/jneuron-bench; the checkpoints are made if missing)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DIR="${1:-/tmp/jneuron-bench}"
B="$ROOT/bin/jneuron"
J="$ROOT/bench/jlama/run.sh"
export NEURON_KERNEL_CACHE_DIR="$DIR/compile-cache"
[ -f "$DIR/llama-110m/config.json" ] || "$B" testing tiny-model llama "$DIR/llama-110m" --preset 110m
# ~1.8M parameters; widths are multiples of 16 because Jlama miscomputes other sizes.
[ -f "$DIR/llama-2m/config.json" ] || "$B" testing tiny-model llama "$DIR/llama-2m" --vocab 8192 --intermediate 352
echo "== $(date -u) load: $(cat /proc/loadavg)"
echo "== jneuron 110M fp32"; "$B" bench "$DIR/llama-110m" --threads 2 --sequence_length 256 --runs 3
echo "== jlama 110M fp32"; "$J" "$DIR/llama-110m" --dtype F32 --runs 3 | tail -2
echo "== jneuron 110M bf16"; "$B" bench "$DIR/llama-110m" --threads 2 --sequence_length 256 --auto_cast_type bf16 --runs 3
echo "== jlama 110M bf16"; "$J" "$DIR/llama-110m" --dtype BF16 --runs 3 | tail -2
echo "== jneuron 2M fp32"; "$B" bench "$DIR/llama-2m" --threads 2 --sequence_length 512 --new-tokens 256 --runs 3
echo "== jlama 2M fp32"; "$J" "$DIR/llama-2m" --dtype F32 --runs 3 --new-tokens 256 | tail -2
echo "== $(date -u) load: $(cat /proc/loadavg)"
