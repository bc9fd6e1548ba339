#!/usr/bin/python3
"""Makes a copy of a GPT-2 checkpoint that Jlama 0.8.4 can load.

    /usr/bin/python3 bench/jlama/jlama_compat.py SRC_DIR DST_DIR

Jlama's GPT2Model looks tensors up by the original openai-community/gpt2 names (wte.weight,
h.0.attn.c_attn.weight, ...), while save_pretrained (and jneuron's tiny-model generator) writes
them with a "transformer." prefix. This rewrites every model*.safetensors file with the prefix
stripped (the data bytes are copied verbatim, so the weights are identical), rewrites a sharded
index accordingly, and copies config.json and the tokenizer files. Llama checkpoints need no
conversion.
"""

import json
import os
import shutil
import sys

PREFIX = "transformer."


def strip(name):
    return name[len(PREFIX):] if name.startswith(PREFIX) else name


def convert_file(src, dst):
    with open(src, "rb") as f:
        n = int.from_bytes(f.read(8), "little")
        if n <= 0 or n > 100 * 1024 * 1024:
            raise SystemExit(f"jlama_compat: {src}: bad safetensors header length {n}")
        header = json.loads(f.read(n))
        renamed = {(k if k == "__metadata__" else strip(k)): v for k, v in header.items()}
        if len(renamed) != len(header):
            raise SystemExit(f"jlama_compat: {src}: names collide after stripping {PREFIX!r}")
        text = json.dumps(renamed, separators=(",", ":")).encode("utf-8")
        text += b" " * ((8 - len(text) % 8) % 8)
        tmp = dst + ".tmp"
        with open(tmp, "wb") as out:
            out.write(len(text).to_bytes(8, "little"))
            out.write(text)
            shutil.copyfileobj(f, out, 16 * 1024 * 1024)
        os.replace(tmp, dst)


def main(argv):
    if len(argv) != 2:
        print(__doc__.strip().split("\n\n")[1], file=sys.stderr)
        return 2
    src, dst = argv
    if not os.path.isfile(os.path.join(src, "config.json")):
        print(f"jlama_compat: {src} has no config.json", file=sys.stderr)
        return 2
    os.makedirs(dst, exist_ok=True)
    for name in sorted(os.listdir(src)):
        path = os.path.join(src, name)
        if not os.path.isfile(path):
            continue
        if name.endswith(".safetensors"):
            convert_file(path, os.path.join(dst, name))
        elif name == "model.safetensors.index.json":
            with open(path) as f:
                idx = json.load(f)
            idx["weight_map"] = {strip(k): v for k, v in idx["weight_map"].items()}
            with open(os.path.join(dst, name), "w") as f:
                json.dump(idx, f, indent=2)
        elif name.endswith(".json") or name.endswith(".txt") or name.endswith(".model"):
            shutil.copyfile(path, os.path.join(dst, name))
    print(f"jlama_compat: wrote {dst}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
