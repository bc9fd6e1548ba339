#!/usr/bin/env python3
"""Converts a Hugging Face Llama checkpoint (config.json, *.safetensors, tokenizer.json with a
byte-level BPE) to a GGUF file that llama.cpp loads, for the peer benchmark only.

    hf_to_gguf.py MODEL_DIR OUT.gguf [--type f32|bf16|f16]

Written from the public GGUF layout (version 3: header, metadata key/values, tensor infos, aligned
data) and llama.cpp's tensor names for the "llama" architecture. Matrices are stored in the chosen
type; norm weights stay F32 (as llama.cpp expects). Query and key rows are permuted from Hugging
Face's rotate-half order to llama.cpp's pairwise rotary order. Needs only numpy.
"""
import json
import struct
import sys
from pathlib import Path

import numpy as np

GGUF_MAGIC = b"GGUF"
GGUF_VERSION = 3
ALIGN = 32
# gguf metadata value types
T_UINT32, T_INT32, T_FLOAT32, T_BOOL, T_STRING, T_ARRAY, T_UINT64 = 4, 5, 6, 7, 8, 9, 10
# ggml tensor types and llama file types
GGML = {"f32": 0, "f16": 1, "bf16": 30}
FILE_TYPE = {"f32": 0, "f16": 1, "bf16": 32}


def read_safetensors(folder):
    """All tensors of the checkpoint as float32 numpy arrays (F32, F16 and BF16 sources)."""
    out = {}
    for f in sorted(Path(folder).glob("*.safetensors")):
        raw = f.read_bytes()
        n = struct.unpack("<Q", raw[:8])[0]
        header = json.loads(raw[8:8 + n])
        base = 8 + n
        for name, t in header.items():
            if name == "__metadata__":
                continue
            a, b = t["data_offsets"]
            buf = raw[base + a:base + b]
            if t["dtype"] == "F32":
                arr = np.frombuffer(buf, dtype="<f4")
            elif t["dtype"] == "F16":
                arr = np.frombuffer(buf, dtype="<f2").astype(np.float32)
            elif t["dtype"] == "BF16":
                arr = (np.frombuffer(buf, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
            else:
                raise SystemExit(f"{f}: tensor {name} has dtype {t['dtype']}; only F32/F16/BF16 are converted")
            out[name] = arr.reshape(t["shape"])
    if not out:
        raise SystemExit(f"{folder}: no .safetensors files")
    return out


def to_bf16_bytes(a):
    """Round-to-nearest-even float32 -> bfloat16 bits."""
    bits = np.ascontiguousarray(a, dtype=np.float32).view(np.uint32)
    rounded = (bits + 0x7FFF + ((bits >> 16) & 1)) >> 16
    return rounded.astype("<u2").tobytes()


def encode(a, kind):
    if kind == "f32":
        return np.ascontiguousarray(a, dtype="<f4").tobytes()
    if kind == "f16":
        return np.ascontiguousarray(a, dtype="<f2").tobytes()
    return to_bf16_bytes(a)


def permute_rotary(w, heads):
    """Hugging Face rotate-half rows -> llama.cpp's interleaved pairs, per head."""
    rows = w.shape[0]
    return w.reshape(heads, 2, rows // heads // 2, *w.shape[1:]).swapaxes(1, 2).reshape(w.shape)


class Writer:
    def __init__(self):
        self.kv = []
        self.tensors = []

    @staticmethod
    def _str(s):
        b = s.encode("utf-8")
        return struct.pack("<Q", len(b)) + b

    def add(self, key, vtype, value):
        self.kv.append((key, vtype, value))

    def _value(self, vtype, value):
        if vtype == T_STRING:
            return self._str(value)
        if vtype == T_UINT32:
            return struct.pack("<I", value)
        if vtype == T_INT32:
            return struct.pack("<i", value)
        if vtype == T_FLOAT32:
            return struct.pack("<f", value)
        if vtype == T_BOOL:
            return struct.pack("<?", value)
        if vtype == T_UINT64:
            return struct.pack("<Q", value)
        raise ValueError(vtype)

    def tensor(self, name, array, kind):
        """array is [rows, cols] (or 1-D); GGUF lists dimensions innermost first."""
        self.tensors.append((name, list(reversed(array.shape)), GGML[kind], encode(array, kind)))

    def write(self, path):
        out = bytearray(GGUF_MAGIC)
        out += struct.pack("<IQQ", GGUF_VERSION, len(self.tensors), len(self.kv))
        for key, vtype, value in self.kv:
            out += self._str(key)
            if vtype == T_ARRAY:
                etype, items = value
                out += struct.pack("<IIQ", T_ARRAY, etype, len(items))
                for it in items:
                    out += self._value(etype, it)
            else:
                out += struct.pack("<I", vtype) + self._value(vtype, value)
        offset = 0
        for name, dims, gtype, data in self.tensors:
            out += self._str(name) + struct.pack("<I", len(dims))
            out += b"".join(struct.pack("<Q", d) for d in dims)
            out += struct.pack("<IQ", gtype, offset)
            offset += (len(data) + ALIGN - 1) // ALIGN * ALIGN
        out += b"\0" * (-len(out) % ALIGN)
        with open(path, "wb") as f:
            f.write(out)
            for _, _, _, data in self.tensors:
                f.write(data)
                f.write(b"\0" * (-len(data) % ALIGN))


def convert(folder, out_path, kind):
    folder = Path(folder)
    cfg = json.loads((folder / "config.json").read_text())
    if cfg.get("model_type") != "llama":
        raise SystemExit(f"{folder}: model_type {cfg.get('model_type')!r}; only llama is converted")
    heads = cfg["num_attention_heads"]
    kv_heads = cfg.get("num_key_value_heads", heads)
    hidden = cfg["hidden_size"]
    head_dim = cfg.get("head_dim", hidden // heads)
    if cfg.get("rope_scaling"):
        raise SystemExit(f"{folder}: rope_scaling is not converted")
    t = read_safetensors(folder)
    w = Writer()
    w.add("general.architecture", T_STRING, "llama")
    w.add("general.name", T_STRING, folder.name)
    w.add("general.alignment", T_UINT32, ALIGN)
    w.add("general.file_type", T_UINT32, FILE_TYPE[kind])
    w.add("llama.context_length", T_UINT32, cfg["max_position_embeddings"])
    w.add("llama.embedding_length", T_UINT32, hidden)
    w.add("llama.block_count", T_UINT32, cfg["num_hidden_layers"])
    w.add("llama.feed_forward_length", T_UINT32, cfg["intermediate_size"])
    w.add("llama.rope.dimension_count", T_UINT32, head_dim)
    w.add("llama.attention.head_count", T_UINT32, heads)
    w.add("llama.attention.head_count_kv", T_UINT32, kv_heads)
    w.add("llama.attention.key_length", T_UINT32, head_dim)
    w.add("llama.attention.value_length", T_UINT32, head_dim)
    w.add("llama.attention.layer_norm_rms_epsilon", T_FLOAT32, cfg.get("rms_norm_eps", 1e-6))
    w.add("llama.rope.freq_base", T_FLOAT32, cfg.get("rope_theta", 10000.0))
    w.add("llama.vocab_size", T_UINT32, cfg["vocab_size"])
    add_tokenizer(w, folder, cfg)

    w.tensor("token_embd.weight", t["model.embed_tokens.weight"], kind)
    for i in range(cfg["num_hidden_layers"]):
        p = f"model.layers.{i}."
        b = f"blk.{i}."
        w.tensor(b + "attn_norm.weight", t[p + "input_layernorm.weight"], "f32")
        w.tensor(b + "attn_q.weight", permute_rotary(t[p + "self_attn.q_proj.weight"], heads), kind)
        w.tensor(b + "attn_k.weight", permute_rotary(t[p + "self_attn.k_proj.weight"], kv_heads), kind)
        w.tensor(b + "attn_v.weight", t[p + "self_attn.v_proj.weight"], kind)
        w.tensor(b + "attn_output.weight", t[p + "self_attn.o_proj.weight"], kind)
        w.tensor(b + "ffn_norm.weight", t[p + "post_attention_layernorm.weight"], "f32")
        w.tensor(b + "ffn_gate.weight", t[p + "mlp.gate_proj.weight"], kind)
        w.tensor(b + "ffn_up.weight", t[p + "mlp.up_proj.weight"], kind)
        w.tensor(b + "ffn_down.weight", t[p + "mlp.down_proj.weight"], kind)
    w.tensor("output_norm.weight", t["model.norm.weight"], "f32")
    if not cfg.get("tie_word_embeddings", False) and "lm_head.weight" in t:
        w.tensor("output.weight", t["lm_head.weight"], kind)
    w.write(out_path)


def add_tokenizer(w, folder, cfg):
    """tokenizer.json's byte-level BPE as llama.cpp's "gpt2" tokenizer (tokens, types, merges)."""
    tok = json.loads((folder / "tokenizer.json").read_text())
    model = tok["model"]
    if model.get("type") != "BPE":
        raise SystemExit(f"{folder}: tokenizer model {model.get('type')}; only byte-level BPE is converted")
    n = cfg["vocab_size"]
    tokens = [f"[PAD{i}]" for i in range(n)]
    types = [5] * n  # unused
    for text, i in model["vocab"].items():
        if i < n:
            tokens[i] = text
            types[i] = 1  # normal
    for added in tok.get("added_tokens", []):
        if added["id"] < n:
            tokens[added["id"]] = added["content"]
            types[added["id"]] = 3 if added.get("special") else 4  # control / user-defined
    merges = [m if isinstance(m, str) else " ".join(m) for m in model.get("merges", [])]
    w.add("tokenizer.ggml.model", T_STRING, "gpt2")
    w.add("tokenizer.ggml.pre", T_STRING, "default")
    w.add("tokenizer.ggml.tokens", T_ARRAY, (T_STRING, tokens))
    w.add("tokenizer.ggml.token_type", T_ARRAY, (T_INT32, types))
    w.add("tokenizer.ggml.merges", T_ARRAY, (T_STRING, merges))
    for key, cfg_key in (("bos_token_id", "bos_token_id"), ("eos_token_id", "eos_token_id")):
        if isinstance(cfg.get(cfg_key), int):
            w.add("tokenizer.ggml." + key, T_UINT32, cfg[cfg_key])


if __name__ == "__main__":
    args = sys.argv[1:]
    kind = "f32"
    if "--type" in args:
        i = args.index("--type")
        kind = args[i + 1]
        del args[i:i + 2]
    if len(args) != 2 or kind not in GGML:
        raise SystemExit(__doc__)
    convert(args[0], args[1], kind)
